import Foundation

/// A learning-rate schedule: the rate for step t (0-based) from the optimizer's base `lr`.
///
/// Closed forms of torch's `lr_scheduler` classes, so any step's rate is computed directly (torch's
/// chainable schedulers update recursively and can differ from these in the last bits):
/// ```
/// constant      lr
/// step          lr·γ^⌊t/step_size⌋
/// multistep     lr·γ^(number of milestones ≤ t)
/// exponential   lr·γ^t
/// cosine        eta_min + (lr − eta_min)(1 + cos(π·t/t_max))/2   (CosineAnnealingLR: past t_max it rises
///               again, with period 2·t_max, as torch's does)
/// poly          lr·(1 − min(t, total_iters)/total_iters)^power   (PolynomialLR)
/// polynomial    lr·(1 + decay·t)^(−power)          (the seeds' decaying ηₜ; not torch's PolynomialLR)
/// warmup        × (t+1)/warmup_steps while t < warmup_steps, multiplying any of the above
/// ```
public struct Schedule: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case constant
    case step(size: Int, gamma: Double)
    case multistep(milestones: [Int], gamma: Double)
    case exponential(gamma: Double)
    case cosine(tMax: Int, etaMin: Double)
    case polynomial(decay: Double, power: Double)
    case poly(totalIters: Int, power: Double)
  }

  public var kind: Kind
  public var warmupSteps: Int

  public init(_ kind: Kind = .constant, warmupSteps: Int = 0) {
    self.kind = kind
    self.warmupSteps = warmupSteps
  }

  public static let constant = Schedule()

  public var isConstant: Bool { kind == .constant && warmupSteps == 0 }

  /// The learning rate for step `t` (0-based: the update from x_t to x_{t+1}).
  public func learningRate(base lr: Double, step t: Int) -> Double {
    var rate: Double
    switch kind {
    case .constant:
      rate = lr
    case .step(let size, let gamma):
      rate = lr * pow(gamma, Double(t / size))
    case .multistep(let milestones, let gamma):
      rate = lr * pow(gamma, Double(milestones.count { $0 <= t }))
    case .exponential(let gamma):
      rate = lr * pow(gamma, Double(t))
    case .cosine(let tMax, let etaMin):
      rate = etaMin + (lr - etaMin) * (1 + cos(Double.pi * Double(t) / Double(tMax))) / 2
    case .polynomial(let decay, let power):
      rate = lr * pow(1 + decay * Double(t), -power)
    case .poly(let totalIters, let power):
      rate = lr * pow(1 - Double(min(t, totalIters)) / Double(totalIters), power)
    }
    if t < warmupSteps { rate *= Double(t + 1) / Double(warmupSteps) }
    return rate
  }
}

extension Schedule {
  /// One schedule's name, formula and parameters, for configs, `descent list schedules` and docs.
  public struct Descriptor: Sendable {
    public var name: String
    public var formula: String
    public var parameters: [ParameterSpec]
    let make: @Sendable (Parameters) throws(Diagnostic) -> Kind
  }

  static let warmup = ParameterSpec.integer("warmup_steps", 0, 0...Int.max, "linear warm-up: the schedule's rate × (t+1)/warmup_steps while t < warmup_steps")

  /// Every schedule, one line each.
  public static let catalog: [Descriptor] = [
    Descriptor(name: "constant", formula: "lr", parameters: [warmup]) { _ in .constant },
    Descriptor(name: "step", formula: "lr·γ^⌊t/step_size⌋", parameters: [
      ParameterSpec("step_size", .integer(1...Int.max), required: true, "steps between decays"),
      .real("gamma", 0.1, .positive, "γ: multiplicative decay"), warmup,
    ]) { p in .step(size: p.integer("step_size"), gamma: p.real("gamma")) },
    Descriptor(name: "multistep", formula: "lr·γ^(milestones passed)", parameters: [
      ParameterSpec("milestones", .integers(0...Int.max), required: true, "steps at which to decay"),
      .real("gamma", 0.1, .positive, "γ: multiplicative decay"), warmup,
    ]) { p throws(Diagnostic) in
      let milestones = p.integers("milestones")!
      guard zip(milestones, milestones.dropFirst()).allSatisfy({ $0 < $1 }) else {
        throw Diagnostic(path: "milestones", "milestones must be strictly increasing")
      }
      return .multistep(milestones: milestones, gamma: p.real("gamma"))
    },
    Descriptor(name: "exponential", formula: "lr·γ^t", parameters: [
      ParameterSpec("gamma", .real(.positive), required: true, "γ: decay per step"), warmup,
    ]) { p in .exponential(gamma: p.real("gamma")) },
    Descriptor(name: "cosine", formula: "eta_min + (lr − eta_min)(1 + cos(πt/t_max))/2 (torch's CosineAnnealingLR: past t_max it rises again)", parameters: [
      ParameterSpec("t_max", .integer(1...Int.max), required: true, "steps of the half cosine, from lr down to eta_min"),
      .real("eta_min", 0, .nonNegative, "the final learning rate"), warmup,
    ]) { p in .cosine(tMax: p.integer("t_max"), etaMin: p.real("eta_min")) },
    Descriptor(name: "poly", formula: "lr·(1 − min(t, total_iters)/total_iters)^power (torch's PolynomialLR)", parameters: [
      .integer("total_iters", 5, 1...Int.max, "steps until the rate reaches 0"),
      .real("power", 1, .nonNegative, "power of the decay"), warmup,
    ]) { p in .poly(totalIters: p.integer("total_iters"), power: p.real("power")) },
    Descriptor(name: "polynomial", formula: "lr·(1 + decay·t)^(−power) (the seeds' decaying rate; torch's PolynomialLR is poly)", parameters: [
      .real("decay", 1, .nonNegative, "decay rate"),
      .real("power", 0.5, .nonNegative, "power of the decay"), warmup,
    ]) { p in .polynomial(decay: p.real("decay"), power: p.real("power")) },
  ]

  /// Decodes a `"schedule"` value: a name, or an object with `name` and the schedule's parameters.
  public static func decode(_ value: JSONValue, at path: String, diagnostics: inout Diagnostics) -> Schedule? {
    var object: JSONObject
    switch value {
    case .string(let name): object = JSONObject(); object["name"] = .string(name)
    case .object(let o): object = o
    default:
      diagnostics.report(.expected("a schedule object such as {\"name\": \"cosine\", \"t_max\": 1000}", got: value.kindDescription, at: path))
      return nil
    }
    guard case .string(let name)? = object["name"] else {
      diagnostics.report(path.key("name"), "expected the schedule's name, one of: " + catalog.map(\.name).joined(separator: ", "))
      return nil
    }
    guard let descriptor = catalog.first(where: { $0.name == name }) else {
      diagnostics.report(.unknown("schedule", name, among: catalog.map(\.name), at: path.key("name")))
      return nil
    }
    guard let parameters = descriptor.parameters.decode(object, at: path, reserved: ["name"], diagnostics: &diagnostics) else { return nil }
    do {
      return Schedule(try descriptor.make(parameters), warmupSteps: parameters.integer("warmup_steps"))
    } catch {
      diagnostics.report(Diagnostic(path: path.appending(path: error.path), error.message))
      return nil
    }
  }
}
