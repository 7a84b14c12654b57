/// A results directory read back: its experiment (from `config.json`) and every completed run.
///
/// Files in a results directory are untrusted input: anything missing or malformed is a clear
/// `ConfigError` (exit 65/66), never a crash.
public struct LoadedResults: Sendable {
  public var directory: ResultsDirectory
  public var experiment: Experiment
  /// Completed runs in canonical order.
  public var runs: [(RunSpec, RunSummary)]
  /// Journal lines that could not be read (their runs are among the missing unless recorded again later).
  public var journalProblems: [RunJournal.Problem] = []
  /// Each function's pack, with `"format": "packed"`.
  let packs: [TrajectoryPack]
  /// The part of the sweep these results are (`--shard K/N`, as the manifest records it); `nil` for a whole
  /// sweep or merged shards. The other shards' runs are then planned but not here, by design.
  public var shard: Shard?

  public init(directory: ResultsDirectory, experiment: Experiment, runs: [(RunSpec, RunSummary)], journalProblems: [RunJournal.Problem] = []) {
    self.directory = directory
    self.experiment = experiment
    self.runs = runs
    self.journalProblems = journalProblems
    packs = experiment.packs()
  }

  /// How many planned runs are not complete in the directory.
  public var missingCount: Int { experiment.runCount - runs.count }

  /// The first `limit` planned runs, in canonical order, that are not complete (listing them all could
  /// mean tens of millions for a config that claims that many).
  public func missingRuns(limit: Int = .max) -> [RunSpec] {
    var missing: [RunSpec] = []
    var done = runs.makeIterator()
    var nextDone = done.next()?.0.index
    var index = 0
    while index < experiment.runCount, missing.count < limit {
      if index == nextDone {
        nextDone = done.next()?.0.index
      } else {
        missing.append(experiment.run(at: index))
      }
      index += 1
    }
    return missing
  }

  /// Reads `config.json` and the journal; the cost is what the journal holds, not what the config plans.
  public static func load(_ path: String) throws(ConfigError) -> LoadedResults {
    let directory = ResultsDirectory(path: path)
    // Followed if it is a link to a directory, as `path/` would be (results kept on another disk).
    guard FileIO.leadsToDirectory(path) else {
      throw .unreadable(file: path, reason: FileIO.exists(path) ? "not a results directory" : "no such directory")
    }
    let configPath = directory.file("config.json")
    let bytes = try Experiment.readConfigBytes(configPath)
    let experiment = try Experiment.decodeResultsConfig(bytes, file: configPath)
    // A config.json edited after the run (other steps, other targets) would have the results judged by a
    // config they were not made with: `baseline` wrote a baseline for 300 steps from runs of 200. The
    // manifest, written before any run, names the one they were made with; without it nothing does.
    let recorded: String, shard: Shard?
    do { (recorded, shard, _) = try Manifest.readExplaining(directory) } catch {
      throw .invalid(file: directory.file("manifest.json"), problems: [Diagnostic(path: "", "\(error.description.replacingOccurrences(of: "manifest.json", with: "the manifest")); it names the config the results were made with, which `descent run` writes before any run, so these results cannot be told from ones of another config")])
    }
    if recorded != experiment.configHash {
      throw .invalid(file: configPath, problems: [Diagnostic(path: "", "not the config manifest.json records (config_sha256 \(recorded.prefix(12))…): it was changed after the results were made from it")])
    }
    var problems: [RunJournal.Problem] = []
    let runs = directory.completedRuns(of: experiment, problems: &problems)
    var loaded = LoadedResults(directory: directory, experiment: experiment, runs: runs, journalProblems: problems)
    loaded.shard = shard
    return loaded
  }

  /// Why a planned run is not complete, read again from the journals and files (for a message about the first
  /// missing run; it costs a reading of the journals).
  public func whyMissing(_ run: RunSpec) -> String {
    if let shard {
      let home = Int(experiment.shardAssignment(shards: shard.count)[run.index]) + 1
      if home != shard.index { return "it is shard \(home)/\(shard.count)'s, and this directory holds shard \(shard): merge the shards for the whole sweep" }
    }
    return directory.whyMissing(run, of: experiment, packs: packs)
  }

  /// The message part naming the first missing run and why: "first: ID (why)"; empty when none is missing.
  public var firstMissing: String {
    guard let run = missingRuns(limit: 1).first else { return "" }
    return "first: \(run.id) (\(whyMissing(run)))"
  }

  /// The planned runs that belong in this directory: its shard's (`shard`), or every one.
  public var plannedHere: Int {
    guard let shard else { return experiment.runCount }
    return experiment.shardAssignment(shards: shard.count).count { Int($0) == shard.index - 1 }
  }

  /// `firstMissing` among the runs that belong here: "" when each of them is complete.
  public var firstMissingHere: String {
    guard let shard else { return firstMissing }
    let assignment = experiment.shardAssignment(shards: shard.count), done = Set(runs.map(\.0.index))
    guard let index = assignment.indices.first(where: { Int(assignment[$0]) == shard.index - 1 && !done.contains($0) }) else { return "" }
    let run = experiment.run(at: index)
    return "first: \(run.id) (\(whyMissing(run)))"
  }

  /// Why `trajectory(run)` gives nothing, read again (for a warning; only unreadable files pay for it).
  public func trajectoryProblem(_ run: RunSpec) -> String? {
    guard experiment.trajectoryFormat != nil else { return "no trajectory is recorded" }
    var problem: String?
    // The problem may quote the file's bytes (a cell, a header): its control characters (a CR of CRLF lines) escaped.
    return trajectory(run, problem: &problem) == nil ? Diagnostic.printable(problem ?? "unreadable") : nil
  }

  /// Reads a run's trajectory (`step,f,grad_norm,lr[,samples_seen][,x1,…]`) as rows of numbers; `nil` if it is
  /// unreadable, malformed, or not this run's: other columns than the run writes, steps that are not 0, …
  /// increasing, or a last step other than the one its record says the run stopped at (a file cut short at
  /// a row's end, or rows added, was plotted as if whole).
  public func trajectory(_ run: RunSpec) -> Trajectory? {
    var problem: String?
    return trajectory(run, problem: &problem)
  }

  func trajectory(_ run: RunSpec, problem: inout String?) -> Trajectory? {
    guard let format = experiment.trajectoryFormat else { return nil }
    let read: Trajectory?
    if format == .packed {
      read = packedTrajectory(run, problem: &problem)
    } else {
      read = Trajectory.read(directory.trajectoryPath(run.id, format: format), problem: &problem)
    }
    guard let trajectory = read else { return nil }
    let function = experiment.functions[run.function]
    let columns = TrajectoryWriter.columns(dimension: function.objective.dimension, writesX: experiment.writesX(function),
                                           samplesPerStep: function.samplesPerStep)
    guard trajectory.columns == columns else {
      problem = "its columns are \(trajectory.columns.joined(separator: ",")) where the run writes \(columns.joined(separator: ","))"
      return nil
    }
    guard trajectory.checkSteps(problem: &problem) else { return nil }
    if let summary = summary(of: run), trajectory[row: trajectory.rowCount - 1, column: 0] != Double(summary.steps) {
      problem = "its last row is step \(NumberText.readable(trajectory[row: trajectory.rowCount - 1, column: 0])) where the run stopped at step \(summary.steps)"
      return nil
    }
    return trajectory
  }

  /// A packed run's rows, read from its slot: as many as its record says it recorded.
  func packedTrajectory(_ run: RunSpec, problem: inout String?) -> Trajectory? {
    guard let summary = summary(of: run) else {
      problem = "it has no journal record"
      return nil
    }
    let pack = packs[run.function], rows = pack.rows(summary)
    let path = directory.packPath(experiment, function: run.function)
    let rate = pack.constantRate(of: run)
    guard var values = FileIO.readDoubles(path, offset: pack.offset(of: run), count: rows * pack.columns.count, room: rate == nil ? 0 : rows, fileBytes: {
      problem = "its pack holds \($0) bytes, which end before its \(rows) rows at offset \(pack.offset(of: run))"
    }) else {
      if problem == nil { problem = "its pack is " + (FileIO.exists(path) ? (FileIO.isRegularFile(path) ? "unreadable" : "not a regular file") : "missing") }
      return nil
    }
    guard let rate else { return Trajectory(columns: pack.columns, values: values) }
    return Trajectory.restoringRate(rate, columns: pack.columns, values: &values)
  }

  /// The completed run's record (`runs` is in canonical order).
  func summary(of run: RunSpec) -> RunSummary? {
    var low = 0, high = runs.count
    while low < high {
      let mid = (low + high) / 2
      if runs[mid].0.index < run.index { low = mid + 1 } else { high = mid }
    }
    return low < runs.count && runs[low].0.index == run.index ? runs[low].1 : nil
  }
}

/// A trajectory read back from its CSV or binary file.
public struct Trajectory: Sendable {
  public var columns: [String]
  /// Row-major values, `columns.count` per row, in one buffer: an array per row, with the line splitting
  /// that fed it, took about 16 times the file's size in memory.
  public var values: [Double]

  public init(columns: [String], values: [Double]) {
    precondition(!columns.isEmpty && values.count % columns.count == 0, "whole rows")
    self.columns = columns
    self.values = values
  }

  public var rowCount: Int { values.count / columns.count }

  public subscript(row row: Int, column column: Int) -> Double {
    precondition(columns.indices.contains(column), "column out of range")
    return values[row * columns.count + column]
  }

  /// Column `k`, top to bottom.
  public func column(at k: Int) -> [Double] {
    precondition(columns.indices.contains(k), "column out of range")
    let width = columns.count
    return values.withUnsafeBufferPointer { v in (0..<rowCount).map { v[$0 * width + k] } }
  }

  public func column(_ name: String) -> [Double]? { columns.firstIndex(of: name).map(column(at:)) }

  /// The rows as arrays of their own: convenient for short trajectories; a plot reads columns.
  public var rows: [[Double]] { (0..<rowCount).map { r in Array(values[(r * columns.count)..<((r + 1) * columns.count)]) } }

  /// The columns every trajectory starts with.
  static let leadingColumns = ["step", "f", "grad_norm", "lr"]

  /// Whether the rows are steps as a run records them: at least one, whole numbers from 0, increasing.
  func checkSteps(problem: inout String?) -> Bool {
    guard rowCount > 0 else {
      problem = "it has no rows"
      return false
    }
    var previous = -1.0
    for r in 0..<rowCount {
      let step = self[row: r, column: 0]
      guard step == step.rounded(), step >= 0, step < 1e15, step > previous, r > 0 || step == 0 else {
        problem = "row \(r + 1): step \(NumberText.readable(step))\(r == 0 ? " where the first is 0" : " after \(NumberText.readable(previous))")"
        return false
      }
      previous = step
    }
    return true
  }

  public static func read(_ path: String) -> Trajectory? {
    var problem: String?
    return read(path, problem: &problem)
  }

  /// `read`, saying in `problem` why a file is unreadable (for the warning that leaves its run out). A CSV
  /// file is read twice a megabyte at a time, its lines counted and then parsed, so that only its values are
  /// held (reading it whole held the text beside them: 2.2 times the values).
  public static func read(_ path: String, problem: inout String?) -> Trajectory? {
    if path.hasSuffix(".f64") { return readBinary(path, problem: &problem) }
    var lines = 0, bytes = 0
    let limit = 1 << 30
    guard FileIO.forEachLine(path, limit: limit, { line, _ in lines += 1; bytes += line.count + 1 }) else {
      problem = unreadableFile(path, limit: "1 GB")
      return nil
    }
    var parser = CSVParser(lines: lines, bytes: bytes)
    guard FileIO.forEachLine(path, limit: limit, { line, _ in parser.consume(line) }) else {
      problem = unreadableFile(path, limit: "1 GB")
      return nil
    }
    return parser.finish(problem: &problem)
  }

  static func unreadableFile(_ path: String, limit: String) -> String {
    guard FileIO.exists(path) else { return "missing" }
    return FileIO.isRegularFile(path) ? "unreadable, or over \(limit)" : "not a regular file"
  }

  static func parseCSV(_ text: UnsafeBufferPointer<UInt8>) -> Trajectory? {
    var problem: String?
    return parseCSV(text, problem: &problem)
  }

  /// `step,f,grad_norm,lr[,…]` and rows of exactly as many numbers; empty lines are skipped; `nil` if
  /// anything is malformed. The text's lines go through `CSVParser` as a file's do.
  static func parseCSV(_ text: UnsafeBufferPointer<UInt8>, problem: inout String?) -> Trajectory? {
    let newline = UInt8(ascii: "\n")
    let lines = text.reduce(0) { $1 == newline ? $0 + 1 : $0 } + 1
    var parser = CSVParser(lines: lines, bytes: text.count)
    var start = 0
    while start <= text.count {
      let end = text[start...].firstIndex(of: newline) ?? text.count
      parser.consume(UnsafeBufferPointer(rebasing: text[start..<end]))
      start = end + 1
    }
    return parser.finish(problem: &problem)
  }

  /// A CSV trajectory parsed a line at a time: the header, then rows of as many numbers, each cell parsed
  /// where it lies (`NumberText.parse` on bytes). The first problem stops it.
  struct CSVParser {
    private var columns: [String]?
    private var values: [Double] = []
    private var line = 0
    private var problem: String?
    /// The file's line and byte counts, which bound the room its values need.
    private let lines: Int, bytes: Int

    init(lines: Int, bytes: Int) {
      self.lines = lines
      self.bytes = bytes
    }

    mutating func consume(_ text: UnsafeBufferPointer<UInt8>) {
      line += 1
      guard problem == nil, !text.isEmpty else { return }
      guard let columns else { return header(text) }
      let comma = UInt8(ascii: ","), width = columns.count, n = text.count
      var cells = 0, i = 0
      while true {
        let start = i
        while i < n, text[i] != comma { i += 1 }
        guard cells < width else {
          problem = "line \(line): more than the header's \(width) cells"
          return
        }
        guard let v = NumberText.parse(UnsafeBufferPointer(rebasing: text[start..<i])) else {
          let cell = String(decoding: UnsafeBufferPointer(rebasing: text[start..<min(i, start + 40)]), as: UTF8.self)
          problem = "line \(line), column \(columns[cells]): not a number: \(JSONValue.string(cell).serialized())"
          return
        }
        values.append(v)
        cells += 1
        guard i < n else { break }
        i += 1
      }
      if cells != width { problem = "line \(line): \(cells) cells where the header has \(width)" }
    }

    private mutating func header(_ text: UnsafeBufferPointer<UInt8>) {
      let names = text.split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) }
      guard names.starts(with: Trajectory.leadingColumns) else {
        problem = "the header does not start with step,f,grad_norm,lr"
        return
      }
      columns = names
      // Room for every line's row, counted first (growing the array would hold it twice); at most a number
      // for every two bytes, whatever a hostile file claims.
      let (room, overflow) = lines.multipliedReportingOverflow(by: names.count)
      values.reserveCapacity(overflow ? bytes / 2 + 1 : min(room, bytes / 2 + 1))
    }

    consuming func finish(problem: inout String?) -> Trajectory? {
      if self.problem == nil, columns == nil { self.problem = "the header does not start with step,f,grad_norm,lr" }
      guard self.problem == nil, let columns else {
        problem = self.problem
        return nil
      }
      return Trajectory(columns: columns, values: values)
    }
  }

  /// What a binary trajectory's JSON sidecar says of it: its columns, the constant learning rate its rows
  /// leave out (if any), its row count and so the file's size in bytes; `nil`, with the problem, if the
  /// sidecar is missing or inconsistent. The sidecar is untrusted: `rows` must be a whole number.
  static func binaryLayout(_ path: String, problem: inout String?) -> (columns: [String], constantRate: Double?, rows: Int, bytes: Int)? {
    guard let sidecarBytes = FileIO.read(path + ".json", limit: 64 << 20) else {
      problem = "its sidecar \(path).json is " + unreadableFile(path + ".json", limit: "64 MB")
      return nil
    }
    guard case .object(let sidecar)? = try? JSONParser.parse(sidecarBytes) else {
      problem = "its sidecar is not a JSON object"
      return nil
    }
    guard let names = sidecar["columns"]?.arrayValue, case let columns = names.compactMap(\.stringValue),
      columns.count == names.count, columns.starts(with: leadingColumns.prefix(3))
    else {
      problem = "its sidecar's columns are not strings starting step, f, grad_norm"
      return nil
    }
    // A constant learning rate is given once, in `constants`, rather than in a column.
    let constantRate: Double?
    if columns.starts(with: leadingColumns) {
      constantRate = nil
    } else if case .number(let rate)? = sidecar["constants"]?.objectValue?["lr"] {
      constantRate = rate
    } else {
      problem = "its sidecar has neither an lr column after grad_norm nor a number at constants.lr"
      return nil
    }
    // What the writer puts there, when given, must be what is read: little-endian float64.
    for (key, value) in [("dtype", "float64"), ("endian", "little")] where sidecar[key] != nil && sidecar[key]?.stringValue != value {
      problem = "its sidecar's \(key) is \(sidecar[key]!.serialized()), where only \"\(value)\" is read"
      return nil
    }
    guard let rowCount = sidecar["rows"]?.numberValue.flatMap({ Int(exactly: $0) }), rowCount >= 0,
      case let (size, overflow) = rowCount.multipliedReportingOverflow(by: columns.count * 8), !overflow
    else {
      problem = "its sidecar's rows is not a row count"
      return nil
    }
    return (columns, constantRate, rowCount, size)
  }

  /// Reads a binary trajectory through its JSON sidecar (`binaryLayout`); `nil` if either is missing or
  /// inconsistent: the file must hold exactly the sidecar's rows.
  static func readBinary(_ path: String, problem: inout String?) -> Trajectory? {
    guard let layout = binaryLayout(path, problem: &problem) else { return nil }
    let (columns, constantRate, rowCount, size) = layout
    guard size <= 1 << 34, var values = FileIO.readDoubles(path, count: size / 8, room: constantRate == nil ? 0 : rowCount,
                                                           actualBytes: { problem = "\($0) bytes where the sidecar's \(rowCount) rows of \(columns.count) float64 need \(size)" })
    else {
      if problem == nil { problem = unreadableFile(path, limit: "16 GB") }
      return nil
    }
    guard let constantRate else { return Trajectory(columns: columns, values: values) }
    return restoringRate(constantRate, columns: columns, values: &values)
  }

  /// The trajectory of rows that leave a constant learning rate out (`columns` without `lr`): the `lr`
  /// column put back after `grad_norm`, in `values` (which should have room for it).
  static func restoringRate(_ rate: Double, columns: [String], values: inout [Double]) -> Trajectory {
    insertColumn(rate, at: 3, into: &values, width: columns.count)
    return Trajectory(columns: Array(columns[..<3]) + ["lr"] + columns[3...], values: values)
  }

  /// Widens row-major `values`, `width` a row, by a column of `value` before column `index`, in place: the
  /// rows move from the last one back, so a trajectory is never held twice (`readDoubles` left the room).
  static func insertColumn(_ value: Double, at index: Int, into values: inout [Double], width: Int) {
    precondition(width > 0 && values.count % width == 0 && (0...width).contains(index), "whole rows, a column in range")
    let rows = values.count / width
    values.append(contentsOf: repeatElement(value, count: rows))
    values.withUnsafeMutableBufferPointer { v in
      guard let base = v.baseAddress else { return }
      for r in stride(from: rows - 1, through: 0, by: -1) {
        let from = base + r * width, to = base + r * (width + 1)
        // From the row's end back: each value goes to the same or a higher address than it leaves.
        for j in stride(from: width - 1, through: index, by: -1) { to[j + 1] = from[j] }
        to[index] = value
        for j in stride(from: index - 1, through: 0, by: -1) { to[j] = from[j] }
      }
    }
  }
}
