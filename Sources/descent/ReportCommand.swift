import ArgumentParser
import DescentCore

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Rank each function's optimizer settings by how fast and how often their runs reached the targets.",
    usage: "descent report <results> [--json | --markdown]",
    discussion: """
      For each function setting: every optimizer setting's runs, diverged runs, average running time (aRT, \
      as COCO defines it: the steps all runs spent per run that reached the target) and runs that reached \
      each target, and the median final f - f*. Best first: by aRT on the smallest target, then the next, \
      then by median final f - f* (f where f* is unknown), then config order. Read from the results \
      directory's files alone; runs not complete are left out, and said to be.
      """)

  @Argument(help: "The results directory.")
  var results: String

  @Flag(help: "Print JSON.")
  var json = false

  @Flag(help: "Print GitHub-flavoured Markdown, for a CI job's summary: descent report DIR --markdown >> \"$GITHUB_STEP_SUMMARY\"")
  var markdown = false

  func validate() throws {
    if results.isEmpty { throw ValidationError(emptyResultsPath) }
    if json && markdown { throw ValidationError("--json and --markdown are two formats of one report; give one") }
  }

  func run() throws {
    let loaded = try Failure.loadResults(results)
    guard !loaded.runs.isEmpty else {
      Failure.warn(loaded.journalProblems, in: results, consequence: "the runs they recorded count as not complete")
      let whose = loaded.shard.map { "shard \($0)'s " } ?? ""
      throw Failure.exit("\(results): none of \(whose)\(loaded.plannedHere) planned runs is complete (\(loaded.firstMissingHere)); nothing to report", code: 65)
    }
    Failure.warnMissing(loaded, in: results, consequence: " and not reported")
    let report = SettingsReport(loaded)
    if json {
      printJSON(report.json)
    } else {
      print(markdown ? report.markdown : report.text, terminator: "")
    }
  }
}
