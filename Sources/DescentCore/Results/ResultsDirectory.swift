import Foundation

/// The layout of a results directory:
///
/// ```
/// config.json        the config as given
/// manifest.json      hash, version, times, jobs, host, shard, status
/// summary.csv/.json  one row per run, in canonical order
/// runs/<id>.csv      trajectories (`.f64` and a `.f64.json` sidecar with "format": "binary")
/// runs/<function>.pack.f64(.json)  with "format": "packed", a function's trajectories and their index
/// runs/journal-*.jsonl  one record per completed run (see `RunJournal`)
/// plots/             scripts, data and pictures (plots/text/: the dumb terminal's scripts and data)
/// ```
/// Every file is written as a `PendingFile`: unnamed, or under a temporary name, until it is whole.
public struct ResultsDirectory: Sendable {
  public let path: String

  public init(path: String) { self.path = path }

  public var runsPath: String { path + "/runs" }
  public func file(_ name: String) -> String { path + "/" + name }
  public func trajectoryPath(_ id: String, format: TrajectoryFormat = .csv) -> String { runsPath + "/" + id + "." + format.fileExtension }

  public enum Mode: Sendable { case fresh, resume, force }

  /// Creates (or, with `.resume`, reopens; with `.force`, replaces) the directory for `experiment`.
  /// `resumable`: whether the command offers `--resume`, which the refusal of a non-empty directory names.
  public static func prepare(_ path: String, for experiment: Experiment, mode: Mode, resumable: Bool = true) throws(OutputError) -> ResultsDirectory {
    // An empty path would put the results at the file system's root ("" + "/runs").
    guard !path.isEmpty else { throw OutputError("the results directory's path is empty; give a directory, e.g. --output Results/name", exitCode: 64) }
    let directory = ResultsDirectory(path: path)
    if FileIO.isSymlink(path) {
      throw OutputError("\(path) is a symbolic link; give a real directory as --output", exitCode: 73)
    }
    if FileIO.exists(path) {
      guard FileIO.isDirectory(path) else { throw OutputError("\(path) exists and is not a directory", exitCode: 73) }
      let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      if !contents.isEmpty {
        switch mode {
        case .fresh:
          guard holdsDescentResults(directory, contents: contents) else { throw notResults(path, "give a new or empty directory as --output") }
          let remedy = resumable ? "pass --resume to complete them or --force to replace them" : "pass --force to replace them"
          throw OutputError("\(path) already holds results; \(remedy)", exitCode: 64)
        case .force:
          guard holdsDescentResults(directory, contents: contents) else { throw notResults(path, "refusing to delete it with --force") }
          // Emptied in place: the directory, and the lock `descent run` holds on it, stay.
          for name in contents {
            do { try FileManager.default.removeItem(atPath: directory.file(name)) } catch {
              throw OutputError("cannot remove \(directory.file(name)): \((error as NSError).localizedDescription)")
            }
          }
        case .resume:
          // The config the results were made with must be there and be this one; only a directory that
          // never got as far as writing it (no journal yet) may lack it.
          let config = directory.file("config.json")
          let holds = holdsDescentResults(directory, contents: contents), journals = !RunJournal.journalNames(in: directory).isEmpty
          // Neither results Descent wrote nor runs of its own to complete: not a directory to resume in.
          if !holds && !journals {
            throw notResults(path, "--resume completes a results directory; give a new or empty directory as --output")
          }
          // Where --resume is refused, the way out --force offers only where it would take the directory.
          let instead = holds ? "use --force to replace them"
            : "remove the directory or give another --output (--force replaces only a directory whose manifest.json Descent wrote)"
          if FileIO.exists(config) || journals {
            guard let bytes = FileIO.read(config), let json = try? JSONParser.parse(bytes) else {
              throw OutputError("\(path) holds results without a readable config.json; --resume needs results of the same config; \(instead)", exitCode: 65)
            }
            if Experiment.configHash(of: json) != experiment.configHash {
              throw OutputError("\(path) holds results of a different config\(Self.differingKeys(json, experiment.source)); --resume needs the same config; \(instead)", exitCode: 65)
            }
            // config.json edited after the run began, to match the config given now: the manifest still
            // names the config the results were made with. It is written before any run, so only a
            // directory with no journal yet may lack it.
            let recorded: String?
            do { recorded = try Manifest.readExplaining(directory).configHash } catch {
              guard RunJournal.journalNames(in: directory).isEmpty else {
                throw OutputError("\(path): \(error); it names the config the results were made with, so --resume cannot tell them from another config's; \(instead)", exitCode: 65)
              }
              recorded = nil
            }
            if let recorded, recorded != experiment.configHash {
              throw OutputError("\(path)/config.json is not the config its manifest.json records (config_sha256 \(recorded.prefix(12))…); its results were made with another config, so --resume would mix them; \(instead)", exitCode: 65)
            }
            // Packs written by a version of Descent that lays their slots out otherwise.
            for (function, pack) in experiment.packs().enumerated() {
              if let problem = directory.packLayoutProblem(experiment, function: function, pack: pack) {
                throw OutputError("\(directory.packPath(experiment, function: function)) \(problem); --resume would mix the two layouts; \(instead)", exitCode: 65)
              }
            }
          }
        }
      }
    }
    try FileIO.makeDirectory(directory.runsPath)
    if FileIO.isSymlink(directory.runsPath) {
      throw OutputError("\(directory.runsPath) is a symbolic link; refusing to write through it")
    }
    return directory
  }

  /// An exclusive lock on a results directory (`flock` on the directory itself), held while `descent run`
  /// or `descent merge` writes it: a second run or merge given the same `--output` is refused, instead of mixing its files in, running
  /// the same runs twice, or deleting them with `--force`. The kernel releases it when the process ends,
  /// however it ends.
  public final class Lock: Sendable {
    private let fd: Int32
    private let path: String
    /// Whether `acquire` made the directory (nothing was there before).
    private let madeDirectory: Bool
    private init(fd: Int32, path: String, madeDirectory: Bool) {
      self.fd = fd
      self.path = path
      self.madeDirectory = madeDirectory
    }
    deinit { close(fd) }

    /// Removes the directory again if `acquire` made it and nothing has been written into it: a run stopped
    /// before it wrote anything leaves things as it found them.
    public func removeIfUnwritten() {
      if madeDirectory { _ = rmdir(path) }
    }

    /// Makes the directory at `path` if nothing is there, and locks it, before anything judges, empties or
    /// writes it: a second run then finds the lock taken whatever it was asked to do. `nil` where there is no
    /// directory to lock (a file or a link there, which `prepare` refuses) or where the file system has no
    /// `flock` (NFS, Lustre without it): the run goes on unlocked there, as before locks.
    public static func acquire(_ path: String) throws(OutputError) -> Lock? {
      guard !path.isEmpty else { return nil }
      let madeDirectory = !FileIO.exists(path)
      if madeDirectory { try FileIO.makeDirectory(path) }
      let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard fd >= 0 else { return nil }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        let busy = errno == EWOULDBLOCK
        close(fd)
        guard busy else { return nil }
        throw OutputError("\(path) is being written by another descent run or merge (it holds the directory's lock); wait for it to finish, or give another --output", exitCode: 75)
      }
      return Lock(fd: fd, path: path, madeDirectory: madeDirectory)
    }
  }

  /// `--resume` continues the part of the sweep the directory holds: results of shard K/N, or of the whole
  /// sweep, are refused for another part, whose summary would list only its own runs beside their files.
  public func checkResumes(shard: Shard?) throws(OutputError) {
    guard let recorded = Manifest.read(self), recorded.shard != shard else { return }
    func part(_ s: Shard?) -> String { s.map { "shard \($0)" } ?? "the whole sweep (no --shard)" }
    throw OutputError("\(path) holds \(part(recorded.shard)), not \(part(shard)); --resume continues the same part of the sweep (or use --force)", exitCode: 65)
  }

  /// Whether a non-empty directory listing `contents` holds what Descent writes, and so may be reported
  /// on, resumed or replaced by `--force`: a manifest that Descent can read (any JSON file named
  /// manifest.json or config.json is not enough), or only what a run writes before its manifest: an empty
  /// runs/, and its config.json.
  static func holdsDescentResults(_ directory: ResultsDirectory, contents: [String]) -> Bool {
    if Manifest.read(directory) != nil { return true }
    return (contents.sorted() == ["runs"] || contents.sorted() == ["config.json", "runs"]) && FileIO.isDirectory(directory.runsPath)
      && ((try? FileManager.default.contentsOfDirectory(atPath: directory.runsPath)) ?? ["?"]).isEmpty
  }

  /// Refuses a path that `--force` (or a merge job) could not replace: a file, or a non-empty directory
  /// that does not hold Descent results. Nothing there, or an empty directory, is fine.
  public static func checkReplaceable(_ path: String, remedy: String) throws(OutputError) {
    guard FileIO.exists(path) else { return }
    guard FileIO.isDirectory(path) else { throw OutputError("\(path) exists and is not a directory; \(remedy)", exitCode: 73) }
    let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    if !contents.isEmpty && !holdsDescentResults(ResultsDirectory(path: path), contents: contents) { throw notResults(path, remedy) }
  }

  static func notResults(_ path: String, _ remedy: String) -> OutputError {
    OutputError("\(path) is not empty and does not hold Descent results (no manifest.json written by Descent); \(remedy)", exitCode: 73)
  }

  /// ` ("KEY", "KEY" differ)`: the top-level keys whose values differ between two configs, for a message;
  /// empty when either is not an object or none differs at the top. Values are compared with their objects'
  /// keys sorted, as the config hash compares them.
  static func differingKeys(_ a: JSONValue, _ b: JSONValue) -> String {
    guard let a = a.objectValue, let b = b.objectValue else { return "" }
    var keys = a.keys
    for key in b.keys where a[key] == nil { keys.append(key) }
    let differing = keys.filter { a[$0]?.serialized(sortedKeys: true) != b[$0]?.serialized(sortedKeys: true) }
    guard !differing.isEmpty else { return "" }
    return " (" + differing.map { "\"\($0)\"" }.joined(separator: ", ") + (differing.count == 1 ? " differs)" : " differ)")
  }

  public func write(_ text: String, to name: String) throws(OutputError) {
    try FileIO.writeAtomically(text: text, to: file(name))
  }

  /// The completed runs among `runs` of `experiment`, as `--resume` finds them: those with a well-formed
  /// journal record naming the same run and seed, and whose trajectory is whole when one is expected (a
  /// CSV or binary file ending with the run's last step, a binary one with its sidecar, a packed one's
  /// slot within its pack). Anything else is run again. The journal lines it had to skip are added to
  /// `problems`.
  /// `incomplete` is told each run that has a journal record which does not complete it, and why: such a run
  /// is made again, and the caller says so.
  public func completedRuns(_ runs: [RunSpec], of experiment: Experiment, problems: inout [RunJournal.Problem],
                            incomplete: (RunSpec, String) -> Void = { _, _ in }) -> [Int: RunSummary] {
    let (records, skipped) = RunJournal.read(in: self, targets: experiment.targets)
    problems += skipped
    var done: [Int: RunSummary] = [:]
    let packs = experiment.packs()
    let looks = PackLooks()
    for run in runs {
      guard let summary = records[run.id] else { continue }
      if let why = incompleteness(run, summary, of: experiment, packs: packs, looks: looks, checkingEnds: true) {
        incomplete(run, why)
      } else {
        done[run.index] = summary
      }
    }
    return done
  }

  /// The completed runs of `experiment`, in canonical order, as `completedRuns(_:…)` judges them, found
  /// from the journal's records: the cost is what the journal holds, however many runs the config plans.
  /// `checkingEnds`: whether each CSV or binary trajectory's end is read to see that it is whole, as
  /// `merge` does before copying; reading results back for `plot`, `check` and `baseline` only sees that
  /// the files are there (a plot reads every row anyway, and a check reads none).
  public func completedRuns(of experiment: Experiment, checkingEnds: Bool = false, problems: inout [RunJournal.Problem]) -> [(RunSpec, RunSummary)] {
    let (records, skipped) = RunJournal.read(in: self, targets: experiment.targets)
    problems += skipped
    let lookup = experiment.runLookup, packs = experiment.packs()
    let looks = PackLooks()
    // Reserved once and sorted in place: grown by appending and then sorted into a copy, the list took up
    // to three times its size at the peak of reading a large sweep back.
    var done: [(RunSpec, RunSummary)] = []
    done.reserveCapacity(records.count)
    for summary in records.values {
      guard let run = lookup.run(id: summary.runID, seed: summary.seed) else { continue }
      done.append((run, summary))
    }
    // Checked in canonical order: a pack's runs one after another, its slots read in file order.
    done.sort { $0.0.index < $1.0.index }
    done.removeAll { !isComplete($0.0, $0.1, of: experiment, packs: packs, looks: looks, checkingEnds: checkingEnds) }
    return done
  }

  /// Whether a journal record completes `run`: it names the same seed, its steps are within the experiment's
  /// (and its targets reached within them), and the trajectory is there when one is expected (a binary
  /// file with its sidecar, a packed run's rows in its slot; with `checkingEnds`, a CSV or binary file that
  /// ends with the run's last step). `packs`: `experiment.packs()`; `looks`: the packs looked at so far,
  /// each once for all its runs.
  func isComplete(_ run: RunSpec, _ summary: RunSummary, of experiment: Experiment, packs: [TrajectoryPack], looks: PackLooks,
                  checkingEnds: Bool) -> Bool {
    incompleteness(run, summary, of: experiment, packs: packs, looks: looks, checkingEnds: checkingEnds) == nil
  }

  /// Why a journal record does not complete `run` (`isComplete`), or `nil` when it does.
  func incompleteness(_ run: RunSpec, _ summary: RunSummary, of experiment: Experiment, packs: [TrajectoryPack], looks: PackLooks = PackLooks(),
                      checkingEnds: Bool) -> String? {
    if summary.seed != run.seed { return "its journal record names seed \(summary.seed), not \(run.seed)" }
    if let problem = Self.stepsProblem(summary, steps: experiment.steps) { return problem }
    guard let trajectory = experiment.trajectoryFormat else { return nil }
    if trajectory == .packed { return packProblem(run, summary, in: experiment, pack: packs[run.function], looks: looks) }
    return trajectoryFileProblem(run, summary, format: trajectory, checkingEnds: checkingEnds)
  }

  /// Why a completed run's own trajectory file (CSV, or binary with its sidecar) is not whole, if it is not:
  /// missing, or not a regular file; with `checkingEnds`, also not ending with the row of the step the run
  /// stopped at, which the writer always records last (a file cut short, or written over). That is a check
  /// of the file's end and, for binary files, of the sidecar's rows against the file's size, not a reading
  /// of every row.
  func trajectoryFileProblem(_ run: RunSpec, _ summary: RunSummary, format: TrajectoryFormat, checkingEnds: Bool = true) -> String? {
    let path = trajectoryPath(run.id, format: format)
    let relative = "runs/" + run.id + "." + format.fileExtension
    if !FileIO.isRegularFile(path) {
      return FileIO.exists(path) ? "its trajectory \(relative) is not a regular file" : "its trajectory \(relative) is missing"
    }
    if format == .binary, !FileIO.isRegularFile(path + ".json") {
      return "the sidecar \(relative).json of its trajectory is missing or not a regular file"
    }
    guard checkingEnds else { return nil }
    let last: Double?
    if format == .binary {
      var problem: String?
      guard let layout = Trajectory.binaryLayout(path, problem: &problem) else { return "its trajectory \(relative): \(problem ?? "unreadable")" }
      var s = stat()
      let size = lstat(path, &s) == 0 ? Int(s.st_size) : -1
      guard size == layout.bytes else {
        return "its trajectory \(relative) holds \(size) bytes, where its sidecar's \(layout.rows) rows of \(layout.columns.count) float64 need \(layout.bytes)"
      }
      let rowBytes = layout.columns.count * 8
      last = layout.rows == 0 ? nil : FileIO.read(Double.self, path, offset: layout.bytes - rowBytes, count: 1, fileBytes: { _ in })?.first.map {
        Double(bitPattern: UInt64(littleEndian: $0.bitPattern))
      }
    } else {
      switch FileIO.lastLine(path) {
      case .line(let line):
        last = line.withUnsafeBufferPointer { NumberText.parse(UnsafeBufferPointer(rebasing: $0[..<($0.firstIndex(of: UInt8(ascii: ",")) ?? $0.count)])) }
      case .tooLong: return nil  // a row of more than 64 MB (x of millions of coordinates): not read back for this
      case .none: last = nil
      }
    }
    guard let last else { return "its trajectory \(relative) does not end with a row (cut short, or not a trajectory)" }
    guard last == Double(summary.steps) else {
      return "the last row of its trajectory \(relative) is step \(NumberText.readable(last)), where its journal record stops at step \(summary.steps)"
    }
    return nil
  }

  /// Why a completed packed run's rows are not in its slot, if they are not: the pack is missing, not a
  /// regular file, laid out otherwise, ends before the rows the run recorded, or the slot's last row is
  /// not the step the run stopped at (a slot of zeros: a pack cut short and grown again, or written over).
  /// `looks`: the packs already looked at, when judging many runs.
  func packProblem(_ run: RunSpec, _ summary: RunSummary, in experiment: Experiment, pack: TrajectoryPack, looks: PackLooks = PackLooks()) -> String? {
    // Named only in a problem: this is asked of every run a sweep or a read-back finds in the journal.
    var relative: String { "runs/" + Self.packName(experiment, function: run.function) }
    let state = looks.states[run.function] ?? packState(experiment, function: run.function, pack: pack)
    looks.states[run.function] = state
    switch state {
    case .missing: return "its trajectory's pack \(relative) is missing"
    case .notRegular: return "its trajectory's pack \(relative) is not a regular file"
    case .otherLayout(let problem): return "its trajectory's pack \(relative) \(problem) (make it again with --force)"
    case .size(let size):
      let rows = pack.rows(summary), end = pack.offset(of: run) + rows * pack.rowBytes
      guard size >= end else {
        return "its trajectory's pack \(relative) ends at byte \(size), before the end of its rows in slot \(pack.slot(of: run)) (\(end))"
      }
      guard rows > 0 else { return nil }
      let last = looks.value(in: packPath(experiment, function: run.function), function: run.function, at: end - pack.rowBytes)
      guard let last else { return "its trajectory's pack \(relative) cannot be read at slot \(pack.slot(of: run))" }
      guard last == Double(summary.steps) else {
        return "the last row of its slot \(pack.slot(of: run)) in \(relative) is step \(NumberText.readable(last)), where its journal record stops at step \(summary.steps)"
      }
      return nil
    }
  }

  /// What a function's pack is on disk: missing, not a regular file (a link is not followed), laid out
  /// otherwise than `pack` by its index, or a file of some size.
  enum PackState {
    case missing, notRegular
    case otherLayout(String)
    case size(Int)
  }

  /// The packs looked at while judging many runs: each pack's state, found once, and a descriptor to read
  /// its slots' last rows through: one at a time, the last pack's (runs are judged a pack after another),
  /// so that a sweep of thousands of functions does not hold thousands open.
  final class PackLooks {
    var states: [Int: PackState] = [:]
    private var open: (function: Int, fd: Int32)?

    deinit { if let open { close(open.fd) } }

    /// The float64 at byte `offset` of `function`'s pack at `path`, or `nil` if it cannot be read.
    func value(in path: String, function: Int, at offset: Int) -> Double? {
      if let open, open.function != function {
        close(open.fd)
        self.open = nil
      }
      if open == nil, let fd = FileIO.openDescriptorForReading(path) { open = (function, fd) }
      guard let fd = open?.fd else { return nil }
      var bits: UInt64 = 0
      guard pread(fd, &bits, 8, off_t(offset)) == 8 else { return nil }
      return Double(bitPattern: UInt64(littleEndian: bits))
    }
  }

  func packState(_ experiment: Experiment, function: Int, pack: TrajectoryPack) -> PackState {
    var s = stat()
    guard lstat(packPath(experiment, function: function), &s) == 0 else { return .missing }
    guard (s.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
    if let problem = packLayoutProblem(experiment, function: function, pack: pack) { return .otherLayout(problem) }
    return .size(Int(s.st_size))
  }

  /// Why the pack's rows may be laid out otherwise than `pack`, if they may: its index gives other columns
  /// or another slot size, or a pack of rows that leave `lr` out has no index that gives its layout. The
  /// pack was then written by another version of Descent (an older one gave every pack's rows an `lr`
  /// column, and wrote the index only with the summary), and its slots can be neither read nor
  /// added to as this version's. Descent writes a pack's index before its first byte, so a pack of this
  /// version always has one; where rows keep `lr`, the layouts of before and now are the same.
  func packLayoutProblem(_ experiment: Experiment, function: Int, pack: TrajectoryPack) -> String? {
    let path = packPath(experiment, function: function) + ".json"
    /// What an index gives of the layout, as words to compare and show; `nil` if it gives none.
    func layout(_ bytes: [UInt8]?) -> String? {
      guard let bytes, let index = (try? JSONParser.parse(bytes))?.objectValue,
            let names = index["columns"]?.arrayValue?.compactMap(\.stringValue), let slotBytes = index["slot_bytes"]?.numberValue else { return nil }
      var words = names.joined(separator: ",") + " in slots of " + JSONValue.format(slotBytes) + " bytes"
      // Descent reads only little-endian float64; an index that says otherwise describes another file.
      for (key, value) in [("dtype", "float64"), ("endian", "little")] where index[key] != nil && index[key]?.stringValue != value {
        words += ", \(key) " + (index[key]?.serialized() ?? "")
      }
      return words
    }
    // The layout is the index's head: its first kilobytes, unless the index is not as Descent writes it
    // (edited into one line, or its keys into another order), when the whole of it is read, up to 64 MB.
    let head = FileIO.read(UInt8.self, path, offset: 0, count: 4096 + 64 * pack.columns.count, fileBytes: { _ in })
    let found = layout(head.map(Self.indexHead)) ?? {
      let whole = FileIO.read(path, limit: 64 << 20)
      return layout(whole.map(Self.indexHead)) ?? layout(whole)
    }()
    let mine = pack.columns.joined(separator: ",") + " in slots of \(pack.slotBytes) bytes"
    guard let found else {
      var s = stat()
      guard pack.constantRates != nil, lstat(packPath(experiment, function: function), &s) == 0, s.st_size > 0 else { return nil }
      // Its rows may be an older Descent's, which always had an lr column.
      if lstat(path, &s) == 0 {
        return "has an index, runs/\(Self.packName(experiment, function: function)).json, that does not give its layout (a JSON object with columns and slot_bytes, "
          + "at most 64 MB), so its rows cannot be told from an older Descent's, which had an lr column, where this version of Descent writes " + mine
      }
      return "has no index that gives its layout (an older Descent wrote it only once the sweep was complete, and its rows always had an lr column), "
        + "where this version of Descent writes " + mine
    }
    guard found != mine else { return nil }
    return "has an index that gives " + found + ", where this version of Descent writes " + mine
  }

  /// A pack index's object without its `runs` (a line per run, megabytes for a large pack), where the index
  /// is as `TrajectoryPack.indexText` writes it, with `runs` last; otherwise the bytes as they are.
  static func indexHead(_ bytes: [UInt8]) -> [UInt8] {
    let key = Array(",\n  \"runs\": [".utf8)
    guard let start = bytes.indices.dropLast(key.count - 1).first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) }) else { return bytes }
    return Array(bytes[..<start]) + Array("}".utf8)
  }

  /// How to complete this directory's missing runs: `--resume`, unless a pack is laid out otherwise (an
  /// older Descent's) or its layout cannot be confirmed, which `--resume` refuses and only `--force` mends.
  public func remedy(for experiment: Experiment, resume: String) -> String {
    let remade = experiment.packs().enumerated().contains { packLayoutProblem(experiment, function: $0.offset, pack: $0.element) != nil }
    return remade ? "make them again with --force (a pack's layout is not this version's, or cannot be confirmed)" : resume
  }

  /// Why a planned run of `experiment` is not complete here, read again from the journals and files (for a
  /// message about the first missing run; it costs a reading of the journals). `packs`: `experiment.packs()`.
  public func whyMissing(_ run: RunSpec, of experiment: Experiment, packs: [TrajectoryPack]) -> String {
    guard let record = RunJournal.records(in: self, targets: experiment.targets)[run.id] else {
      return "no journal record (it did not finish)"
    }
    return incompleteness(run, record, of: experiment, packs: packs, checkingEnds: true) ?? "its journal record does not complete it"
  }

  /// Why a record's steps cannot be a run's of an experiment of `steps` steps, if they cannot.
  static func stepsProblem(_ summary: RunSummary, steps: Int) -> String? {
    if summary.steps > steps { return "its journal record says \(summary.steps) steps, more than the experiment's \(steps)" }
    if let late = summary.stepsToTarget.compactMap({ $0 }).first(where: { $0 > summary.steps }) {
      return "its journal record reaches a target at step \(late), after its last step \(summary.steps)"
    }
    return nil
  }

  /// Whether `name` in this directory is a symbolic link (which Descent never writes through).
  public func isSymbolicLink(_ name: String) -> Bool { FileIO.isSymlink(file(name)) }

  /// Removes temporary files left by an interrupted or killed run.
  public func removeStaleTemporaries() {
    for dir in [path, runsPath] {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
        unlink(dir + "/" + name)
      }
    }
  }
}
