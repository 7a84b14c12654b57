/// Stochastic gradient descent, with optional momentum, dampening, Nesterov momentum and weight decay.
///
/// ```
/// g ← ∇f(x) + wd·x
/// buf ← g                       (t = 1)
/// buf ← μ·buf + (1 − τ)·g       (t > 1)
/// d ← g + μ·buf (nesterov) | buf (momentum) | g (μ = 0)
/// x ← x − lr·d
/// ```
/// d2l's momentum `v ← βv + g, x ← x − ηv` is `momentum` with dampening 0; the EMA form
/// `v ← αv + (1−α)g` is `dampening = α`. Aliases: `gd`, `momentum` (μ = 0.9), `nesterov` (μ = 0.9, nesterov).
///
/// Reference: `torch.optim.SGD`; Polyak (1964); Sutskever et al. (2013) for Nesterov.
public struct SGD: Optimizer {
  public static let name = "sgd"
  public static let isCoordinatewise = true
  public static let rule = "buf ← μ·buf + (1−dampening)·g; x ← x − lr·(nesterov ? g + μ·buf : buf)"
  public static let reference = "torch.optim.SGD; Polyak (1964); Sutskever et al. (2013)"
  public static let parameters: [ParameterSpec] = [
    .lr(1e-3),
    .real("momentum", 0, .nonNegative, "momentum factor μ"),
    .real("dampening", 0, .nonNegative, "dampening τ for momentum"),
    .boolean("nesterov", false, "use Nesterov momentum"),
    .weightDecay(),
  ]

  let momentum: Double
  let dampening: Double
  let nesterov: Bool
  let weightDecay: Double
  private var buffer: [Double] = []
  private var t = 0

  public init(_ p: Parameters) throws(Diagnostic) {
    momentum = p.real("momentum")
    dampening = p.real("dampening")
    nesterov = p.boolean("nesterov")
    weightDecay = p.real("weight_decay")
    // Said at the value to change: a dampening is always given (its default is 0), so a grid of them is named
    // at its bad value; momentum's default is 0, so its problem is said at nesterov, with the value.
    if nesterov, dampening != 0 {
      throw Diagnostic(path: "dampening", "Nesterov momentum needs dampening = 0 (as in torch), got \(JSONValue.format(dampening))")
    }
    if nesterov, momentum <= 0 {
      throw Diagnostic(path: "nesterov", "Nesterov momentum needs momentum > 0 (as in torch), got momentum \(JSONValue.format(momentum))")
    }
  }

  public mutating func reset(dimension: Int) {
    buffer = [Double](repeating: 0, count: momentum != 0 ? dimension : 0)
    t = 0
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let first = t == 1
    let (momentum, dampening, nesterov, weightDecay) = (self.momentum, self.dampening, self.nesterov, self.weightDecay)
    if momentum == 0 {
      for i in 0..<x.count {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        x[i] = Torch.add(x[i], g, alpha: -lr)
      }
      return
    }
    buffer.withUnsafeMutableBufferPointer { buf in
      for i in 0..<x.count {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        buf[i] = first ? g : Torch.add(buf[i] * momentum, g, alpha: 1 - dampening)
        let direction = nesterov ? Torch.add(g, buf[i], alpha: momentum) : buf[i]
        x[i] = Torch.add(x[i], direction, alpha: -lr)
      }
    }
  }
}
