import DescentCore
import Foundation
import GnuplotKit

@testable import DescentPlots

/// Whether a real gnuplot is on this machine's PATH; tests that run it are skipped, and say so, when it is not.
let realGnuplotIsInstalled = Gnuplot.locate() != nil

/// A fresh directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory: Sendable {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("DescentPlotsTests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Writes an executable shell script called `gnuplot` with `body` after the `#!/bin/sh` line, and returns the
  /// environment whose PATH is just this directory.
  func fakeGnuplot(_ body: String) throws -> [String: String] {
    try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: file("gnuplot")))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file("gnuplot"))
    return ["PATH": path]
  }
}

/// Runs the experiment in `config` into `<directory>/results` as `descent run` does (config.json, runs, summary),
/// and reads it back as the plots see it.
func runExperiment(_ config: String, in directory: TemporaryDirectory) throws -> LoadedResults {
  let experiment = try Experiment.decode(Array(config.utf8), file: "test.json")
  let path = directory.file("results")
  let results = try ResultsDirectory.prepare(path, for: experiment, mode: .fresh)
  try results.write(config, to: "config.json")
  // Its manifest, as `descent run` writes it first: it names the config the results were made with.
  try Manifest(name: experiment.name, configHash: experiment.configHash, started: Date(), jobs: 2, runCount: experiment.runCount,
               runsHere: experiment.runCount, shard: nil, status: "complete").write(to: results)
  let sweep = try Sweep(experiment: experiment, directory: results, jobs: 2).execute(experiment.plannedRuns())
  try SummaryTable(experiment).write(sweep.summaries, to: results)
  return try LoadedResults.load(path)
}

/// A small experiment with one function of each dimension the plots treat apart (2-D and 1-D), a learning-rate
/// sweep, several seeds and targets.
func smallConfig(description: String = "plots test") -> String {
  """
  {
    "name": "plots-test",
    "description": \(jsonString(description)),
    "steps": 150,
    "seeds": 3,
    "targets": [1e-2, 1e-6],
    "stop": {"grad_norm": 1e-10, "divergence": 1e8},
    "functions": [
      {"name": "quadratic", "label": "bowl_2.d-x", "diag": [0.5, 2], "start": [-3, 2]},
      {"name": "xcos", "start": "random"}
    ],
    "optimizers": [
      {"name": "gd", "label": "gd_x.1", "lr": {"grid": [0.05, 0.2]}},
      {"name": "adam", "label": "my_adam", "lr": 0.1}
    ]
  }
  """
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
  let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
  return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
}

/// Whether the file at `path` starts with `prefix`.
func fileStarts(_ path: String, with prefix: [UInt8]) -> Bool {
  guard let data = FileManager.default.contents(atPath: path) else { return false }
  return Array(data.prefix(prefix.count)) == prefix
}

let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// Runs the real gnuplot on `script` in `directory`, as a person would: `gnuplot script.gp`.
func runGnuplotByHand(_ script: String, in directory: String) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = Gnuplot.locate()
  process.arguments = [script]
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let output = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
