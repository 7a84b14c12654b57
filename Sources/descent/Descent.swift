import ArgumentParser
import DescentCore
import DescentShims
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
      ReportCommand.self, ListCommand.self, EvalCommand.self,
    ])

  static func main() {
    // A standard descriptor the caller left closed (`2>&-`) would be given to the next file opened, and
    // messages meant for stderr would be written into a result: each is opened on /dev/null first.
    for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 {
      _ = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
    }
    main(nil)
    // A command that succeeded has printed its result: a report or a baseline on stdout that did not all reach
    // it (a full disk, `> /dev/full`) must not pass for success. stdio's buffer hides failed writes until here.
    let failure = descent_flush_standard_output()
    if failure != 0 {
      let reason = failure > 0 ? String(cString: strerror(failure)) : "a write to it failed"
      Failure.standardError("error: cannot write all of standard output: \(reason)\n")
      Foundation.exit(73)
    }
  }
}

/// One place that turns Descent's errors into a message on stderr and a sysexits code.
enum Failure {
  static func exit(_ message: String, code: Int32) -> ExitCode {
    standardError("error: " + message + "\n")
    return ExitCode(code)
  }

  static func exit(_ error: ConfigError) -> ExitCode {
    exit(error.description, code: error.exitCode)
  }

  /// An informational line on stderr.
  static func note(_ message: String) {
    standardError(message + "\n")
  }

  /// Writes `text` to stderr as far as stderr takes it: a closed or full stderr (`2>&-`, `2>/dev/full`)
  /// loses the message but must not turn an exit code into a crash, as `FileHandle.write` did.
  static func standardError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return }
      bytes = bytes.dropFirst(written)
    }
  }

  /// Warns, on stderr, about journal lines that were skipped (at most five named, then a count): the runs
  /// they recorded count as not done, which is never silent. Runs recorded again with other results are
  /// `warnReplaced`'s.
  static func warn(_ problems: [RunJournal.Problem], in path: String, consequence: String) {
    let skipped = problems.filter(\.skipped)
    list(skipped, "warning: \(path): \(skipped.count) journal line\(skipped.count == 1 ? " was" : "s were") skipped; \(consequence):")
  }

  /// Warns, on stderr, that planned runs are not complete in `path` (for a shard's directory, of its own runs:
  /// the other shards' are not missing), naming the first and why; `consequence` (" and not plotted") follows
  /// "not complete". The journal lines skipped, if any, are listed first.
  static func warnMissing(_ loaded: LoadedResults, in path: String, consequence: String = "") {
    let planned = loaded.plannedHere, missing = planned - loaded.runs.count
    guard missing > 0 else { return }
    warn(loaded.journalProblems, in: path, consequence: "\(missing) planned run\(missing == 1 ? " is" : "s are") not complete\(consequence)")
    let whose = loaded.shard.map { "shard \($0)'s " } ?? ""
    note("warning: \(path): \(missing) of \(whose)\(planned) planned run\(planned == 1 ? "" : "s") \(missing == 1 ? "is" : "are") not complete\(consequence); \(loaded.firstMissingHere)")
  }

  /// Reads the results directory at `path` for a command that reads results back (plot, baseline, check,
  /// report): its errors become the exit code they name, and runs recorded again with other results are
  /// warned about, as every reader must.
  static func loadResults(_ path: String) throws -> LoadedResults {
    let loaded: LoadedResults
    do {
      loaded = try LoadedResults.load(path)
    } catch {
      throw exit(error)
    }
    warnReplaced(loaded.journalProblems, in: path)
    return loaded
  }

  /// Warns about runs recorded again with other results (their later record is used), whenever results
  /// are read: unlike a skipped line, such a record counts, so it matters even when no run is missing.
  static func warnReplaced(_ problems: [RunJournal.Problem], in path: String) {
    let replaced = problems.filter { !$0.skipped }
    list(replaced, "warning: \(path): \(replaced.count) run\(replaced.count == 1 ? " was" : "s were") recorded again with other results (a sweep is deterministic: did the code or the files change between the runs?); the later record is used:")
  }

  /// Warns about recorded runs that `--resume` found incomplete (their files cut short, say) and ran again,
  /// with why: never silent, since it means the files were damaged.
  static func warnRemade(_ remade: [(id: String, reason: String)], in path: String) {
    list(remade.map { "\($0.id): \($0.reason)" }, "warning: \(path): \(remade.count) recorded run\(remade.count == 1 ? " was" : "s were") not complete and \(remade.count == 1 ? "was" : "were") run again:")
  }

  private static func list(_ lines: [some CustomStringConvertible], _ headline: String) {
    guard !lines.isEmpty else { return }
    note(headline)
    for line in lines.prefix(5) { note("  \(line)") }
    if lines.count > 5 { note("  … and \(lines.count - 5) more") }
  }

  /// Usage error (64).
  static func usage(_ message: String) -> ExitCode { exit(message, code: 64) }

  /// Usage error (64) in the arguments of `command`, followed by its usage line, as ArgumentParser prints
  /// for the errors it finds itself.
  static func usage(_ message: String, of command: any ParsableCommand.Type) -> ExitCode {
    let name = command.configuration.commandName ?? "\(command)"
    return usage(message + "\nUsage: " + Descent.usageString(for: command) + "\n  See 'descent \(name) --help' for more information.")
  }
}

func printJSON(_ value: JSONValue) {
  print(value.prettyPrinted(), terminator: "")
}
