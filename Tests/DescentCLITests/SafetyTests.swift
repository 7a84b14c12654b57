import DescentCore
import Foundation
import Testing

@Suite("Output safety and the regression check from the command line", .serialized)
struct SafetyTests {
  static let config = #"{"name": "safe", "description": "tiny", "steps": 30, "seeds": 2, "functions": [{"name": "booth", "start": [0, 0]}], "optimizers": [{"name": "adam", "lr": 0.1}]}"#

  /// A new temporary directory holding `config` as `safe.json`; the caller removes it.
  func withSafeConfig(_ config: String = SafetyTests.config) -> String {
    let dir = temporaryDirectory()
    write(config, to: dir + "/safe.json")
    return dir
  }

  /// A new temporary directory with `config` run into `Results/safe`; the caller removes it.
  func ranSafe(_ config: String = SafetyTests.config) throws -> String {
    let dir = withSafeConfig(config)
    #expect(try descent(["run", "safe.json", "--no-plot", "--quiet"], in: dir).status == 0)
    return dir
  }

  @Test("symlinks planted in a results directory are refused, and nothing is written through them")
  func plantedSymlinks() throws {
    let dir = withSafeConfig()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let elsewhere = dir + "/elsewhere"
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    // A symlinked runs/ inside results Descent wrote.
    #expect(try descent(["run", "safe.json", "--output", "out", "--no-plot", "--quiet"], in: dir).status == 0)
    try FileManager.default.removeItem(atPath: dir + "/out/runs")
    try FileManager.default.createSymbolicLink(atPath: dir + "/out/runs", withDestinationPath: elsewhere)
    let r = try descent(["run", "safe.json", "--output", "out", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(r.status == 73, "\(r.stderr)")
    #expect(r.stderr.contains("symbolic link"))
    // A symlinked results directory.
    try FileManager.default.createSymbolicLink(atPath: dir + "/linked", withDestinationPath: elsewhere)
    let s = try descent(["run", "safe.json", "--output", "linked", "--no-plot", "--quiet"], in: dir)
    #expect(s.status == 73)
    #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    // A symlinked plots/ in complete results: plot refuses it rather than writing elsewhere.
    #expect(try descent(["run", "safe.json", "--output", "real", "--no-plot", "--quiet"], in: dir).status == 0)
    try FileManager.default.createSymbolicLink(atPath: dir + "/real/plots", withDestinationPath: elsewhere)
    let p = try descent(["plot", "real"], in: dir)
    #expect(p.status == 73, "\(p.stderr)")
    #expect(p.stderr.contains("symbolic link"), "\(p.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    // Nor through a plots/text link, where the dumb terminal's scripts go.
    try FileManager.default.removeItem(atPath: dir + "/real/plots")
    try FileManager.default.createDirectory(atPath: dir + "/real/plots", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir + "/real/plots/text", withDestinationPath: elsewhere)
    let t = try descent(["plot", "real", "--terminal", "dumb"], in: dir)
    #expect(t.status == 73, "\(t.stderr)")
    #expect(t.stderr.contains("plots/text") && t.stderr.contains("symbolic link"), "\(t.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
  }

  @Test("plot, check and baseline read results through a link to their directory, as through 'link/'; a missing one is named")
  func linkedResults() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createSymbolicLink(atPath: dir + "/rlink", withDestinationPath: dir + "/Results/safe")
    for path in ["rlink", "rlink/"] {
      let r = try descent(["plot", path, "--terminal", "dumb"], in: dir)
      #expect(r.status == 0, "\(path): \(r.stderr)")
      #expect(try descent(["baseline", path], in: dir).status == 0)
    }
    let missing = try descent(["plot", "nowhere"], in: dir)
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("nowhere: cannot read: no such directory"), "\(missing.stderr)")
  }

  @Test("an --output under a file names the file in the way")
  func outputUnderFile() throws {
    let dir = withSafeConfig()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write("x", to: dir + "/afile")
    let r = try descent(["run", "safe.json", "--output", "afile/sub", "--no-plot"], in: dir)
    #expect(r.status == 73)
    #expect(r.stderr == "error: cannot create directory afile/sub: afile is not a directory\n", "\(r.stderr)")
  }

  @Test("slurm refuses an --output its merge job could not replace, a file or a directory of other files, before writing anything")
  func slurmOutput() throws {
    let dir = withSafeConfig()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/notres", withIntermediateDirectories: true)
    write("x", to: dir + "/notres/precious.txt")
    write("x", to: dir + "/afile")
    for (output, why) in [("notres", "does not hold Descent results"), ("afile", "exists and is not a directory")] {
      let r = try descent(["slurm", "safe.json", "--shards", "2", "--output", dir + "/" + output], in: dir)
      #expect(r.status == 73, "\(r.stderr)")
      #expect(r.stderr.contains(why) && r.stderr.contains("the merge job could not replace it"), "\(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/" + output + "-slurm"))
    }
    #expect(try descent(["slurm", "safe.json", "--shards", "2", "--output", dir + "/merged"], in: dir).status == 0)
  }

  @Test("a results directory another run holds is neither written, resumed into nor replaced (exit 75), and is left as it was")
  func lockedDirectory() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let results = dir + "/Results/safe"
    let before = try FileManager.default.contentsOfDirectory(atPath: results + "/runs").sorted()
    // Held as `descent run` holds it while it writes.
    let fd = open(results, O_RDONLY | O_DIRECTORY)
    #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
    for mode in ["--force", "--resume"] {
      let r = try descent(["run", "safe.json", mode, "--no-plot"], in: dir)
      #expect(r.status == 75, "\(mode): \(r.stderr)")
      #expect(r.stderr.contains("Results/safe is being written by another descent run"), "\(r.stderr)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: results + "/runs").sorted() == before)
    close(fd)
    #expect(try descent(["run", "safe.json", "--force", "--no-plot", "--quiet"], in: dir).status == 0)
  }

  @Test("a sweep stopped by an error (a trajectory that cannot be put in place) leaves its manifest failed, not running")
  func failedStatus() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let trajectory = dir + "/Results/safe/runs/booth__adam__seed=1.csv"
    try FileManager.default.removeItem(atPath: trajectory)
    try FileManager.default.createDirectory(atPath: trajectory + "/inside", withIntermediateDirectories: true)
    let r = try descent(["run", "safe.json", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(r.status == 73, "\(r.stderr)")
    #expect(r.stderr.contains("Is a directory"), "\(r.stderr)")
    #expect(try String(contentsOfFile: dir + "/Results/safe/manifest.json", encoding: .utf8).contains(#""status": "failed""#))
  }

  @Test("a closed or full stderr loses the message, not the exit code; a run with stderr closed writes nothing into its results")
  func unwritableStandardError() throws {
    let dir = withSafeConfig()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func shell(_ command: String) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", command, descentBinary]
      process.currentDirectoryURL = URL(fileURLWithPath: dir)
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    for redirect in ["2>/dev/full", "2>&-"] {
      #expect(try shell("\"$0\" validate missing.json \(redirect)") == 66, "\(redirect)")
      #expect(try shell("\"$0\" eval rosenbrock --at 1 \(redirect)") == 64, "\(redirect)")
    }
    // A result printed to a full stdout is a failure, however short the output (it sits in stdio's buffer until
    // the exit); with stdout as it should be, the same commands succeed.
    #expect(try shell("\"$0\" eval rosenbrock --at 1,1 > /dev/null") == 0)
    #expect(try shell("\"$0\" eval rosenbrock --at 1,1 > /dev/full") == 73)
    #expect(try shell("\"$0\" list functions > /dev/full 2>/dev/null") == 73)
    let clean = try descent(["run", "safe.json", "--output", "clean", "--no-plot", "--quiet"], in: dir)
    #expect(clean.status == 0)
    // Closed, stderr would be the next file opened; the message of a refused run goes nowhere instead.
    #expect(try shell("\"$0\" run safe.json --output closed --no-plot 2>&-") == 0)
    #expect(try shell("\"$0\" run safe.json --output closed --no-plot 2>&-") == 64)
    for name in ["config.json", "runs/booth__adam__seed=0.csv", "runs/booth__adam__seed=1.csv"] {
      #expect(FileManager.default.contents(atPath: dir + "/closed/" + name) == FileManager.default.contents(atPath: dir + "/clean/" + name), "\(name)")
    }
    // The summaries differ only in their wall times.
    let rows = { (name: String) in try String(contentsOfFile: dir + "/\(name)/summary.csv", encoding: .utf8).split(separator: "\n").count }
    #expect(try rows("closed") == rows("clean"))
    #expect(try !String(contentsOfFile: dir + "/closed/summary.csv", encoding: .utf8).contains("error"))
    #expect(try String(contentsOfFile: dir + "/closed/manifest.json", encoding: .utf8).contains(#""status": "complete""#))
  }

  @Test("a trajectory that cannot be read is left out of the plots with a warning that names it, and made again by --resume")
  func malformedTrajectory() throws {
    let dir = try ranSafe(Self.config.replacingOccurrences(of: #""steps": 30"#, with: #""steps": 30, "format": "binary""#))
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clean = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(clean.status == 0 && !clean.stderr.contains("warning"), "\(clean.stderr)")
    // A sidecar promising more rows than any file could hold (it once crashed the reader).
    let sidecar = dir + "/Results/safe/runs/booth__adam__seed=1.f64.json"
    let text = try String(contentsOfFile: sidecar, encoding: .utf8)
    write(text.replacingOccurrences(of: #""rows": 31"#, with: #""rows": 1e300"#), to: sidecar)
    let r = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: 1 trajectory file could not be read and is left out of the plots: Results/safe/runs/booth__adam__seed=1.f64 (its sidecar's rows is not a row count)"), "\(r.stderr)")
    write(text.replacingOccurrences(of: #""rows": 31"#, with: #""rows": 30"#), to: sidecar)
    let short = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(short.stderr.contains("booth__adam__seed=1.f64 (1240 bytes where the sidecar's 30 rows of 5 float64 need 1200)"), "\(short.stderr)")
    // --resume reads each trajectory's end: the run is made again, whole.
    let resumed = try descent(["run", "safe.json", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try String(contentsOfFile: sidecar, encoding: .utf8) == text)
    let mended = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(mended.status == 0 && !mended.stderr.contains("warning"), "\(mended.stderr)")
  }

  @Test("damaged journal lines are named with their file and line by plot and run --resume, which re-runs their runs")
  func damagedJournal() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let runs = dir + "/Results/safe/runs"
    let journal = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first { $0.hasPrefix("journal-") })
    let lines = try String(contentsOfFile: runs + "/" + journal, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
    // The first record damaged, the second cut short as a kill would leave it.
    write("{\"run_id\": oops}\n" + lines[1].prefix(40), to: runs + "/" + journal)
    let plot = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(plot.stderr.contains("warning: Results/safe: 2 journal lines were skipped; 2 planned runs are not complete and not plotted:"), "\(plot.stderr)")
    #expect(plot.stderr.contains("runs/\(journal):1: not JSON at column 12: unexpected 'o'"), "\(plot.stderr)")
    #expect(plot.stderr.contains("runs/\(journal):2: cut short (a run was interrupted while recording; --resume runs it again); skipped"), "\(plot.stderr)")
    let resume = try descent(["run", "safe.json", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(resume.status == 0, "\(resume.stderr)")
    #expect(resume.stderr.contains("2 journal lines were skipped; their runs, unless recorded again, were run again:"), "\(resume.stderr)")
    // Recorded again: the old lines no longer matter, and plot says nothing.
    let again = try descent(["plot", "Results/safe", "--terminal", "dumb"], in: dir)
    #expect(again.status == 0 && !again.stderr.contains("warning"), "\(again.stderr)")
  }

  @Test("a run recorded again with other results is warned about apart from skipped lines; the later record is used")
  func conflictingRecord() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let runs = dir + "/Results/safe/runs"
    let journal = try #require(try FileManager.default.contentsOfDirectory(atPath: runs).first { $0.hasPrefix("journal-") })
    let text = try String(contentsOfFile: runs + "/" + journal, encoding: .utf8)
    let first = try #require(text.split(separator: "\n").first)
    let edited = first.replacing(/"final_f":[^,]+,/, with: #""final_f":123,"#)
    #expect(edited != first)
    write(text + "\n" + edited + "\n", to: runs + "/" + journal)
    let baseline = try descent(["baseline", "Results/safe", "--output", "baseline.json"], in: dir)
    #expect(baseline.status == 0, "\(baseline.stderr)")
    #expect(!baseline.stderr.contains("skipped"), "\(baseline.stderr)")
    #expect(baseline.stderr.contains("warning: Results/safe: 1 run was recorded again with other results (a sweep is deterministic: did the code or the files change between the runs?); the later record is used:"), "\(baseline.stderr)")
    #expect(baseline.stderr.contains("runs/\(journal):4: records run "), "\(baseline.stderr)")
    #expect(baseline.stderr.contains(" → 123); this later record is used"), "\(baseline.stderr)")
  }

  @Test("check and baseline refuse (64) report paths that are empty or would replace the results, the baseline or each other, and run, merge and slurm an empty --output; a new file among the results is fine")
  func reportPathsReplaceNothing() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try descent(["baseline", "Results/safe", "--output", "baseline.json"], in: dir).status == 0)
    let before = try String(contentsOfFile: dir + "/baseline.json", encoding: .utf8)
    let summary = try String(contentsOfFile: dir + "/Results/safe/summary.csv", encoding: .utf8)
    for (arguments, message) in [
      (["check", "Results/safe", "--baseline", "baseline.json", "--junit", "./baseline.json"], "--junit: ./baseline.json is also the baseline"),
      (["check", "Results/safe", "--baseline", "baseline.json", "--markdown", "Results/safe/summary.csv"], "--markdown: Results/safe/summary.csv is part of the results in Results/safe"),
      (["check", "Results/safe", "--baseline", "baseline.json", "--markdown", "r.md", "--junit", "r.md"], "--junit: r.md is also the --markdown report"),
      (["check", "Results/safe/", "--baseline", "baseline.json", "--junit", "Results/../Results/safe/runs/x.xml"], "is part of the results"),
      (["baseline", "Results/safe", "--output", "Results/safe/manifest.json"], "--output: Results/safe/manifest.json is part of the results in Results/safe"),
      (["baseline", "Results/safe", "--output", ""], "--output: the path is empty"),
      (["check", "Results/safe", "--baseline", "baseline.json", "--markdown", ""], "--markdown: the path is empty"),
      (["check", "Results/safe", "--baseline", "baseline.json", "--junit", ""], "--junit: the path is empty"),
      (["run", "safe.json", "--output", ""], "--output: the path is empty"),
      (["merge", "Results/safe", "--output", ""], "--output: the path is empty"),
      (["merge", "", "--output", "merged"], "shard directory 1 is an empty path"),
      (["slurm", "safe.json", "--shards", "2", "--output", ""], "--output: the path is empty"),
      (["plot", ""], "the results directory's path is empty"),
      (["baseline", ""], "the results directory's path is empty"),
      (["check", "", "--baseline", "baseline.json"], "the results directory's path is empty"),
      (["check", "Results/safe", "--baseline", ""], "--baseline: the path is empty"),
    ] {
      let r = try descent(arguments, in: dir)
      #expect(r.status == 64, "\(arguments): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
    }
    #expect(try String(contentsOfFile: dir + "/baseline.json", encoding: .utf8) == before)
    #expect(try String(contentsOfFile: dir + "/Results/safe/summary.csv", encoding: .utf8) == summary)
    // Negative tolerances are refused as such, not as a missing value.
    for (option, message) in [("--floor", "--floor must be a finite number ≥ 0, got -1.0"), ("--steps-abs", "--steps-abs must be ≥ 0, got -1"),
                              ("--f-rel", "--f-rel must be a finite number ≥ 0, got -1.0")] {
      let r = try descent(["check", "Results/safe", "--baseline", "baseline.json", option, "-1"], in: dir)
      #expect(r.status == 64 && r.stderr.contains(message), "\(option): \(r.stderr)")
    }
    let beside = try descent(["check", "Results/safe", "--baseline", "baseline.json", "--junit", "Results/safe/junit.xml"], in: dir)
    #expect(beside.status == 0, "\(beside.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir + "/Results/safe/junit.xml"))
  }

  @Test("--markdown /dev/stdout into a log opened for appending adds the report after what the log holds, and keeps the log")
  func reportIntoStandardOutput() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try descent(["baseline", "Results/safe", "--output", "baseline.json"], in: dir).status == 0)
    write("before\n", to: dir + "/log.txt")
    var before = stat(), after = stat()
    #expect(stat(dir + "/log.txt", &before) == 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", #"( "$0" check Results/safe --baseline baseline.json --markdown /dev/stdout --junit /dev/fd/3 3>junit.xml; echo "rc=$?" ) >> log.txt"#, descentBinary]
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    try process.run()
    process.waitUntilExit()
    #expect(stat(dir + "/log.txt", &after) == 0)
    #expect(after.st_ino == before.st_ino, "the log was replaced")
    let log = try String(contentsOfFile: dir + "/log.txt", encoding: .utf8)
    // In order: the line before, the terminal report, the Markdown report, the shell's line after.
    let marks = ["before\n", "descent check — safe", "### Improvements", "rc=0\n"].map { log.range(of: $0)?.lowerBound }
    #expect(marks.allSatisfy { $0 != nil } && zip(marks, marks.dropFirst()).allSatisfy { $0! < $1! }, "\(log)")
    #expect(try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8).hasPrefix("<?xml"))
  }

  @Test("--resume says which recorded runs it makes again because their files do not complete them, and why")
  func resumeSaysWhatItRemakes() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/Results/safe/runs/booth__adam__seed=1.csv"
    let whole = try Data(contentsOf: URL(fileURLWithPath: file))
    try whole.prefix(40).write(to: URL(fileURLWithPath: file))
    let r = try descent(["run", "safe.json", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: Results/safe: 1 recorded run was not complete and was run again:\n  booth__adam__seed=1: its trajectory runs/booth__adam__seed=1.csv does not end with a row"), "\(r.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == whole)
    let again = try descent(["run", "safe.json", "--resume", "--no-plot", "--quiet"], in: dir)
    #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
  }

  @Test("a gnuplot that is missing or fails leaves the results complete, and run says so with the command that draws them")
  func gnuplotFailureSaysResultsComplete() throws {
    let dir = withSafeConfig()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
    let missing = try descent(["run", "safe.json", "--quiet"], in: dir, environment: ["PATH": dir + "/bin"])
    #expect(missing.status == 69, "\(missing.stderr)")
    #expect(missing.stderr.contains("The results in Results/safe are complete; draw their plots later with: descent plot Results/safe"), "\(missing.stderr)")
    write("#!/bin/sh\n/bin/cat > /dev/null\necho boom >&2\nexit 1\n", to: dir + "/bin/gnuplot")
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/bin/gnuplot")
    let failing = try descent(["run", "safe.json", "--force", "--quiet"], in: dir, environment: ["PATH": dir + "/bin"])
    #expect(failing.status == 70, "\(failing.stderr)")
    #expect(failing.stderr.contains("Results/safe/plots/") && failing.stderr.contains(".gp: gnuplot failed (exit status 1): boom"), "\(failing.stderr)")
    #expect(failing.stderr.contains("The results in Results/safe are complete; draw their plots again once this is fixed with: descent plot Results/safe"), "\(failing.stderr)")
    #expect(try String(contentsOfFile: dir + "/Results/safe/manifest.json", encoding: .utf8).contains(#""status": "complete""#))
  }

  @Test("baseline then check: 0 when unchanged, 1 on a regression, 65 for an invalid or mismatched baseline")
  func baselineAndCheck() throws {
    let dir = try ranSafe()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try descent(["baseline", "Results/safe", "--output", "baseline.json"], in: dir).status == 0)
    let pass = try descent(["check", "Results/safe", "--baseline", "baseline.json"], in: dir)
    #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
    // A worse learning rate in the same experiment is a different config: 65.
    write(Self.config.replacingOccurrences(of: #""lr": 0.1"#, with: #""lr": 0.001"#), to: dir + "/safe.json")
    #expect(try descent(["run", "safe.json", "--force", "--no-plot", "--quiet"], in: dir).status == 0)
    #expect(try descent(["check", "Results/safe", "--baseline", "baseline.json"], in: dir).status == 65)
    // A baseline that promised better results than these runs reach: 1.
    #expect(try descent(["baseline", "Results/safe", "--output", "slow.json"], in: dir).status == 0)
    var text = try String(contentsOfFile: dir + "/slow.json", encoding: .utf8)
    text = text.replacingOccurrences(of: #""status": "max_steps""#, with: #""status": "converged""#)
    write(text, to: dir + "/improved.json")
    let regressed = try descent(["check", "Results/safe", "--baseline", "improved.json"], in: dir)
    #expect(regressed.status == 1, "\(regressed.stdout)\(regressed.stderr)")
    write("{ not json", to: dir + "/broken.json")
    #expect(try descent(["check", "Results/safe", "--baseline", "broken.json"], in: dir).status == 65)
  }
}

@Suite("Finite sums from the command line")
struct FiniteSumCLITests {
  @Test("finite-sum runs also get convergence plots against samples seen")
  func samplesPlots() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "fs", "description": "GD vs SGD", "steps": 60, "seeds": 2, "record": {"log": 20}, "functions": [{"name": "least-squares", "label": "full", "samples": 300, "dim": 4}, {"name": "least-squares", "label": "sgd", "samples": 300, "dim": 4, "batch_size": 1}], "optimizers": [{"name": "sgd", "lr": 0.05}]}"#, to: dir + "/fs.json")
    let r = try descent(["run", "fs.json", "--quiet"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let plots = filesUnder(dir + "/Results/fs/plots")
    for name in ["convergence-full.png", "convergence-samples-full.png", "convergence-samples-sgd.png"] {
      #expect(plots.contains(name), "\(name) missing from \(plots)")
    }
    let script = try String(contentsOfFile: dir + "/Results/fs/plots/convergence-samples-full.gp", encoding: .utf8)
    #expect(script.contains("samples seen"))
    // Full batch: 300 single-sample gradients per step, so the x axis reaches 60 × 300.
    #expect(script.contains("x_max = 18000"))
    // --x samples puts samples seen on the main convergence plot instead.
    let samples = try descent(["plot", "Results/fs", "--x", "samples"], in: dir)
    #expect(samples.status == 0, "\(samples.stderr)")
    let main = try String(contentsOfFile: dir + "/Results/fs/plots/convergence-full.gp", encoding: .utf8)
    #expect(main.contains("x_max = 18000") && main.contains("samples seen"))
    #expect(try descent(["plot", "Results/fs", "--x", "epochs"], in: dir).status == 64)
  }
}
