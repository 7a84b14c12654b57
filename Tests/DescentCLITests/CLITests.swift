import Foundation
import Testing
import DescentCore

@Suite("The descent command line", .serialized)
struct CLITests {
  @Test("eval prints f and ∇f at full precision as JSON")
  func evalJSON() throws {
    let r = try descent(["eval", "rosenbrock", "--at", "-1.5,2", "--json"])
    #expect(r.status == 0)
    #expect(r.stdout == #"{"function":"rosenbrock","x":[-1.5,2],"value":12.5,"gradient":[-155,-50]}"# + "\n")
    let q = try descent(["eval", "quadratic", "--at", "0.1,0.3", "--param", "diag=[0.2,4]", "--json"])
    // Foundation's JSONSerialization rounds some numbers; read with Descent's exact parser.
    let parsed = try #require(try JSONParser.parse(q.stdout).objectValue)
    #expect(parsed["value"]?.numberValue == 0.1 * 0.1 * 0.1 + 2.0 * 0.3 * 0.3)
    #expect(parsed["gradient"]?.arrayValue?.map(\.numberValue) == [0.2 * 0.1, 4 * 0.3])
    // Non-finite values as the result files spell them (x·cos(πx) at 1e308 is inf · NaN: a NaN of either sign).
    let n = try descent(["eval", "xcos", "--at", "1e308", "--json"])
    #expect(n.stdout == #"{"function":"xcos","x":[1e+308],"value":"nan","gradient":["nan"]}"# + "\n")
    // And as text: `nan`, never `-nan`.
    let t = try descent(["eval", "xcos", "--at", "1e308"])
    #expect(t.stdout == "f(x)  = nan\n∇f(x) = [nan]\n", "\(t.stdout)")
    // A function a config would refuse for new runs is evaluated, with a warning that says so.
    let rotated = try descent(["eval", "quadratic", "--at", "1,1", "--dim", "2", "--param", "condition=1e20", "--param", "rotate=true"])
    #expect(rotated.status == 0 && rotated.stdout.hasPrefix("f(x)  = "))
    #expect(rotated.stderr.hasPrefix("warning: a config with these parameters is refused for new runs: condition: a rotated quadratic's condition number must be at most 1e14"), "\(rotated.stderr)")
    #expect(try descent(["eval", "rosenbrock", "--at", "-1.5,2"]).stderr.isEmpty)
  }

  @Test("run refuses a sweep whose planning would not fit in memory, before writing anything, and names a split",
        .enabled(if: ProcessInfo.processInfo.physicalMemory / 2048 < 100_000_000, "a machine with over 190 GiB plans 10^8 runs"))
  func runTooLargeForMemory() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // 10^8 runs (10,000 learning rates × 10,000 seeds), allowed with --allow-large: about 191 GiB to plan.
    let config = #"{"name": "huge", "steps": 1, "seeds": 10000, "functions": [{"name": "booth"}], "optimizers": [{"name": "sgd", "lr": {"logspace": [-5, 0, 10000]}}]}"#
    try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/huge.json"))
    let r = try descent(["run", "huge.json", "--allow-large", "--quiet", "--no-plot"], in: dir)
    #expect(r.status == 65)
    #expect(r.stderr.contains("huge.json: 100000000 runs in one process need about 190.7 GiB of memory"), "\(r.stderr)")
    #expect(r.stderr.contains("split the sweep with --shard K/N, N ≥"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/Results"))
  }

  @Test("eval answers for every catalogue entry")
  func evalEveryFunction() throws {
    let list = try descent(["list", "functions", "--json"])
    #expect(list.status == 0)
    let names = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).map { $0["name"] as! String }
    // The catalogue's every entry, whatever it holds: a new function with parameters eval needs gets a case below.
    #expect(names == Catalog.builtIn.objectiveNames)
    for name in names {
      let args: [String] = switch name {
      case "quadratic": ["eval", name, "--at", "1,2", "--param", "diag=[1,2]"]
      case "xcos": ["eval", name, "--at", "0.5", "--dim", "1"]  // its own dimension is accepted
      case "least-squares", "logistic": ["eval", name, "--at", "0.5,0.25", "--dim", "2", "--param", "samples=30", "--param", "data_seed=1"]
      case "softmax": ["eval", name, "--at", "0.5,0.25,0,1", "--dim", "2", "--param", "classes=2", "--param", "samples=30"]
      default: ["eval", name, "--at", "0.5,0.25"]
      }
      let r = try descent(args)
      #expect(r.status == 0, "\(name): \(r.stderr)")
      #expect(r.stdout.hasPrefix("f(x)  = "))
    }
  }

  @Test("bad eval input is an error and eval's usage line, with exit 64, never a crash", arguments: [
    (["eval", "rosenbrok", "--at", "1,2"], "did you mean 'rosenbrock'?"),
    (["eval", "rosenbrock", "--at", "1,2,3"], "rosenbrock takes 2 coordinates by default, got 3 (set the dimension with --dim)"),
    (["eval", "beale", "--at", "1"], "beale takes 2 coordinates, got 1"),
    (["eval", "xcos", "--at", "1", "--dim", "2"], "--dim: 'xcos' is 1-dimensional; --dim chooses the dimension of functions of any dimension"),
    (["eval", "beale", "--at", "1,1", "--param", "zz=1"], "--param zz: 'beale' has no parameter 'zz'; it has none (see 'descent list functions')"),
    (["eval", "ackley", "--at", "1,1", "--param", "e=1"], "--param e: 'ackley' has no parameter 'e'; its parameters are dim, a, b, c"),
    (["eval", "ackley", "--at", "1,1", "--param", "a=1", "--param", "a=2"], "--param a: given twice"),
    (["eval", "ackley", "--at", "1,1", "--param", "=5"], "--param expects KEY=VALUE, got '=5'"),
    (["eval", "ackley", "--at", "1,1", "--dim", "2", "--param", "dim=2"], "--param dim: given by --dim too"),
    (["eval", "softmax", "--at", "0.1,0.2", "--dim", "1"], "softmax takes 3 coordinates with these parameters, got 2"),
    (["eval", "rosenbrock", "--at", "1,nan"], "coordinates must be finite"),
    (["eval", "rosenbrock", "--at", "1,inf"], "coordinates must be finite"),
    (["eval", "rosenbrock", "--at", "1,x"], "'x' is not a number as JSON writes one (e.g. -1.5 or 2e-3)"),
    (["eval", "rosenbrock", "--at", "1,0x10"], "'0x10' is not a number as JSON writes one"),
    (["eval", "rosenbrock", "--at", "1,+1"], "'+1' is not a number as JSON writes one"),
    (["eval", "rosenbrock", "--at", "1,1e-400"], "--at: number 1e-400 is too small for a 64-bit float"),
    (["eval", "rosenbrock", "--at", "1e400,1"], "--at: number 1e400 is out of range for a 64-bit float"),
    // The dimension comes from a parameter here, not a default.
    (["eval", "quadratic", "--at", "1,2", "--param", "diag=[1,2,3]"], "--at: quadratic takes 3 coordinates with these parameters, got 2\nUsage:"),
    (["eval", "rosenbrock", "--at", "1,-Infinity"], "coordinates must be finite"),
    (["eval", "rosenbrock", "--at", "1,2", "--param", "b=-1"], "b: expected a number > 0, got -1"),
    (["eval", "rosenbrock", "--at", "1,2", "--dim", "1"], "dim: expected an integer in [2, 1000000], got 1"),
    // A negative value after --dim is the value, not an unknown flag ("Missing value for '--dim'" before).
    (["eval", "rosenbrock", "--at", "1,2", "--dim", "-1"], "dim: expected an integer in [2, 1000000], got -1"),
    (["eval", "quadratic", "--at", "1,2", "--param", "matrix=[[1,2],[2,1]]"], "positive definite"),
  ])
  func evalErrors(arguments: [String], message: String) throws {
    let r = try descent(arguments)
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stderr.contains("\nUsage: descent eval <name> --at <at>") && r.stderr.hasSuffix("See 'descent eval --help' for more information.\n"), "\(r.stderr)")
    #expect(!r.stderr.contains("Fatal") && !r.stderr.contains("Backtrace"))
  }

  @Test("list shows functions, optimizers with defaults and ranges, and schedules")
  func list() throws {
    let functions = try descent(["list", "functions"]).stdout
    for text in ["rosenbrock", "any d ≥ 2", "six-hump-camel", "-1.0316284534898774", "unbounded below"] {
      #expect(functions.contains(text), "\(text)")
    }
    // No f* for two reasons: the saddle has none, softmax without l2 has one nobody knows.
    let line = { (name: String) in functions.split(separator: "\n").first { $0.hasPrefix(name + " ") } ?? "" }
    #expect(line("saddle").contains("  none  ") && line("softmax").contains("  unknown  "), "\(line("saddle"))\n\(line("softmax"))")
    let optimizers = try descent(["list", "optimizers"]).stdout
    for text in ["adam", "betas=[0.9,0.999] [0, 1)", "momentum → sgd", "lion", "nadam", "momentum_decay=0.004"] {
      #expect(optimizers.contains(text), "\(text)")
    }
    let schedules = try descent(["list", "schedules", "--json"])
    let parsed = try JSONSerialization.jsonObject(with: Data(schedules.stdout.utf8)) as? [[String: Any]]
    #expect(parsed?.map { $0["name"] as! String } == ["constant", "step", "multistep", "exponential", "cosine", "poly", "polynomial"])
  }

  @Test("an invalid config exits 65 with every problem, and writes nothing")
  func invalidConfig() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "x", "steps": 10, "functions": [{"name": "rosenbrok"}], "optimizers": [{"name": "adam", "lr": -1}]}"#, to: dir + "/bad.json")
    let before = filesUnder(dir)
    for command in ["run", "validate"] {
      let r = try descent([command, "bad.json"], in: dir)
      #expect(r.status == 65)
      #expect(r.stderr.contains("bad.json: functions[0].name: unknown function 'rosenbrok'; did you mean 'rosenbrock'?"))
      #expect(r.stderr.contains("bad.json: optimizers[0].lr: expected a number ≥ 0, got -1"))
    }
    #expect(filesUnder(dir) == before)
    write("{\n  \"name\": \"x\",\n}", to: dir + "/malformed.json")
    let m = try descent(["run", "malformed.json"], in: dir)
    #expect(m.status == 65)
    #expect(m.stderr.contains("malformed.json:3:1: invalid JSON: trailing comma before '}'"))
    let missing = try descent(["run", "nope.json"], in: dir)
    #expect(missing.status == 66)
    let directory = try descent(["run", "."], in: dir)
    #expect(directory.status == 66)
    #expect(filesUnder(dir) == before + ["malformed.json"])
  }

  @Test("run writes the documented layout; an existing directory needs --resume or --force")
  func runLayout() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "tiny", "description": "two optimizers", "steps": 50, "seeds": 2, "functions": [{"name": "booth", "start": [0, 0]}], "optimizers": [{"name": "adam", "lr": {"grid": [0.1, 0.5]}}, {"name": "sgd", "lr": 0.01}]}"#, to: dir + "/tiny.json")
    let r = try descent(["run", "tiny.json", "--jobs", "2", "--no-plot"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let files = filesUnder(dir + "/Results/tiny")
    for name in ["config.json", "manifest.json", "summary.csv", "summary.json", "runs/booth__adam-lr=0.1__seed=1.csv",
                 "runs/booth__sgd__seed=0.csv"] {
      #expect(files.contains(name), "\(name) missing from \(files)")
    }
    #expect(files.count { $0.hasPrefix("runs/journal-") && $0.hasSuffix(".jsonl") } == 1)
    #expect(files.count { $0.hasSuffix(".csv") } == 6 + 1)
    let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/Results/tiny/manifest.json"))) as? [String: Any])
    #expect(manifest["status"] as? String == "complete")
    #expect(manifest["run_count"] as? Int == 6)
    #expect((manifest["config_sha256"] as? String)?.count == 64)
    let again = try descent(["run", "tiny.json", "--no-plot"], in: dir)
    #expect(again.status == 64)
    #expect(again.stderr.contains("pass --resume to complete them or --force to replace them"))
    let resumed = try descent(["run", "tiny.json", "--resume", "--no-plot"], in: dir)
    #expect(resumed.status == 0)
    #expect(resumed.stderr.contains("6 resumed"))
    #expect(try descent(["run", "tiny.json", "--force", "--no-plot", "--quiet"], in: dir).status == 0)
    #expect(try descent(["run", "tiny.json", "--shard", "3/2"], in: dir).status == 64)
    #expect(try descent(["run", "tiny.json", "--jobs", "0"], in: dir).status == 64)
  }

  @Test("report ranks each function's settings from the results files: aRT and runs that reached each target")
  func report() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // GD on f = x²/2 from x = 1: x ← (1 − lr) x. lr = 1 lands on 0 at step 1; lr = 0.5 halves x, so
    // f = 0.5 · 0.25^t ≤ 1e-4 first at t = 7; lr = 2.5 multiplies x by −1.5 and passes f = 1e6 at t = 18.
    write(#"{"name": "gd", "steps": 100, "seeds": 2, "targets": [1e-4], "stop": {"grad_norm": 1e-12, "divergence": 1e6}, "functions": [{"name": "quadratic", "diag": [1], "start": [1]}], "optimizers": [{"name": "gd", "lr": {"grid": [0.5, 2.5, 1]}}]}"#, to: dir + "/gd.json")
    #expect(try descent(["run", "gd.json", "--no-plot", "--quiet"], in: dir).status == 0)
    let r = try descent(["report", "Results/gd"], in: dir)
    #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "gd: 6 of 6 runs")
    let table = try #require(lines.firstIndex { $0.hasPrefix("quadratic (f* = 0): 3 settings, 2 runs each") })
    #expect(lines[table + 1].split(separator: " ") == ["#", "setting", "runs", "diverged", "aRT", "to", "1e-4", "median", "final", "f-f*"])
    #expect(lines[table + 2].split(separator: " ") == ["1", "gd-lr=1", "2", "0", "1", "(2/2)", "0"])
    #expect(lines[table + 3].split(separator: " ").prefix(6) == ["2", "gd-lr=0.5", "2", "0", "7", "(2/2)"])
    #expect(lines[table + 4].split(separator: " ") == ["3", "gd-lr=2.5", "2", "2", "∞", "(0/2)", "∞"])
    let json = try descent(["report", "Results/gd", "--json"], in: dir)
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let settings = try #require(((parsed["functions"] as? [[String: Any]])?.first?["settings"]) as? [[String: Any]])
    #expect(settings.map { $0["setting"] as? String } == ["gd-lr=1", "gd-lr=0.5", "gd-lr=2.5"])
    #expect(settings.map { ($0["art"] as? [String: Any])?["1e-4"] as? Double } == [1, 7, nil])
    let markdown = try descent(["report", "Results/gd", "--markdown"], in: dir)
    #expect(markdown.status == 0 && markdown.stdout.hasPrefix("## gd: 6 of 6 runs\n") && markdown.stdout.contains("\n| 1 | gd-lr=1 | 2 | 0 | 1 (2/2) | 0 |\n"), "\(markdown.stdout)")
    let both = try descent(["report", "Results/gd", "--markdown", "--json"], in: dir)
    #expect(both.status == 64 && both.stderr.contains("give one\nUsage: descent report <results> [--json | --markdown]\n"), "\(both.stderr)")
    // A shard: its own runs, and the other shards' are not missing.
    #expect(try descent(["run", "gd.json", "--shard", "1/2", "--output", "half", "--quiet"], in: dir).status == 0)
    let half = try descent(["report", "half"], in: dir)
    #expect(half.status == 0 && half.stdout.hasPrefix("gd, shard 1/2: 3 of its 3 runs; the sweep's other 3 are the other shards'\n"), "\(half.stdout)")
    #expect(half.stderr.isEmpty, "\(half.stderr)")
    // A run whose trajectory is gone is not complete: left out, and said to be.
    let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/Results/gd/runs").filter { $0.hasPrefix("quadratic__gd-lr=2.5__seed=1") }
    #expect(runs.count == 1)
    try FileManager.default.removeItem(atPath: dir + "/Results/gd/runs/" + runs[0])
    let five = try descent(["report", "Results/gd"], in: dir)
    #expect(five.status == 0 && five.stdout.hasPrefix("gd: 5 of 6 runs (1 not complete, left out)\n"), "\(five.stdout)")
    #expect(five.stderr.hasPrefix("warning: Results/gd: 1 of 6 planned runs is not complete and not reported; first: quadratic__gd-lr=2.5__seed=1 ("), "\(five.stderr)")
    #expect(five.stdout.contains("  3  gd-lr=2.5     1         1"), "\(five.stdout)")
    // None complete: an error, not an empty report.
    try FileManager.default.removeItem(atPath: dir + "/half/runs")
    let none = try descent(["report", "half"], in: dir)
    #expect(none.status == 65 && none.stderr.contains("half: none of shard 1/2's 3 planned runs is complete (first: "), "\(none.stderr)")
    let missing = try descent(["report", "nowhere"], in: dir)
    #expect(missing.status == 66 && missing.stderr.contains("nowhere: cannot read: no such directory"), "\(missing.stderr)")
  }

  @Test("shard and merge through the command line reproduce the unsharded summary")
  func shardAndMerge() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "sm", "description": "sharding", "steps": 100, "seeds": 3, "functions": [{"name": "rosenbrock"}, {"name": "xcos"}], "optimizers": [{"name": "adam", "lr": {"logspace": [-3, -1, 3]}}, {"name": "nesterov"}]}"#, to: dir + "/sm.json")
    #expect(try descent(["run", "sm.json", "--quiet", "--no-plot", "--jobs", "1"], in: dir).status == 0)
    for k in 1...3 { #expect(try descent(["run", "sm.json", "--quiet", "--shard", "\(k)/3"], in: dir).status == 0) }
    let missing = try descent(["merge", "Results/sm-shard-1-of-3", "Results/sm-shard-3-of-3", "--output", "merged"], in: dir)
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("missing shard 2/3"))
    let merged = try descent(["merge", "Results/sm-shard-1-of-3", "Results/sm-shard-2-of-3", "Results/sm-shard-3-of-3", "--output", "merged", "--quiet"], in: dir)
    #expect(merged.status == 0, "\(merged.stderr)")
    func withoutTiming(_ path: String) throws -> String {
      try String(contentsOfFile: dir + "/" + path, encoding: .utf8).split(separator: "\n")
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }.joined(separator: "\n")
    }
    #expect(try withoutTiming("merged/summary.csv") == withoutTiming("Results/sm/summary.csv"))
    // Into existing results: refused, naming the option merge has (it has no --resume).
    let again = try descent(["merge", "Results/sm-shard-1-of-3", "Results/sm-shard-2-of-3", "Results/sm-shard-3-of-3", "--output", "merged"], in: dir)
    #expect(again.status == 64)
    #expect(again.stderr.contains("pass --force to replace them") && !again.stderr.contains("--resume"), "\(again.stderr)")
    // Into one of its own shards, a directory holding one, or one inside a shard (made or not), even with
    // --force: refused, the shard untouched.
    let shards = (1...3).map { "Results/sm-shard-\($0)-of-3" }
    for output in ["Results/sm-shard-1-of-3", "./Results/../Results/sm-shard-2-of-3/", "Results", "Results/sm-shard-3-of-3/runs/inner", "Results/sm-shard-1-of-3/new/deeper",
                   "nowhere/../Results/sm-shard-2-of-3/sub"] {
      let r = try descent(["merge"] + shards + ["--output", output, "--force"], in: dir)
      #expect(r.status == 64, "\(output): \(r.stderr)")
      #expect(r.stderr.contains("is, contains or lies inside the shard directory"), "\(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/Results/sm-shard-1-of-3/new"))
    #expect(try descent(["merge"] + shards + ["--output", "merged", "--force", "--quiet"], in: dir).status == 0, "the shards are intact")
    // Into a directory a run or merge holds (its lock): refused, even with --force, and left as it was.
    let summary = try String(contentsOfFile: dir + "/merged/summary.csv", encoding: .utf8)
    let fd = open(dir + "/merged", O_RDONLY | O_DIRECTORY)
    #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
    let locked = try descent(["merge"] + shards + ["--output", "merged", "--force", "--quiet"], in: dir)
    close(fd)
    #expect(locked.status == 75, "\(locked.stderr)")
    #expect(locked.stderr.contains("merged is being written by another descent run or merge"), "\(locked.stderr)")
    #expect(try String(contentsOfFile: dir + "/merged/summary.csv", encoding: .utf8) == summary)
  }

  @Test("Two SIGINTs a moment apart (one Ctrl-C delivered to the process and its group) still finish cleanly: exit 130, manifest interrupted")
  func doubleInterrupt() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "long", "steps": 50000, "seeds": 40, "functions": [{"name": "rosenbrock", "dim": 10}], "optimizers": [{"name": "adam"}, {"name": "rmsprop"}]}"#, to: dir + "/long.json")
    for k in 0..<3 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: descentBinary)
      process.arguments = ["run", "long.json", "--jobs", "2", "--no-plot", "--quiet", "--output", "r\(k)"]
      process.currentDirectoryURL = URL(fileURLWithPath: dir)
      try process.run()
      let results = dir + "/r\(k)"
      for _ in 0..<2000 {
        if FileManager.default.fileExists(atPath: results + "/runs"), RunJournal.records(in: ResultsDirectory(path: results), targets: []).count >= 1 { break }
        usleep(5000)
      }
      kill(process.processIdentifier, SIGINT)
      usleep(2000)
      kill(process.processIdentifier, SIGINT)
      process.waitUntilExit()
      #expect(process.terminationStatus == 130)
      let manifest = try String(contentsOfFile: results + "/manifest.json", encoding: .utf8)
      #expect(manifest.contains("\"status\":\"interrupted\"") || manifest.contains("\"status\": \"interrupted\""), "\(manifest)")
    }
  }

  @Test("A signal while a run starts never leaves its directory claiming to be running, nor a temporary file")
  func earlySignal() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "early", "steps": 300, "seeds": 8, "functions": [{"name": "rosenbrock"}, {"name": "xcos"}], "optimizers": [{"name": "adam"}, {"name": "gd"}]}"#, to: dir + "/early.json")
    for k in 0..<60 {
      let process = Process()
      // With the signals' default actions, which a process started from here does not have (it would
      // inherit them ignored): as from a shell.
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["--default-signal=INT,TERM", descentBinary, "run", "early.json", "--jobs", "2", "--no-plot", "--quiet", "--output", "r\(k)"]
      process.currentDirectoryURL = URL(fileURLWithPath: dir)
      process.standardError = FileHandle.nullDevice  // "interrupted: …", sixty times over
      try process.run()
      // From the moment it starts to well after its directory is made, a millisecond apart: the moments
      // between making the directory and trapping signals were a few milliseconds wide.
      usleep(useconds_t(k * 1000))
      kill(process.processIdentifier, k % 2 == 0 ? SIGINT : SIGTERM)
      process.waitUntilExit()
      let results = dir + "/r\(k)"
      if process.terminationReason == .uncaughtSignal {
        // Only before signals are trapped, which is before the directory is made.
        #expect(!FileManager.default.fileExists(atPath: results), "r\(k): killed after its directory was made")
        continue
      }
      #expect([0, 130].contains(process.terminationStatus), "r\(k): \(process.terminationStatus)")
      if let manifest = try? String(contentsOfFile: results + "/manifest.json", encoding: .utf8) {
        #expect(!manifest.contains("running"), "r\(k): \(manifest)")
      } else {
        // Stopped before anything was written: the directory it made is gone again.
        #expect(!FileManager.default.fileExists(atPath: results), "r\(k): \((try? FileManager.default.contentsOfDirectory(atPath: results)) ?? [])")
      }
      for folder in [results, results + "/runs"] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(!names.contains { $0.contains(".tmp-") }, "r\(k): \(names)")
      }
    }
  }

  @Test("A signal while the plots are drawn stops the process at once: the results are complete")
  func signalWhilePlotting() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "p", "steps": 50, "seeds": 2, "functions": [{"name": "xcos"}], "optimizers": [{"name": "adam"}]}"#, to: dir + "/p.json")
    // A gnuplot that takes its time.
    try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
    write("#!/bin/sh\nexec sleep 20\n", to: dir + "/bin/gnuplot")
    #expect(chmod(dir + "/bin/gnuplot", 0o755) == 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["--default-signal=INT,TERM", "PATH=\(dir)/bin:/usr/bin:/bin", descentBinary, "run", "p.json", "--quiet"]
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    try process.run()
    let manifest = dir + "/Results/p/manifest.json"
    for _ in 0..<2000 where !((try? String(contentsOfFile: manifest, encoding: .utf8))?.contains("complete") ?? false) { usleep(5000) }
    usleep(100_000)
    let sent = ContinuousClock.now
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(ContinuousClock.now - sent < .seconds(10), "not waiting for the plots")
    #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
    #expect(try String(contentsOfFile: manifest, encoding: .utf8).contains("complete"))
    #expect(FileManager.default.fileExists(atPath: dir + "/Results/p/summary.csv"))
  }

  @Test("A second SIGINT more than a second after the first stops at once, and the manifest still says interrupted")
  func stopAtOnce() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Runs far longer than the test waits: only stopping at once ends the process in time.
    write(#"{"name": "long", "steps": 100000000, "seeds": 4, "record": "none", "functions": [{"name": "rosenbrock", "dim": 10}], "optimizers": [{"name": "adam"}]}"#, to: dir + "/long.json")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: descentBinary)
    process.arguments = ["run", "long.json", "--jobs", "2", "--no-plot"]
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let manifestPath = dir + "/Results/long/manifest.json"
    for _ in 0..<2000 where !FileManager.default.fileExists(atPath: manifestPath) { usleep(5000) }
    usleep(200_000)
    kill(process.processIdentifier, SIGINT)
    usleep(1_300_000)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 130)
    #expect(stderr.contains("stopped at once: the runs in flight are lost; --resume runs them again"), "\(stderr)")
    let manifest = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
    #expect(manifest["status"] as? String == "interrupted", "\(manifest)")
    #expect(manifest["finished"] is String, "\(manifest)")
    #expect(RunJournal.records(in: ResultsDirectory(path: dir + "/Results/long"), targets: []).isEmpty)
  }

  @Test("SIGINT mid-sweep leaves a resumable directory; --resume completes it with the same summary")
  func interruptAndResume() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    write(#"{"name": "long", "description": "slow enough to interrupt", "steps": 50000, "seeds": 40, "functions": [{"name": "rosenbrock", "dim": 10}], "optimizers": [{"name": "adam"}, {"name": "rmsprop"}]}"#, to: dir + "/long.json")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: descentBinary)
    process.arguments = ["run", "long.json", "--jobs", "2", "--no-plot", "--quiet"]
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    try process.run()
    // Wait until some runs are complete, then interrupt.
    let runs = dir + "/Results/long/runs"
    for _ in 0..<2000 {
      if FileManager.default.fileExists(atPath: runs), RunJournal.records(in: ResultsDirectory(path: dir + "/Results/long"), targets: []).count >= 3 { break }
      usleep(5000)
    }
    process.interrupt()
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(!FileManager.default.fileExists(atPath: dir + "/Results/long/summary.csv"))
    let resumed = try descent(["run", "long.json", "--resume", "--no-plot"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(!resumed.stderr.contains("(0 resumed"))
    #expect(try descent(["run", "long.json", "--output", "whole", "--no-plot", "--quiet"], in: dir).status == 0)
    func withoutTiming(_ path: String) throws -> String {
      try String(contentsOfFile: dir + "/" + path, encoding: .utf8).split(separator: "\n")
        .map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }.joined(separator: "\n")
    }
    #expect(try withoutTiming("Results/long/summary.csv") == withoutTiming("whole/summary.csv"))
  }
}
