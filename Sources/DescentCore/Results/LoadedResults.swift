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
    let experiment = try Experiment.decodeResultsConfig(bytes, file: configPath)
    let planned = experiment.plannedRuns()
    let done = directory.completedRuns(planned, targets: experiment.targets, trajectory: experiment.trajectoryFormat)
    var runs: [(RunSpec, RunSummary)] = []
    var missing: [RunSpec] = []
    for run in planned {
      if let s = done[run.index] { runs.append((run, s)) } else { missing.append(run) }
    }
    return LoadedResults(directory: directory, experiment: experiment, runs: runs, missing: missing)
  }

  /// Reads a trajectory CSV (`step,f,grad_norm,lr[,x1,…]`) as rows of numbers; `nil` if unreadable or malformed.
  public func trajectory(_ run: RunSpec) -> Trajectory? {
    experiment.trajectoryFormat.flatMap { Trajectory.read(directory.trajectoryPath(run.id, format: $0)) }
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

  /// The columns every trajectory starts with.
  static let leadingColumns = ["step", "f", "grad_norm", "lr"]

  public static func read(_ path: String) -> Trajectory? {
    if path.hasSuffix(".f64") { return readBinary(path) }
    guard let bytes = FileIO.read(path, limit: 1 << 30) else { return nil }
    // Split on bytes, not Characters: grapheme breaking made reading cost ten times writing.
    let newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ",")
    var lines = bytes.split(separator: newline, omittingEmptySubsequences: true)[...]
    guard let header = lines.popFirst() else { return nil }
    let columns = header.split(separator: comma).map { String(decoding: $0, as: UTF8.self) }
    guard columns.starts(with: leadingColumns) else { return nil }
    var rows: [[Double]] = []
    rows.reserveCapacity(lines.count)
    for line in lines {
      var row: [Double] = []
      row.reserveCapacity(columns.count)
      for cell in line.split(separator: comma, omittingEmptySubsequences: false) {
        guard row.count < columns.count, let v = NumberText.parse(Substring(decoding: cell, as: UTF8.self)) else { return nil }
        row.append(v)
      }
      guard row.count == columns.count else { return nil }
      rows.append(row)
    }
    return Trajectory(columns: columns, rows: rows)
  }

  /// Reads a binary trajectory through its JSON sidecar; `nil` if either is missing or inconsistent. The
  /// sidecar is untrusted: `rows` must be a whole number whose rows the file holds exactly.
  static func readBinary(_ path: String) -> Trajectory? {
    guard let sidecarBytes = FileIO.read(path + ".json", limit: 1 << 20),
      case .object(let sidecar)? = try? JSONParser.parse(sidecarBytes),
      let names = sidecar["columns"]?.arrayValue, case let columns = names.compactMap(\.stringValue),
      columns.count == names.count, columns.starts(with: leadingColumns),
      let rowCount = sidecar["rows"]?.numberValue.flatMap({ Int(exactly: $0) }), rowCount >= 0,
      case let (size, overflow) = rowCount.multipliedReportingOverflow(by: columns.count * 8), !overflow,
      let bytes = FileIO.read(path, limit: 1 << 34), bytes.count == size
    else { return nil }
    var rows: [[Double]] = []
    rows.reserveCapacity(rowCount)
    bytes.withUnsafeBytes { raw in
      for r in 0..<rowCount {
        rows.append((0..<columns.count).map { c in
          Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: (r * columns.count + c) * 8, as: UInt64.self)))
        })
      }
    }
    return Trajectory(columns: columns, rows: rows)
  }
}
