import Foundation
import Testing
@testable import DescentCore

/// A directory name built to break naive quoting: quotes, `$(…)`, backquotes, a backslash, a newline and `#`.
let hostileName = "it's a \"dir\" $(touch pwned) `touch pwned2` \\ back\nline #hash"

/// A job whose every path runs through `hostileName`, under a fresh temporary directory that
/// `cleanUpHostile(base)` removes (the directory itself, not only `base` inside it).
func hostileJob(shards: Int = 3, cpusPerTask: Int = 4, partition: String? = "debug", time: String? = "1-02:00:00") -> (job: SlurmJob, base: String) {
  let base = temporaryDirectory() + "/" + hostileName
  let job = SlurmJob(
    name: "small", shards: shards, executable: base + "/bin dir/descent", config: base + "/con'fig.json",
    output: base + "/out put/", partition: partition, time: time, cpusPerTask: cpusPerTask)
  return (job, base)
}

func cleanUpHostile(_ base: String) { cleanUp((base as NSString).deletingLastPathComponent) }

/// Writes `text` to `path` (creating its folder) as an executable file.
func writeExecutable(_ text: String, to path: String) throws {
  try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
}

/// A stand-in for a program that appends its arguments to `$RECORD` (NUL-separated, one invocation per
/// record) and exits with `$FAIL_<first argument>` if set, else 0.
let recordingProgram = """
  #!/bin/sh
  printf '%s\\0' "$@" >>"$RECORD"
  printf '\\036' >>"$RECORD"
  eval "status=\\${FAIL_$1:-0}"
  exit "$status"
  """

/// The invocations a recording program made, each as its argument list.
func invocations(_ record: String) throws -> [[String]] {
  guard FileManager.default.fileExists(atPath: record) else { return [] }
  let text = try String(contentsOfFile: record, encoding: .utf8)
  return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).dropLast().map { invocation in
    invocation.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
  }
}

/// Runs `/bin/sh script` in `directory` with exactly `environment`; returns the exit status and stdout (stderr is dropped).
@discardableResult
func runShell(_ script: String, in directory: String, environment: [String: String]) throws -> (status: Int32, stdout: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = [script]
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  process.environment = environment
  let stdout = Pipe()
  process.standardOutput = stdout
  process.standardError = FileHandle.nullDevice
  try process.run()
  let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, output)
}

/// Writes the job's three scripts where it says they live, as `descent slurm` does.
func writeScripts(_ job: SlurmJob) throws {
  try FileManager.default.createDirectory(atPath: job.workDirectory, withIntermediateDirectories: true)
  try writeExecutable(job.arrayScript, to: job.arrayScriptPath)
  try writeExecutable(job.mergeScript, to: job.mergeScriptPath)
  try writeExecutable(job.submitScript, to: job.submitScriptPath)
}

@Suite("Slurm: job-array scripts for sharded experiments")
struct SlurmTests {
  @Test("the array script asks for one task per shard with the requested resources, before any command")
  func arrayDirectives() {
    let (job, base) = hostileJob()
    defer { cleanUpHostile(base) }
    let lines = job.arrayScript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "#!/bin/sh")
    let directives = lines.filter { $0.hasPrefix("#SBATCH") }
    #expect(directives == [
      "#SBATCH --job-name=descent-small", "#SBATCH --array=1-3", "#SBATCH --cpus-per-task=4",
      "#SBATCH --partition=debug", "#SBATCH --time=1-02:00:00", "#SBATCH --output=/dev/null",
    ])
    // sbatch reads #SBATCH lines only up to the first command.
    let firstCommand = lines.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") }!
    #expect(lines.lastIndex { $0.hasPrefix("#SBATCH") }! < firstCommand)
    // No path reaches a comment or a directive, where a newline in it would end the line early.
    #expect(lines.filter { $0.hasPrefix("#") }.allSatisfy { !$0.contains("it's") && !$0.contains("hash") })
  }

  @Test("without --partition or --time the scripts leave both to the cluster")
  func clusterDefaults() {
    let (job, base) = hostileJob(shards: 1, cpusPerTask: 1, partition: nil, time: nil)
    defer { cleanUpHostile(base) }
    for script in [job.arrayScript, job.mergeScript] {
      #expect(!script.contains("--partition") && !script.contains("--time"))
      #expect(script.contains("#SBATCH --cpus-per-task=1\n"))
    }
    #expect(job.arrayScript.contains("#SBATCH --array=1-1\n"))
  }

  @Test("array task k runs 'descent run CONFIG --shard k/N --jobs C --resume --output <shard k> --no-plot', quoting hostile paths")
  func perTaskCommand() throws {
    let (job, base) = hostileJob()
    defer { cleanUpHostile(base) }
    try writeScripts(job)
    try writeExecutable(recordingProgram, to: job.executable)
    let record = base + "/record"
    for k in 1...3 {
      let (status, _) = try runShell(
        job.arrayScriptPath, in: base,
        environment: ["PATH": "/usr/bin:/bin", "RECORD": record, "SLURM_ARRAY_TASK_ID": "\(k)", "SLURM_CPUS_PER_TASK": "4", "SLURM_JOB_ID": "7"])
      #expect(status == 0)
    }
    #expect(try invocations(record) == (1...3).map { k in
      ["run", job.config, "--shard", "\(k)/3", "--jobs", "4", "--resume", "--output", job.shardDirectory(k), "--no-plot"]
    })
    for k in 1...3 {
      let log = try String(contentsOfFile: job.logDirectory + "/shard-\(k)-of-3.log", encoding: .utf8)
      #expect(log.hasPrefix("== ") && log.contains("job 7 task \(k) of 3"))
    }
    #expect(!FileManager.default.fileExists(atPath: base + "/pwned") && !FileManager.default.fileExists(atPath: base + "/pwned2"))
  }

  @Test("run by hand outside an array job, the task script refuses instead of guessing a shard")
  func taskNeedsArrayID() throws {
    let (job, base) = hostileJob()
    defer { cleanUpHostile(base) }
    try writeScripts(job)
    try writeExecutable(recordingProgram, to: job.executable)
    let (status, _) = try runShell(job.arrayScriptPath, in: base, environment: ["PATH": "/usr/bin:/bin", "RECORD": base + "/record"])
    #expect(status != 0)
    #expect(try invocations(base + "/record").isEmpty)
  }

  @Test("the merge job merges every shard directory into the output with --force, then plots it")
  func mergeCommand() throws {
    let (job, base) = hostileJob(shards: 4)
    defer { cleanUpHostile(base) }
    #expect(job.mergeScript.contains("#SBATCH --kill-on-invalid-dep=yes\n"))
    #expect(job.mergeScript.contains("#SBATCH --cpus-per-task=1\n"))
    try writeScripts(job)
    try writeExecutable(recordingProgram, to: job.executable)
    let output = String(job.output.dropLast())  // given with a trailing slash
    #expect(job.workDirectory == output + "-slurm")
    var environment = ["PATH": "/usr/bin:/bin", "RECORD": base + "/record"]
    #expect(try runShell(job.mergeScriptPath, in: base, environment: environment).status == 0)
    #expect(try invocations(base + "/record") == [
      ["merge"] + job.shardDirectories + ["--output", job.output, "--force"],
      ["plot", job.output],
    ])

    // Plots failing (no gnuplot on the node) leave the job successful; a failed merge fails it and skips the plots.
    cleanUp(base + "/record")
    environment["FAIL_plot"] = "69"
    #expect(try runShell(job.mergeScriptPath, in: base, environment: environment).status == 0)
    environment["FAIL_merge"] = "65"
    cleanUp(base + "/record")
    #expect(try runShell(job.mergeScriptPath, in: base, environment: environment).status == 65)
    #expect(try invocations(base + "/record").map(\.[0]) == ["merge"])
  }

  @Test("the tasks write exactly the shard directories the merge reads")
  func shardDirectoriesAgree() throws {
    let (job, base) = hostileJob(shards: 12)
    defer { cleanUpHostile(base) }
    #expect(job.shardDirectories.count == 12 && Set(job.shardDirectories).count == 12)
    #expect(job.shardDirectories.allSatisfy { $0.hasPrefix(job.workDirectory + "/shard-") && $0.hasSuffix("-of-12") })
  }

  @Test("submit.sh queues the array, then the merge with --dependency=afterok on it, as --submit does")
  func submission() throws {
    let (job, base) = hostileJob()
    defer { cleanUpHostile(base) }
    try writeScripts(job)
    let bin = base + "/fake bin"
    try writeExecutable("""
      #!/bin/sh
      printf '%s\\0' "$@" >>"$RECORD"
      printf '\\036' >>"$RECORD"
      if [ -e "$RECORD.first" ]; then echo 42; else : >"$RECORD.first"; echo '41;cluster'; fi
      """, to: bin + "/sbatch")
    let (status, stdout) = try runShell(job.submitScriptPath, in: base, environment: ["PATH": bin + ":/usr/bin:/bin", "RECORD": base + "/record"])
    #expect(status == 0)
    #expect(stdout == "array job 41\nmerge job 42\n")
    #expect(try invocations(base + "/record") == [job.arraySubmission, job.mergeSubmission(after: "41")])
    #expect(job.mergeSubmission(after: "41") == ["--parsable", "--dependency=afterok:41", job.mergeScriptPath])
  }

  @Test("job ids from sbatch --parsable, with or without a cluster name")
  func parsableJobIDs() {
    #expect(SlurmJob.jobID(parsable: "123\n") == "123")
    #expect(SlurmJob.jobID(parsable: "123;cluster\n") == "123")
    #expect(SlurmJob.jobID(parsable: "") == nil)
    #expect(SlurmJob.jobID(parsable: "Submitted batch job 5\n") == nil)
  }

  @Test("shell quoting survives sh for every character, including quotes, $, backquotes, backslashes and newlines")
  func shellQuoting() throws {
    #expect("it's".shellQuoted == #"'it'\''s'"#)
    #expect("".shellQuoted == "''")
    let alphabet = Array("ab '\"$`\\\n\t#;&|*?~{}()[]<>!%=-/.é")
    let seed: UInt64 = 20261123
    var rng = SplitMix64(seed: seed)
    let words = (0..<200).map { _ in String((0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
    let base = temporaryDirectory()
    defer { cleanUp(base) }
    let script = base + "/echo.sh"
    try Data(("printf '%s\\0' " + words.map(\.shellQuoted).joined(separator: " ") + "\n").utf8).write(to: URL(fileURLWithPath: script))
    let (status, stdout) = try runShell(script, in: base, environment: ["PATH": "/usr/bin:/bin"])
    #expect(status == 0)
    #expect(stdout.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == words, "seed \(seed)")
  }

  @Test("every run is in exactly one shard and no shard is empty, for every allowed N")
  func everyRunInOneShard() throws {
    let e = try decodeExperiment(smallConfig)
    let all = e.plannedRuns().map(\.index)
    for n in 1...e.runCount {
      #expect(SlurmJob.problems(shards: n, runCount: e.runCount, partition: nil, time: nil, cpusPerTask: 1).isEmpty)
      let parts = (1...n).map { e.runs(in: Shard(index: $0, count: n)).map(\.index) }
      #expect(parts.joined().sorted() == all, "N = \(n)")
      #expect(parts.allSatisfy { !$0.isEmpty }, "N = \(n)")
    }
  }

  @Test("requests are checked: 1 ≤ N ≤ runs, partition and time limit in Slurm's syntax, CPUs ≥ 1")
  func problems() {
    func problems(shards: Int = 2, runs: Int = 10, partition: String? = nil, time: String? = nil, cpus: Int = 1) -> [String] {
      SlurmJob.problems(shards: shards, runCount: runs, partition: partition, time: time, cpusPerTask: cpus)
    }
    #expect(problems().isEmpty)
    #expect(problems(shards: 10).isEmpty)
    #expect(problems(shards: 0) == ["--shards must be at least 1, got 0"])
    #expect(problems(shards: 11) == ["--shards 11 is more than the experiment's 10 runs; every shard needs at least one"])
    #expect(problems(shards: 100_001, runs: 200_000) == ["--shards must be at most 100000, got 100001"])
    #expect(problems(cpus: 0) == ["--cpus-per-task must be at least 1, got 0"])
    for ok in ["debug", "gpu-a100,cpu_long", "p.1"] { #expect(problems(partition: ok).isEmpty, "\(ok)") }
    for bad in ["", "a b", "x\n#SBATCH --wrap=rm", "a'b"] { #expect(problems(partition: bad).count == 1, "\(bad)") }
    for ok in ["30", "30:00", "2:00:00", "1-0", "1-02:00", "1-02:00:00", "UNLIMITED", "infinite"] {
      #expect(problems(time: ok).isEmpty, "\(ok)")
    }
    for bad in ["", "1h", "1:2:3:4", "-1", "1-", "1 -2", "1:00\n#SBATCH --x"] { #expect(problems(time: bad).count == 1, "\(bad)") }
  }
}
