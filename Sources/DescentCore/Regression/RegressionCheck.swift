import Foundation

/// Compares results with a baseline, metric by metric, and decides whether anything got worse.
///
/// A pure function of two `Baseline`s (the committed one and one made from the new results), so every
/// rule is testable without files or processes. Per run, and per median across the seeds of a
/// configuration (run ids equal apart from `__seed=N`):
///
/// ```
/// status            converged → max_steps, anything → diverged: regression (no tolerance)
/// steps             both converged: worse beyond Tolerances (fewer steps to converge is better)
/// steps_to_<t>      worse beyond Tolerances; reached before and not now: regression
/// final/best_suboptimality   worse beyond `factor` and above `floor` (a diverged run's never improves)
/// final_f, best_f   (f* unknown) worse by more than `valueRelative` of the baseline's |f| (likewise)
/// minimum           global → local → none: regression; another local minimum: regression
/// ```
/// Improvements are the same rules the other way round; they fail only with `failOnImprovement`.
/// `decision` picks whether runs, medians or both decide; the other level is reported as informational, except
/// that under `auto` a run that newly diverges always decides.
///
/// The two sides must be comparable, or `compare` throws (exit 65) listing every problem: the same config
/// hash, the same targets, and the same run ids (results missing runs of the baseline, or the reverse).
///
/// See also: `Tolerances`, `DecisionRule`, `CheckReport`.
public struct RegressionCheck: Sendable, Equatable {
  public var tolerances: Tolerances
  public var decision: DecisionRule
  public var failOnImprovement: Bool

  public init(tolerances: Tolerances = Tolerances(), decision: DecisionRule = .auto, failOnImprovement: Bool = false) {
    self.tolerances = tolerances
    self.decision = decision
    self.failOnImprovement = failOnImprovement
  }

  /// How many run ids a "missing runs" message lists before "… and N more".
  static let listedRuns = 12

  /// Compares `current` (made from the results at `resultsPath`) with `baseline` (read from `baselineFile`).
  public func compare(_ baseline: Baseline, with current: Baseline, baselineFile: String, resultsPath: String) throws(ConfigError) -> CheckReport {
    var problems: [Diagnostic] = []
    if baseline.configHash != current.configHash {
      var differences: [String] = []
      if baseline.experiment != current.experiment { differences.append("name '\(baseline.experiment)' → '\(current.experiment)'") }
      if baseline.steps != current.steps { differences.append("steps \(baseline.steps) → \(current.steps)") }
      if baseline.seeds != current.seeds { differences.append("seeds \(Self.list(baseline.seeds)) → \(Self.list(current.seeds))") }
      if baseline.targets != current.targets { differences.append("targets \(Self.list(baseline.targets)) → \(Self.list(current.targets))") }
      // The baseline keeps the name, steps, seeds and targets of its config, and only the hash of the rest.
      let changed = differences.isEmpty
        ? " (their names, steps, seeds and targets agree: another key differs, such as the functions, optimizers, stop, record or format)"
        : " (" + differences.joined(separator: ", ") + ")"
      problems.append(Diagnostic(path: "config_sha256",
        "the baseline was made from a different config (sha256 \(baseline.configHash.prefix(12))…) than the results in \(resultsPath) (sha256 \(current.configHash.prefix(12))…)\(changed); "
          + "a baseline holds what one config converged to, and a check compares the same runs of the same config, to catch a change of code. "
          + "If the config changed on purpose, look at the new results first (a new baseline accepts them as they are), "
          + "then make one with 'descent baseline \(resultsPath) --output \(baselineFile)'"))
    } else if baseline.targets != current.targets {
      problems.append(Diagnostic(path: "targets", "the baseline's targets \(Self.list(baseline.targets)) differ from the results' \(Self.list(current.targets))"))
    }
    let missingInResults = baseline.runs.keys.filter { current.runs[$0] == nil }
    let missingInBaseline = current.runs.keys.filter { baseline.runs[$0] == nil }
    if !missingInResults.isEmpty {
      problems.append(Diagnostic(path: "runs",
        "the results in \(resultsPath) lack \(Self.count(missingInResults.count, "run")) that the baseline has (incomplete or a different experiment): "
          + Self.listing(Self.ordered(missingInResults))))
    }
    if !missingInBaseline.isEmpty {
      problems.append(Diagnostic(path: "runs",
        "the baseline lacks \(Self.count(missingInBaseline.count, "run")) that the results in \(resultsPath) have: " + Self.listing(Self.ordered(missingInBaseline))))
    }
    guard problems.isEmpty else { throw .invalid(file: baselineFile, problems: problems) }

    var findings: [Finding] = []
    var configurations: [CheckReport.Configuration] = []
    for (name, ids) in Self.configurations(Array(baseline.runs.keys)) {
      let seeds = ids.count
      let runsDecide = decision.runsDecide(seeds: seeds)
      for id in ids {
        findings += compare(baseline.runs[id]!, current.runs[id]!, targets: baseline.targets, level: .run, subject: id, decides: runsDecide)
      }
      if seeds >= 2 {
        let old = ConvergenceMetrics.median(ids.map { baseline.runs[$0]! })
        let new = ConvergenceMetrics.median(ids.map { current.runs[$0]! })
        findings += compare(old, new, targets: baseline.targets, level: .median, subject: name, decides: decision.medianDecides(seeds: seeds))
        // A median of local minima names no basin: more than half the seeds now ending in another local
        // minimum than before moves the median, one seed doing so does not.
        let moved = ids.count { id in
          let (a, b) = (baseline.runs[id]!.minimum, current.runs[id]!.minimum)
          return a != b && ConvergenceMetrics.rank(minimum: a) == 1 && ConvergenceMetrics.rank(minimum: b) == 1
        }
        if old.minimum == new.minimum, moved * 2 > seeds {
          findings.append(Finding(kind: .regression, level: .median, subject: name, metric: "minimum", baseline: old.minimum, current: new.minimum,
                                  change: "another local minimum for \(moved) of \(seeds) seeds", decides: decision.medianDecides(seeds: seeds)))
        }
      }
      configurations.append(CheckReport.Configuration(name: name, runIDs: ids, runsDecide: runsDecide, medianDecides: decision.medianDecides(seeds: seeds)))
    }
    return CheckReport(
      experiment: current.experiment, configHash: current.configHash, baselineFile: baselineFile, resultsPath: resultsPath,
      baselineVersion: baseline.descentVersion, resultsVersion: current.descentVersion, check: self,
      configurations: configurations, findings: findings)
  }

  /// The findings for one pair of metrics.
  public func compare(_ old: ConvergenceMetrics, _ new: ConvergenceMetrics, targets: [Double], level: Finding.Level, subject: String, decides: Bool) -> [Finding] {
    var findings: [Finding] = []
    func add(_ change: Change, _ metric: String, _ before: String, _ after: String, _ how: String, decides: Bool = decides) {
      guard change != .same else { return }
      findings.append(Finding(kind: change == .worse ? .regression : .improvement, level: level, subject: subject, metric: metric,
                              baseline: before, current: after, change: how, decides: decides))
    }
    let statusChange = Self.order(ConvergenceMetrics.rank(old.status), ConvergenceMetrics.rank(new.status))
    // Under `auto`, a run that now diverges decides even where medians do: landing in another basin is what
    // medians forgive, blowing up is not.
    let newlyDiverged = new.status == .diverged && old.status != .diverged
    add(statusChange, "status", old.status.rawValue, new.status.rawValue, statusChange == .worse ? "worse" : "better",
        decides: decides || (decision == .auto && level == .run && newlyDiverged))
    if old.status == .converged && new.status == .converged {
      add(tolerances.compareSteps(old: old.steps, new: new.steps), "steps", Self.steps(old.steps), Self.steps(new.steps), stepsChange(old.steps, new.steps))
    }
    for (k, target) in targets.enumerated() where k < old.stepsToTarget.count && k < new.stepsToTarget.count {
      let (a, b) = (old.stepsToTarget[k], new.stepsToTarget[k])
      add(tolerances.compareSteps(old: a, new: b), "steps_to_" + NumberText.target(target), Self.steps(a), Self.steps(b), stepsChange(a, b))
    }
    // A diverged run's values are where it blew up, or escaped below f* (a negative suboptimality): they
    // can be worse, but never an improvement.
    let improvable = old.status != .diverged && new.status != .diverged
    func addValue(_ change: Change, _ metric: String, _ a: Double, _ b: Double, _ how: String) {
      if change == .better && !improvable { return }
      add(change, metric, Self.value(a), Self.value(b), how)
    }
    for (metric, a, b) in [("final_suboptimality", old.finalSuboptimality, new.finalSuboptimality),
                           ("best_suboptimality", old.bestSuboptimality, new.bestSuboptimality)] {
      guard let a, let b else { continue }
      addValue(tolerances.compareSuboptimality(old: a, new: b), metric, a, b, suboptimalityChange(a, b))
    }
    for (metric, a, b) in [("final_f", old.finalF, new.finalF), ("best_f", old.bestF, new.bestF)] {
      guard let a, let b else { continue }
      addValue(tolerances.compareValue(old: a, new: b), metric, a, b, valueChange(a, b))
    }
    if old.minimum != new.minimum {
      let change = Self.order(ConvergenceMetrics.rank(minimum: old.minimum), ConvergenceMetrics.rank(minimum: new.minimum))
      // Another local minimum is not better or worse by rank, but the run ended in another basin.
      add(change == .same ? .worse : change, "minimum", old.minimum, new.minimum, change == .same ? "another local minimum" : (change == .worse ? "worse" : "better"))
    }
    return findings
  }

  static func order(_ old: Int, _ new: Int) -> Change {
    new < old ? .worse : (new > old ? .better : .same)
  }

  // MARK: - Configurations

  /// A run id without its `__seed=N` suffix: the configuration it belongs to.
  public static func configuration(of runID: String) -> String {
    guard let r = runID.range(of: "__seed=", options: .backwards), Int(runID[r.upperBound...]) != nil else { return runID }
    return String(runID[..<r.lowerBound])
  }

  static func seed(of runID: String) -> Int? {
    guard let r = runID.range(of: "__seed=", options: .backwards) else { return nil }
    return Int(runID[r.upperBound...])
  }

  /// Run ids grouped by configuration, configurations sorted by name and runs by seed.
  static func configurations(_ ids: [String]) -> [(String, [String])] {
    Dictionary(grouping: ordered(ids), by: configuration(of:)).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Run ids sorted by configuration, then numerically by seed (`seed=2` before `seed=10`).
  static func ordered(_ ids: some Sequence<String>) -> [String] {
    ids.sorted { a, b in
      let (ca, cb) = (configuration(of: a), configuration(of: b))
      if ca != cb { return ca < cb }
      return (seed(of: a) ?? 0, a) < (seed(of: b) ?? 0, b)
    }
  }

  // MARK: - Text

  static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

  static func list(_ targets: [Double]) -> String { "[" + targets.map(NumberText.target).joined(separator: ", ") + "]" }

  static func list(_ seeds: [Int]) -> String {
    "[" + (seeds.count > 8 ? seeds.prefix(8).map(String.init) + ["…"] : seeds.map(String.init)).joined(separator: ", ") + "]"
  }

  static func listing(_ ids: [String]) -> String {
    let shown = ids.prefix(listedRuns).joined(separator: ", ")
    return ids.count > listedRuns ? shown + ", … and \(ids.count - listedRuns) more" : shown
  }

  /// A step count: `never` when not reached, `.5` kept for medians.
  static func steps(_ s: Double) -> String {
    s.isInfinite ? "never" : JSONValue.format(s)
  }

  func stepsChange(_ old: Double, _ new: Double) -> String {
    if old.isInfinite { return "now reached" }
    if new.isInfinite { return "no longer reached" }
    let d = new - old
    let sign = d > 0 ? "+" : (d < 0 ? "−" : "")
    var text = sign + JSONValue.format(abs(d))
    if old > 0 { text += " (" + sign + Self.percent(abs(d) / old * 100, apartFrom: tolerances.stepsRelative * 100) + " %)" }
    return text
  }

  /// The difference of two values of f, and its size relative to the first (told apart from the tolerance).
  func valueChange(_ old: Double, _ new: Double) -> String {
    let (old, new) = (old.isNaN ? .infinity : old, new.isNaN ? .infinity : new)  // as `compareValue` counts them
    if old == new { return "same" }
    let d = new - old
    guard d.isFinite else { return new > old ? "worse" : "better" }
    let sign = d > 0 ? "+" : "−"
    return sign + Self.value(abs(d)) + (old != 0 ? " (" + sign + Self.value(abs(d / old) * 100, apartFrom: tolerances.valueRelative * 100) + " %)" : "")
  }

  /// A percentage with one decimal, or as many more as it takes (up to 15) not to read as `limit` does.
  static func percent(_ x: Double, apartFrom limit: Double) -> String {
    for decimals in 1...15 {
      let text = String(format: "%.\(decimals)f", x)
      if x == limit || text != String(format: "%.\(decimals)f", limit) { return text }
    }
    return String(format: "%.1f", x)
  }

  /// `x` with three significant digits, or as many more as it takes (up to 17) not to read as `limit` does: a
  /// change just past a tolerance of 1 % is "+1.00001 %", not "+1 %".
  static func value(_ x: Double, apartFrom limit: Double) -> String {
    guard x.isFinite, x != limit else { return value(x) }
    for digits in 3...17 {
      let text = String(format: "%.\(digits)g", x)
      if text != String(format: "%.\(digits)g", limit) { return text }
    }
    return value(x)
  }

  /// A suboptimality with three significant digits.
  static func value(_ x: Double) -> String {
    x.isFinite ? String(format: "%.3g", x) : NumberText.format(x)
  }

  /// The ratio of the clamped values: `×35` when worse, `÷12` when better.
  func suboptimalityChange(_ old: Double, _ new: Double) -> String {
    let (a, b) = (tolerances.clamped(old), tolerances.clamped(new))
    if b >= a {
      return a == 0 ? "from 0" : "×" + Self.value(b / a, apartFrom: tolerances.factor)
    }
    return b == 0 ? "to 0" : "÷" + Self.value(a / b, apartFrom: tolerances.factor)
  }
}
