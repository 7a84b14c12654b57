import ArgumentParser
import DescentCore

struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline", abstract: "Write a convergence baseline from a results directory.",
    discussion: """
      Keeps, per run id, the metrics that define convergence: status, steps (to converge), steps to each target, \
      final and best suboptimality (final and best f where f* is unknown), and the minimum reached; plus the config hash, the descent version, the targets, \
      seeds and step budget. No timing, so a baseline is reproducible bit for bit. The JSON has sorted keys and one \
      object per run: the same results always give the same bytes, and a change reads well in a diff.

      Commit the file and compare later results with it using 'descent check'. Exits 65 if the results are \
      incomplete (finish them with 'descent run CONFIG --resume' first).
      """)

  @Argument(help: "The results directory (written by 'descent run').")
  var results: String

  @Option(help: "The baseline file to write (default: standard output).")
  var output: String?

  func validate() throws {
    if results.isEmpty { throw ValidationError(emptyResultsPath) }
    if let output, let problem = ReportFile.conflict(output, results: results) { throw ValidationError("--output: \(problem)") }
  }

  func run() throws {
    let loaded = try Failure.loadResults(results)
    guard loaded.missingCount == 0 else {
      Failure.warn(loaded.journalProblems, in: results, consequence: "the runs they recorded count as not complete")
      let count = loaded.missingCount
      let shown = loaded.missingRuns(limit: 12).map(\.id).joined(separator: ", ") + (count > 12 ? ", … and \(count - 12) more" : "")
      throw Failure.exit("\(results) is incomplete: \(count) of \(loaded.experiment.runCount) runs are missing (\(shown); \(loaded.firstMissing)); "
        + loaded.directory.remedy(for: loaded.experiment, resume: "finish them with 'descent run CONFIG --resume'") + " before making a baseline", code: 65)
    }
    let baseline = Baseline(loaded)
    do {
      if let output { try baseline.write(to: output) } else { print(try baseline.checkedText(), terminator: "") }
    } catch {
      throw Failure.exit(error.message, code: error.exitCode)
    }
    if let output { Failure.note("baseline of \(baseline.runs.count) runs of \(baseline.experiment) → \(output)") }
  }
}
