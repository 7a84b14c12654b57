import DescentCore

/// How a plot shows a function's values: the suboptimality f − f* on a log axis where f* is known, else f itself
/// on a linear axis.
///
/// A log axis needs positive values, and f − f* can come out exactly 0 or slightly negative by rounding, so it is
/// clamped to `floor`. Where a function is unbounded below outside its domain (`xcos`), a run can leave the domain
/// and go well below f*: the runner calls that diverged, and the plots draw it so (they give this scale only
/// the values they draw as themselves). Should a value below f* reach the scale anyway, the suboptimality would
/// hide it, so the plot falls back to f on a linear axis.
struct ValueScale: Sendable {
  /// The smallest suboptimality a log axis shows; values at or below it (reached exactly, or below by rounding)
  /// are drawn there.
  static let floor = 1e-17

  /// f*, when values are drawn as f − f* on a log axis.
  var fStar: Double?
  /// Why the axis is linear, for its label.
  var linearReason: String?

  var isLog: Bool { fStar != nil }

  /// The scale for a function with `minima` whose runs produced the values `f`.
  init(minima: KnownMinima, values f: some Sequence<Double>) {
    guard let fStar = minima.value else {
      self.fStar = nil
      linearReason = minima.unboundedBelow ? "unbounded below" : "f* unknown"
      return
    }
    // Far below any rounding error of f near its minimum, far above a step's progress.
    let tolerance = 1e-9 * max(1, abs(fStar))
    if f.contains(where: { $0 == -.infinity || ($0.isFinite && $0 < fStar - tolerance) }) {
      self.fStar = nil
      linearReason = "runs went below f*, outside the domain"
    } else {
      self.fStar = fStar
      linearReason = nil
    }
  }

  /// The plotted value of `f`: clamped suboptimality on a log scale, f on a linear one. NaN becomes +∞ (a run
  /// that stopped being finite is as bad as it gets); infinities stay, for `Clamp` to place at the plot's edge.
  func y(_ f: Double) -> Double {
    if f.isNaN { return .infinity }
    guard let fStar else { return f }
    let s = f - fStar
    return s.isNaN ? .infinity : max(s, Self.floor)
  }

  /// A y range around one plotted value `v`, for plots whose values are all `v` (gnuplot would widen an empty
  /// range itself, with a warning): a decade either side on a log axis, a tenth of `v` (or 1 at 0) on a linear one.
  func range(around v: Double) -> (low: Double, high: Double) {
    if isLog { return (v / 10, v * 10) }
    return v == 0 ? (-1, 1) : (v - abs(v) / 10, v + abs(v) / 10)
  }

  /// The y axis label.
  var axisLabel: String {
    if isLog { return "f - f*  (log scale)" }
    return "f  (linear scale: \(linearReason ?? "f* unknown"))"
  }
}

/// Where infinite values are drawn: at the largest (or smallest) finite value of the plot, so a diverged run's
/// curve runs along the top edge instead of vanishing.
struct Clamp {
  var lowest: Double
  var highest: Double

  /// The range of the finite values, or `nil` if there are none.
  init?(_ values: some Sequence<Double>) {
    var lowest = Double.infinity, highest = -Double.infinity
    for v in values where v.isFinite {
      lowest = min(lowest, v)
      highest = max(highest, v)
    }
    guard lowest <= highest else { return nil }
    self.lowest = lowest
    self.highest = highest
  }

  /// `value` moved into `lowest...highest`, NaN to `highest`.
  func callAsFunction(_ value: Double) -> Double {
    value.isNaN ? highest : min(max(value, lowest), highest)
  }
}
