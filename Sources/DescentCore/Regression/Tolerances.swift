/// How much worse a convergence metric may get before `descent check` calls it a regression.
///
/// Every metric has a direction (fewer steps, smaller suboptimality, a better status and minimum are
/// better). A change counts only beyond its tolerance, in either direction, so the same rules find
/// regressions and improvements:
///
/// ```
/// steps, steps_to_<target>:   |new − old| > max(stepsRelative · old, stepsAbsolute)
///                             (reached before and not now is always a regression)
/// final/best_suboptimality:   max(new, floor) > factor · max(old, floor)       (worse)
///                             max(old, floor) > factor · max(new, floor)       (better)
/// final_f, best_f (f* unknown):  new − old > max(valueRelative · |old|, floor)  (worse; better the other way)
/// ```
/// Values below `floor` count as `floor`, so noise at machine precision never fails; `nan` counts as
/// `+inf`. Status and minimum have no tolerance: converged → max_steps, anything → diverged, and
/// global → local → none are regressions.
///
/// The defaults are `Tolerances()`; `descent check --help` prints them from here.
public struct Tolerances: Sendable, Equatable {
  /// Relative slack on step counts (0.10 = 10 % of the baseline's count).
  public var stepsRelative: Double = 0.10
  /// Absolute slack on step counts, in steps.
  public var stepsAbsolute: Int = 5
  /// How many times larger a suboptimality must get to count.
  public var factor: Double = 10
  /// Suboptimalities below this count as this.
  public var floor: Double = 1e-12
  /// Where f* is unknown, f itself is compared: it may get worse by this fraction of its baseline value.
  public var valueRelative: Double = 0.01

  public init() {}

  public init(stepsRelative: Double, stepsAbsolute: Int, factor: Double, floor: Double, valueRelative: Double = 0.01) {
    self.stepsRelative = stepsRelative
    self.stepsAbsolute = stepsAbsolute
    self.factor = factor
    self.floor = floor
    self.valueRelative = valueRelative
  }

  /// Why these tolerances are unusable, or `nil`.
  public var problem: String? {
    if !(stepsRelative >= 0 && stepsRelative.isFinite) { return "--steps-rel must be a finite number ≥ 0, got \(stepsRelative)" }
    if stepsAbsolute < 0 { return "--steps-abs must be ≥ 0, got \(stepsAbsolute)" }
    if !(factor >= 1 && factor.isFinite) { return "--factor must be a finite number ≥ 1, got \(factor)" }
    if !(floor >= 0 && floor.isFinite) { return "--floor must be a finite number ≥ 0, got \(floor)" }
    if !(valueRelative >= 0 && valueRelative.isFinite) { return "--f-rel must be a finite number ≥ 0, got \(valueRelative)" }
    return nil
  }

  /// Compares step counts; `.infinity` means "not reached".
  public func compareSteps(old: Double, new: Double) -> Change {
    if old == new { return .same }
    if new.isInfinite { return .worse }
    if old.isInfinite { return .better }
    let slack = Swift.max(stepsRelative * old, Double(stepsAbsolute)) * Self.rounding
    if new - old > slack { return .worse }
    if old - new > slack { return .better }
    return .same
  }

  /// Compares suboptimalities (f − f*), clamped below at `floor`; `nan` counts as `+inf`.
  public func compareSuboptimality(old: Double, new: Double) -> Change {
    let (a, b) = (clamped(old), clamped(new))
    if a == b { return .same }
    if b > factor * a * Self.rounding { return .worse }
    if a > factor * b * Self.rounding { return .better }
    return .same
  }

  /// Compares values of f where f* is unknown (lower is better): beyond `valueRelative` of the baseline's |f|,
  /// and beyond `floor`; `nan` counts as `+inf`.
  public func compareValue(old: Double, new: Double) -> Change {
    let (a, b) = (old.isNaN ? .infinity : old, new.isNaN ? .infinity : new)
    if a == b { return .same }
    if a.isInfinite || b.isInfinite { return b > a ? .worse : .better }
    let slack = Swift.max(valueRelative * abs(a), floor) * Self.rounding
    if b - a > slack { return .worse }
    if a - b > slack { return .better }
    return .same
  }

  /// Each limit is widened by this factor: a change of exactly the tolerance (1e-6 → 1e-5 at 10×, where
  /// 10 × 1e-6 rounds to 9.999999999999999e-6) is not "more than" it because of the rounding of the limit.
  static let rounding = 1 + 1e-12

  /// A suboptimality as compared: `nan` → `+inf`, and at least `floor`.
  func clamped(_ x: Double) -> Double { x.isNaN ? .infinity : Swift.max(x, floor) }

  /// One line for reports.
  public var summary: String {
    "steps worse by more than \(Self.percent(stepsRelative)) and more than \(stepsAbsolute) step\(stepsAbsolute == 1 ? "" : "s"); "
      + "suboptimality worse by more than \(JSONValue.format(factor))× and above \(NumberText.format(floor)); "
      + "f (f* unknown) worse by more than \(Self.percent(valueRelative))"
  }

  /// `10 %`, `12.5 %`; any `--steps-rel` is spelled out, however large (a whole number converted to `Int`
  /// once trapped beyond Int.max).
  static func percent(_ x: Double) -> String { NumberText.readable(x * 100) + " %" }
}

/// The direction of a change in one metric, beyond its tolerance.
public enum Change: Sendable, Equatable {
  case same, worse, better
}
