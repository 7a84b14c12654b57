/// Which optimizer setting gets down each function fastest and most reliably: for every function setting with
/// completed runs, its optimizer settings ranked by how fast and how often their runs reached the experiment's
/// targets, as COCO measures it.
///
/// For a target t, a setting's **average running time** (aRT; Hansen et al., "COCO: Performance assessment",
/// 2016) is the steps all its runs spent, divided by the runs that reached t:
///
/// ```
/// aRT(t) = (Σ over runs that reached t of the step they reached it at
///           + Σ over runs that did not of the steps they ran) / (runs that reached t)
/// ```
///
/// With every run successful it is the mean steps to the target; each failure adds its whole run, so a setting
/// that solves half of its runs pays for the other half. No run reached t: aRT is `nil` (∞). A run that stopped
/// early (converged short of t, or diverged and halted) counts the steps it ran.
///
/// Settings are ranked by aRT on the hardest target (the smallest), ties broken by the next hardest and so on,
/// then by median final f − f* (a diverged run counting as +∞), then config order. Where f* is unknown no target
/// can be reached, and the median final f ranks them.
///
/// See also: `descent report`; the data profile plot draws the same (run, target) pairs against steps.
public struct SettingsReport: Sendable {
  /// One optimizer setting on one function setting.
  public struct Row: Sendable, Equatable {
    /// The optimizer setting (an index into `experiment.optimizers`).
    public var optimizer: Int
    /// Its label as people read it (`OptimizerVariant.shortLabels`).
    public var label: String
    /// Completed runs (seeds).
    public var runs: Int
    public var diverged: Int
    /// Per target, in the experiment's order: runs that reached it.
    public var solved: [Int]
    /// Per target: aRT in steps; `nil` where no run reached it.
    public var averageRunningTime: [Double?]
    /// Median final f − f* (f where f* is unknown), a diverged or non-finite run counting as +∞.
    public var medianFinal: Double
  }

  /// One function setting's ranked optimizer settings.
  public struct Section: Sendable {
    /// The function setting (an index into `experiment.functions`).
    public var function: Int
    /// Its label with its grid values, as plots name it.
    public var label: String
    public var fStar: Double?
    /// Best first.
    public var rows: [Row]
  }

  public let experiment: Experiment
  /// Function settings with completed runs, in config order.
  public let sections: [Section]
  /// Completed runs, and runs the experiment plans.
  public let completed: Int
  public var planned: Int { experiment.runCount }
  /// The shard the results are, and the runs planned for it (`planned` without a shard).
  public let shard: Shard?
  public let plannedHere: Int

  public init(_ results: LoadedResults) {
    let experiment = results.experiment
    self.experiment = experiment
    completed = results.runs.count
    shard = results.shard
    plannedHere = results.plannedHere
    var byFunction = [[Int: [RunSummary]]](repeating: [:], count: experiment.functions.count)
    for (spec, summary) in results.runs { byFunction[spec.function][spec.optimizer, default: []].append(summary) }
    let labels = OptimizerVariant.shortLabels(experiment.optimizers)
    let order = Self.hardestFirst(experiment.targets)
    sections = experiment.functions.indices.compactMap { f in
      guard !byFunction[f].isEmpty else { return nil }
      let fStar = experiment.functions[f].objective.minima.value
      let rows = byFunction[f].map { optimizer, runs in
        Self.row(optimizer: optimizer, label: labels[optimizer], runs: runs, fStar: fStar, targets: experiment.targets.count)
      }
      return Section(function: f, label: experiment.functions[f].label, fStar: fStar, rows: rows.sorted { Self.ranksBefore($0, $1, order: order) })
    }
  }

  /// The targets' indices, hardest (smallest) first: the order the ranking reads them in, and the table's columns.
  static func hardestFirst(_ targets: [Double]) -> [Int] { targets.indices.sorted { targets[$0] < targets[$1] } }

  static func row(optimizer: Int, label: String, runs: [RunSummary], fStar: Double?, targets: Int) -> Row {
    let solved = (0..<targets).map { k in runs.count { $0.stepsToTarget[k] != nil } }
    let art = (0..<targets).map { k -> Double? in
      guard solved[k] > 0 else { return nil }
      let spent = runs.reduce(0) { $0 + ($1.stepsToTarget[k] ?? $1.steps) }
      return Double(spent) / Double(solved[k])
    }
    let finals = runs.map { s -> Double in
      let y = s.finalF - (fStar ?? 0)
      return s.status == .diverged || !y.isFinite ? .infinity : y
    }
    return Row(optimizer: optimizer, label: label, runs: runs.count, diverged: runs.count { $0.status == .diverged },
               solved: solved, averageRunningTime: art, medianFinal: ConvergenceMetrics.median(finals))
  }

  /// Whether `a` ranks before `b`: lower aRT on each target from the hardest (`order`), then lower median final
  /// value, then config order.
  static func ranksBefore(_ a: Row, _ b: Row, order: [Int]) -> Bool {
    for k in order {
      let x = a.averageRunningTime[k] ?? .infinity, y = b.averageRunningTime[k] ?? .infinity
      if x != y { return x < y }
    }
    if a.medianFinal != b.medianFinal { return a.medianFinal < b.medianFinal }
    return a.optimizer < b.optimizer
  }
}
