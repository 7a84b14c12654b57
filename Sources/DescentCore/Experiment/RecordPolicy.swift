import Foundation

/// Which steps a trajectory keeps. Step 0 and the last step are always kept (except with `none`,
/// which writes no trajectory at all; the summary is still complete).
public enum RecordPolicy: Sendable, Equatable {
  case every
  case everyK(Int)
  /// About `n` log-spaced steps.
  case log(Int)
  case none

  /// `allowsNone`: whether `"none"` is one of the policies offered (the `evaluate` key has no such policy).
  public static func decode(_ value: JSONValue, at path: String, diagnostics: inout Diagnostics, allowsNone: Bool = true) -> RecordPolicy? {
    let expected = allowsNone ? #""every", {"every": k}, {"log": n} or "none""# : #""every", {"every": k} or {"log": n}"#
    switch value {
    case .string("every"): return .every
    case .string("none"): return RecordPolicy.none
    case .object(let o):
      guard case .found(let key, let count) = o.soleKey(among: ["every", "log"], expected: expected, required: true, at: path, diagnostics: &diagnostics) else {
        return nil
      }
      guard case .number(let n) = count, n == n.rounded(), n >= 1, n <= 1e9 else {
        diagnostics.report(.expected("a whole number in [1, 1000000000]", got: count.kindDescription == "a number" ? JSONValue.format(count.numberValue!) : count.kindDescription, at: path.key(key)))
        return nil
      }
      return key == "every" ? .everyK(Int(n)) : .log(Int(n))
    default:
      diagnostics.report(.expected(expected, got: value.quotedOrKind, at: path))
      return nil
    }
  }

  /// The recorded steps of a run of `steps` steps, for sparse policies; `nil` means "decide per step".
  public func plannedSteps(total steps: Int) -> [Int]? {
    guard case .log(let n) = self else { return nil }
    var chosen = Set([0, steps])
    if steps > 0, n > 1 {
      let top = Foundation.log10(Double(steps))
      // The points grow fastest at the top, by less than steps · top · ln 10 / (n − 1); once that is under
      // one step, rounding them hits every step from 1 to `steps`: the same set, without n evaluations (a
      // 20-step run asked for a billion points took 39 s).
      if Double(n - 1) > Double(steps) * top * 2.302_585_093 { return Array(0...steps) }
      for i in 0..<n { chosen.insert(Int((pow(10, top * Double(i) / Double(n - 1))).rounded())) }
    }
    return chosen.filter { $0 <= steps }.sorted()
  }

  public var writesTrajectory: Bool { self != .none }

  /// At most how many rows a run of `steps` steps records (it records fewer if it stops early): every step
  /// from 0 to `steps`, or every k-th and the last; `nil` for log spacing, whose few rows are not worth
  /// counting here.
  public func maximumRows(steps: Int) -> Int? {
    switch self {
    case .every: steps + 1
    case .everyK(let k): steps / k + 2
    case .log: nil
    case .none: 0
    }
  }

  /// Decodes the `evaluate` key: a policy as for `record`, but not `"none"`.
  static func decodeEvaluation(_ value: JSONValue, at path: String, diagnostics: inout Diagnostics) -> RecordPolicy? {
    if case .string("none") = value {
      diagnostics.report(.expected(#""every", {"every": k} or {"log": n} (a run with stochastic gradients is always evaluated at its first and last step at least)"#, got: #""none""#, at: path))
      return nil
    }
    return decode(value, at: path, diagnostics: &diagnostics, allowsNone: false)
  }
}

/// Walks a policy's steps in increasing order: `isDue(t)` for t = 0, 1, 2, … (never decreasing; a step may
/// be asked about twice, and steps may be skipped).
struct StepClock {
  let policy: RecordPolicy
  let planned: [Int]
  var next = 0

  init(_ policy: RecordPolicy, planned: [Int]?) {
    self.policy = policy
    self.planned = planned ?? []
  }

  mutating func isDue(_ t: Int) -> Bool {
    switch policy {
    case .every: return true
    case .everyK(let k): return t % k == 0
    case .log:
      while next < planned.count, planned[next] < t { next += 1 }
      return next < planned.count && planned[next] == t
    case .none: return false
    }
  }
}

/// Early stops. A run stops `converged` when ‖∇f‖ or f − f* falls to its threshold, and `diverged` when
/// f exceeds `divergence` or any value is not finite (that check is always on).
public struct StopRules: Sendable, Equatable {
  public var gradientNorm: Double?
  public var suboptimality: Double?
  public var divergence: Double?
  /// Stop a run when it diverges (the default). With `false` the run is still marked `diverged` at the
  /// step it happened, but takes every step, letting non-finite values propagate as torch would; the
  /// sweep-2d yardstick needs this so that every implementation does the same work.
  public var haltOnDivergence: Bool

  public init(gradientNorm: Double? = nil, suboptimality: Double? = nil, divergence: Double? = nil, haltOnDivergence: Bool = true) {
    self.gradientNorm = gradientNorm
    self.suboptimality = suboptimality
    self.divergence = divergence
    self.haltOnDivergence = haltOnDivergence
  }

  /// Whether a value f marks a run diverged, as the runners judge it (they also judge ‖∇f‖ not finite):
  /// not finite, above `divergence`, or below `escapeBelow` (`KnownMinima.escapeBelow`). For readers of a
  /// trajectory, such as the plots, which must find the record where a run diverged.
  public func isDivergent(_ f: Double, escapeBelow: Double) -> Bool {
    !f.isFinite || f > (divergence ?? .infinity) || f < escapeBelow
  }

  static let specs: [ParameterSpec] = [
    .real("grad_norm", nil, .nonNegative, "stop (converged) when ‖∇f‖ ≤ this"),
    .real("suboptimality", nil, .nonNegative, "stop (converged) when f − f* ≤ this"),
    .real("divergence", nil, .finite, "stop (diverged) when f > this"),
    .boolean("halt_on_divergence", true, "stop a diverged run (false: mark it diverged but take every step)"),
  ]

  public static func decode(_ value: JSONValue, at path: String, diagnostics: inout Diagnostics) -> StopRules? {
    guard case .object(let o) = value else {
      diagnostics.report(.expected(#"an object such as {"grad_norm": 1e-10}"#, got: value.kindDescription, at: path))
      return nil
    }
    guard let p = specs.decode(o, at: path, diagnostics: &diagnostics) else { return nil }
    return StopRules(gradientNorm: p.optionalReal("grad_norm"), suboptimality: p.optionalReal("suboptimality"),
                     divergence: p.optionalReal("divergence"), haltOnDivergence: p.boolean("halt_on_divergence"))
  }
}
