import Dispatch
import Foundation
import Synchronization

/// Problems found when merging shard directories; every missing piece is listed.
public struct MergeError: Error, Sendable, CustomStringConvertible {
  public var problems: [String]
  public var description: String { problems.joined(separator: "\n") }
  /// Incomplete or mismatched shards are bad input data.
  public var exitCode: Int32 { 65 }
}

/// Combines the shard directories of one experiment into one results directory whose summary is
/// identical to that of an unsharded run.
public enum Merge {
  /// The first shard directory that `output` is, contains, or lies inside: merging there (with `--force`,
  /// which replaces `output`) would delete the shard being read, or write a results tree into it. Paths are
  /// compared once resolved (symbolic links, `..`); an output not made yet by its nearest existing parent.
  public static func shard(_ shards: [String], inside output: String) -> String? {
    guard let out = resolvedLeniently(output) else { return nil }
    return shards.first { shard in
      guard let s = resolved(shard) else { return false }
      return s == out || s.hasPrefix(out == "/" ? out : out + "/") || out.hasPrefix(s == "/" ? s : s + "/")
    }
  }

  /// `resolved` of the nearest existing ancestor of `path`, with the rest of the path after it.
  static func resolvedLeniently(_ path: String) -> String? {
    var head = path.isEmpty ? "." : path, rest: [String] = []
    while resolved(head) == nil {
      let parent = (head as NSString).deletingLastPathComponent
      rest.insert((head as NSString).lastPathComponent, at: 0)
      guard parent != head else { return nil }
      head = parent.isEmpty ? "." : parent
    }
    // What is not there yet is made as written, so its `.` and `..` are taken as written.
    var result = resolved(head)!
    for component in rest where component != "." && !component.isEmpty {
      if component == ".." {
        result = (result as NSString).deletingLastPathComponent
        if result.isEmpty { result = "/" }
      } else {
        result = result == "/" ? "/" + component : result + "/" + component
      }
    }
    return result
  }

  static func resolved(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// Loads and verifies shards: same config, every shard 1…N present once, every run of each shard complete.
  public static func verify(_ paths: [String]) throws(MergeError) -> (experiment: Experiment, configBytes: [UInt8], sources: [Int: (ResultsDirectory, RunSummary)]) {
    var replaced: [(shard: String, problem: RunJournal.Problem)] = []
    return try verify(paths, replaced: &replaced)
  }

  /// `verify`, adding to `replaced` each shard's runs recorded again with other results (whose later record
  /// is merged), for a warning.
  public static func verify(_ paths: [String], replaced: inout [(shard: String, problem: RunJournal.Problem)])
    throws(MergeError) -> (experiment: Experiment, configBytes: [UInt8], sources: [Int: (ResultsDirectory, RunSummary)]) {
    var problems: [String] = []
    guard !paths.isEmpty else { throw MergeError(problems: ["no shard directories given"]) }
    var hash: String?
    var configBytes: [UInt8]?
    var shards: [Int: ResultsDirectory] = [:]
    var count: Int?
    for path in paths {
      let dir = ResultsDirectory(path: path)
      let manifest: (configHash: String, shard: Shard?, status: String)
      do { manifest = try Manifest.readExplaining(dir) } catch {
        problems.append("\(path): \(error); is this a shard directory written by 'descent run --shard'?")
        continue
      }
      guard let bytes = FileIO.read(dir.file("config.json")) else {
        problems.append("\(path): config.json is missing")
        continue
      }
      // Each shard's own config.json, not only the first one's: an edited one passed when it was not first.
      guard let json = try? JSONParser.parse(bytes), Experiment.configHash(of: json) == manifest.configHash else {
        problems.append("\(path): config.json is not the config its manifest.json records (sha256 \(manifest.configHash.prefix(12))…)")
        continue
      }
      if hash == nil { hash = manifest.configHash; configBytes = bytes }
      if manifest.configHash != hash {
        problems.append("\(path): made from a different config (sha256 \(manifest.configHash.prefix(12))…, expected \(hash!.prefix(12))…)")
        continue
      }
      let shard = manifest.shard ?? Shard(index: 1, count: 1)
      if count == nil { count = shard.count }
      if shard.count != count {
        problems.append("\(path): shard \(shard) of a different split (expected N = \(count!))")
        continue
      }
      if shards[shard.index] != nil {
        problems.append("\(path): shard \(shard) given twice")
        continue
      }
      shards[shard.index] = dir
    }
    guard let configBytes, let count else { throw MergeError(problems: problems) }
    let experiment: Experiment
    do {
      experiment = try Experiment.decodeResultsConfig(configBytes, file: "config.json")
    } catch {
      throw MergeError(problems: problems + ["the shards' config.json is invalid: \(error)"])
    }
    let missingShards = (1...count).filter { shards[$0] == nil }
    if !missingShards.isEmpty {
      let listed = missingShards.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ")
      let more = missingShards.count > 10 ? " and \(missingShards.count - 10) more" : ""
      problems.append("missing shard\(missingShards.count == 1 ? "" : "s") \(listed)\(more)")
    }
    // Each shard's runs are found from its journal, and its missing ones counted from the assignment: listing
    // every planned run (a manifest may claim 10⁸) would cost gigabytes.
    let assignment = experiment.shardAssignment(shards: count)
    var planned = [Int](repeating: 0, count: count)
    assignment.withUnsafeBufferPointer { for i in $0.indices { planned[Int($0[i])] += 1 } }
    var sources: [Int: (ResultsDirectory, RunSummary)] = [:]
    for (k, dir) in shards.sorted(by: { $0.key < $1.key }) {
      var journalProblems: [RunJournal.Problem] = []
      let mine = UInt32(k - 1)
      let done = dir.completedRuns(of: experiment, checkingEnds: true, problems: &journalProblems).filter { assignment[$0.0.index] == mine }
      replaced += journalProblems.filter { !$0.skipped }.map { (dir.path, $0) }
      let missingCount = planned[k - 1] - done.count
      if missingCount > 0 {
        let doneIndices = Set(done.map(\.0.index))
        let lacking = assignment.indices.lazy.filter { assignment[$0] == mine && !doneIndices.contains($0) }.prefix(10).map { experiment.run(at: $0) }
        let listed = lacking.map(\.id).joined(separator: ", ")
        let why = lacking.first.map { "; first: \($0.id) (\(dir.whyMissing($0, of: experiment, packs: experiment.packs())))" } ?? ""
        problems.append("\(dir.path): shard \(k)/\(count) lacks \(missingCount) of its \(planned[k - 1]) runs (\(listed)\(missingCount > 10 ? ", …" : ""))\(why); " + dir.remedy(for: experiment, resume: "re-run it with --resume"))
      }
      for (run, summary) in done { sources[run.index] = (dir, summary) }
    }
    guard problems.isEmpty else { throw MergeError(problems: problems) }
    return (experiment, configBytes, sources)
  }

  /// Writes the merged directory: config, per-run records and trajectories, summaries, manifest.
  public static func write(_ experiment: Experiment, configBytes: [UInt8], sources: [Int: (ResultsDirectory, RunSummary)], to output: ResultsDirectory, started: Date) throws(OutputError) {
    try FileIO.writeAtomically(configBytes, to: output.file("config.json"))
    // Written first, as `descent run` writes its own: a merge cut short leaves a directory that says it is
    // Descent's and unfinished, which a merge with --force then replaces.
    var manifest = Manifest(name: experiment.name, configHash: experiment.configHash, started: started, jobs: 1,
                            runCount: experiment.runCount, runsHere: sources.count, shard: nil, status: "running")
    try manifest.write(to: output)
    var rows: [(RunSpec, RunSummary)] = []
    let journal = try RunJournal(directory: output, targets: experiment.targets)
    let layouts = experiment.packs(), packs = PackFiles(directory: output, experiment: experiment, layouts: layouts)
    for index in sources.keys.sorted() {
      let run = experiment.run(at: index), (source, summary) = sources[index]!
      if experiment.trajectoryFormat == .packed {
        try copySlot(run, summary, layouts[run.function], of: experiment, from: source, to: packs)
      } else if let format = experiment.trajectoryFormat {
        let file = source.trajectoryPath(run.id, format: format)
        for suffix in format == .binary ? ["", ".json"] : [""] {
          let destination = output.trajectoryPath(run.id, format: format) + suffix
          unlink(destination)
          if link(file + suffix, destination) != 0 {
            guard let bytes = FileIO.read(file + suffix, limit: Int.max) else { throw OutputError("cannot read \(file + suffix)") }
            try FileIO.writeAtomically(bytes, to: destination)
          }
        }
      }
      try journal.append(summary)
      rows.append((run, summary))
    }
    try SummaryTable(experiment).write(rows, to: output)
    manifest.status = "complete"
    manifest.finished = Date()
    try manifest.write(to: output)
  }
}

extension Merge {
  /// Copies a packed run's rows from its shard's pack to the same offset in the merged one: the merged pack
  /// is the bytes a single process would have written.
  static func copySlot(_ run: RunSpec, _ summary: RunSummary, _ pack: TrajectoryPack, of experiment: Experiment, from source: ResultsDirectory,
                       to packs: PackFiles) throws(OutputError) {
    let offset = pack.offset(of: run)
    let path = source.packPath(experiment, function: run.function)
    // The slot's bytes as they are: the rows are little-endian float64 in either pack.
    guard let bytes = FileIO.read(UInt8.self, path, offset: offset, count: pack.rows(summary) * pack.rowBytes, fileBytes: { _ in }) else {
      throw OutputError("cannot read the rows of \(run.id) from \(path)", exitCode: 65)
    }
    let (fd, destination) = try packs.descriptor(function: run.function)
    let failure = bytes.withUnsafeBufferPointer { bytes -> OutputError? in
      do throws(OutputError) {
        try FileIO.writeAll(fd, bytes, at: offset, path: destination)
        return nil
      } catch { return error }
    }
    if let failure { throw failure }
  }
}

extension SummaryTable {
  /// Writes `summary.csv` and `summary.json`, and with `"format": "packed"` each pack's index, all at once
  /// on every core: this is serial time after the last run (a pack index is a file replaced, about
  /// 0.2 ms of kernel time on this VM, and the bench's log sweep has 48). `rendered` as for `render`. If a
  /// file fails, the first failure is thrown: the CSV's, then the JSON's, then the indexes' in function order.
  public func write(_ rows: [(RunSpec, RunSummary)], rendered: [Row?]? = nil, to directory: ResultsDirectory) throws(OutputError) {
    let (csv, json) = pieces(rows, rendered: rendered)
    let summaries = [(csv, directory.file("summary.csv")), (json, directory.file("summary.json"))]
    let indexes = directory.packIndexes(experiment, runs: rows)
    try OutputError.everyCore(summaries.count + indexes.count) { k throws(OutputError) in
      if k < summaries.count {
        try FileIO.writeAtomically(pieces: summaries[k].0, to: summaries[k].1)
      } else {
        let index = indexes[k - summaries.count]
        try FileIO.writeAtomically(text: index.text(), to: index.path)
      }
    }
  }
}
