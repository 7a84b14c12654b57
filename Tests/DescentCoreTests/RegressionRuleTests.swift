import Testing
@testable import DescentCore

@Suite("Regression check: each rule, its tolerance boundaries, improvements, medians")
struct RegressionRuleTests {
  let check = RegressionCheck()

  @Test("identical results pass with no findings")
  func identical() throws {
    let runs = Dictionary(uniqueKeysWithValues: seedIDs(seeds: 3).map { ($0, metrics()) })
    let report = try check.compare(runs, runs)
    #expect(report.findings.isEmpty)
    #expect(report.passed && report.exitCode == 0)
    #expect(report.verdict == "PASS: no regressions in 3 runs and 1 median across seeds")
  }

  @Test("the default tolerances are 10 %, 5 steps, 10×, 1e-12 and 1 % for f, and the decision is auto")
  func defaults() {
    #expect(Tolerances() == Tolerances(stepsRelative: 0.10, stepsAbsolute: 5, factor: 10, floor: 1e-12, valueRelative: 0.01))
    #expect(RegressionCheck().decision == .auto)
    #expect(!RegressionCheck().failOnImprovement)
    #expect(Tolerances().summary == "steps worse by more than 10 % and more than 5 steps; suboptimality worse by more than 10× and above 1e-12; f (f* unknown) worse by more than 1 %")
    // Any --steps-rel is spelled out; a whole percentage beyond Int.max once trapped.
    #expect(Tolerances(stepsRelative: 1e17, stepsAbsolute: 1, factor: 2.5, floor: 0).summary
            == "steps worse by more than 1e+19 % and more than 1 step; suboptimality worse by more than 2.5× and above 0.0; f (f* unknown) worse by more than 1 %")
    #expect(Tolerances.percent(0.125) == "12.5 %" && Tolerances.percent(.infinity) == "inf %")
  }

  @Test("status: converged → max_steps and anything → diverged regress; the reverse improves", arguments: [
    (RunStatus.converged, RunStatus.maxSteps, Change.worse),
    (.converged, .diverged, .worse),
    (.maxSteps, .diverged, .worse),
    (.maxSteps, .converged, .better),
    (.diverged, .maxSteps, .better),
    (.diverged, .converged, .better),
    (.diverged, .diverged, .same),
    (.maxSteps, .maxSteps, .same),
  ])
  func status(old: RunStatus, new: RunStatus, expected: Change) {
    let findings = check.compare(metrics(old), metrics(new), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
      .filter { $0.metric == "status" }
    #expect(findings.map(\.kind) == kinds(expected))
  }

  @Test("a diverged run's values are never an improvement: newly diverged below f* is a regression, not a better suboptimality")
  func divergedValues() {
    let escaped = metrics(.diverged, toTarget: [.infinity, .infinity], final: -13, best: -13)
    let findings = check.compare(metrics(.maxSteps, toTarget: [.infinity, .infinity], final: 0.868, best: 0.5), escaped, targets: [1e-2, 1e-8],
                                 level: .run, subject: "r", decides: true)
    #expect(findings.map(\.metric) == ["status"])
    #expect(findings.allSatisfy { $0.kind == .regression })
    // Once diverged, lower values are not progress either; higher ones still regress.
    let still = metrics(.diverged, toTarget: [.infinity, .infinity], final: 1e300, best: 5)
    #expect(check.compare(still, escaped, targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true).isEmpty)
    #expect(check.compare(escaped, still, targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true).map(\.kind) == [.regression, .regression])
  }

  @Test("steps to a target regress only beyond both 10 % and 5 steps", arguments: [
    (100.0, 110.0, Change.same),   // +10 = 10 %: not beyond
    (100.0, 111.0, .worse),
    (20.0, 25.0, .same),           // +5 steps: not beyond the absolute slack
    (20.0, 26.0, .worse),
    (1000.0, 1100.0, .same),
    (1000.0, 1101.0, .worse),
    (100.0, 90.0, .same),
    (100.0, 89.0, .better),
    (0.0, 5.0, .same),
    (0.0, 6.0, .worse),
    (50.0, .infinity, .worse),     // reached before, not now
    (.infinity, 5000.0, .better),  // now reached
    (.infinity, .infinity, .same),
  ])
  func stepsTolerance(old: Double, new: Double, expected: Change) {
    #expect(Tolerances().compareSteps(old: old, new: new) == expected)
    let findings = check.compare(metrics(toTarget: [old, 10]), metrics(toTarget: [new, 10]), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(findings.map(\.kind) == kinds(expected))
    #expect(findings.allSatisfy { $0.metric == "steps_to_1e-2" })
  }

  @Test("a target reached before and not now is reported as no longer reached")
  func targetLost() throws {
    let report = try check.compare(["r": metrics(toTarget: [50, 150])], ["r": metrics(toTarget: [50, .infinity])])
    #expect(report.regressions.map(\.metric) == ["steps_to_1e-8"])
    #expect(report.regressions[0].current == "never")
    #expect(report.regressions[0].change == "no longer reached")
    #expect(!report.passed)
  }

  @Test("steps (to converge) are compared only when both runs converged")
  func stepsOnlyWhenConverged() {
    let slower = check.compare(metrics(steps: 200), metrics(steps: 300), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(slower.map(\.metric) == ["steps"])
    #expect(slower[0].change == "+100 (+50.0 %)")
    let stopped = check.compare(metrics(.maxSteps, steps: 1000), metrics(.maxSteps, steps: 1000), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(stopped.isEmpty)
    let lost = check.compare(metrics(steps: 200), metrics(.maxSteps, steps: 1000), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(lost.map(\.metric) == ["status"])
  }

  @Test("suboptimality regresses only beyond 10× and above the 1e-12 floor", arguments: [
    (1e-8, 1e-7, Change.same),       // exactly 10×: not beyond
    (1e-6, 1e-5, .same),             // exactly 10× too, though 10 · 1e-6 rounds to 9.999999999999999e-6
    (3e-6, 3e-5, .same),
    (1e-5, 1e-6, .same),             // and exactly a tenth is no improvement
    (1e-8, 1.0000001e-7, .worse),
    (0.0, 1e-13, .same),             // below the floor: machine-precision noise
    (1e-17, 9e-12, .same),           // 1e-17 counts as 1e-12; 9e-12 < 10 · 1e-12
    (1e-17, 1.1e-11, .worse),
    (-1e-17, 5e-13, .same),          // f a hair below f*
    (1e-6, 1e-8, .better),
    (1e-6, 1.1e-7, .same),
    (1e-6, .nan, .worse),            // nan counts as +inf
    (1e-6, .infinity, .worse),
    (.nan, .nan, .same),
    (.infinity, .nan, .same),
    (.nan, 1e-6, .better),
    (1e-13, 1e-16, .same),           // both below the floor
  ])
  func suboptimalityTolerance(old: Double, new: Double, expected: Change) {
    #expect(Tolerances().compareSuboptimality(old: old, new: new) == expected)
    let findings = check.compare(metrics(final: old, best: 1e-14), metrics(final: new, best: 1e-14), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(findings.map(\.kind) == kinds(expected))
    #expect(findings.allSatisfy { $0.metric == "final_suboptimality" })
  }

  @Test("best suboptimality has the same rule; without f*, final and best f are compared instead")
  func bestAndMissingFStar() {
    let worse = check.compare(metrics(best: 1e-8), metrics(best: 1e-6), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(worse.map(\.metric) == ["best_suboptimality"])
    #expect(worse[0].change == "×100")
    func unknown(final: Double, best: Double) -> ConvergenceMetrics {
      var m = metrics(final: nil, best: nil)
      m.finalF = final
      m.bestF = best
      return m
    }
    let same = check.compare(unknown(final: 0.665, best: 0.66), unknown(final: 0.665, best: 0.66), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(same.isEmpty)
    // Softmax at a learning rate 5,000× too small: f ends at 2.09 instead of 0.665.
    let stalled = check.compare(unknown(final: 0.665, best: 0.66), unknown(final: 2.09, best: 0.66), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(stalled.map(\.metric) == ["final_f"] && stalled[0].kind == .regression)
    #expect(stalled[0].change == "+1.42 (+214 %)")
    let lost = check.compare(unknown(final: 1, best: 0.66), unknown(final: .nan, best: 0.66), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(lost.map(\.kind) == [.regression] && lost[0].change == "worse")
    // Just past a tolerance, the change is told apart from it: not "+1 %" or "×10", which would read as within.
    let past = check.compare(unknown(final: 100, best: 0.66), unknown(final: 101.00001, best: 0.66), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(past.map(\.kind) == [.regression] && past[0].change == "+1 (+1.00001 %)", "\(past.map(\.change))")
    let steps = check.compare(metrics(steps: 4525), metrics(steps: 4978), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(steps.map(\.kind) == [.regression] && steps[0].change == "+453 (+10.01 %)", "\(steps.map(\.change))")
    let tenfold = check.compare(metrics(best: 1e-8), metrics(best: 1.000001e-7), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(tenfold.map(\.kind) == [.regression] && tenfold[0].change == "×10.00001", "\(tenfold.map(\.change))")
  }

  @Test("f where f* is unknown regresses beyond 1 % of the baseline's |f| (at least the floor)", arguments: [
    (0.665, 0.67, Change.same),        // +0.75 %
    (100, 101, .same),                 // exactly 1 %
    (0.3, 0.303, .same),               // exactly 1 %, where 0.01 · 0.3 and 0.303 − 0.3 round apart
    (0.665, 0.68, .worse),             // +2.3 %
    (-2.0, -1.99, .same),              // negative f: 1 % of |f|
    (-2.0, -1.9, .worse),
    (-2.0, -2.1, .better),
    (0.0, 1e-13, .same),               // within the floor (1e-12)
    (0.0, 1e-3, .worse),
    (1e-3, 1.001e-3, .same),           // a separable logistic's f near 0, within 1 %
    (1e-3, 2e-3, .worse),
    (1.0, .nan, .worse),
    (1.0, .infinity, .worse),
    (.infinity, 1.0, .better),
    (.nan, .nan, .same),
  ])
  func valueTolerance(old: Double, new: Double, expected: Change) {
    #expect(Tolerances().compareValue(old: old, new: new) == expected)
  }

  @Test("minimum: global → local → none regresses, another local minimum regresses, the reverse improves", arguments: [
    ("global", "local:1", Change.worse),
    ("global", "none", .worse),
    ("local:1", "none", .worse),
    ("local:1", "local:2", .worse),
    ("local:2", "global", .better),
    ("none", "local:1", .better),
    ("none", "none", .same),
  ])
  func minimum(old: String, new: String, expected: Change) {
    let findings = check.compare(metrics(minimum: old), metrics(minimum: new), targets: [1e-2, 1e-8], level: .run, subject: "r", decides: true)
    #expect(findings.map(\.kind) == kinds(expected))
    #expect(findings.allSatisfy { $0.metric == "minimum" })
  }

  @Test("improvements are reported and pass, unless --fail-on-improvement")
  func improvements() throws {
    let old = ["r__seed=0": metrics(.maxSteps, steps: 1000, toTarget: [400, .infinity], final: 1e-5, best: 1e-5)]
    let new = ["r__seed=0": metrics(steps: 300, toTarget: [100, 250], final: 1e-15, best: 1e-15)]
    let lenient = try check.compare(old, new)
    #expect(lenient.regressions.isEmpty)
    #expect(Set(lenient.improvements.map(\.metric)) == ["status", "steps_to_1e-2", "steps_to_1e-8", "final_suboptimality", "best_suboptimality"])
    #expect(lenient.passed)
    #expect(lenient.verdict.hasPrefix("PASS: no regressions in 1 run (5 improvements)"))
    let strict = try RegressionCheck(failOnImprovement: true).compare(old, new)
    #expect(!strict.passed && strict.exitCode == 1)
    #expect(strict.verdict.hasPrefix("FAIL: no regressions, but 5 improvements with --fail-on-improvement"))
  }

  @Test("improvements at a level that does not decide are counted apart, in the PASS and the FAIL line alike")
  func informationalImprovements() throws {
    // Two seeds: under --decide auto single runs decide and the median is informational.
    let old = ["r__seed=0": metrics(steps: 1000), "r__seed=1": metrics(steps: 1000)]
    let new = ["r__seed=0": metrics(steps: 600), "r__seed=1": metrics(steps: 1000)]
    let lenient = try check.compare(old, new)
    #expect(lenient.improvements.count == 2)
    #expect(lenient.improvements.filter(\.decides).map(\.level) == [.run])
    #expect(lenient.verdict.hasPrefix("PASS: no regressions in 2 runs and 1 median across seeds (2 improvements, 1 of them informational)"),
            "\(lenient.verdict)")
    let strict = try RegressionCheck(failOnImprovement: true).compare(old, new)
    #expect(strict.verdict.hasPrefix("FAIL: no regressions, but 1 improvement with --fail-on-improvement (and 1 informational);"), "\(strict.verdict)")
    // Medians decide: one seed's regression is informational, and the failing line says so as the passing one does.
    let mixed = ["r__seed=0": metrics(steps: 100), "r__seed=1": metrics(steps: 1200)]
    #expect(try RegressionCheck(decision: .median).compare(old, mixed).verdict
            == "PASS: no regressions in 2 runs and 1 median across seeds (2 improvements, 1 of them informational, 1 informational regression); make a new baseline to keep the improvements")
    #expect(try RegressionCheck(decision: .median, failOnImprovement: true).compare(old, mixed).verdict.hasPrefix(
      "FAIL: no regressions, but 1 improvement with --fail-on-improvement (and 1 informational, 1 informational regression);"))
  }

  @Test("custom tolerances change what counts")
  func customTolerances() throws {
    let old = ["r": metrics(toTarget: [100, 150])], new = ["r": metrics(toTarget: [140, 150])]
    #expect(try !check.compare(old, new).passed)
    let loose = RegressionCheck(tolerances: Tolerances(stepsRelative: 0.5, stepsAbsolute: 5, factor: 10, floor: 1e-12))
    #expect(try loose.compare(old, new).passed)
    let absolute = RegressionCheck(tolerances: Tolerances(stepsRelative: 0, stepsAbsolute: 40, factor: 10, floor: 1e-12))
    #expect(try absolute.compare(old, new).passed)
    #expect(Tolerances(stepsRelative: -1, stepsAbsolute: 5, factor: 10, floor: 0).problem != nil)
    #expect(Tolerances(stepsRelative: 0.1, stepsAbsolute: 5, factor: 0.5, floor: 0).problem != nil)
    #expect(Tolerances(stepsRelative: 0.1, stepsAbsolute: -1, factor: 10, floor: 0).problem != nil)
    #expect(Tolerances(stepsRelative: 0.1, stepsAbsolute: 5, factor: 10, floor: .nan).problem != nil)
  }

  // MARK: - Medians across seeds

  /// Three seeds of one configuration; in the new results seed 2 ends as `changed`, the others are unchanged.
  func oneSeedChanges(to changed: ConvergenceMetrics) -> (old: [String: ConvergenceMetrics], new: [String: ConvergenceMetrics]) {
    let ids = seedIDs(seeds: 3)
    let old = Dictionary(uniqueKeysWithValues: ids.map { ($0, metrics()) })
    var new = old
    new[ids[2]] = changed
    return (old, new)
  }

  /// Seed 2 diverges.
  func oneSeedDiverges() -> (old: [String: ConvergenceMetrics], new: [String: ConvergenceMetrics]) {
    oneSeedChanges(to: metrics(.diverged, steps: 3, toTarget: [.infinity, .infinity], final: .infinity, best: 1, minimum: "none"))
  }

  @Test("one seed of three in another basin: auto and median pass (informational), per-run and both fail; one that now diverges fails auto on its status alone", arguments: [
    (false, DecisionRule.auto, true), (false, .median, true), (false, .perRun, false), (false, .both, false),
    (true, .auto, false), (true, .median, true), (true, .perRun, false), (true, .both, false),
  ])
  func oneOutlierSeed(diverges: Bool, rule: DecisionRule, passes: Bool) throws {
    // Another basin: converged later, to a local minimum, far above f*.
    let (old, new) = diverges ? oneSeedDiverges()
      : oneSeedChanges(to: metrics(steps: 400, toTarget: [.infinity, .infinity], final: 0.5, best: 0.5, minimum: "local"))
    let report = try RegressionCheck(decision: rule).compare(old, new)
    #expect(report.passed == passes)
    #expect(report.findings(for: "quadratic__adam", level: .median).isEmpty, "the median of 3 seeds is unchanged")
    let runFindings = report.findings(for: "quadratic__adam__seed=2", level: .run)
    #expect(Set(runFindings.map(\.metric)) == [diverges ? "status" : "steps", "steps_to_1e-2", "steps_to_1e-8", "final_suboptimality", "best_suboptimality", "minimum"])
    for finding in runFindings {
      // Under auto, a run that newly diverges decides; anything else a median forgives.
      let decides = rule.runsDecide(seeds: 3) || (rule == .auto && finding.metric == "status")
      #expect(finding.decides == decides, "\(finding.metric)")
    }
    if passes { #expect(report.verdict.contains("6 informational regressions")) }
    if diverges && rule == .auto { #expect(report.failing.map(\.metric) == ["status"]) }
  }

  @Test("every seed regressing moves the median: every rule fails", arguments: DecisionRule.allCases)
  func allSeedsRegress(rule: DecisionRule) throws {
    let ids = seedIDs(seeds: 3)
    let old = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, metrics(toTarget: [50 + Double($0), 150])) })
    let new = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, metrics(toTarget: [80 + Double($0), 150])) })
    let report = try RegressionCheck(decision: rule).compare(old, new)
    #expect(!report.passed)
    let median = report.findings(for: "quadratic__adam", level: .median)
    #expect(median.map(\.metric) == ["steps_to_1e-2"])
    #expect(median[0].baseline == "51" && median[0].current == "81")
    #expect(median[0].decides == (rule != .perRun))
  }

  @Test("more than half the seeds moving to another local minimum fails the median, whatever basins they started in; one seed does not", arguments: [
    (["local:1", "local:1", "local:1", "local:1"], ["local:2", "local:2", "local:2", "local:2"], false),
    (["local:4", "local:1", "local:4", "local:1"], ["local:1", "local:4", "local:1", "local:4"], false),  // every seed swapped basins
    (["local:4", "local:1", "local:4"], ["local:1", "local:1", "local:4"], true),                           // one of three moved
    (["local:1", "local:1", "local:1", "local:1"], ["local:2", "local:2", "local:1", "local:1"], true),    // half is not more than half
  ])
  func seedsToAnotherBasin(before: [String], after: [String], passes: Bool) throws {
    let ids = seedIDs(seeds: before.count)
    func runs(_ minima: [String]) -> [String: ConvergenceMetrics] {
      Dictionary(uniqueKeysWithValues: zip(ids, minima).map { ($0, metrics(final: 0.5, best: 0.5, minimum: $1)) })
    }
    for rule in [DecisionRule.auto, .median] {
      let report = try RegressionCheck(decision: rule).compare(runs(before), runs(after))
      #expect(report.passed == passes, "\(rule)")
      let median = report.findings(for: "quadratic__adam", level: .median)
      if passes {
        #expect(median.isEmpty)
      } else {
        let moved = zip(before, after).count { $0 != $1 }
        #expect(median.map(\.metric) == ["minimum"] && median[0].change == "another local minimum for \(moved) of \(before.count) seeds", "\(median.map(\.change))")
      }
    }
  }

  @Test("with two seeds, auto lets the runs decide; median lets the median (mean of the pair) decide")
  func twoSeeds() throws {
    let ids = seedIDs(seeds: 2)
    let old = [ids[0]: metrics(toTarget: [100, 150]), ids[1]: metrics(toTarget: [100, 150])]
    let new = [ids[0]: metrics(toTarget: [100, 150]), ids[1]: metrics(toTarget: [130, 150])]  // median 100 → 115: beyond 10 % and 5 steps
    let auto = try RegressionCheck(decision: .auto).compare(old, new)
    #expect(!auto.passed)
    #expect(auto.failing.map(\.level) == [.run])
    let median = try RegressionCheck(decision: .median).compare(old, new)
    #expect(!median.passed)
    #expect(median.failing.map(\.level) == [.median])
    #expect(median.failing[0].current == "115")
  }

  @Test("a configuration with one seed is its own median: its run decides under every rule", arguments: DecisionRule.allCases)
  func singleSeed(rule: DecisionRule) throws {
    let report = try RegressionCheck(decision: rule).compare(["f__o__seed=0": metrics()], ["f__o__seed=0": metrics(.maxSteps)])
    #expect(!report.passed)
    #expect(report.medianCount == 0)
  }

  @Test("medians: numbers take the middle (the mean of the middle pair), not reached counts as +inf, statuses the worse middle")
  func medianOfMetrics() {
    let m = ConvergenceMetrics.median([
      metrics(.converged, steps: 100, toTarget: [10, .infinity], final: 1e-10, best: 0.25, minimum: "global"),
      metrics(.maxSteps, steps: 1000, toTarget: [30, 500], final: .nan, best: 0.5, minimum: "local:1"),
      metrics(.converged, steps: 300, toTarget: [20, 400], final: 1e-9, best: 1, minimum: "global"),
      metrics(.diverged, steps: 5, toTarget: [.infinity, .infinity], final: .infinity, best: 2, minimum: "none"),
    ])
    #expect(m.status == .maxSteps)        // ranks [0, 1, 2, 2]: lower middle is max_steps
    #expect(m.steps == 200)               // (100 + 300) / 2
    #expect(m.stepsToTarget[0] == 25)     // (20 + 30) / 2
    #expect(m.stepsToTarget[1] == .infinity)  // (500 + inf) / 2
    #expect(m.finalSuboptimality == .infinity)  // nan counts as +inf: the middle pair is (1e-9, inf)
    #expect(m.bestSuboptimality == 0.75)
    #expect(m.minimum == "local")         // ranks [0, 1, 2, 2]
    #expect(ConvergenceMetrics.median([metrics(final: nil), metrics(final: 1)]).finalSuboptimality == nil)
  }

  @Test("configurations: run ids equal apart from __seed=N, seeds in numeric order")
  func configurations() {
    #expect(RegressionCheck.configuration(of: "rosenbrock__adam-lr=0.01__seed=12") == "rosenbrock__adam-lr=0.01")
    #expect(RegressionCheck.configuration(of: "rosenbrock__adam") == "rosenbrock__adam")
    #expect(RegressionCheck.configuration(of: "a__seed=x") == "a__seed=x")
    let groups = RegressionCheck.configurations(["b__o__seed=10", "a__o__seed=0", "b__o__seed=2", "b__o__seed=1"])
    #expect(groups.map(\.0) == ["a__o", "b__o"])
    #expect(groups[1].1 == ["b__o__seed=1", "b__o__seed=2", "b__o__seed=10"])
  }

  @Test("the decision rules, by number of seeds")
  func decisionRules() {
    #expect(DecisionRule.allCases.map(\.rawValue) == ["auto", "per-run", "median", "both"])
    #expect(DecisionRule.auto.runsDecide(seeds: 2) && !DecisionRule.auto.medianDecides(seeds: 2))
    #expect(!DecisionRule.auto.runsDecide(seeds: 3) && DecisionRule.auto.medianDecides(seeds: 3))
    #expect(DecisionRule.median.runsDecide(seeds: 1) && !DecisionRule.median.runsDecide(seeds: 2))
    #expect(DecisionRule.both.runsDecide(seeds: 5) && DecisionRule.both.medianDecides(seeds: 5))
    #expect(DecisionRule.perRun.runsDecide(seeds: 5) && !DecisionRule.perRun.medianDecides(seeds: 5))
  }

  func kinds(_ change: Change) -> [Finding.Kind] {
    switch change {
    case .same: []
    case .worse: [.regression]
    case .better: [.improvement]
    }
  }
}
