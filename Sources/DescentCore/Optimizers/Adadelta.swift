/// Adadelta: AdaGrad without a hand-set step size, by matching the units of the update.
///
/// ```
/// g ← ∇f(x) + wd·x
/// v ← ρv + (1−ρ)g²
/// δ = √(u + eps) / √(v + eps) · g
/// u ← ρu + (1−ρ)δ²
/// x ← x − lr·δ
/// ```
/// Reference: `torch.optim.Adadelta`; Zeiler (2012), arXiv:1212.5701.
public struct Adadelta: Optimizer {
  public static let name = "adadelta"
  public static let isCoordinatewise = true
  public static let rule = "v ← ρv + (1−ρ)g²; δ = √(u+eps)/√(v+eps)·g; u ← ρu + (1−ρ)δ²; x ← x − lr·δ"
  public static let reference = "torch.optim.Adadelta; Zeiler (2012)"
  public static let parameters: [ParameterSpec] = [
    .lr(1.0),
    .real("rho", 0.9, .unit, "decay rate ρ of the running averages"),
    .eps(1e-6),
    .weightDecay(),
  ]

  let rho: Double
  let eps: Double
  let weightDecay: Double
  /// Slots: square average v, then accumulated update u.
  private var state: [Double] = []

  public init(_ p: Parameters) throws(Diagnostic) {
    rho = p.real("rho")
    eps = p.real("eps")
    weightDecay = p.real("weight_decay")
  }

  public mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: 2 * dimension)
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    let n = x.count
    let (rho, eps, weightDecay) = (self.rho, self.eps, self.weightDecay)
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        s[i] = Torch.addcmul(s[i] * rho, g, g, value: 1 - rho)
        let std = (s[i] + eps).squareRoot()
        let delta = (s[n + i] + eps).squareRoot() / std * g
        s[n + i] = Torch.addcmul(s[n + i] * rho, delta, delta, value: 1 - rho)
        x[i] = Torch.add(x[i], delta, alpha: -lr)
      }
    }
  }
}
