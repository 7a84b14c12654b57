import Foundation
import Synchronization

/// The packed layout (`"format": "packed"`): the trajectories of one function's runs in one file,
/// `runs/<function>.pack.f64`, little-endian float64 rows like a binary trajectory's, each run in a slot of
/// its own at a place fixed by the plan. An index, `runs/<function>.pack.f64.json`, names the columns and
/// gives each completed run's offset and rows.
///
/// One file per run costs the kernel about 40 µs before its first byte on this VM's ext4 (an inode, a
/// directory entry), which a sweep of short trajectories cannot earn back: 2,304 runs of about 200 rows
/// spent more on their files than on their bytes. A pack is one file per function.
///
/// A run's slot is its place among the function's runs in canonical order (optimizers, then seeds) times
/// the bytes of the most rows a run can record: where it lies does not depend on which runs are executed,
/// by how many workers, in which order, or in which shard, so a pack is the same bytes however it was
/// made, and `merge` copies each shard's slots to the same offsets. A run that stops early leaves the rest
/// of its slot unwritten (a hole: no disk, read as zeros). Rows are written at their offsets before the
/// run's journal record, and the journal, not the file, says which slots are complete: a run
/// interrupted half-written has no record and is written again by `--resume`.
///
/// When every run of the experiment has a constant learning rate (no schedule), the rows leave the `lr`
/// column out, as a binary file of such a run does, and the index gives each run's rate in its
/// `constants`: 17 % of a 2-D sweep's bytes. Whether they do follows from the config alone, so it is the
/// same for every pack, shard and resumed run of an experiment.
public struct TrajectoryPack: Sendable, Equatable {
  /// The function's columns: `step,f,grad_norm,lr[,samples_seen][,x1,…]`, without `lr` when the rates are
  /// constant (`constantRates`).
  public let columns: [String]
  /// Each optimizer setting's learning rate when every one is constant (and none is -0.0, which the index's
  /// JSON would give back as +0.0): the rows then have no `lr` column. `nil`: they have one.
  public let constantRates: [Double]?
  /// The most rows a run records: one that takes all the experiment's steps.
  public let slotRows: Int
  /// The runs of one function (each function's pack has a slot for each).
  public let slots: Int
  let record: RecordPolicy
  /// The recorded steps of a log policy, planned once (about 20 µs for 200 steps: a sweep's packs share
  /// them rather than plan them again for every run).
  let planned: [Int]?

  public var rowBytes: Int { 8 * columns.count }
  public var slotBytes: Int { slotRows * rowBytes }

  /// The pack of `function` in `experiment`; `planned`: the experiment's `record.plannedSteps(total:)`;
  /// `constantRates`: its `constantPackRates`.
  init(_ experiment: Experiment, function: Int, planned: [Int]?, constantRates: [Double]?) {
    let f = experiment.functions[function]
    columns = TrajectoryWriter.columns(dimension: f.objective.dimension, writesX: experiment.writesX(f), samplesPerStep: f.samplesPerStep)
      .filter { $0 != "lr" || constantRates == nil }
    self.constantRates = constantRates
    record = experiment.record
    self.planned = planned
    slotRows = record.rows(stoppedAt: experiment.steps, planned: planned)
    slots = experiment.optimizers.count * experiment.seeds.count
  }

  /// The rows a completed run's trajectory holds.
  public func rows(_ summary: RunSummary) -> Int { record.rows(stoppedAt: summary.steps, planned: planned) }

  /// A run's slot: its place among its function's runs.
  public func slot(of run: RunSpec) -> Int { run.index % slots }

  /// Where a run's rows start in the file.
  public func offset(of run: RunSpec) -> Int { slot(of: run) * slotBytes }

  /// The run's learning rate when its rows leave it out (the index's `constants.lr`), else `nil`.
  public func constantRate(of run: RunSpec) -> Double? { constantRates?[run.optimizer] }

  /// The index of a pack: its columns, slot size, and each completed run's offset and rows (`runs` in
  /// canonical order, with the rows each recorded).
  func indexText(_ runs: [(RunSpec, rows: Int)]) -> String {
    var text = "{\n  \"columns\": ["
    for (k, name) in columns.enumerated() {
      if k > 0 { text += ", " }
      JSONValue.writeString(name, to: &text)
    }
    text += "],\n  \"dtype\": \"float64\",\n  \"endian\": \"little\",\n  \"slot_rows\": \(slotRows),\n  \"slot_bytes\": \(slotBytes),\n"
    text += "  \"gnuplot\": \"binary skip=<offset> record=<rows> format='" + String(repeating: "%float64", count: columns.count) + "' endian=little\",\n"
    text += "  \"runs\": ["
    for (k, (run, rows)) in runs.enumerated() {
      text += k == 0 ? "\n    {\"run_id\": " : ",\n    {\"run_id\": "
      JSONValue.writeString(run.id, to: &text)
      text += ", \"offset\": \(offset(of: run)), \"rows\": \(rows)"
      if let rate = constantRate(of: run) {
        text += ", \"constants\": {\"lr\": "
        text.append(number: rate)
        text += "}"
      }
      text += "}"
    }
    text += runs.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
    return text
  }
}

extension RecordPolicy {
  /// The rows a run that stopped at step `s` recorded: every step it took that the policy keeps, and its
  /// last (which the runner records whether or not it is due). `planned`: `plannedSteps(total:)`.
  public func rows(stoppedAt s: Int, planned: [Int]?) -> Int {
    switch self {
    case .every: s + 1
    case .everyK(let k): (s + k - 1) / k + 1
    case .log: Self.countBelow(s, in: planned ?? []) + 1
    case .none: 0
    }
  }

  /// How many of the increasing `steps` are below `s`.
  static func countBelow(_ s: Int, in steps: [Int]) -> Int {
    var low = 0, high = steps.count
    while low < high {
      let mid = (low + high) / 2
      if steps[mid] < s { low = mid + 1 } else { high = mid }
    }
    return low
  }
}

extension Experiment {
  /// Each function's pack, with `"format": "packed"` (empty otherwise), made together: they share the
  /// planned steps. Made once by whoever reads or writes many runs.
  public func packs() -> [TrajectoryPack] {
    guard trajectoryFormat == .packed else { return [] }
    let planned = record.plannedSteps(total: steps), rates = constantPackRates
    return functions.indices.map { TrajectoryPack(self, function: $0, planned: planned, constantRates: rates) }
  }

  /// Each optimizer setting's learning rate, when every one is constant and none is -0.0; else `nil`.
  var constantPackRates: [Double]? {
    let constant = optimizers.allSatisfy { $0.schedule.isConstant && TrajectoryWriter.canLeaveOut($0.configured.learningRate) }
    return constant ? optimizers.map(\.configured.learningRate) : nil
  }
}

extension ResultsDirectory {
  /// The pack of a function's trajectories, by the function's label (which run ids begin with).
  public func packPath(_ experiment: Experiment, function: Int) -> String {
    runsPath + "/" + Self.packName(experiment, function: function)
  }

  /// The pack's name in `runs/`.
  static func packName(_ experiment: Experiment, function: Int) -> String { experiment.functions[function].label + ".pack.f64" }

  /// Where a run's trajectory is, for messages: its file, or its slot in its function's pack.
  public func trajectoryName(_ run: RunSpec, in experiment: Experiment) -> String {
    guard experiment.trajectoryFormat == .packed else { return trajectoryPath(run.id, format: experiment.format) }
    let pack = experiment.packs()[run.function]
    return packPath(experiment, function: run.function) + " (slot \(pack.slot(of: run)), offset \(pack.offset(of: run)))"
  }

  /// Each function's pack index (`runs/<function>.pack.f64.json`) for the completed `runs` (in canonical
  /// order), as its path and a function that renders its text: functions without a completed run get none.
  /// Rendered where it is written, so that a sweep's indexes are made on every core with its summaries.
  public func packIndexes(_ experiment: Experiment, runs: [(RunSpec, RunSummary)]) -> [(path: String, text: @Sendable () -> String)] {
    let packs = experiment.packs()
    guard !packs.isEmpty else { return [] }
    var indexes: [(path: String, text: @Sendable () -> String)] = []
    var start = 0
    while start < runs.count {
      let function = runs[start].0.function
      var end = start + 1
      while end < runs.count, runs[end].0.function == function { end += 1 }
      let pack = packs[function], members = runs[start..<end]
      indexes.append((packPath(experiment, function: function) + ".json", { pack.indexText(members.map { ($0.0, pack.rows($0.1)) }) }))
      start = end
    }
    return indexes
  }
}

/// The open packs of a sweep, a descriptor per function shared by every writer (each writes its own slot
/// with `pwrite`). A pack is opened without truncating it: on `--resume` the slots of completed runs stay
/// as they are. Its index is written first, with no runs yet, where there is none: a pack is never without
/// the layout of its rows, even when its sweep is cut short (the summary writes the index again, with the
/// completed runs).
///
/// A sweep opens the packs its runs write before its first run, on every core (`open`): made inside the
/// pool, under one lock, a pack and its first index (about 0.3 ms of kernel time each on this VM's ext4,
/// for an inode and the orphan list, while the cores are busy) held up every worker whose runs reached a
/// pack the worker holding the lock was still making, and the runs of a lane unit reach 16 at once.
final class PackFiles: Sendable {
  private let descriptors = Mutex<[Int: (fd: Int32, path: String)]>([:])
  let directory: ResultsDirectory
  let experiment: Experiment
  /// `experiment.packs()`.
  let layouts: [TrajectoryPack]
  /// The first indexes, with no runs: the same text for every function of a dimension, so one file is
  /// written per text and the others are hard links to it (a new inode costs ext4 a scan of its inode
  /// bitmap, a directory entry does not). The summary replaces each name with its own index, never the
  /// shared file's bytes. Kept with the packs: no index is replaced while it can still be linked from.
  let firstIndexes = SidecarLinks()

  init(directory: ResultsDirectory, experiment: Experiment, layouts: [TrajectoryPack]) {
    self.directory = directory
    self.experiment = experiment
    self.layouts = layouts
  }

  deinit {
    descriptors.withLock { for pack in $0.values { close(pack.fd) } }
  }

  /// Opens (and makes) the packs of `functions` at once, on every core. If any cannot be opened, the first
  /// failure in `functions`' order is thrown.
  func open(_ functions: [Int]) throws(OutputError) {
    try OutputError.everyCore(functions.count) { k throws(OutputError) in _ = try descriptor(function: functions[k]) }
  }

  /// The descriptor and path of `function`'s pack, opened (and made) at the first call. It is made outside
  /// the lock: two callers making the same pack at once write the same index, and the second descriptor is
  /// closed. `O_NOFOLLOW`: a link planted under the name is not written through.
  func descriptor(function: Int) throws(OutputError) -> (fd: Int32, path: String) {
    if let pack = descriptors.withLock({ $0[function] }) { return pack }
    let path = directory.packPath(experiment, function: function)
    if !FileIO.exists(path + ".json") { try firstIndexes.place(layouts[function].indexText([]), at: path + ".json") }
    // `O_NONBLOCK`: a FIFO planted under the name fails at once (no reader) rather than waiting for one.
    let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      switch errno {
      case ELOOP: throw OutputError("\(path) is a symbolic link; refusing to write through it (--force makes the pack again)")
      case ENXIO: throw OutputError("\(path) is not a regular file (--force makes the pack again)")
      case let e: throw OutputError("cannot open \(path): \(FileIO.errorText(e))")
      }
    }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw OutputError("\(path) is not a regular file (--force makes the pack again)")
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return descriptors.withLock { open in
      if let first = open[function] {
        close(fd)
        return first
      }
      open[function] = (fd, path)
      return (fd, path)
    }
  }
}
