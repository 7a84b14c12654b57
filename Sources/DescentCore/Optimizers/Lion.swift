/// Lion: the sign of an interpolated momentum, with decoupled weight decay.
///
/// ```
/// c = β₁m + (1−β₁)g
/// x ← x − lr·(sign(c) + wd·x)      (as x ← x·(1 − lr·wd), then x ← x − lr·sign(c))
/// m ← β₂m + (1−β₂)g
/// ```
/// Not part of torch.optim; the operation order is lucidrains' `lion-pytorch`, the reference most
/// PyTorch users run.
///
/// Reference: Chen et al. (2023), *Symbolic Discovery of Optimization Algorithms*, NeurIPS.
public struct Lion: Optimizer {
  public static let name = "lion"
  public static let isCoordinatewise = true
  public static let rule = "c = β₁m + (1−β₁)g; x ← x − lr·(sign(c) + wd·x); m ← β₂m + (1−β₂)g"
  public static let reference = "Chen et al. (2023); lion-pytorch"
  public static let parameters: [ParameterSpec] = [
    .lr(1e-4), .betas(0.9, 0.99), .weightDecay(0, decoupled: true),
  ]

  let beta1: Double
  let beta2: Double
  let weightDecay: Double
  private var momentum: [Double] = []

  public init(_ p: Parameters) throws(Diagnostic) {
    (beta1, beta2) = p.pair("betas")
    weightDecay = p.real("weight_decay")
  }

  public mutating func reset(dimension: Int) {
    momentum = [Double](repeating: 0, count: dimension)
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    let (beta1, beta2) = (self.beta1, self.beta2)
    let decay = 1 - lr * weightDecay
    momentum.withUnsafeMutableBufferPointer { m in
      for i in 0..<x.count {
        let g = gradient[i]
        x[i] *= decay
        let c = Torch.add(m[i] * beta1, g, alpha: 1 - beta1)
        x[i] = Torch.add(x[i], Torch.sign(c), alpha: -lr)
        m[i] = Torch.add(m[i] * beta2, g, alpha: 1 - beta2)
      }
    }
  }
}
