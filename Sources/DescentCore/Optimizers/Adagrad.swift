/// AdaGrad: per-coordinate step sizes from the running sum of squared gradients.
///
/// ```
/// g ← ∇f(x) + wd·x
/// clr = lr / (1 + (t−1)·lr_decay)
/// s ← s + g²
/// x ← x − clr·g / (√s + eps)
/// ```
/// Reference: `torch.optim.Adagrad`; Duchi, Hazan & Singer (2011), *JMLR* 12.
public struct Adagrad: Optimizer {
  public static let name = "adagrad"
  public static let isCoordinatewise = true
  public static let rule = "s ← s + g²; x ← x − lr/(1+(t−1)·lr_decay) · g/(√s + eps)"
  public static let reference = "torch.optim.Adagrad; Duchi, Hazan & Singer (2011)"
  public static let parameters: [ParameterSpec] = [
    .lr(1e-2),
    .real("lr_decay", 0, .nonNegative, "learning-rate decay"),
    .weightDecay(),
    .real("initial_accumulator_value", 0, .nonNegative, "starting value of the sum of squares"),
    .eps(1e-10),
  ]

  let lrDecay: Double
  let weightDecay: Double
  let initialAccumulator: Double
  let eps: Double
  private var sum: [Double] = []
  private var t = 0

  public init(_ p: Parameters) throws(Diagnostic) {
    lrDecay = p.real("lr_decay")
    weightDecay = p.real("weight_decay")
    initialAccumulator = p.real("initial_accumulator_value")
    eps = p.real("eps")
  }

  public mutating func reset(dimension: Int) {
    sum = [Double](repeating: initialAccumulator, count: dimension)
    t = 0
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let clr = lr / (1 + Double(t - 1) * lrDecay)
    let (weightDecay, eps) = (self.weightDecay, self.eps)
    sum.withUnsafeMutableBufferPointer { s in
      for i in 0..<x.count {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        s[i] = Torch.addcmul(s[i], g, g, value: 1)
        let std = s[i].squareRoot() + eps
        x[i] = Torch.addcdiv(x[i], g, std, value: -clr)
      }
    }
  }
}
