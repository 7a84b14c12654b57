import ArgumentParser
import DescentCore
import Foundation

struct SlurmCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm", abstract: "Write (and optionally submit) a Slurm job-array script that runs an experiment in shards.",
    discussion: """
      Writes OUTPUT-slurm/ beside the results directory: shards.sbatch (an array job; task k runs \
      'descent run CONFIG --shard k/N --resume'), merge.sbatch (merges the shards into OUTPUT and renders the plots), \
      submit.sh (queues both, the merge with --dependency=afterok on the array), a copy of the config, and logs/. \
      The descent binary, the config and the results must be on a file system the compute nodes share.
      """)

  @Argument(help: "The experiment config (JSON).")
  var config: String

  @Option(parsing: .unconditional, help: "The number of shards N: one array task each (1 ≤ N ≤ the run count).")
  var shards: Int

  @Option(help: "The Slurm partition (default: the cluster's default).")
  var partition: String?

  @Option(help: "The time limit of each task and of the merge, as sbatch takes it, e.g. 30 or 2:00:00 (default: the partition's).")
  var time: String?

  @Option(parsing: .unconditional, help: "CPUs per task; each task runs 'descent run --jobs' with as many workers.")
  var cpusPerTask: Int = SlurmJob.defaultCPUsPerTask

  @Option(help: "The merged results directory (default: Results/<name>); the Slurm files go to OUTPUT-slurm/.")
  var output: String?

  @Flag(help: "Submit the jobs with sbatch and print their ids.")
  var submit = false

  @Flag(help: "Allow configs that expand to more than 1,000,000 runs.")
  var allowLarge = false

  func validate() throws {
    if output?.isEmpty == true { throw ValidationError(emptyOutputPath) }
    if shards < 1 { throw ValidationError("--shards must be at least 1, got \(shards)") }
    if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
  }

  func run() throws {
    let experiment: Experiment
    do {
      experiment = try Experiment.load(config, runCap: allowLarge ? nil : Experiment.defaultRunCap)
    } catch {
      throw Failure.exit(error)
    }
    let problems = SlurmJob.problems(shards: shards, runCount: experiment.runCount, partition: partition, time: time, cpusPerTask: cpusPerTask)
    guard problems.isEmpty else { throw Failure.usage(problems.joined(separator: "\n"), of: Self.self) }
    let sbatch = submit ? try Self.findSbatch() : nil

    let merged = Self.absolute(output ?? "Results/" + experiment.name)
    let work = SlurmJob.defaultWorkDirectory(output: merged)
    // Tasks run a copy of the config, so editing it while jobs wait in the queue cannot split one experiment in two.
    let job = SlurmJob(
      name: experiment.name, shards: shards, executable: try Self.executablePath(), config: work + "/config.json",
      output: merged, workDirectory: work, partition: partition, time: time, cpusPerTask: cpusPerTask, allowLarge: allowLarge)
    try refuseStaleShards(job, experiment: experiment)
    // The merge job replaces what is at --output (as `merge --force`): only results, found now, not hours later.
    do { try ResultsDirectory.checkReplaceable(job.output, remedy: "the merge job could not replace it; give another --output") } catch {
      throw Failure.exit(error.message, code: error.exitCode)
    }
    try write(job)

    print(job.arrayScriptPath)
    print(job.mergeScriptPath)
    print(job.submitScriptPath)
    if FileManager.default.fileExists(atPath: job.output) {
      Failure.note("note: \(job.output) exists; the merge job will replace it")
    }
    guard let sbatch else {
      Failure.note("wrote a \(shards)-task array job for \(experiment.runCount) runs and its merge job; submit them with: sh \(job.submitScriptPath.shellQuoted)")
      return
    }
    let arrayJob = try Self.sbatch(sbatch, job.arraySubmission, what: "the array job")
    print("array job \(arrayJob)")
    let mergeJob: String
    do {
      mergeJob = try Self.sbatch(sbatch, job.mergeSubmission(after: arrayJob), what: "the merge job")
    } catch {
      Failure.note("array job \(arrayJob) is queued without its merge job; queue that with: sbatch --dependency=afterok:\(arrayJob) \(job.mergeScriptPath.shellQuoted)\nor cancel the array with: scancel \(arrayJob)")
      throw error
    }
    print("merge job \(mergeJob)")
    Failure.note("submitted: array job \(arrayJob) (\(shards) tasks), then merge job \(mergeJob) → \(job.output); logs in \(job.logDirectory)/")
  }

  /// A shard directory left by an earlier submission of another config would fail its task at `--resume`;
  /// say so now rather than in a log on a compute node.
  private func refuseStaleShards(_ job: SlurmJob, experiment: Experiment) throws {
    let stale = job.shardDirectories.filter { path in
      guard let manifest = Manifest.read(ResultsDirectory(path: path)) else { return false }
      return manifest.configHash != experiment.configHash
    }
    guard stale.isEmpty else {
      throw Failure.exit("\(stale[0]) holds shard results of a different config; remove \(job.workDirectory) or choose another --output", code: 65)
    }
  }

  /// Writes the config copy, the three scripts and the log folder into the work directory.
  private func write(_ job: SlurmJob) throws {
    let files = FileManager.default
    do {
      try files.createDirectory(atPath: job.logDirectory, withIntermediateDirectories: true)
      let bytes = try Experiment.readConfigBytes(config)
      try Data(bytes).write(to: URL(fileURLWithPath: job.config), options: .atomic)
      for (path, text) in [(job.arrayScriptPath, job.arrayScript), (job.mergeScriptPath, job.mergeScript), (job.submitScriptPath, job.submitScript)] {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
      }
    } catch let error as ConfigError {
      throw Failure.exit(error)
    } catch {
      throw Failure.exit("cannot write \(job.workDirectory): \((error as NSError).localizedDescription)", code: 73)
    }
  }

  /// `sbatch` on PATH, or exit 69.
  static func findSbatch() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = String(directory) + "/sbatch"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw Failure.exit("sbatch is not on PATH, so --submit cannot queue the jobs; run where Slurm is installed, or leave out --submit to only write the scripts", code: 69)
  }

  /// Runs `sbatch --parsable …` and returns the job id, or exits 69 with sbatch's own message.
  static func sbatch(_ sbatch: String, _ arguments: [String], what: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sbatch)
    process.arguments = arguments
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    do { try process.run() } catch {
      throw Failure.exit("cannot run \(sbatch): \((error as NSError).localizedDescription)", code: 69)
    }
    let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let message = err.trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0, let id = SlurmJob.jobID(parsable: out) else {
      throw Failure.exit("sbatch could not queue \(what) (exit \(process.terminationStatus))" + (message.isEmpty ? "" : ": " + message), code: 69)
    }
    return id
  }

  /// The running executable's absolute path, for the compute nodes to run.
  static func executablePath() throws -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
      return path
    }
    let argument = CommandLine.arguments[0]
    if argument.contains("/") { return absolute(argument) }
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let candidate = absolute(directory + "/" + argument)
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw Failure.exit("cannot find the path of the running descent executable", code: 69)
  }

  /// `path` made absolute against the working directory, with `.`, `..` and repeated slashes removed.
  static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var parts: [Substring] = []
    for part in full.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }
}
