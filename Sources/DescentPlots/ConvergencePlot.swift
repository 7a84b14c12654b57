import DescentCore

/// f − f* (log) or f (linear) against step for one function, one curve per optimizer setting: the median over
/// seeds and, with several seeds, the band between the quartiles.
///
/// Runs stop at different steps, so at each step every seed needs a value. A run that stopped early holds its last
/// value: a converged run stays where it converged, which is where it would stay. A diverged run counts as +∞ from
/// the record where it diverged (kept stepping, with `halt_on_divergence: false`, it stays diverged), and so does
/// any non-finite value; the quantiles (linear interpolation, numpy's default) are then over every seed at every
/// step, and a curve that reaches +∞ is drawn along the top edge of the plot.
///
/// The same drawing compares gradient oracles (`comparisonDraft`): the function variants of one objective that
/// differ only in `batch_size`, `sampling` or `gradient_noise` (batch GD, SGD, minibatches), every drawn setting
/// of each in one plot, coloured by optimizer setting and dashed by variant.
enum ConvergencePlot {
  /// Curves longer than this many points are thinned to the envelope of this many bins (see `Thinning.envelope`).
  static let bins = 1000

  /// One curve: the runs of one function variant with one optimizer setting.
  struct Series {
    var function: Int
    var optimizer: Int
    var title: String
    /// The colour (`series_color`) and dash pattern of its line, from 1.
    var hue: Int
    var dash: Int
  }

  /// With `perSample`, the x axis is samples seen (step × samples per step) rather than steps: how GD and SGD
  /// compare per single-sample gradient rather than per update. Only for finite sums.
  /// `companion` names it `convergence-samples-<function>`, drawn beside the per-step plot.
  static func draft(function: Int, context: PlotContext, traces: [Int: PlotContext.Trace], perSample: Bool = false, companion: Bool = false) -> PlotDraft {
    let variant = context.experiment.functions[function]
    let choice = context.drawn[function]
    let series = choice.indices.enumerated().map { position, optimizer in
      Series(function: function, optimizer: optimizer, title: context.settingTitle(optimizer, runs: context.runs[function][optimizer]),
             hue: position % 12 + 1, dash: position / 12 + 1)
    }
    return draft(
      name: (companion ? "convergence-samples-" : "convergence-") + variant.label,
      heading: "Convergence on \(variant.label)\(perSample ? " per sample seen" : "")",
      series: series, note: choice.note, context: context, traces: traces, perSample: perSample)
  }

  /// The variants `group` of one objective (`PlotContext.comparisons`) in one plot: each variant's drawn settings,
  /// titled "variant: setting", the colour saying the setting and the dash the variant. Per sample seen, the
  /// x axis is logarithmic: a full pass of n samples a step and SGD's one are orders of magnitude apart.
  static func comparisonDraft(group: [Int], context: PlotContext, traces: [Int: PlotContext.Trace], perSample: Bool) -> PlotDraft {
    let experiment = context.experiment
    let optimizers = Set(group.flatMap { context.drawn[$0].indices }).sorted()
    var candidates: [Series] = []
    for (k, function) in group.enumerated() {
      for optimizer in context.drawn[function].indices {
        let title = experiment.functions[function].label + ": " + context.settingTitle(optimizer, runs: context.runs[function][optimizer])
        let hue = optimizers.firstIndex(of: optimizer)!
        candidates.append(Series(function: function, optimizer: optimizer, title: title, hue: hue % 12 + 1, dash: k + 1))
      }
    }
    let fStar = experiment.functions[group[0]].objective.minima.value
    let choice = PlotContext.SettingChoice(count: candidates.count, criterion: fStar == nil ? "median final f" : "median final f - f*") { i in
      context.medianFinal(function: candidates[i].function, optimizer: candidates[i].optimizer).map { ($0, 0) }
    }
    let labels = group.map { experiment.functions[$0].label }.joined(separator: ", ")
    return draft(
      name: (perSample ? "compare-samples-" : "compare-") + experiment.functions[group[0]].name,
      heading: "Gradient oracles compared on \(experiment.functions[group[0]].name) (\(labels))\(perSample ? " per sample seen" : "")",
      series: choice.indices.map { candidates[$0] }, note: choice.note.map { $0.replacingOccurrences(of: "settings", with: "curves") },
      context: context, traces: traces, perSample: perSample, logX: perSample)
  }

  /// The plot of `series`, which share one objective (their function variants' values are drawn on one scale).
  static func draft(name: String, heading: String, series: [Series], note: String?, context: PlotContext,
                    traces: [Int: PlotContext.Trace], perSample: Bool, logX: Bool = false) -> PlotDraft {
    let experiment = context.experiment
    let settings = series.map { context.runs[$0.function][$0.optimizer] }
    let xScales = series.map { perSample ? Double(experiment.functions[$0.function].samplesPerStep ?? 1) : 1 }
    let summaries = settings.flatMap { $0.map(\.summary) }
    let seedCount = Set(summaries.map(\.seed)).count
    var draft = PlotDraft(
      kind: .convergence, name: name,
      heading: heading + ": " + (seedCount > 1 ? "median over \(seedCount) seeds, band 25-75 %" : "one seed per setting"))

    let minima = series.first.map { experiment.functions[$0.function].objective.minima } ?? KnownMinima(value: nil, global: [])
    // The runner's divergence rule, to find the record where a diverged run diverged.
    let (stop, escape) = (experiment.stop, minima.escapeBelow)
    let divergent = { (f: Double) in stop.isDivergent(f, escapeBelow: escape) }
    // The values drawn as themselves: a diverged run's from the record where it diverged count as +∞, so they
    // choose neither the scale (an escape below f* on xcos is drawn as diverged, not as a linear axis) nor the range.
    let allValues = settings.joined().lazy.compactMap { run in
      traces[run.spec.index].map { trace in
        trace.values.prefix(divergedFrom(trace, Divergence(run.summary), divergent: divergent))
      }
    }.joined()
    let scale = ValueScale(minima: minima, values: allValues)
    var clamp = Clamp(allValues.map(scale.y))
    // A diverged run's last records can be astronomically large; above a thousand times the worst start (a
    // start's distance above the best value again, on a linear axis) a curve only says "diverged", and runs
    // along the top edge.
    let starts = settings.joined().compactMap { traces[$0.spec.index]?.values.first }.map(scale.y).filter(\.isFinite)
    // Where f falls without bound (a linear axis, f* unknown: the saddle), a run can run off to −1e308 and flatten
    // every other curve against 0; a thousand times the starts' spread below the lowest start, a curve runs along
    // the bottom edge instead (and the axis ends there: gnuplot cannot place ticks near the largest double).
    var yBottom = Double.nan
    // Whether a curve or band reaches past the top (a diverged run, +∞), or the range is set flat: the y axis then
    // ends exactly there, so that part runs along the top edge rather than along a made-up value below it.
    var clampedTop = false
    if !scale.isLog, let low = starts.min(), let high = starts.max(), let lowest = clamp?.lowest {
      let level = low - 1e3 * max(high - low, abs(low), 1)
      if lowest < level {
        clamp?.lowest = level
        yBottom = level
      }
    }
    if let top = starts.max(), let lowest = clamp?.lowest, let highest = clamp?.highest {
      clamp?.highest = min(highest, max(scale.isLog ? top * 1e3 : top + (top - lowest), lowest))
    }
    // Every finite value the same (runs that all stopped at their start, say): gnuplot would widen the empty range
    // itself, with a warning; a decade (or a tenth of the value) either side is said here instead.
    if let flat = clamp, flat.lowest == flat.highest {
      let (low, high) = scale.range(around: flat.lowest)
      if low.isFinite && high.isFinite {
        yBottom = low
        clamp?.highest = high
        clampedTop = true
      }
    }

    // Curves of a single row (every run stopped at step 0) are drawn as points: a line needs two.
    var singles: [Int] = []
    for (i, (s, runs)) in zip(series, settings).enumerated() {
      draft.data.beginDataSet("function setting \(s.function + 1), optimizer setting \(s.optimizer + 1): x median q25 q75")
      let curves = runs.compactMap { run in
        traces[run.spec.index].flatMap { trace in
          trace.steps.isEmpty ? nil : (trace: trace, divergence: Divergence(run.summary))
        }
      }
      if let clamp {
        // A log x axis has no 0: the start (step 0) is left out there.
        let rows = quartileRows(curves, scale: scale, divergent: divergent).filter { !logX || $0.step > 0 }
        for row in rows {
          if !(row.upper <= clamp.highest) { clampedTop = true }
          draft.data.row(row.step * xScales[i], clamp(row.median), clamp(row.lower), clamp(row.upper))
        }
        if rows.count == 1 { singles.append(i) }
      }
      draft.data.endDataSet(columns: 4)
    }

    draft.variables.set("series_count", series.count)
    draft.variables.set("series_title", keyTitles: series.map(\.title))
    draft.variables.set("series_hue", integers: series.map(\.hue))
    draft.variables.set("series_line", integers: series.map(\.dash))
    draft.variables.set("y_log", scale.isLog)
    draft.variables.set("y_top", clampedTop ? clamp?.highest ?? .nan : .nan)
    draft.variables.set("y_bottom", yBottom)
    draft.variables.set("single_count", singles.count)
    draft.variables.set("single_index", integers: singles)
    draft.variables.set("y_label", text: scale.axisLabel)
    draft.variables.set("show_band", seedCount > 1)
    draft.variables.set("x_log", logX)
    let xMax = Double(max(1, experiment.steps)) * (xScales.max() ?? 1)
    // A point at step 0 would sit on the left edge, half hidden (in text, wholly under the border).
    draft.variables.set("x_min", logX ? xScales.min() ?? 1 : singles.isEmpty ? 0 : -xMax / 50)
    draft.variables.set("x_max", xMax)
    draft.variables.set("x_label", text: perSample ? "samples seen (single-sample gradients)" : "step")
    draft.hasData = clamp != nil
    if let note { draft.notes.append(note) }
    if let note = PlotContext.runNote(summaries) {
      draft.notes.append(note)
    } else if !experiment.record.writesTrajectory {
      draft.notes.append("no trajectories recorded")
    } else if clamp == nil {
      draft.notes.append("no finite values")
    }
    return draft
  }

  struct Row {
    var step: Double
    var median: Double
    var lower: Double
    var upper: Double
  }

  /// Whether and where a run diverged, as its summary says.
  enum Divergence: Equatable {
    case none
    /// First found diverged at this step.
    case at(Int)
    /// Diverged, in a record written before the step was kept.
    case unrecorded

    init(_ summary: RunSummary) {
      self = summary.status != .diverged ? .none : summary.divergedAt.map { .at($0) } ?? .unrecorded
    }
  }

  /// The index of a run's first record that counts as +∞ (`trace.steps.count`: none; a diverged run's curve is
  /// still +∞ after its last record): the record at the step it was found diverged, or the first after it
  /// (a sparse `record`); for a record without that step, the first record where `divergent` holds of f (the
  /// runner's rule: beyond the threshold, not finite, escaped below f*).
  static func divergedFrom(_ trace: PlotContext.Trace, _ divergence: Divergence, divergent: (Double) -> Bool) -> Int {
    switch divergence {
    case .none: trace.steps.count
    case .at(let step): trace.steps.firstIndex { $0 >= Double(step) } ?? trace.steps.count
    case .unrecorded: trace.values.firstIndex(where: divergent) ?? trace.steps.count
    }
  }

  /// Median and quartiles over `curves` at every step any of them recorded, thinned for long runs.
  ///
  /// A diverged run counts as +∞ from its record at the step it was found diverged (`diverged_at`), or the
  /// first record after it, or else after its last record. Kept stepping (`halt_on_divergence: false`), it
  /// stays diverged there, as its summary, the learning-rate plot and the data profile have it, even where a
  /// sparse `record` kept no row at which it was beyond the rule. Any other value whose scale is not finite
  /// (f = −∞ on a linear axis) counts as +∞ too.
  static func quartileRows(_ curves: [(trace: PlotContext.Trace, divergence: Divergence)], scale: ValueScale,
                           divergent: (Double) -> Bool = { !$0.isFinite }) -> [Row] {
    guard !curves.isEmpty else { return [] }
    let firstInfinite = curves.map { divergedFrom($0.trace, $0.divergence, divergent: divergent) }
    let steps = Set(curves.flatMap(\.trace.steps)).filter(\.isFinite).sorted()
    var positions = [Int](repeating: 0, count: curves.count)
    var rows: [Row] = []
    rows.reserveCapacity(steps.count)
    var values = [Double](repeating: 0, count: curves.count)
    for step in steps {
      for (k, curve) in curves.enumerated() {
        let recorded = curve.trace.steps
        while positions[k] + 1 < recorded.count && recorded[positions[k] + 1] <= step { positions[k] += 1 }
        let ended = step > recorded[recorded.count - 1]
        let y = scale.y(curve.trace.values[positions[k]])
        values[k] = (ended && curve.divergence != .none) || positions[k] >= firstInfinite[k] || !y.isFinite ? .infinity : y
      }
      let q = Statistics.quartiles(values)
      rows.append(Row(step: step, median: q.median, lower: q.lower, upper: q.upper))
    }
    return Thinning.envelope(count: rows.count, bins: bins) { rows[$0].median }.map { rows[$0] }
  }
}
