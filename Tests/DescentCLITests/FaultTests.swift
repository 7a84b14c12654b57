import DescentCore
import Foundation
import Testing

/// Faults during a run: kills, full disks, unwritable output. Nothing complete may be lost, and nothing
/// incomplete may look complete.
@Suite("Faults during a run", .serialized)
struct FaultTests {
  static let config = #"{"name": "fault", "description": "a sweep to break", "steps": 4000, "seeds": 12, "record": "every", "functions": [{"name": "rosenbrock", "dim": 3}, {"name": "booth"}], "optimizers": [{"name": "adam", "lr": {"grid": [0.001, 0.01]}}, {"name": "nesterov"}]}"#

  /// Every file under its final name in runs/ is complete: records parse, trajectories have every row.
  func assertNothingTruncated(_ results: String) throws {
    let runs = results + "/runs"
    for (id, summary) in RunJournal.records(in: ResultsDirectory(path: results), targets: []) {
      let trajectory = try #require(Trajectory.read(runs + "/" + id + ".csv"), "\(id) has a record but no complete trajectory")
      #expect(trajectory.rows.count == summary.steps + 1)
    }
    // A trajectory renamed into place just before a kill may lack its record (the run is then redone), but
    // it is never cut short: every row is whole.
    for name in try FileManager.default.contentsOfDirectory(atPath: runs) where !name.hasPrefix(".") && name.hasSuffix(".csv") {
      #expect(Trajectory.read(runs + "/" + name) != nil, "\(name) is truncated")
    }
  }

  @Test("kill -9 at random moments leaves no truncated file that looks complete, and --resume recovers")
  func killNine() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(Self.config, to: dir + "/fault.json")
    var rng = SplitMix64(seed: 9)
    for attempt in 0..<4 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: descentBinary)
      process.arguments = ["run", "fault.json", "--no-plot", "--quiet", attempt == 0 ? "--force" : "--resume"]
      process.currentDirectoryURL = URL(fileURLWithPath: dir)
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(20_000 + rng.next() % 250_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if FileManager.default.fileExists(atPath: dir + "/Results/fault/runs") {
        try assertNothingTruncated(dir + "/Results/fault")
      }
    }
    let resumed = try descent(["run", "fault.json", "--resume", "--no-plot"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try descent(["run", "fault.json", "--output", "whole", "--no-plot", "--quiet"], in: dir).status == 0)
    func withoutTiming(_ path: String) throws -> String {
      try String(contentsOfFile: dir + "/" + path, encoding: .utf8).split(separator: "\n")
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }.joined(separator: "\n")
    }
    #expect(try withoutTiming("Results/fault/summary.csv") == withoutTiming("whole/summary.csv"))
  }

  @Test("an unwritable output directory is a clear error with exit 73")
  func unwritable() throws {
    let r = try descent(["run", repositoryRoot + "/Configs/d2l-quadratic.json", "--output", "/proc/descent-results", "--no-plot"])
    #expect(r.status == 73)
    #expect(r.stderr.contains("cannot create directory /proc/descent-results"))
  }

  @Test("a full disk is a clear error with exit 73, and the runs already written stay intact")
  func diskFull() throws {
    let dir = temporaryDirectory()
    let mountPoint = dir + "/tiny"
    defer {
      _ = try? run("/bin/umount", [mountPoint])
      try? FileManager.default.removeItem(atPath: dir)
    }
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    guard (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint])) == 0 else {
      print("skipped: cannot mount a tmpfs here (needs root)")
      return
    }
    write(Self.config, to: dir + "/fault.json")
    let r = try descent(["run", "fault.json", "--output", mountPoint + "/out", "--no-plot", "--quiet"], in: dir)
    #expect(r.status == 73)
    #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
    try assertNothingTruncated(mountPoint + "/out")
  }

  func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
  }
}
