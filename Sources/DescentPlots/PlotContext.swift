import DescentCore
import Dispatch
import Foundation
import Synchronization

/// A results directory arranged for plotting: runs grouped by function and optimizer setting, trajectories read
/// on demand, and the texts every plot shares.
struct PlotContext: Sendable {
  let results: LoadedResults
  /// `runs[function][optimizer]`: the completed runs of each function variant and optimizer setting, in seed
  /// order. A function variant without completed runs has no settings here (`runs[function]` is empty), so a
  /// `config.json` planning 10⁴ × 10⁴ settings costs what its completed runs do.
  let runs: [[[(spec: RunSpec, summary: RunSummary)]]]
  /// The function variants with completed runs, in config order: only they get plots of their own (an
  /// interrupted sweep's later functions, or a config claiming thousands, would give plots with nothing in them).
  let plotted: [Int]
  /// The seed whose trajectories the landscapes draw: seed 0 when the experiment has it, else its first seed.
  let pathSeed: Int
  /// How many threads read trajectories.
  let jobs: Int
  /// `drawn[function]`: the settings the plots of one function draw a curve or panel for.
  let drawn: [SettingChoice]
  /// The settings the data profile draws.
  let drawnInProfile: SettingChoice
  /// Groups of plotted function variants (two or more, in config order) with one objective that differ in their
  /// gradient oracle: batch GD, SGD and minibatches of one finite sum, or a function with and without gradient
  /// noise. Each group gets a plot comparing them (`ConvergencePlot.comparisonDraft`).
  let comparisons: [[Int]]
  /// `settingLabels[optimizer]`: the setting's label as keys show it (`OptimizerVariant.shortLabels`).
  let settingLabels: [String]

  var experiment: Experiment { results.experiment }

  init(results: LoadedResults, jobs: Int) {
    self.results = results
    self.jobs = max(1, jobs)
    let experiment = results.experiment
    var runs = [[[(spec: RunSpec, summary: RunSummary)]]](repeating: [], count: experiment.functions.count)
    for (spec, summary) in results.runs {
      if runs[spec.function].isEmpty { runs[spec.function] = Array(repeating: [], count: experiment.optimizers.count) }
      runs[spec.function][spec.optimizer].append((spec, summary))
    }
    self.runs = runs
    let plotted = experiment.functions.indices.filter { !runs[$0].isEmpty }
    self.plotted = plotted
    drawn = experiment.functions.indices.map { f in
      if runs[f].isEmpty { return SettingChoice(indices: []) }
      let fStar = experiment.functions[f].objective.minima.value
      return SettingChoice(count: experiment.optimizers.count, criterion: fStar == nil ? "median final f" : "median final f - f*") { o in
        Self.medianFinal(runs[f][o], fStar: fStar).map { ($0, 0) }
      }
    }
    comparisons = Self.comparisons(of: plotted, in: experiment)
    settingLabels = OptimizerVariant.shortLabels(experiment.optimizers)
    let profiled = plotted.filter { experiment.functions[$0].objective.minima.value != nil }
    // The profile draws each setting's fraction of (run, target) pairs solved, so that is what ranks them; of two
    // settings with the same fraction (an interrupted sweep's), the one with more runs behind it goes first.
    drawnInProfile = SettingChoice(count: experiment.optimizers.count, criterion: "fraction of (run, target) pairs solved") { o in
      let runs = profiled.flatMap { runs[$0][o] }
      let pairs = runs.reduce(0) { $0 + $1.summary.stepsToTarget.count }
      guard pairs > 0 else { return nil }
      let solved = runs.reduce(0) { $0 + $1.summary.stepsToTarget.count { $0 != nil } }
      return (-Double(solved) / Double(pairs), -Double(solved))
    }
    pathSeed = experiment.seeds.contains(0) ? 0 : (experiment.seeds.first ?? 0)
  }

  /// The median over seeds of a setting's final f − f* (f where f* is unknown), a diverged or non-finite run
  /// counting as +∞; `nil` without runs. Lower is better: how plots choose which settings to draw.
  static func medianFinal(_ runs: [(spec: RunSpec, summary: RunSummary)], fStar: Double?) -> Double? {
    runs.isEmpty ? nil : Statistics.quartiles(runs.map { run in
      let s = run.summary
      let y = s.finalF - (fStar ?? 0)
      return s.status == .diverged || !y.isFinite ? .infinity : y
    }).median
  }

  func medianFinal(function: Int, optimizer: Int) -> Double? {
    Self.medianFinal(runs[function][optimizer], fStar: experiment.functions[function].objective.minima.value)
  }

  /// The variants of `plotted` that share an objective and a start (the function's name, its parameters with the
  /// oracle keys aside, and where runs start) and do not all share one oracle, grouped in config order.
  static func comparisons(of plotted: [Int], in experiment: Experiment) -> [[Int]] {
    var groups: [String: [Int]] = [:]
    var order: [String] = []
    for f in plotted {
      let variant = experiment.functions[f]
      var parameters = variant.parameters
      for key in GradientOracle.keys { parameters[key] = nil }
      let key = variant.name + "\u{0}" + JSONValue.object(parameters).serialized(sortedKeys: true) + "\u{0}" + String(describing: variant.start)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(f)
    }
    return order.compactMap { key in
      let group = groups[key]!
      let oracles = group.map { experiment.functions[$0].oracle }
      return oracles.contains { $0 != oracles[0] } ? group : nil
    }
  }

  /// The second line of every title: the experiment's name and description, and how many runs are missing.
  var experimentLine: String {
    var line = experiment.name
    // Line breaks and other controls become spaces, as `GnuplotString.quoted` would make them: a title line is one line.
    let description = experiment.description.map { text in
      String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        .trimmingCharacters(in: .whitespaces)
    }
    if let description, !description.isEmpty {
      // A title is one line of a picture; a long description is cut short.
      line += ": " + (description.count > 110 ? String(description.prefix(109)) + "…" : description)
    }
    if results.missingCount > 0 {
      line += "  (\(results.missingCount) of \(experiment.runCount) runs missing)"
    }
    return line
  }

  /// The optimizer settings a plot draws: all of them, or, when there are more than `maximum`, the best by a
  /// criterion. More curves than 12 colours × 2 dashes cannot be told apart, and gnuplot takes minutes over a
  /// key of thousands (a dense learning-rate sweep); the learning-rate plot still shows every setting.
  struct SettingChoice: Sendable {
    static let maximum = 24
    /// Indices into the experiment's optimizer settings, in config order.
    var indices: [Int]
    /// Says which settings were chosen when not all are drawn.
    var note: String?

    init(indices: [Int], note: String? = nil) {
      self.indices = indices
      self.note = note
    }

    /// `score(setting)`: lower is better, compared first by `primary`, then by `secondary`; `nil` when the
    /// setting has no runs (never chosen over one that has). Ties go to the setting listed first.
    init(count: Int, criterion: String, maximum: Int = Self.maximum, score: (Int) -> (primary: Double, secondary: Double)?) {
      guard count > maximum else {
        indices = Array(0..<count)
        return
      }
      let scored = (0..<count).compactMap { o in score(o).map { (setting: o, score: $0) } }
      let best = scored.sorted {
        ($0.score.primary, $0.score.secondary, $0.setting) < ($1.score.primary, $1.score.secondary, $1.setting)
      }.prefix(maximum)
      indices = best.map(\.setting).sorted()
      note = scored.count <= maximum
        ? "showing the \(scored.count) of \(count) settings with runs"
        : "showing the \(maximum) best of \(count) settings by \(criterion)"
    }
  }

  /// The key title of an optimizer setting: its label (the entry's label and the values of its swept
  /// hyperparameters, shortened as `settingLabels` says), with how many of its runs diverged, and how many it has
  /// when that is fewer than the `planned` (one function's seeds by default): an interrupted sweep's medians are
  /// over fewer runs.
  func settingTitle(_ optimizer: Int, runs: [(spec: RunSpec, summary: RunSummary)], planned: Int? = nil) -> String {
    let label = settingLabels[optimizer]
    if runs.isEmpty { return label + " (no runs)" }
    let planned = planned ?? experiment.seeds.count
    var notes: [String] = []
    let diverged = runs.count { $0.summary.status == .diverged }
    if diverged > 0 { notes.append("\(diverged)/\(runs.count) diverged") }
    if runs.count < planned { notes.append("\(runs.count) of \(planned) runs") }
    return notes.isEmpty ? label : label + " (" + notes.joined(separator: ", ") + ")"
  }

  /// What a landscape plot of one function draws over the landscape, 1-D or 2-D alike: the optimizer settings
  /// chosen for it, each with its key title and its run of the path seed.
  struct SeedPaths {
    /// The settings drawn, and why those when not all are.
    let choice: SettingChoice
    /// Key titles, one per drawn setting.
    let titles: [String]
    /// The trace of each drawn setting's run of the path seed; `nil` where that run is missing or recorded
    /// no iterates.
    let traces: [Trace?]
    /// Every run of the drawn settings.
    let summaries: [RunSummary]

    /// The notes a landscape plot's title ends with: f not finite where it is drawn, which settings were
    /// chosen, and no runs, all diverged or no iterates.
    func notes(hasData: Bool) -> [String] {
      var notes: [String] = []
      if !hasData { notes.append("f is not finite on the domain") }
      if let note = choice.note { notes.append(note) }
      if let note = PlotContext.runNote(summaries) { notes.append(note) }
      else if traces.allSatisfy({ $0 == nil }) { notes.append("no iterates recorded") }
      return notes
    }
  }

  /// The settings a landscape plot of `function` draws, with the traces of their runs of the path seed taken
  /// from `traces` (by run index).
  func seedPaths(function: Int, traces: [Int: Trace]) -> SeedPaths {
    let choice = drawn[function]
    let settings = choice.indices.map { runs[function][$0] }
    return SeedPaths(
      choice: choice,
      titles: zip(choice.indices, settings).map { settingTitle($0, runs: $1) },
      traces: settings.map { runs in
        runs.first { $0.spec.seed == pathSeed }.flatMap { traces[$0.spec.index] }.flatMap { $0.points?.isEmpty == false ? $0 : nil }
      },
      summaries: settings.flatMap { $0.map(\.summary) })
  }

  /// A note for a title about the runs behind a plot: none at all, or all diverged.
  static func runNote(_ summaries: some Collection<RunSummary>) -> String? {
    if summaries.isEmpty { return "no completed runs" }
    if summaries.allSatisfy({ $0.status == .diverged }) {
      return summaries.count == 1 ? "its only run diverged" : "all \(summaries.count) runs diverged"
    }
    return nil
  }

  /// `name` made safe as a file stem: anything but letters, digits, `.`, `_`, `=` and `-` becomes `_`.
  static func fileStem(_ name: String) -> String {
    String(
      String.UnicodeScalarView(
        name.unicodeScalars.map { c in
          ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || ".-_=".unicodeScalars.contains(c)
            ? c : "_"
        }))
  }

  // MARK: - Trajectories

  /// The trajectory of a run as the plots use it: steps and f, and the iterates x where asked for.
  struct Trace: Sendable {
    var steps: [Double]
    var values: [Double]
    /// x at each recorded step, when requested and recorded.
    var points: [[Double]]?
  }

  /// Reads the trajectories of `runs` on `jobs` threads; `nil` where a run has none (or it is unreadable).
  /// `wantsPoints` says for which runs to keep the iterates, which are large.
  func traces(_ runs: [RunSpec], wantsPoints: (RunSpec) -> Bool) -> [Trace?] {
    guard experiment.record.writesTrajectory, !runs.isEmpty else { return Array(repeating: nil, count: runs.count) }
    let wanted = runs.map(wantsPoints)
    let slots = Mutex([Trace?](repeating: nil, count: runs.count))
    let results = self.results
    let dimensions = runs.map { results.experiment.functions[$0.function].objective.dimension }
    let chunk = max(1, (runs.count + jobs * 4 - 1) / (jobs * 4))
    DispatchQueue.concurrentPerform(iterations: (runs.count + chunk - 1) / chunk) { part in
      for i in (part * chunk)..<min(runs.count, (part + 1) * chunk) {
        guard let trajectory = results.trajectory(runs[i]) else { continue }
        let trace = Self.trace(trajectory, dimension: dimensions[i], points: wanted[i])
        slots.withLock { $0[i] = trace }
      }
    }
    return slots.withLock { $0 }
  }

  static func trace(_ trajectory: Trajectory, dimension: Int, points: Bool) -> Trace {
    let columns = trajectory.columns
    let stepColumn = columns.firstIndex(of: "step")!
    let valueColumn = columns.firstIndex(of: "f")!
    var trace = Trace(steps: trajectory.column(at: stepColumn), values: trajectory.column(at: valueColumn), points: nil)
    if points {
      let xColumns = (1...max(1, dimension)).compactMap { columns.firstIndex(of: "x\($0)") }
      if xColumns.count == dimension {
        trace.points = (0..<trajectory.rowCount).map { r in xColumns.map { trajectory[row: r, column: $0] } }
      }
    }
    return trace
  }
}
