import DescentCore

/// Final suboptimality (log) or final f (linear) against the base learning rate for one function: one line per
/// optimizer entry — and per value of any other hyperparameter its grid sweeps — through the median over seeds,
/// with the quartiles as a band.
///
/// Drawn only where some optimizer entry tries more than one learning rate. A diverged run counts as +∞; where a
/// median or quartile is +∞ it is drawn on a dashed "diverged" line above every finite value.
enum LearningRatePlot {
  /// The highest level the diverged line is drawn at: gnuplot's axes overflow a decade further up.
  static let highestLevel = 1e308

  /// Whether some optimizer entry of `experiment` tries more than one learning rate.
  static func applies(to experiment: Experiment) -> Bool {
    Dictionary(grouping: experiment.optimizers, by: \.entryIndex).values.contains { variants in
      Set(variants.map(\.configured.learningRate)).count > 1
    }
  }

  /// One line: the settings of one optimizer entry that differ only in their learning rate.
  struct Line {
    var title: String
    var optimizers: [Int]
  }

  /// The lines of `experiment`, in the order of its optimizer entries.
  static func lines(_ experiment: Experiment) -> [Line] {
    var lines: [Line] = []
    let entries = Dictionary(grouping: experiment.optimizers.indices, by: { experiment.optimizers[$0].entryIndex })
    for entry in entries.keys.sorted() {
      let members = entries[entry]!
      func others(_ o: Int) -> [String: ParameterValue] {
        var values = experiment.optimizers[o].configured.parameters.values
        values["lr"] = nil
        return values
      }
      func schedule(_ o: Int) -> String { experiment.optimizers[o].scheduleJSON?.serialized(sortedKeys: true) ?? "" }
      // The hyperparameters besides lr whose value changes within the entry name its lines.
      let names = Set(members.flatMap { others($0).keys }).filter { name in
        Set(members.map { others($0)[name].map(\.description) ?? "" }).count > 1
      }.sorted()
      let schedules = Array(Set(members.map(schedule))).sorted()
      var groups: [(key: String, optimizers: [Int])] = []
      for o in members {
        var parts = names.map { "\($0)=\(others(o)[$0].map(\.description) ?? "default")" }
        if schedules.count > 1 { parts.append("schedule=\(schedules.firstIndex(of: schedule(o))! + 1)") }
        let key = ([experiment.optimizers[o].entryLabel] + parts).joined(separator: "-")
        if let k = groups.firstIndex(where: { $0.key == key }) { groups[k].optimizers.append(o) } else { groups.append((key, [o])) }
      }
      lines += groups.map { Line(title: $0.key, optimizers: $0.optimizers) }
    }
    return lines
  }

  static func draft(function: Int, context: PlotContext) -> PlotDraft {
    let experiment = context.experiment
    let variant = experiment.functions[function]
    let settings = context.runs[function]
    // The runs drawn: a rate of 0 has no place on the log axis, and its runs do not scale it either.
    let summaries = settings.indices.filter { experiment.optimizers[$0].configured.learningRate > 0 }.flatMap { settings[$0].map(\.summary) }
    let seedCount = Set(summaries.map(\.seed)).count
    var draft = PlotDraft(
      kind: .learningRate, name: "learning-rate-" + variant.label,
      heading: "Learning rate on \(variant.label): final value within \(experiment.steps) steps, "
        + (seedCount > 1 ? "median over \(seedCount) seeds, band 25-75 %" : "one seed"))

    // Diverged runs sit on the diverged line whatever their final f: an escape below f* on xcos does not make
    // the axis linear.
    let scale = ValueScale(minima: variant.objective.minima, values: summaries.filter { $0.status != .diverged }.map(\.finalF))
    func y(_ summary: RunSummary) -> Double { summary.status == .diverged ? .infinity : scale.y(summary.finalF) }
    let values = summaries.map(y)
    var clamp = Clamp(values)
    // Where f falls without bound (a linear axis: the saddle), one setting's −4e47 would flatten the rest
    // against 0: a thousand times the highest final value's size (at least 1) below it, a point sits on the
    // bottom edge, which the axis ends at.
    var yBottom = Double.nan, yTop = Double.nan
    if !scale.isLog, let finite = clamp {
      let level = finite.highest - 1e3 * max(abs(finite.highest), 1)
      if finite.lowest < level {
        clamp?.lowest = level
        yBottom = level
      }
    }
    // Diverged runs go on a line above every finite value: a decade up on a log axis, a tenth of the span on a
    // linear one; but not beyond 1e308, where the axis's next tic would overflow (values near the largest
    // double: the line is then drawn just above them).
    var divergedLevel = 0.0
    if let clamp, values.contains(where: { !$0.isFinite }) {
      let above = scale.isLog ? clamp.highest * 10 : clamp.highest + max(0.1 * (clamp.highest - clamp.lowest), 1)
      divergedLevel = min(above, max(Self.highestLevel, clamp.highest))
    }
    // Every final value the same, none diverged: gnuplot would widen the empty range itself, with a warning;
    // a decade (or a tenth of the value) either side is said here instead.
    if let flat = clamp, flat.lowest == flat.highest, divergedLevel == 0 {
      (yBottom, yTop) = scale.range(around: flat.lowest)
    }
    func place(_ value: Double) -> Double {
      guard let clamp else { return .nan }
      return value.isFinite ? max(value, clamp.lowest) : (value == -.infinity ? clamp.lowest : divergedLevel)
    }

    let lines = lines(experiment)
    // The axis is logarithmic: a rate of 0 has no place on it, and is said to be left off.
    var leftOff = 0, drawn = 0
    for (k, line) in lines.enumerated() {
      draft.data.beginDataSet("line \(k + 1): lr median q25 q75")
      let all = line.optimizers.map { o in (lr: experiment.optimizers[o].configured.learningRate, runs: settings[o]) }
        .filter { !$0.runs.isEmpty }
      let points = all.filter { $0.lr > 0 }.sorted { $0.lr < $1.lr }
      leftOff += all.count - points.count
      drawn += points.count
      for point in points where clamp != nil {
        let q = Statistics.quartiles(point.runs.map { y($0.summary) })
        draft.data.row(point.lr, place(q.median), place(q.lower), place(q.upper))
      }
      draft.data.endDataSet(columns: 4)
    }

    draft.variables.set("series_count", lines.count)
    draft.variables.set("series_title", keyTitles: lines.map(\.title))
    draft.variables.set("y_log", scale.isLog)
    draft.variables.set("y_label", text: "final " + scale.axisLabel)
    draft.variables.set("show_band", seedCount > 1)
    draft.variables.set("diverged_level", divergedLevel)
    draft.variables.set("y_bottom", yBottom)
    draft.variables.set("y_top", yTop)
    draft.hasData = clamp != nil && drawn > 0
    if let note = PlotContext.runNote(summaries) { draft.notes.append(note) }
    if leftOff > 0 { draft.notes.append("\(leftOff) setting\(leftOff == 1 ? "" : "s") of learning rate 0 left off the log axis") }
    return draft
  }
}
