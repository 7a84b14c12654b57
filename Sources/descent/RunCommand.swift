import ArgumentParser
import DescentCore
import Dispatch
import Foundation

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run an experiment: expand a JSON config into runs and execute them in parallel.",
    discussion: "Results go to Results/<name>/ (or --output): config.json, manifest.json, summary.csv, summary.json, runs/<run_id>.csv (runs/<run_id>.f64 and its .f64.json sidecar with \"format\": \"binary\"; runs/<function>.pack.f64 and its .pack.f64.json index with \"format\": \"packed\") and runs/journal-*.jsonl, a line per completed run.")

  @Argument(help: "The experiment config (JSON).")
  var config: String

  @Option(help: "The results directory (default: Results/<name>, or Results/<name>-shard-K-of-N with --shard).")
  var output: String?

  @Option(parsing: .unconditional, help: "Worker threads (default: the number of active cores).")
  var jobs: Int?

  @Flag(help: "Complete an existing results directory: skip the runs already done.")
  var resume = false

  @Flag(help: "Replace an existing results directory.")
  var force = false

  @Option(help: "Run only the K-th of N deterministic slices (K in 1…N), e.g. --shard 2/4.")
  var shard: String?

  @Flag(help: "Allow configs that expand to more than 1,000,000 runs.")
  var allowLarge = false

  @Flag(help: "No progress output.")
  var quiet = false

  @Flag(help: "Do not render plots.")
  var noPlot = false

  @OptionGroup var plotOptions: PlotOptions

  func validate() throws {
    if output?.isEmpty == true { throw ValidationError(emptyOutputPath) }
    if resume && force { throw ValidationError("--resume and --force exclude each other") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let shard, Shard(shard) == nil { throw ValidationError("--shard expects K/N with 1 ≤ K ≤ N, got '\(shard)'") }
  }

  func run() throws {
    let experiment: Experiment
    let bytes: [UInt8]
    do {
      bytes = try Experiment.readConfigBytes(config)
      experiment = try Experiment.decode(bytes, file: config, runCap: allowLarge ? nil : Experiment.defaultRunCap)
    } catch {
      throw Failure.exit(error)
    }
    let shard = self.shard.flatMap(Shard.init)
    let path = output ?? ("Results/" + experiment.name + (shard.map { "-shard-\($0.index)-of-\($0.count)" } ?? ""))
    let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let started = Date()
    // Every run of this process is planned, and its summary kept, in memory: 1.6–1.7 KB a run at its peak
    // (measured for 1 M and 3 M runs), so 2 KB is counted. A sweep
    // that cannot fit is refused before anything is written, rather than crashing while it is planned.
    let runsHere = shard.map { (experiment.runCount + $0.count - 1) / $0.count } ?? experiment.runCount
    let memory = ProcessInfo.processInfo.physicalMemory, bytesPerRun: UInt64 = 2048
    if UInt64(runsHere) > memory / bytesPerRun {
      let gib = { (bytes: UInt64) in String(format: "%.1f", Double(bytes) / Double(1 << 30)) }
      let shards = (UInt64(experiment.runCount) * bytesPerRun + memory - 1) / memory
      throw Failure.exit("\(config): \(runsHere) runs in one process need about \(gib(UInt64(runsHere) * bytesPerRun)) GiB of memory to plan and summarise, more than this machine's \(gib(memory)) GiB; split the sweep with --shard K/N, N ≥ \(shards) (see 'descent slurm')", code: 65)
    }
    let runs = experiment.runs(in: shard)

    do {
      // Signals are trapped before the directory is touched: a signal while it is made ready stops the sweep
      // before its first run (exit 130, the manifest interrupted), never halfway through writing a file.
      // Until this command writes the manifest's final status, stopping at once (a second signal) writes it as
      // interrupted first, so the directory never claims to be still running.
      let unfinished = UnfinishedManifest()
      let cancellation = CancellationFlag()
      let signals = SignalTrap(cancellation: cancellation, quiet: quiet) { unfinished.markInterrupted() }
      defer { signals.restore() }
      // Made and locked before it is judged, emptied (`--force`) or written, and held until this process ends.
      let lock = try ResultsDirectory.Lock.acquire(path)
      defer { withExtendedLifetime(lock) {} }
      if cancellation.isCancelled {
        lock?.removeIfUnwritten()
        throw Failure.exit("interrupted before \(path) was written", code: 130)
      }
      let directory = try ResultsDirectory.prepare(path, for: experiment, mode: resume ? .resume : (force ? .force : .fresh))
      if resume { try directory.checkResumes(shard: shard) }
      try directory.write(String(decoding: bytes, as: UTF8.self), to: "config.json")
      var manifest = Manifest(name: experiment.name, configHash: experiment.configHash, started: started, jobs: jobs,
                              runCount: experiment.runCount, runsHere: runs.count, shard: shard, status: "running")
      try unfinished.start { try manifest.write(to: directory); return (manifest, directory) }
      // A sweep stopped by an error (a full disk, a file that cannot be written) says so: `failed`.
      defer { _ = unfinished.markStopped(as: "failed") }

      let reporter = ProgressReporter(quiet: quiet)
      if !quiet {
        let sharding = shard.map { " (shard \($0): \(runs.count) of \(experiment.runCount))" } ?? ""
        Failure.note("running \(experiment.name): \(runs.count) runs\(sharding) on \(jobs) job\(jobs == 1 ? "" : "s") → \(path)")
      }
      let sweep = Sweep(experiment: experiment, directory: directory, jobs: jobs, cancellation: cancellation)
      let result = try sweep.execute(runs) { reporter.update($0) }
      reporter.finish()
      Failure.warn(result.journalProblems, in: path, consequence: "their runs, unless recorded again, were run again")
      Failure.warnReplaced(result.journalProblems, in: path)
      Failure.warnRemade(result.remade, in: path)

      manifest.finished = Date()
      guard result.complete else {
        manifest.status = "interrupted"
        try unfinished.finish { try manifest.write(to: directory) }
        throw Failure.exit("interrupted: \(result.summaries.count) of \(runs.count) runs are complete in \(path); run again with --resume to finish", code: 130)
      }
      try SummaryTable(experiment).write(result.summaries, rendered: result.rows, to: directory)
      manifest.status = "complete"
      try unfinished.finish { try manifest.write(to: directory) }
      if !quiet {
        let diverged = result.summaries.count { $0.1.status == .diverged }
        Failure.note("done: \(result.summaries.count) runs (\(result.resumed) resumed, \(diverged) diverged) → \(path)/summary.csv")
      }
      if !noPlot && shard == nil {
        // The results are complete: a signal while the plots are drawn stops the process as it would any
        // other (`descent plot` draws them again).
        signals.restore()
        try renderPlots(directory: path, options: plotOptions, quiet: quiet)
      }
    } catch let error as OutputError {
      throw Failure.exit(error.message, code: error.exitCode)
    }
  }
}

/// Turns SIGINT/SIGTERM into a cancellation: in-flight runs finish, nothing new starts, and what is
/// complete stays on disk for --resume. A second signal exits at once, unless it comes within a second of
/// the first: `timeout -s INT` and a terminal's Ctrl-C may deliver one interruption to the process and to
/// its group, microseconds apart, and that is still one request to finish cleanly.
final class SignalTrap {
  private let sources: [DispatchSourceSignal]
  /// Repeats closer than this to the first signal count as the same one.
  static let repeatWindow: Duration = .seconds(1)

  /// What a signal asks for: the first, to finish the runs in flight; a repeat within `repeatWindow`, nothing
  /// more; a later one, to stop at once.
  private enum Action { case finishInFlight, ignore, stopAtOnce }

  /// `beforeStopping` runs before a second signal exits the process, and says whether runs were still in flight
  /// (rather than plots being drawn after the sweep).
  init(cancellation: CancellationFlag, quiet: Bool, beforeStopping: @escaping @Sendable () -> Bool = { true }) {
    let first = Mutex<ContinuousClock.Instant?>(nil)
    sources = [SIGINT, SIGTERM].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        let now = ContinuousClock.now
        // One decision under one lock: a SIGINT and a SIGTERM microseconds apart (two sources) are one request.
        let action = first.withLock { first -> Action in
          guard let started = first else {
            first = now
            return .finishInFlight
          }
          return now - started < Self.repeatWindow ? .ignore : .stopAtOnce
        }
        if action == .ignore { return }
        if action == .stopAtOnce {
          let inFlight = beforeStopping()
          if !quiet { Failure.note(inFlight ? "stopped at once: the runs in flight are lost; --resume runs them again" : "stopped at once") }
          _exit(130)
        }
        cancellation.cancel()
        if !quiet { Failure.note("\ninterrupted: finishing the runs in flight (signal again to stop at once)") }
      }
      source.resume()
      return source
    }
  }

  func restore() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}

/// The manifest of a sweep in progress, for the moment it must be marked interrupted from another thread: its
/// final status is written either by `finish` or by `markInterrupted`, never both.
final class UnfinishedManifest: Sendable {
  /// The manifest as last written, and its directory, from `start` until a final status is written.
  private let state = Mutex<(manifest: Manifest, directory: ResultsDirectory)?>(nil)

  /// Runs `write`, which writes the manifest as running and gives it back with its directory, unless the
  /// sweep has been stopped at once already (which exits the process: `write` then never runs).
  func start(_ write: () throws -> (Manifest, ResultsDirectory)) throws {
    try state.withLock { $0 = try write() }
  }

  /// Writes the manifest as interrupted, finished now, unless `finish` has written its final status; returns
  /// whether it did (the sweep was still running).
  func markInterrupted() -> Bool { markStopped(as: "interrupted") }

  /// Writes the manifest with `status`, finished now, unless a final status is written already.
  func markStopped(as status: String) -> Bool {
    state.withLock { state in
      guard let (manifest, directory) = state else { return false }
      var stopped = manifest
      stopped.status = status
      stopped.finished = Date()
      try? stopped.write(to: directory)
      state = nil
      return true
    }
  }

  /// Runs `write`, which writes the final manifest, unless it has been marked interrupted already.
  func finish(_ write: () throws -> Void) throws {
    try state.withLock { state in
      guard state != nil else { return }
      try write()
      state = nil
    }
  }
}

/// Progress on stderr: a bar when stderr is a terminal, else one line per 10 %.
final class ProgressReporter: Sendable {
  private let quiet: Bool
  private let terminal: Bool
  private let lastDecile = Mutex(-1)

  init(quiet: Bool) {
    self.quiet = quiet
    terminal = isatty(STDERR_FILENO) != 0
  }

  func update(_ p: SweepProgress) {
    guard !quiet, p.total > 0 else { return }
    let fraction = Double(p.done) / Double(p.total)
    let eta = p.done > 0 ? p.elapsed / fraction - p.elapsed : 0
    let text = "\(p.done)/\(p.total) runs  \(String(format: "%.1f", p.elapsed))s elapsed  ETA \(String(format: "%.1f", eta))s  \(p.diverged) diverged"
    if terminal {
      let width = 30
      let filled = Int(fraction * Double(width))
      Failure.standardError("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text + "\u{1B}[K")
    } else {
      let decile = Int(fraction * 10)
      let due = lastDecile.withLock { last -> Bool in
        guard decile > last else { return false }
        last = decile
        return true
      }
      if due { Failure.note("progress: \(decile * 10)%  " + text) }
    }
  }

  func finish() {
    if terminal && !quiet { Failure.standardError("\n") }
  }
}

import Synchronization

/// The message for `--output ""` (run, merge, slurm): refused as it is written, before it could be taken for the
/// current directory.
let emptyOutputPath = "--output: the path is empty; give a directory, e.g. --output Results/name"

/// The message for an empty results directory (plot, baseline, check).
let emptyResultsPath = "the results directory's path is empty; give the directory 'descent run' wrote, e.g. Results/name"
