/// A results directory read back: its experiment (from `config.json`) and every completed run.
///
/// Files in a results directory are untrusted input: anything missing or malformed is a clear
/// `ConfigError` (exit 65/66), never a crash.
public struct LoadedResults: Sendable {
  public var directory: ResultsDirectory
  public var experiment: Experiment
  /// Completed runs in canonical order.
  public var runs: [(RunSpec, RunSummary)]
  /// Planned runs that are not complete in the directory.
  public var missing: [RunSpec]

  public static func load(_ path: String) throws(ConfigError) -> LoadedResults {
    let directory = ResultsDirectory(path: path)
    guard FileIO.isDirectory(path) else { throw .unreadable(file: path, reason: "not a results directory") }
    let configPath = directory.file("config.json")
    let bytes = try Experiment.readConfigBytes(configPath)
    let experiment = try Experiment.decode(bytes, file: configPath, runCap: nil)
    let planned = experiment.plannedRuns()
    let done = directory.completedRuns(planned, targets: experiment.targets, expectsTrajectory: experiment.record.writesTrajectory)
    var runs: [(RunSpec, RunSummary)] = []
    var missing: [RunSpec] = []
    for run in planned {
      if let s = done[run.index] { runs.append((run, s)) } else { missing.append(run) }
    }
    return LoadedResults(directory: directory, experiment: experiment, runs: runs, missing: missing)
  }

  /// Reads a trajectory CSV (`step,f,grad_norm,lr[,x1,…]`) as rows of numbers; `nil` if unreadable or malformed.
  public func trajectory(_ run: RunSpec) -> Trajectory? {
    Trajectory.read(directory.trajectoryPath(run.id))
  }
}

/// A trajectory read back from CSV.
public struct Trajectory: Sendable {
  public var columns: [String]
  /// Row-major values, `columns.count` per row.
  public var rows: [[Double]]

  public func column(_ name: String) -> [Double]? {
    guard let k = columns.firstIndex(of: name) else { return nil }
    return rows.map { $0[k] }
  }

  public static func read(_ path: String) -> Trajectory? {
    guard let bytes = FileIO.read(path, limit: 1 << 30) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    guard !lines.isEmpty else { return nil }
    let columns = lines.removeFirst().split(separator: ",").map(String.init)
    guard columns.starts(with: ["step", "f", "grad_norm", "lr"]) else { return nil }
    var rows: [[Double]] = []
    rows.reserveCapacity(lines.count)
    for line in lines {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      guard cells.count == columns.count else { return nil }
      var row: [Double] = []
      row.reserveCapacity(cells.count)
      for cell in cells {
        guard let v = NumberText.parse(cell) else { return nil }
        row.append(v)
      }
      rows.append(row)
    }
    return Trajectory(columns: columns, rows: rows)
  }
}
