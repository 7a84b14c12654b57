/// RMSProp: step sizes from an exponential moving average of squared gradients.
///
/// ```
/// g ← ∇f(x) + wd·x
/// v ← αv + (1−α)g²
/// a ← αa + (1−α)g,  denom = √(v − a²) + eps      (centered)
/// denom = √v + eps                               (otherwise)
/// b ← μb + g/denom,  x ← x − lr·b                (momentum > 0)
/// x ← x − lr·g/denom                             (otherwise)
/// ```
/// Reference: `torch.optim.RMSprop`; Tieleman & Hinton (2012), Coursera lecture 6.5; Graves (2013) for centered.
public struct RMSprop: Optimizer {
  public static let name = "rmsprop"
  public static let isCoordinatewise = true
  public static let rule = "v ← αv + (1−α)g²; x ← x − lr·g/(√v + eps)  (centered: √(v − a²); momentum: via buffer)"
  public static let reference = "torch.optim.RMSprop; Tieleman & Hinton (2012); Graves (2013)"
  public static let parameters: [ParameterSpec] = [
    .lr(1e-2),
    .real("alpha", 0.99, .unit, "smoothing constant α"),
    .eps(1e-8),
    .weightDecay(),
    .real("momentum", 0, .nonNegative, "momentum factor μ"),
    .boolean("centered", false, "normalise by an estimate of the gradient's variance"),
  ]

  let alpha: Double
  let eps: Double
  let weightDecay: Double
  let momentum: Double
  let centered: Bool
  /// Slots: square average, then gradient average (centered), then momentum buffer.
  private var state: [Double] = []

  public init(_ p: Parameters) throws(Diagnostic) {
    alpha = p.real("alpha")
    eps = p.real("eps")
    weightDecay = p.real("weight_decay")
    momentum = p.real("momentum")
    centered = p.boolean("centered")
  }

  public mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: 3 * dimension)
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    let n = x.count
    let (alpha, eps, weightDecay, momentum, centered) = (self.alpha, self.eps, self.weightDecay, self.momentum, self.centered)
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        s[i] = Torch.addcmul(s[i] * alpha, g, g, value: 1 - alpha)
        var avg: Double
        if centered {
          s[n + i] = Torch.lerp(s[n + i], g, weight: 1 - alpha)
          avg = Torch.addcmul(s[i], s[n + i], s[n + i], value: -1).squareRoot()
        } else {
          avg = s[i].squareRoot()
        }
        avg += eps
        if momentum > 0 {
          s[2 * n + i] = Torch.addcdiv(s[2 * n + i] * momentum, g, avg, value: 1)
          x[i] = Torch.add(x[i], s[2 * n + i], alpha: -lr)
        } else {
          x[i] = Torch.addcdiv(x[i], g, avg, value: -lr)
        }
      }
    }
  }
}
