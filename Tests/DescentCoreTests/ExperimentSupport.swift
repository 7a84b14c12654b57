import Foundation
@testable import DescentCore

/// A fresh temporary directory, removed by the caller with `cleanUp`.
func temporaryDirectory(_ name: String = #function) -> String {
  let base = FileManager.default.temporaryDirectory.appendingPathComponent("descent-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
  try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
  return base.path
}

func cleanUp(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

func decodeExperiment(_ json: String, catalog: Catalog = .builtIn) throws -> Experiment {
  try Experiment.decode(Array(json.utf8), file: "test.json", catalog: catalog)
}

/// The problems reported for an invalid config, as "file: path: message" lines.
func configProblems(_ json: String) -> [String] {
  do {
    _ = try Experiment.decode(Array(json.utf8), file: "bad.json")
    return []
  } catch {
    switch error {
    case .invalid(_, let problems): return problems.map(\.description)
    default: return [error.description]
    }
  }
}

/// Runs `experiment` (or one shard) into `path` in-process, as `descent run` does, and writes its summary.
@discardableResult
func runExperiment(_ experiment: Experiment, configText: String, into path: String, jobs: Int = 2, shard: Shard? = nil,
                   mode: ResultsDirectory.Mode = .fresh, cancelAfter: Int? = nil) throws -> SweepResult {
  let directory = try ResultsDirectory.prepare(path, for: experiment, mode: mode)
  try directory.write(configText, to: "config.json")
  let cancellation = CancellationFlag()
  let runs = experiment.runs(in: shard)
  var manifest = Manifest(name: experiment.name, configHash: experiment.configHash, started: Date(), jobs: jobs,
                          runCount: experiment.runCount, runsHere: runs.count, shard: shard, status: "running")
  try manifest.write(to: directory)
  let result = try Sweep(experiment: experiment, directory: directory, jobs: jobs, cancellation: cancellation).execute(runs) { p in
    if let cancelAfter, p.done >= cancelAfter { cancellation.cancel() }
  }
  manifest.status = result.complete ? "complete" : "interrupted"
  try manifest.write(to: directory)
  if result.complete { try SummaryTable(experiment).write(result.summaries, to: directory) }
  return result
}

/// summary.csv without its timing column.
func summaryWithoutTiming(_ path: String) throws -> String {
  let text = try String(contentsOfFile: path + "/summary.csv", encoding: .utf8)
  return text.split(separator: "\n").map { line in
    line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
  }.joined(separator: "\n")
}

/// Every trajectory file's bytes, by name.
func trajectories(_ path: String) throws -> [String: Data] {
  var result: [String: Data] = [:]
  for name in try FileManager.default.contentsOfDirectory(atPath: path + "/runs") where name.hasSuffix(".csv") {
    result[name] = FileManager.default.contents(atPath: path + "/runs/" + name)
  }
  return result
}
