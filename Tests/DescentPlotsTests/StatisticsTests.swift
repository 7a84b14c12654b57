import DescentCore
import Testing

@testable import DescentPlots

@Suite("Statistics, thinning and scales")
struct StatisticsTests {
  // Reference values from numpy 1.26: numpy.quantile(values, p) with its default (linear) method.
  @Test("Quantiles interpolate linearly between order statistics, as numpy's default does")
  func quantiles() {
    #expect(Statistics.quantile([1, 2, 3, 4], 0.25) == 1.75)
    #expect(Statistics.quantile([1, 2, 3, 4], 0.5) == 2.5)
    #expect(Statistics.quantile([1, 2, 3, 4], 0.75) == 3.25)
    #expect(Statistics.quantile([1, 2, 3, 4, 10], 0.75) == 4)
    #expect(Statistics.quantile([7], 0.25) == 7)
  }

  @Test("NaN ranks as +∞, and infinities propagate only where they are reached")
  func infinities() {
    let q = Statistics.quartiles([1, .nan, 3, .infinity])
    #expect(q.lower == 2.5)
    #expect(q.median == .infinity)
    #expect(q.upper == .infinity)
    #expect(Statistics.quartiles([.infinity, .infinity, .infinity]).median == .infinity)
  }

  @Test("Thinning a curve keeps the envelope of an oscillation and both ends")
  func envelope() {
    let values = (0..<10_000).map { Double($0 % 2 == 0 ? 1 : -1) * Double(10_000 - $0) }
    let kept = Thinning.envelope(count: values.count, bins: 100) { values[$0] }
    #expect(kept.count <= 202)
    #expect(kept.first == 0 && kept.last == 9_999)
    #expect(kept == kept.sorted())
    #expect(kept.contains { values[$0] > 0 } && kept.contains { values[$0] < 0 })
    #expect(Thinning.envelope(count: 50, bins: 100) { _ in 0 } == Array(0..<50))
  }

  @Test("Thinning a path drops points that do not move and keeps both ends")
  func path() {
    var points = (0..<100).map { [Double($0), 0] }
    points += Array(repeating: [99, 0], count: 5_000)
    points.append([99, 0])
    let kept = Thinning.path(points, scale: [100, 100])
    #expect(kept.count == 101)
    #expect(kept.first == 0 && kept.last == points.count - 1)
    let long = (0..<10_000).map { [Double($0), Double($0 % 7)] }
    #expect(Thinning.path(long, scale: [1, 1], limit: 2_000).count <= 2_001)
  }

  @Test("Suboptimality on a log axis is clamped at the floor; a run far below f* switches to f on a linear axis")
  func scales() {
    let minima = KnownMinima(value: -1, global: [[0]], unboundedBelow: true)
    let log = ValueScale(minima: minima, values: [3, -1, -1 - 1e-15])
    #expect(log.isLog)
    #expect(log.y(-1) == ValueScale.floor)
    #expect(log.y(-1 - 1e-15) == ValueScale.floor)
    #expect(log.y(1) == 2)
    #expect(log.y(.nan) == .infinity)
    let linear = ValueScale(minima: minima, values: [3, -1.5])
    #expect(!linear.isLog)
    #expect(linear.y(-1.5) == -1.5)
    #expect(linear.axisLabel.contains("linear"))
    #expect(!ValueScale(minima: .none, values: [1]).isLog)
  }

  @Test("Convergence quantiles: a converged run holds its last value, a diverged one counts as +∞ after it stops")
  func ragged() {
    let scale = ValueScale(minima: KnownMinima(value: 0, global: [[0]]), values: [])
    let long = PlotContext.Trace(steps: [0, 1, 2, 3], values: [8, 4, 2, 1], points: nil)
    let converged = PlotContext.Trace(steps: [0, 1], values: [8, 1e-3], points: nil)
    let diverged = PlotContext.Trace(steps: [0, 1], values: [8, 1e9], points: nil)
    let rows = ConvergencePlot.quartileRows(
      [(long, .none), (converged, .none), (diverged, .unrecorded)], scale: scale)
    #expect(rows.map(\.step) == [0, 1, 2, 3])
    #expect(rows.map(\.median) == [8, 4, 2, 1])
    #expect(rows[3].lower == (1e-3 + 1) / 2)
    #expect(rows[3].upper == .infinity)
    #expect(rows[1].upper == (4 + 1e9) / 2)
  }

  @Test("Convergence quantiles: a diverged run counts as +∞ from the record where it diverged, kept stepping or not; f = −∞ counts as +∞")
  func divergedFromItsStep() {
    let scale = ValueScale(minima: KnownMinima(value: 0, global: [[0]]), values: [])
    let divergent = { (f: Double) in !f.isFinite || f > 10 }
    let steady = PlotContext.Trace(steps: [0, 1, 2], values: [8, 4, 2], points: nil)
    // halt_on_divergence false: above the threshold at step 0, then back down; it stays diverged.
    let keptStepping = PlotContext.Trace(steps: [0, 1, 2], values: [20, 5, 1], points: nil)
    // Halted where it crossed the threshold: that record counts as +∞, not as its finite value.
    let halted = PlotContext.Trace(steps: [0, 1], values: [8, 50], points: nil)
    let rows = ConvergencePlot.quartileRows([(steady, .none), (keptStepping, .at(0)), (halted, .at(1))], scale: scale, divergent: divergent)
    #expect(rows.map(\.median) == [8, .infinity, .infinity])
    let infinity = Double.infinity
    let lower: [Double] = [8, infinity, infinity]  // between a finite value and +∞: +∞
    #expect(rows.map(\.lower) == lower)
    // A linear axis (f* unknown): −∞ is not finite, so +∞ (before, it made the quartiles NaN).
    let linear = ValueScale(minima: .none, values: [])
    let fell = PlotContext.Trace(steps: [0, 1], values: [0, -.infinity], points: nil)
    let other = PlotContext.Trace(steps: [0, 1], values: [1, -2], points: nil)
    let fallen = ConvergencePlot.quartileRows([(fell, .at(1)), (other, .none), (other, .none)], scale: linear)
    #expect(fallen[1].median == -2 && fallen[1].upper == .infinity && !fallen[1].lower.isNaN)
  }

  @Test("Convergence quantiles: a run that diverged between two sparse records, and came back, is +∞ from the next record")
  func divergedBetweenRecords() {
    let scale = ValueScale(minima: KnownMinima(value: 0, global: [[0]]), values: [])
    let divergent = { (f: Double) in !f.isFinite || f > 10 }
    // Recorded every 10 steps; above the threshold at step 13 only (halt_on_divergence false): no record shows it.
    let cameBack = PlotContext.Trace(steps: [0, 10, 20, 30], values: [8, 4, 2, 1], points: nil)
    let steady = PlotContext.Trace(steps: [0, 10, 20, 30], values: [8, 4, 2, 1], points: nil)
    let rows = ConvergencePlot.quartileRows([(cameBack, .at(13)), (steady, .none), (steady, .none)], scale: scale, divergent: divergent)
    #expect(rows.map(\.upper) == [8, 4, .infinity, .infinity])
    #expect(rows.map(\.median) == [8, 4, 2, 1])
    // A record from before the step was kept: the first record beyond the rule, here none but after the last.
    let old = ConvergencePlot.quartileRows([(cameBack, .unrecorded), (steady, .none), (steady, .none)], scale: scale, divergent: divergent)
    #expect(old.map(\.upper) == [8, 4, 2, 1])
    #expect(ConvergencePlot.divergedFrom(cameBack, .at(13), divergent: divergent) == 2)
    #expect(ConvergencePlot.divergedFrom(cameBack, .at(31), divergent: divergent) == 4)
    #expect(ConvergencePlot.divergedFrom(cameBack, .none, divergent: divergent) == 4)
  }

  @Test("File stems keep letters, digits and . _ = -, and nothing else")
  func stems() {
    #expect(PlotContext.fileStem("convergence-quadratic-diag=[0.2,4]") == "convergence-quadratic-diag=_0.2_4_")
    #expect(PlotContext.fileStem("a/../b c") == "a_.._b_c")
  }
}
