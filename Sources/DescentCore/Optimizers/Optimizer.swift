/// An update rule: one optimizer walking one landscape.
///
/// An optimizer is a value. It holds its hyperparameters and its state, the state lives in one buffer
/// allocated by `reset(dimension:)`, and a copy is an independent run (copy-on-write keeps the buffers
/// apart). `step` allocates nothing. Rules follow PyTorch's `torch.optim` single-tensor CPU code
/// operation by operation, in `Double`; see `TorchArithmetic` for the few places torch fuses.
///
/// Hyperparameters use PyTorch's names and defaults, declared once in `parameters`. See
/// `docs/adding-an-optimizer.md` for how to add one.
public protocol Optimizer: Sendable {
  /// The registry name used in configs (`"adam"`).
  static var name: String { get }
  /// The update rule, one line.
  static var rule: String { get }
  /// Where the rule comes from.
  static var reference: String { get }
  /// Hyperparameters with PyTorch's names and defaults. Every optimizer has `lr`.
  static var parameters: [ParameterSpec] { get }
  /// Whether `step` updates each coordinate from that coordinate alone (its x, gradient and state) and
  /// scalars that depend only on the step count and learning rate, as every `torch.optim` rule here does.
  /// Runs of such an optimizer are stepped together as lanes of one vector (`executeLanes`), bit for bit
  /// as they would run alone. Defaults to `false`: a rule that reads across coordinates (a norm, a
  /// layer-wise trust ratio) must not be batched.
  static var isCoordinatewise: Bool { get }

  /// Builds the optimizer from range-checked values; cross-field problems throw a diagnostic whose
  /// path is relative to the optimizer entry.
  init(_ parameters: Parameters) throws(Diagnostic)

  /// Allocates the state for a run in `dimension` coordinates and zeroes the step count.
  mutating func reset(dimension: Int)

  /// One update of `x` in place, given ∇f(x) and this step's learning rate. Allocates nothing.
  mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate: Double)
}

extension Optimizer {
  public static var reference: String { "torch.optim.\(name)" }
  public static var isCoordinatewise: Bool { false }

  /// Convenience for tests: one step on arrays.
  public mutating func step(_ x: inout [Double], gradient: [Double], learningRate: Double) {
    x.withUnsafeMutableBufferPointer { xp in
      gradient.withUnsafeBufferPointer { gp in step(xp, gradient: gp, learningRate: learningRate) }
    }
  }
}

extension ParameterSpec {
  static func lr(_ defaultValue: Double) -> ParameterSpec {
    .real("lr", defaultValue, .nonNegative, "learning rate (the base rate; a schedule scales it per step)")
  }
  static func weightDecay(_ defaultValue: Double = 0, decoupled: Bool = false) -> ParameterSpec {
    .real("weight_decay", defaultValue, .nonNegative,
      decoupled ? "decoupled weight decay: x ← x·(1 − lr·wd) before the step" : "L2 penalty added to the gradient: g ← g + wd·x")
  }
  static func betas(_ b1: Double, _ b2: Double) -> ParameterSpec {
    ParameterSpec("betas", .pair(.unitHalfOpen), default: .vector([b1, b2]), "[β₁, β₂]: decay rates of the first and second moments")
  }
  /// NAdam's and RAdam's switch, as torch names it.
  static let decoupledWeightDecay = ParameterSpec.boolean(
    "decoupled_weight_decay", false, "apply weight_decay as AdamW does, x ← x·(1 − lr·wd) before the step, not to the gradient")
  static func eps(_ defaultValue: Double) -> ParameterSpec {
    .real("eps", defaultValue, .nonNegative, "added to the denominator for numerical stability (0 allowed, as in torch)")
  }
}
