import ArgumentParser
import DescentCore
import Foundation

@main
struct Descent: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "descent",
    abstract: "Benchmark optimizers on test landscapes: run experiments, plot them, and check for regressions.",
    version: DescentVersion.string,
    subcommands: [
      RunCommand.self, ValidateCommand.self, PlotCommand.self, MergeCommand.self, BaselineCommand.self, CheckCommand.self,
      SlurmCommand.self,
      ListCommand.self, EvalCommand.self,
    ])
}

/// One place that turns Descent's errors into a message on stderr and a sysexits code.
enum Failure {
  static func exit(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode(code)
  }

  static func exit(_ error: ConfigError) -> ExitCode {
    exit(error.description, code: error.exitCode)
  }

  /// An informational line on stderr.
  static func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
  }

  /// Warns, on stderr, about journal lines that were skipped (at most five named, then a count): the runs
  /// they recorded count as not done, which is never silent. Runs recorded again with other results are
  /// `warnReplaced`'s.
  static func warn(_ problems: [RunJournal.Problem], in path: String, consequence: String) {
    let skipped = problems.filter(\.skipped)
    list(skipped, "warning: \(path): \(skipped.count) journal line\(skipped.count == 1 ? " was" : "s were") skipped; \(consequence):")
  }

  /// Warns about runs recorded again with other results (their later record is used), whenever results
  /// are read: unlike a skipped line, such a record counts, so it matters even when no run is missing.
  static func warnReplaced(_ problems: [RunJournal.Problem], in path: String) {
    let replaced = problems.filter { !$0.skipped }
    list(replaced, "warning: \(path): \(replaced.count) run\(replaced.count == 1 ? " was" : "s were") recorded again with other results (a sweep is deterministic: did the code or the files change between the runs?); the later record is used:")
  }

  private static func list(_ problems: [RunJournal.Problem], _ headline: String) {
    guard !problems.isEmpty else { return }
    note(headline)
    for problem in problems.prefix(5) { note("  \(problem)") }
    if problems.count > 5 { note("  … and \(problems.count - 5) more") }
  }

  /// Usage error (64).
  static func usage(_ message: String) -> ExitCode { exit(message, code: 64) }
}

func printJSON(_ value: JSONValue) {
  print(value.prettyPrinted(), terminator: "")
}
