/// A sharded experiment as Slurm jobs: an array job whose task k runs shard k/N, and a merge job that
/// starts once every task has succeeded, merges the shards and renders the plots.
///
/// ```
/// <work>/shards.sbatch   #SBATCH --array=1-N; task k:
///                        descent run CONFIG --shard k/N --jobs $SLURM_CPUS_PER_TASK --resume --output <work>/shard-k-of-N --no-plot
/// <work>/merge.sbatch    descent merge <work>/shard-1-of-N … --output OUTPUT --force; descent plot OUTPUT
/// <work>/submit.sh       sbatch --parsable shards.sbatch, then sbatch --dependency=afterok:<array job> merge.sbatch
/// <work>/logs/           shard-k-of-N.log per task, merge.log
/// ```
/// The work directory is a sibling of the output (`OUTPUT-slurm`, see `defaultWorkDirectory`), not inside
/// it: `merge --force` replaces the output directory whole. Every path is absolute and single-quoted
/// (`shellQuoted`), so the scripts run from any directory on any node that sees the same file system.
/// With `--resume`, a re-queued task continues where it stopped; re-running `submit.sh` after a failure
/// redoes only the missing runs.
///
/// The scripts are pure functions of this value; writing and submitting them is the caller's business.
///
/// See also: `Experiment.runs(in:)` (which runs a shard holds), `Merge`.
public struct SlurmJob: Sendable, Equatable {
  /// The experiment's name, used for the job names.
  public var name: String
  /// The number of shards N, one array task each.
  public var shards: Int
  /// The absolute path of the `descent` executable.
  public var executable: String
  /// The absolute path of the experiment config.
  public var config: String
  /// The absolute path of the merged results directory.
  public var output: String
  /// The absolute path of the directory for the scripts, the logs and the shard directories.
  public var workDirectory: String
  /// `#SBATCH --partition`; nil leaves the cluster's default.
  public var partition: String?
  /// `#SBATCH --time` for each task and for the merge; nil leaves the partition's default.
  public var time: String?
  /// `#SBATCH --cpus-per-task` for each shard task, passed on to `descent run --jobs`.
  public var cpusPerTask: Int
  /// Passes `--allow-large` to every `descent run`.
  public var allowLarge: Bool

  /// `--cpus-per-task` when none is given: Slurm's own default.
  public static let defaultCPUsPerTask = 1
  /// The most shards `--shard K/N` accepts.
  public static let maximumShards = 100_000

  public init(name: String, shards: Int, executable: String, config: String, output: String, workDirectory: String? = nil,
              partition: String? = nil, time: String? = nil, cpusPerTask: Int = defaultCPUsPerTask, allowLarge: Bool = false) {
    precondition([executable, config, output].allSatisfy { $0.hasPrefix("/") }, "SlurmJob takes absolute paths")
    self.name = name
    self.shards = shards
    self.executable = executable
    self.config = config
    self.output = output
    self.workDirectory = workDirectory ?? SlurmJob.defaultWorkDirectory(output: output)
    self.partition = partition
    self.time = time
    self.cpusPerTask = cpusPerTask
    self.allowLarge = allowLarge
  }

  /// `OUTPUT-slurm`, beside the merged directory.
  public static func defaultWorkDirectory(output: String) -> String {
    var base = output
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    return base + "-slurm"
  }

  /// What is wrong with a request, as one line each; empty when it can be written.
  ///
  /// `shards` must lie in 1…min(runCount, 100,000); `partition` and `time` go on `#SBATCH` lines, so they are
  /// held to the characters Slurm uses for them (which need no quoting).
  public static func problems(shards: Int, runCount: Int, partition: String?, time: String?, cpusPerTask: Int) -> [String] {
    var problems: [String] = []
    if shards < 1 {
      problems.append("--shards must be at least 1, got \(shards)")
    } else if shards > runCount {
      problems.append("--shards \(shards) is more than the experiment's \(runCount) run\(runCount == 1 ? "" : "s"); every shard needs at least one")
    } else if shards > maximumShards {
      problems.append("--shards must be at most \(maximumShards), got \(shards)")
    }
    if let partition, partition.isEmpty || !partition.allSatisfy(isPartitionCharacter) {
      problems.append("--partition expects a partition name (letters, digits, '_', '-', '.', and ',' between names), got '\(partition)'")
    }
    if let time, !isTimeLimit(time) {
      problems.append("--time expects a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED), got '\(time)'")
    }
    if cpusPerTask < 1 { problems.append("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
    return problems
  }

  static func isPartitionCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || "_-.,".contains(c))
  }

  static func isTimeLimit(_ text: String) -> Bool {
    if ["unlimited", "infinite"].contains(text.lowercased()) { return true }
    let (days, clock): (Substring?, Substring) = {
      let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
      return parts.count == 2 ? (parts[0], parts[1]) : (nil, parts[0])
    }()
    let isNumber = { (s: Substring) in !s.isEmpty && s.count <= 6 && s.allSatisfy { $0.isASCII && $0.isNumber } }
    if let days, !isNumber(days) { return false }
    let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
    return (1...3).contains(fields.count) && fields.allSatisfy(isNumber)
  }

  // MARK: - Layout

  public var arrayScriptPath: String { workDirectory + "/shards.sbatch" }
  public var mergeScriptPath: String { workDirectory + "/merge.sbatch" }
  public var submitScriptPath: String { workDirectory + "/submit.sh" }
  public var logDirectory: String { workDirectory + "/logs" }

  /// Where task k writes shard k/N.
  public func shardDirectory(_ k: Int) -> String { workDirectory + "/shard-\(k)-of-\(shards)" }
  public var shardDirectories: [String] { (1...shards).map(shardDirectory) }

  /// The experiment's name restricted to characters that are safe on an `#SBATCH` line and in a comment
  /// (configs already restrict names to these; this keeps the scripts well formed for any value).
  var plainName: String {
    String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
  }

  var jobName: String { "descent-" + plainName }

  // MARK: - Scripts

  /// The `#SBATCH` lines both jobs share.
  private func commonDirectives(cpusPerTask: Int) -> [String] {
    var lines = ["#SBATCH --cpus-per-task=\(cpusPerTask)"]
    if let partition { lines.append("#SBATCH --partition=\(partition)") }
    if let time { lines.append("#SBATCH --time=\(time)") }
    // Paths never appear on #SBATCH lines, whose quoting rules differ from the shell's: the scripts
    // redirect their own output into logs/ below, where the shell quotes them.
    lines.append("#SBATCH --output=/dev/null")
    return lines
  }

  /// `shards.sbatch`: the array job, one task per shard.
  public var arrayScript: String {
    let n = shards
    var run = #""$descent" run "$config" --shard "$task/\#(n)" --jobs "${SLURM_CPUS_PER_TASK:-\#(cpusPerTask)}" --resume"#
      + #" --output "$work/shard-$task-of-\#(n)" --no-plot"#
    if allowLarge { run += " --allow-large" }
    let lines = [
      "#!/bin/sh",
      "# Descent: experiment '\(plainName)', shard k of \(n) in array task k. Written by 'descent slurm'.",
      "# submit.sh queues it with the merge job. Re-queue failed tasks alone with",
      "# 'sbatch --array=K shards.sbatch': a task resumes where it stopped.",
      "#SBATCH --job-name=\(jobName)",
      "#SBATCH --array=1-\(n)",
    ] + commonDirectives(cpusPerTask: cpusPerTask) + [
      "",
      "descent=\(executable.shellQuoted)",
      "config=\(config.shellQuoted)",
      "work=\(workDirectory.shellQuoted)",
      #"task=${SLURM_ARRAY_TASK_ID:?'submit this script with sbatch: it is an array job'}"#,
      #"mkdir -p "$work/logs""#,
      #"exec >>"$work/logs/shard-$task-of-\#(n).log" 2>&1"#,
      #"echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) job ${SLURM_JOB_ID:-none} task $task of \#(n) on $(hostname)""#,
      "exec " + run,
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `merge.sbatch`: merges every shard into the output, then renders the plots.
  public var mergeScript: String {
    var lines = [
      "#!/bin/sh",
      "# Descent: merges the \(shards) shard\(shards == 1 ? "" : "s") of experiment '\(plainName)' and renders the plots. Written by 'descent slurm'.",
      "# submit.sh queues it with --dependency=afterok:<array job>: it starts once every shard has succeeded,",
      "# and is cancelled if one fails.",
      "#SBATCH --job-name=\(jobName)-merge",
      "#SBATCH --kill-on-invalid-dep=yes",
    ] + commonDirectives(cpusPerTask: 1) + [
      "",
      "descent=\(executable.shellQuoted)",
      "work=\(workDirectory.shellQuoted)",
      "output=\(output.shellQuoted)",
      #"mkdir -p "$work/logs""#,
      #"exec >>"$work/logs/merge.log" 2>&1"#,
      #"echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) job ${SLURM_JOB_ID:-none} on $(hostname)""#,
      #""$descent" merge \"#,
    ]
    lines += (1...shards).map { #"  "$work/shard-\#($0)-of-\#(shards)" \"# }
    lines += [
      #"  --output "$output" --force || exit"#,
      "# The merged results are the product; a node without gnuplot should not fail the job over the plots.",
      #""$descent" plot "$output" || echo "warning: no plots (exit $?); the merged results are complete: run 'descent plot' on them where gnuplot is installed""#,
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `sbatch` arguments that queue the array job.
  public var arraySubmission: [String] { ["--parsable", arrayScriptPath] }

  /// `sbatch` arguments that queue the merge job after every task of `arrayJob` has succeeded.
  public func mergeSubmission(after arrayJob: String) -> [String] {
    ["--parsable", "--dependency=afterok:\(arrayJob)", mergeScriptPath]
  }

  /// `submit.sh`: what `descent slurm --submit` does, for submitting by hand.
  public var submitScript: String {
    let lines = [
      "#!/bin/sh",
      "# Queues the shard array job, then the merge job to start once every shard has succeeded. Written by 'descent slurm'.",
      "set -e",
      "work=\(workDirectory.shellQuoted)",
      #"array=$(sbatch --parsable "$work/shards.sbatch")"#,
      "array=${array%%;*}",
      #"merge=$(sbatch --parsable --dependency="afterok:$array" "$work/merge.sbatch")"#,
      "merge=${merge%%;*}",
      #"echo "array job $array""#,
      #"echo "merge job $merge""#,
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The job id in what `sbatch --parsable` prints (`123`, or `123;cluster` on a federation).
  public static func jobID(parsable output: String) -> String? {
    let line = output.split(whereSeparator: \.isNewline).first ?? ""
    let id = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0].filter { !$0.isWhitespace }
    guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return id
  }
}
