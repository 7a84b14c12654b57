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
/// plots/             scripts, data and pictures
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
          let remedy = resumable ? "pass --resume to complete them or --force to replace them" : "pass --force to replace them"
          throw OutputError("\(path) already holds results; \(remedy)", exitCode: 64)
        case .force:
          guard contents.contains("config.json") || contents.contains("manifest.json") else {
            throw OutputError("\(path) is not empty and does not look like a Descent results directory; refusing to delete it with --force", exitCode: 73)
          }
          do { try FileManager.default.removeItem(atPath: path) } catch {
            throw OutputError("cannot remove \(path): \((error as NSError).localizedDescription)")
          }
        case .resume:
          // The config the results were made with must be there and be this one; only a directory that
          // never got as far as writing it (no journal yet) may lack it.
          let config = directory.file("config.json")
          if FileIO.exists(config) || !RunJournal.journalNames(in: directory).isEmpty {
            guard let bytes = FileIO.read(config), let json = try? JSONParser.parse(bytes) else {
              throw OutputError("\(path) holds results without a readable config.json; --resume needs results of the same config (or use --force)", exitCode: 65)
            }
            if Experiment.configHash(of: json) != experiment.configHash {
              throw OutputError("\(path) holds results of a different config; --resume needs the same config (or use --force)", exitCode: 65)
            }
            // config.json edited after the run began, to match the config given now: the manifest still
            // names the config the results were made with.
            if let recorded = Manifest.read(directory)?.configHash, recorded != experiment.configHash {
              throw OutputError("\(path)/config.json is not the config its manifest.json records (config_sha256 \(recorded.prefix(12))…); its results were made with another config, so --resume would mix them (use --force)", exitCode: 65)
            }
            // Packs written by a version of Descent that lays their slots out otherwise.
            for (function, pack) in experiment.packs().enumerated() {
              if let problem = directory.packLayoutProblem(experiment, function: function, pack: pack) {
                throw OutputError("\(directory.packPath(experiment, function: function)) \(problem); --resume would mix the two layouts (use --force)", exitCode: 65)
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

  public func write(_ text: String, to name: String) throws(OutputError) {
    try FileIO.writeAtomically(text: text, to: file(name))
  }

  /// The completed runs among `runs` of `experiment`: those with a well-formed journal record naming the
  /// same run and seed, and whose trajectory is there when one is expected (a binary one with its sidecar,
  /// a packed one's slot within its pack). Anything else is run again, and `merge` reports it as missing
  /// rather than failing while it writes. The journal lines it had to skip are added to `problems`.
  public func completedRuns(_ runs: [RunSpec], of experiment: Experiment, problems: inout [RunJournal.Problem]) -> [Int: RunSummary] {
    let (records, skipped) = RunJournal.read(in: self, targets: experiment.targets)
    problems += skipped
    var done: [Int: RunSummary] = [:]
    let packs = experiment.packs()
    var seen: [Int: PackState] = [:]
    for run in runs {
      guard let summary = records[run.id], isComplete(run, summary, of: experiment, packs: packs, seen: &seen) else { continue }
      done[run.index] = summary
    }
    return done
  }

  /// The completed runs of `experiment`, in canonical order, as `completedRuns(_:…)` judges them, found
  /// from the journal's records: the cost is what the journal holds, however many runs the config plans.
  public func completedRuns(of experiment: Experiment, problems: inout [RunJournal.Problem]) -> [(RunSpec, RunSummary)] {
    let (records, skipped) = RunJournal.read(in: self, targets: experiment.targets)
    problems += skipped
    let lookup = experiment.runLookup, packs = experiment.packs()
    var seen: [Int: PackState] = [:]
    // Reserved once and sorted in place: grown by appending and then sorted into a copy, the list took up
    // to three times its size at the peak of reading a large sweep back.
    var done: [(RunSpec, RunSummary)] = []
    done.reserveCapacity(records.count)
    for summary in records.values {
      guard let run = lookup.run(id: summary.runID, seed: summary.seed),
            isComplete(run, summary, of: experiment, packs: packs, seen: &seen) else { continue }
      done.append((run, summary))
    }
    done.sort { $0.0.index < $1.0.index }
    return done
  }

  /// Whether a journal record completes `run`: it names the same seed, its steps are within the experiment's
  /// (and its targets reached within them), and the trajectory is there when one is expected (a binary
  /// file with its sidecar, a packed run's slot within its pack). `packs`: `experiment.packs()`; `seen`: the
  /// packs looked at so far, each once for all its runs.
  func isComplete(_ run: RunSpec, _ summary: RunSummary, of experiment: Experiment, packs: [TrajectoryPack],
                  seen: inout [Int: PackState]) -> Bool {
    guard summary.seed == run.seed, Self.stepsProblem(summary, steps: experiment.steps) == nil else { return false }
    guard let trajectory = experiment.trajectoryFormat else { return true }
    if trajectory == .packed {
      let state = seen[run.function] ?? packState(experiment, function: run.function, pack: packs[run.function])
      seen[run.function] = state
      return packProblem(run, summary, in: experiment, pack: packs[run.function], state: state) == nil
    }
    let path = trajectoryPath(run.id, format: trajectory)
    return FileIO.isRegularFile(path) && (trajectory == .csv || FileIO.isRegularFile(path + ".json"))
  }

  /// Why a completed packed run's slot is not in its pack, if it is not: the pack is missing, not a regular
  /// file, or ends before the rows the run recorded.
  /// `state`: the pack's, when already looked at.
  func packProblem(_ run: RunSpec, _ summary: RunSummary, in experiment: Experiment, pack: TrajectoryPack, state: PackState? = nil) -> String? {
    // Named only in a problem: this is asked of every run a sweep or a read-back finds in the journal.
    var relative: String { "runs/" + Self.packName(experiment, function: run.function) }
    switch state ?? packState(experiment, function: run.function, pack: pack) {
    case .missing: return "its trajectory's pack \(relative) is missing"
    case .notRegular: return "its trajectory's pack \(relative) is not a regular file"
    case .otherLayout(let problem): return "its trajectory's pack \(relative) \(problem) (make it again with --force)"
    case .size(let size):
      let end = pack.offset(of: run) + pack.rows(summary) * pack.rowBytes
      guard size >= end else {
        return "its trajectory's pack \(relative) ends at byte \(size), before the end of its rows in slot \(pack.slot(of: run)) (\(end))"
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
    func layout(_ bytes: [UInt8]?) -> (columns: [String], slotBytes: Double)? {
      guard let bytes, let index = (try? JSONParser.parse(bytes))?.objectValue,
            let names = index["columns"]?.arrayValue?.compactMap(\.stringValue), let slotBytes = index["slot_bytes"]?.numberValue else { return nil }
      return (names, slotBytes)
    }
    // The layout is the index's head: its first kilobytes, unless the index is not as Descent writes it
    // (edited into one line, or its keys into another order), when the whole of it is read.
    let head = FileIO.read(UInt8.self, path, offset: 0, count: 4096 + 64 * pack.columns.count, fileBytes: { _ in })
    let found = layout(head.map(Self.indexHead)) ?? {
      let whole = FileIO.read(path, limit: 1 << 30)
      return layout(whole.map(Self.indexHead)) ?? layout(whole)
    }()
    guard let (names, slotBytes) = found else {
      var s = stat()
      guard pack.constantRates != nil, lstat(packPath(experiment, function: function), &s) == 0, s.st_size > 0 else { return nil }
      return "has no index that gives its layout (an older Descent wrote it only once the sweep was complete, and its rows always had an lr column), where this version of Descent writes "
        + pack.columns.joined(separator: ",") + " in slots of \(pack.slotBytes) bytes"
    }
    guard names != pack.columns || slotBytes != Double(pack.slotBytes) else { return nil }
    return "has an index that gives " + names.joined(separator: ",") + " in slots of " + JSONValue.format(slotBytes) + " bytes, where this version of Descent writes "
      + pack.columns.joined(separator: ",") + " in slots of \(pack.slotBytes) bytes"
  }

  /// A pack index's object without its `runs` (a line per run, megabytes for a large pack), where the index
  /// is as `TrajectoryPack.indexText` writes it, with `runs` last; otherwise the bytes as they are.
  static func indexHead(_ bytes: [UInt8]) -> [UInt8] {
    let key = Array(",\n  \"runs\": [".utf8)
    guard let start = bytes.indices.dropLast(key.count - 1).first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) }) else { return bytes }
    return Array(bytes[..<start]) + Array("}".utf8)
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
