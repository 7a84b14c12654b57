/// The outcome of `RegressionCheck.compare`: every finding, and the verdict.
///
/// Rendered for the terminal (`terminalText`), as a GitHub-flavoured Markdown summary (`markdown`), and
/// as JUnit XML with one test case per run and per median across seeds (`junitXML`).
public struct CheckReport: Sendable {
  /// A configuration: the runs that differ only in their seed.
  public struct Configuration: Sendable, Equatable {
    /// The run id without `__seed=N`.
    public var name: String
    public var runIDs: [String]
    public var runsDecide: Bool
    public var medianDecides: Bool
    public var hasMedian: Bool { runIDs.count >= 2 }
  }

  public var experiment: String
  public var configHash: String
  public var baselineFile: String
  public var resultsPath: String
  public var baselineVersion: String
  public var resultsVersion: String
  public var check: RegressionCheck
  public var configurations: [Configuration]
  /// Per configuration: its runs' findings in seed order, then its median's.
  public var findings: [Finding]

  public var regressions: [Finding] { findings.filter { $0.kind == .regression } }
  public var improvements: [Finding] { findings.filter { $0.kind == .improvement } }
  /// The findings that fail the check.
  public var failing: [Finding] { findings.filter { $0.fails(failOnImprovement: check.failOnImprovement) } }
  public var passed: Bool { failing.isEmpty }
  /// 0 when nothing got worse, 1 otherwise (sysexits has no code for "the check found a regression").
  public var exitCode: Int32 { passed ? 0 : 1 }

  public var runCount: Int { configurations.reduce(0) { $0 + $1.runIDs.count } }
  public var medianCount: Int { configurations.count { $0.hasMedian } }

  /// The findings about one subject (a run id, or a configuration's name for its median).
  public func findings(for subject: String, level: Finding.Level) -> [Finding] {
    findings.filter { $0.subject == subject && $0.level == level }
  }

  /// One line: PASS or FAIL, and why.
  public var verdict: String {
    let failing = self.failing
    let informational = findings.count { !$0.decides && $0.kind == .regression }
    var notes: [String] = []
    let improvementCount = improvements.count
    // Improvements at a level that does not decide (`--decide`) never fail, even with --fail-on-improvement:
    // counted apart, so that the PASS and FAIL lines of the same results agree.
    let informationalImprovements = improvements.count { !$0.decides }
    if improvementCount > 0 {
      notes.append(RegressionCheck.count(improvementCount, "improvement")
        + (informationalImprovements > 0 ? ", \(informationalImprovements) of them informational" : ""))
    }
    let informationalRegressions = "\(informational) informational regression\(informational == 1 ? "" : "s")"
    if informational > 0 { notes.append(informationalRegressions) }
    let aside = notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
    let scope = "\(RegressionCheck.count(runCount, "run"))" + (medianCount > 0 ? " and \(RegressionCheck.count(medianCount, "median")) across seeds" : "")
    if failing.isEmpty {
      let refresh = improvementCount > 0 ? "; make a new baseline to keep the improvements" : ""
      return "PASS: no regressions in \(scope)\(aside)\(refresh)"
    }
    let failingRegressions = failing.filter { $0.kind == .regression }
    if failingRegressions.isEmpty {
      var more: [String] = []
      if informationalImprovements > 0 { more.append("and \(informationalImprovements) informational") }
      if informational > 0 { more.append(informationalRegressions) }
      let aside = more.isEmpty ? "" : " (" + more.joined(separator: ", ") + ")"
      return "FAIL: no regressions, but \(RegressionCheck.count(failing.count, "improvement")) with --fail-on-improvement\(aside); make a new baseline with 'descent baseline'"
    }
    let runs = Set(failingRegressions.filter { $0.level == .run }.map(\.subject)).count
    let medians = Set(failingRegressions.filter { $0.level == .median }.map(\.subject)).count
    var whereText: [String] = []
    if runs > 0 { whereText.append(RegressionCheck.count(runs, "run")) }
    if medians > 0 { whereText.append(RegressionCheck.count(medians, "median") + " across seeds") }
    let failingImprovements = failing.count - failingRegressions.count
    let extra = failingImprovements > 0 ? ", and \(RegressionCheck.count(failingImprovements, "improvement")) with --fail-on-improvement" : ""
    return "FAIL: \(RegressionCheck.count(failingRegressions.count, "regression")) in \(whereText.joined(separator: " and "))\(extra)\(aside)"
  }

  /// The settings, one line each, as the reports print them.
  var settingsLines: [String] {
    [
      "tolerances: " + check.tolerances.summary,
      "decide: " + check.decision.summary,
      "improvements: " + (check.failOnImprovement ? "fail the check (--fail-on-improvement)" : "reported, never fail"),
    ]
  }

  var headline: String {
    "\(experiment): \(RegressionCheck.count(runCount, "run")) in \(resultsPath) against \(baselineFile) "
      + "(config sha256 \(configHash.prefix(12))…, baseline by descent \(baselineVersion), results by descent \(resultsVersion))"
  }
}
