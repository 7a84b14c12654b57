import Dispatch
import Foundation
import Synchronization

/// Set from a signal handler or a test to stop a sweep between runs.
public final class CancellationFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  public init() {}
  public func cancel() { flag.store(true, ordering: .relaxed) }
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Progress of a sweep, as reported after each run.
public struct SweepProgress: Sendable {
  public var done: Int
  public var total: Int
  public var diverged: Int
  public var elapsed: Double
}

/// The result of executing (part of) an experiment into a results directory.
public struct SweepResult: Sendable {
  /// Summaries in canonical order, for the runs that are complete.
  public var summaries: [(RunSpec, RunSummary)]
  /// Each summary's row of the summary table, where the run was executed here (nil for resumed runs).
  public var rows: [SummaryTable.Row?]
  public var resumed: Int
  /// Journal lines skipped while finding the runs already complete (those runs were run again).
  public var journalProblems: [RunJournal.Problem] = []
  /// Runs recorded in the journal whose files did not complete them (a trajectory cut short, say), with
  /// why: they were run again.
  public var remade: [(id: String, reason: String)] = []
  public var interrupted: Bool
  public var complete: Bool
}

/// Executes an experiment's runs on a Dispatch pool, streaming trajectories to disk as runs finish.
public struct Sweep: Sendable {
  public var experiment: Experiment
  public var directory: ResultsDirectory
  public var jobs: Int
  public var cancellation: CancellationFlag
  /// The recorded steps of sparse policies, planned once for every run.
  let plannedSteps: [Int]?
  /// Binary sidecars already written, to link rather than write again.
  let sidecars = SidecarLinks()
  /// The packs of `"format": "packed"`, opened before the first run, and each function's layout.
  let packs: PackFiles
  let packLayouts: [TrajectoryPack]

  public init(experiment: Experiment, directory: ResultsDirectory, jobs: Int, cancellation: CancellationFlag = CancellationFlag()) {
    self.experiment = experiment
    plannedSteps = experiment.record.plannedSteps(total: experiment.steps)
    self.directory = directory
    packLayouts = experiment.packs()
    packs = PackFiles(directory: directory, experiment: experiment, layouts: packLayouts)
    self.jobs = max(1, jobs)
    self.cancellation = cancellation
  }

  /// Runs every run in `runs` that is not already complete in the directory. Each run's record is appended
  /// to the journal as it finishes; the caller writes the summary.
  public func execute(_ runs: [RunSpec], progress: (@Sendable (SweepProgress) -> Void)? = nil) throws(OutputError) -> SweepResult {
    directory.removeStaleTemporaries()
    var journalProblems: [RunJournal.Problem] = []
    var remade: [(id: String, reason: String)] = []
    let done = directory.completedRuns(runs, of: experiment, problems: &journalProblems) { remade.append(($0.id, $1)) }
    let pending = runs.filter { done[$0.index] == nil }
    let table = SummaryTable(experiment)
    // A slot per run, made once: filling a dictionary grew and copied it under the lock, on fresh pages.
    let slots = { () -> [Int: Int] in
      var slots: [Int: Int] = [:]
      slots.reserveCapacity(runs.count)
      for (k, run) in runs.enumerated() { slots[run.index] = k }
      return slots
    }()
    let state = Mutex(SharedState(results: .init(repeating: nil, count: runs.count), completed: 0,
                                  diverged: done.values.count { $0.status == .diverged }, failure: nil))
    let started = DispatchTime.now().uptimeNanoseconds
    let next = Atomic<Int>(0)
    let total = runs.count
    let alreadyDone = done.count
    let workers = min(jobs, max(1, pending.count))
    let journal = try RunJournal(directory: directory, targets: experiment.targets)

    let units = workUnits(pending, workers: jobs)
    if experiment.trajectoryFormat == .packed {
      // Every pack the runs write, made before the first run (see `PackFiles`).
      var functions = Set<Int>()
      for run in pending { functions.insert(run.function) }
      try packs.open(functions.sorted())
    }
    DispatchQueue.concurrentPerform(iterations: min(workers, units.count)) { _ in
      // The worker's trajectory buffer, lent to the writers of each unit in turn.
      let memory = experiment.record.writesTrajectory ? UnsafeMutableBufferPointer<UInt8>.allocate(capacity: TrajectoryWriter.defaultCapacity) : nil
      defer { memory?.deallocate() }
      while !cancellation.isCancelled {
        let k = next.add(1, ordering: .relaxed).oldValue
        guard k < units.count else { return }
        let unit = units[k]
        do throws(OutputError) {
          let summaries = try executeUnit(unit, memory: memory)
          try journal.append(summaries)
          // Rendered here, on this worker, so the table's text is ready when the last run is done.
          let rows = zip(unit, summaries).map(table.row)
          for ((run, summary), row) in zip(zip(unit, summaries), rows) {
            let slot = slots[run.index]!
            let snapshot = state.withLock { s -> SweepProgress in
              s.results[slot] = (summary, row)
              s.completed += 1
              if summary.status == .diverged { s.diverged += 1 }
              return SweepProgress(done: alreadyDone + s.completed, total: total, diverged: s.diverged,
                                   elapsed: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            progress?(snapshot)
          }
        } catch {
          state.withLock { if $0.failure == nil { $0.failure = error } }
          cancellation.cancel()
          return
        }
      }
    }

    let (results, failure) = state.withLock { s in
      defer { s.results = [] }
      return (s.results, s.failure)
    }
    if let failure { throw failure }
    var summaries: [(RunSpec, RunSummary)] = []
    var rows: [SummaryTable.Row?] = []
    summaries.reserveCapacity(runs.count)
    rows.reserveCapacity(runs.count)
    for (k, run) in runs.enumerated() {
      if let s = done[run.index] {
        summaries.append((run, s))
        rows.append(nil)
      } else if let (s, row) = results[k] {
        summaries.append((run, s))
        rows.append(row)
      }
    }
    return SweepResult(summaries: summaries, rows: rows, resumed: done.count, journalProblems: journalProblems, remade: remade, interrupted: summaries.count < runs.count,
                       complete: summaries.count == runs.count)
  }

  struct SharedState: Sendable {
    /// By position in the sweep's runs.
    var results: [(RunSummary, SummaryTable.Row)?]
    var completed: Int
    var diverged: Int
    var failure: OutputError?
  }

  /// The most runs stepped together as lanes, and the most coordinates in a lanes unit: beyond a few
  /// dozen coordinates one run already amortises the per-step work.
  static let maximumLanes = 16
  static let maximumLaneCoordinates = 64

  /// Splits runs into units of work for the pool. Runs that differ only in their start point (the same
  /// objective group and optimizer setting, exact gradients, a coordinate-wise optimizer, small
  /// dimension) go together, up to `maximumLanes` a unit, to be stepped as lanes; every other run is a unit
  /// of its own. Lanes are bit-for-bit independent, so how runs are grouped changes only the speed: units
  /// are made smaller when there would be fewer than four per worker.
  func workUnits(_ runs: [RunSpec], workers: Int) -> [[RunSpec]] {
    struct Key: Hashable {
      var group: Int
      var optimizer: Int
    }
    var order: [Key] = []
    var groups: [Key: [RunSpec]] = [:]
    var singles: [RunSpec] = []
    for run in runs {
      let function = experiment.functions[run.function]
      let d = function.objective.dimension
      guard function.oracle.isExact, d <= Self.maximumLaneCoordinates / 2,
            experiment.optimizers[run.optimizer].configured.isCoordinatewise else {
        singles.append(run)
        continue
      }
      let key = Key(group: function.objectiveGroup, optimizer: run.optimizer)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(run)
    }
    let batchable = runs.count - singles.count
    let wanted = max(1, 4 * workers - singles.count)
    var units: [[RunSpec]] = singles.map { [$0] }
    for key in order {
      let members = groups[key]!
      let d = experiment.functions[members[0].function].objective.dimension
      let balanced = max(1, batchable / wanted)
      let lanes = max(1, min(Self.maximumLanes, Self.maximumLaneCoordinates / d, balanced))
      for first in stride(from: 0, to: members.count, by: lanes) {
        units.append(Array(members[first..<min(first + lanes, members.count)]))
      }
    }
    units.sort { $0[0].index < $1[0].index }
    return Self.finerTail(units, workers: workers)
  }

  /// Splits the units handed out last into units of at most `tailLanes` runs, so that workers run out of
  /// work at nearly the same time: with whole units the last one to start could leave the others idle for up to
  /// a unit's time (about 5 ms for 16 lanes of 10,000 steps). Grouping never changes results, only speed.
  static func finerTail(_ units: [[RunSpec]], workers: Int) -> [[RunSpec]] {
    guard workers > 1 else { return units }
    let tail = max(0, units.count - 2 * workers)
    var result = Array(units[..<tail])
    for unit in units[tail...] {
      for first in stride(from: 0, to: unit.count, by: tailLanes) {
        result.append(Array(unit[first..<min(first + tailLanes, unit.count)]))
      }
    }
    return result
  }

  static let tailLanes = 4

  /// One unit of work (see `workUnits`): a single run, or runs stepped together as lanes. Trajectory
  /// writers buffer rows in equal parts of `memory`, or in buffers of their own without it.
  func executeUnit(_ unit: [RunSpec], memory: UnsafeMutableBufferPointer<UInt8>? = nil) throws(OutputError) -> [RunSummary] {
    if unit.count == 1 { return [try execute(unit[0], memory: memory)] }
    let function = experiment.functions[unit[0].function]
    let optimizer = experiment.optimizers[unit[0].optimizer].configured.optimizer
    let setup = experiment.setup(unit[0], plannedSteps: plannedSteps)
    let starts = unit.map(experiment.startPoint)
    let clock = DispatchTime.now().uptimeNanoseconds
    let outcomes: [RunOutcome]
    if experiment.record.writesTrajectory {
      var writers: [TrajectoryWriter] = []
      defer { for k in writers.indices { writers[k].abandon() } }
      let share = (memory?.count ?? TrajectoryWriter.defaultCapacity) / unit.count
      for (k, run) in unit.enumerated() {
        let part = memory.map { UnsafeMutableBufferPointer(rebasing: $0[(k * share)..<((k + 1) * share)]) }
        writers.append(try trajectoryWriter(run, setup, buffer: part, capacity: share))
      }
      outcomes = executeLanes(function.objective, optimizer, setup, starts: starts, recorders: &writers)
      for k in writers.indices { try writers[k].finish() }
    } else {
      var discard = [DiscardingRecorder](repeating: DiscardingRecorder(), count: unit.count)
      outcomes = executeLanes(function.objective, optimizer, setup, starts: starts, recorders: &discard)
    }
    // Lanes share their time: each run is charged an equal part.
    let wall = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9 / Double(unit.count)
    return zip(unit, outcomes).map { summarize($0, $1, wallSeconds: wall) }
  }

  /// The writer of a run's trajectory file, buffering rows in `buffer`, or in `capacity` bytes of its own.
  /// `setup` is the run's (or its lanes', which share their learning rate and schedule).
  func trajectoryWriter(_ run: RunSpec, _ setup: RunSetup, buffer: UnsafeMutableBufferPointer<UInt8>? = nil,
                        capacity: Int = TrajectoryWriter.defaultCapacity) throws(OutputError) -> TrajectoryWriter {
    let function = experiment.functions[run.function]
    var slot: PackSlot?
    var constantRate = setup.schedule.isConstant ? setup.learningRate : nil
    if experiment.format == .packed {
      let pack = packLayouts[run.function]
      let (fd, path) = try packs.descriptor(function: run.function)
      slot = PackSlot(fd: fd, offset: pack.offset(of: run), bytes: pack.slotBytes, path: path)
      constantRate = pack.constantRate(of: run)
    }
    return try TrajectoryWriter(
      path: experiment.format == .packed ? run.id : directory.trajectoryPath(run.id, format: experiment.format), format: experiment.format,
      dimension: function.objective.dimension, writesX: experiment.writesX(function), samplesPerStep: function.samplesPerStep,
      constantRate: constantRate, expectedRows: experiment.record.maximumRows(steps: experiment.steps),
      buffer: buffer, capacity: capacity, sidecars: sidecars, slot: slot)
  }

  /// One run, start to finish: open the existentials once, run, write the trajectory (buffered in
  /// `memory` when given), summarise.
  public func execute(_ run: RunSpec, memory: UnsafeMutableBufferPointer<UInt8>? = nil) throws(OutputError) -> RunSummary {
    let setup = experiment.setup(run, plannedSteps: plannedSteps)
    let clock = DispatchTime.now().uptimeNanoseconds
    let outcome: RunOutcome
    if experiment.record.writesTrajectory {
      var writer = try trajectoryWriter(run, setup, buffer: memory)
      outcome = execute(run, setup, recorder: &writer)
      try writer.finish()
    } else {
      var discard = DiscardingRecorder()
      outcome = execute(run, setup, recorder: &discard)
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
    return summarize(run, outcome, wallSeconds: wall)
  }

  /// Opens the existentials once and runs the loop that fits the gradient oracle.
  func execute<R: TrajectoryRecorder>(_ run: RunSpec, _ setup: RunSetup, recorder: inout R) -> RunOutcome {
    let function = experiment.functions[run.function]
    let optimizer = experiment.optimizers[run.optimizer].configured.optimizer
    let oracle = function.oracle
    if oracle.isExact { return executeRun(function.objective, optimizer, setup, recorder: &recorder) }
    let seed = stableHash(function.seedKey + "#gradients#seed=\(run.seed)")
    if let batchSize = oracle.batchSize, let finiteSum = function.objective as? any FiniteSumObjective {
      return runMinibatch(finiteSum, optimizer, setup, batchSize: batchSize, oracle: oracle, seed: seed, recorder: &recorder)
    }
    return runNoisy(function.objective, optimizer, setup, noise: oracle.gradientNoise, seed: seed, recorder: &recorder)
  }

  func runMinibatch<F: FiniteSumObjective, O: Optimizer, R: TrajectoryRecorder>(
    _ f: F, _ o: O, _ setup: RunSetup, batchSize: Int, oracle: GradientOracle, seed: UInt64, recorder: inout R
  ) -> RunOutcome {
    var source = MinibatchGradient(f, batchSize: batchSize, sampling: oracle.sampling, noise: oracle.gradientNoise, seed: seed)
    return executeStochasticRun(f, o, setup, source: &source, recorder: &recorder)
  }

  func runNoisy<F: Objective, O: Optimizer, R: TrajectoryRecorder>(
    _ f: F, _ o: O, _ setup: RunSetup, noise: Double, seed: UInt64, recorder: inout R
  ) -> RunOutcome {
    var source = NoisyGradient(f, noise: noise, seed: seed)
    return executeStochasticRun(f, o, setup, source: &source, recorder: &recorder)
  }

  func summarize(_ run: RunSpec, _ outcome: RunOutcome, wallSeconds: Double) -> RunSummary {
    let function = experiment.functions[run.function]
    let optimizer = experiment.optimizers[run.optimizer]
    let minima = function.objective.minima
    let finite = outcome.finalX.allSatisfy(\.isFinite)
    return RunSummary(
      runID: run.id, function: function.name, optimizer: optimizer.name, label: optimizer.entryLabel,
      seed: run.seed, steps: outcome.steps, status: outcome.status, finalF: outcome.finalF, bestF: outcome.bestF,
      fStar: minima.value, finalGradNorm: outcome.finalGradNorm,
      distanceToMinimizer: finite ? minima.distanceToMinimizer(outcome.finalX) : nil,
      minimum: outcome.status == .diverged || !finite ? "none" : minima.classify(outcome.finalX, radius: experiment.minimumRadius),
      stepsToTarget: outcome.stepsToTarget, samplesSeen: function.samplesPerStep.map { $0 * outcome.steps }, wallSeconds: wallSeconds,
      divergedAt: outcome.divergedAt)
  }
}
