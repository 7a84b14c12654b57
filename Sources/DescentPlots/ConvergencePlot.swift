import DescentCore

/// f − f* (log) or f (linear) against step for one function, one curve per optimizer setting: the median over
/// seeds and, with several seeds, the band between the quartiles.
///
/// Runs stop at different steps, so at each step every seed needs a value. A run that stopped early holds its last
/// value: a converged run stays where it converged, which is where it would stay. A diverged run counts as +∞ from
/// the step after its last record, and so does any non-finite value; the quantiles are then over every seed at
/// every step, and a curve that reaches +∞ is drawn along the top edge of the plot.
enum ConvergencePlot {
  /// Curves longer than this many points are thinned to the envelope of this many bins (see `Thinning.envelope`).
  static let bins = 1000

  /// With `perSample`, the x axis is samples seen (step × samples per step) rather than steps: how GD and SGD
  /// compare per single-sample gradient rather than per update. Only for finite sums.
  /// `companion` names it `convergence-samples-<function>`, drawn beside the per-step plot.
  static func draft(function: Int, context: PlotContext, traces: [Int: PlotContext.Trace], perSample: Bool = false, companion: Bool = false) -> PlotDraft {
    let experiment = context.experiment
    let variant = experiment.functions[function]
    let xScale = perSample ? Double(variant.samplesPerStep ?? 1) : 1
    let choice = context.drawn[function]
    let settings = choice.indices.map { context.runs[function][$0] }
    let summaries = settings.flatMap { $0.map(\.summary) }
    let seedCount = Set(summaries.map(\.seed)).count
    var draft = PlotDraft(
      kind: .convergence, name: (companion ? "convergence-samples-" : "convergence-") + variant.label,
      heading: "Convergence on \(variant.label)\(perSample ? " per sample seen" : ""): "
        + (seedCount > 1 ? "median over \(seedCount) seeds, band 25-75 %" : "one seed per setting"))

    let allValues = settings.joined().lazy.compactMap { traces[$0.spec.index]?.values }.joined()
    let scale = ValueScale(minima: variant.objective.minima, values: allValues)
    var clamp = Clamp(allValues.map(scale.y))
    // A diverged run's last records can be astronomically large; above a thousand times the worst start (a
    // start's distance above the best value again, on a linear axis) a curve only says "diverged", and runs
    // along the top edge.
    let starts = settings.joined().compactMap { traces[$0.spec.index]?.values.first }.map(scale.y)
    if let top = starts.filter(\.isFinite).max(), let lowest = clamp?.lowest, let highest = clamp?.highest {
      clamp?.highest = min(highest, max(scale.isLog ? top * 1e3 : top + (top - lowest), lowest))
    }

    var titles: [String] = []
    for (optimizer, runs) in zip(choice.indices, settings) {
      titles.append(context.settingTitle(optimizer, runs: runs))
      draft.data.beginDataSet("optimizer setting \(optimizer + 1): step median q25 q75")
      let curves = runs.compactMap { run in
        traces[run.spec.index].flatMap { trace in
          trace.steps.isEmpty ? nil : (trace: trace, diverged: run.summary.status == .diverged)
        }
      }
      if let clamp {
        for row in quartileRows(curves, scale: scale) {
          draft.data.row(row.step * xScale, clamp(row.median), clamp(row.lower), clamp(row.upper))
        }
      }
      draft.data.endDataSet(columns: 4)
    }

    draft.variables.set("series_count", titles.count)
    draft.variables.set("series_title", texts: titles)
    draft.variables.set("y_log", scale.isLog)
    draft.variables.set("y_label", text: scale.axisLabel)
    draft.variables.set("show_band", seedCount > 1)
    draft.variables.set("x_max", Double(max(1, experiment.steps)) * xScale)
    draft.variables.set("x_label", text: perSample ? "samples seen (single-sample gradients)" : "step")
    draft.hasData = clamp != nil
    if let note = choice.note { draft.notes.append(note) }
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

  /// Median and quartiles over `curves` at every step any of them recorded, thinned for long runs.
  static func quartileRows(_ curves: [(trace: PlotContext.Trace, diverged: Bool)], scale: ValueScale) -> [Row] {
    guard !curves.isEmpty else { return [] }
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
        values[k] = ended && curve.diverged ? .infinity : scale.y(curve.trace.values[positions[k]])
      }
      let q = Statistics.quartiles(values)
      rows.append(Row(step: step, median: q.median, lower: q.lower, upper: q.upper))
    }
    return Thinning.envelope(count: rows.count, bins: bins) { rows[$0].median }.map { rows[$0] }
  }
}
