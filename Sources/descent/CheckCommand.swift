import ArgumentParser
import DescentCore

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Compare a results directory with a baseline; exit 1 on a convergence regression.",
    discussion: """
      Per run, and per median across the seeds of a configuration (run ids equal apart from __seed=N), \
      each metric has a direction and counts only beyond its tolerance:

        status        converged → max_steps, anything → diverged: a regression
        steps         (both converged) worse by more than --steps-rel AND --steps-abs
        steps_to_<t>  the same; reached before and not now: a regression
        final_suboptimality, best_suboptimality
                      more than --factor times worse AND above --floor:
                      max(new, floor) > factor · max(old, floor)
        minimum       global → local → none, or another local minimum: a regression
        final_f, best_f
                      only where f* is unknown: worse by more than --f-rel of the
                      baseline's |f| (at least --floor)

      Improvements are the same rules the other way round: reported, and failing only with \
      --fail-on-improvement (to force a new baseline).

      --decide picks which comparisons decide. 'auto' (the default) lets the median across seeds decide \
      for configurations with \(DecisionRule.medianSeeds) or more seeds, so that one seed landing in another basin \
      does not fail a change, and single runs decide below that; a run that newly diverges decides \
      whatever the median says. 'per-run', 'median' and 'both' do what they say. The other level is still reported, marked informational.

      Prints the settings, a table of regressions, a table of improvements, and a one-line verdict. \
      Exit status: 0 nothing got worse; 1 a regression; 65 the baseline is not valid JSON or not a \
      baseline, was made from a different config, or its runs differ from the results' (counted, the first ids listed); \
      66 a file cannot be read.
      """)

  @Argument(help: "The results directory (written by 'descent run').")
  var results: String

  @Option(help: ArgumentHelp("The baseline file (written by 'descent baseline').", valueName: "file"))
  var baseline: String

  @Option(parsing: .unconditional, help: "Step counts regress only beyond this fraction of the baseline's count (and --steps-abs).")
  var stepsRel: Double = Tolerances().stepsRelative

  @Option(parsing: .unconditional, help: "Step counts regress only beyond this many steps (and --steps-rel).")
  var stepsAbs: Int = Tolerances().stepsAbsolute

  @Option(parsing: .unconditional, help: "Suboptimalities regress only beyond this factor (and above --floor).")
  var factor: Double = Tolerances().factor

  @Option(parsing: .unconditional, help: "Suboptimalities below this count as this, so noise at machine precision never fails.")
  var floor: Double = Tolerances().floor

  @Option(name: .customLong("f-rel"), parsing: .unconditional, help: "Where f* is unknown, final and best f regress beyond this fraction of the baseline's |f|.")
  var fRel: Double = Tolerances().valueRelative

  @Option(help: "Which comparisons decide the verdict: per run, the median across seeds, both, or auto (median from \(DecisionRule.medianSeeds) seeds).")
  var decide: DecisionRule = .auto

  @Flag(help: "Fail (exit 1) on improvements too, so that a better result forces a new baseline.")
  var failOnImprovement = false

  @Option(help: ArgumentHelp("Also write a GitHub-flavoured Markdown summary here (e.g. \"$GITHUB_STEP_SUMMARY\").", valueName: "file"))
  var markdown: String?

  @Option(help: ArgumentHelp("Also write JUnit XML here: one test case per run and per median.", valueName: "file"))
  var junit: String?

  @Flag(help: "Print only the verdict line.")
  var quiet = false

  var tolerances: Tolerances {
    Tolerances(stepsRelative: stepsRel, stepsAbsolute: stepsAbs, factor: factor, floor: floor, valueRelative: fRel)
  }

  func validate() throws {
    if results.isEmpty { throw ValidationError(emptyResultsPath) }
    if baseline.isEmpty { throw ValidationError("--baseline: the path is empty; give the baseline file") }
    if let problem = tolerances.problem { throw ValidationError(problem) }
    if let markdown, let problem = ReportFile.conflict(markdown, results: results, others: [(baseline, "the baseline")]) {
      throw ValidationError("--markdown: \(problem)")
    }
    if let junit, let problem = ReportFile.conflict(junit, results: results, others: [(baseline, "the baseline")] + (markdown.map { [($0, "the --markdown report")] } ?? [])) {
      throw ValidationError("--junit: \(problem)")
    }
  }

  func run() throws {
    let loaded = try Failure.loadResults(results)
    Failure.warnMissing(loaded, in: results)
    let report: CheckReport
    do {
      let committed = try Baseline.read(baseline)
      let check = RegressionCheck(tolerances: tolerances, decision: decide, failOnImprovement: failOnImprovement)
      report = try check.compare(committed, with: Baseline(loaded), baselineFile: baseline, resultsPath: results)
    } catch {
      throw Failure.exit(error)
    }
    print(quiet ? report.verdict : report.terminalText, terminator: quiet ? "\n" : "")
    do {
      if let markdown { try ReportFile.write(report.markdown, to: markdown) }
      if let junit { try ReportFile.write(report.junitXML, to: junit) }
    } catch {
      throw Failure.exit(error.message, code: error.exitCode)
    }
    if !report.passed { throw ExitCode(report.exitCode) }
  }
}

extension DecisionRule: ExpressibleByArgument {}
