import Foundation
import Testing
@testable import DescentCore

@Suite("Regression baselines: stable JSON, round trips, and refusing what cannot be compared")
struct RegressionBaselineTests {
  /// A small baseline touching every kind of value: reached and unreached targets, non-finite and
  /// unknown suboptimalities, every status and a local minimum.
  func sample() -> Baseline {
    makeBaseline([
      "xcos__gd__seed=1": metrics(.maxSteps, steps: 1000, toTarget: [12, .infinity], final: 2.5e-5, best: 1.25e-5, minimum: "local:1"),
      "rosenbrock__adam__seed=0": metrics(.converged, steps: 428, toTarget: [146, 319], final: 1.0854150125e-16, best: 0, minimum: "global"),
      "saddle__gd__seed=0": metrics(.diverged, steps: 7, toTarget: [.infinity, .infinity], final: nil, best: nil, minimum: "none"),
      "rosenbrock__sgd__seed=0": metrics(.diverged, steps: 3, toTarget: [.infinity, .infinity], final: .infinity, best: .nan, minimum: "none"),
    ])
  }

  @Test("the file is sorted, one object per run, with its exact layout pinned")
  func golden() {
    let text = makeBaseline(["b__o__seed=0": metrics(steps: 20, toTarget: [5, .infinity], final: 1.5e-13, best: .infinity),
                             "a__o__seed=0": metrics(.maxSteps, steps: 1000, toTarget: [7, 9], final: nil, best: nil, minimum: "none")]).text
    #expect(text == """
      {
        "config_sha256": "0123456789abcdef",
        "descent_version": "0.1.0",
        "experiment": "t",
        "format": 1,
        "runs": {
          "a__o__seed=0": {
            "best_suboptimality": null,
            "final_suboptimality": null,
            "minimum": "none",
            "status": "max_steps",
            "steps": 1000,
            "steps_to_target": {
              "1e-2": 7,
              "1e-8": 9
            }
          },
          "b__o__seed=0": {
            "best_suboptimality": "inf",
            "final_suboptimality": 1.5e-13,
            "minimum": "global",
            "status": "converged",
            "steps": 20,
            "steps_to_target": {
              "1e-2": 5,
              "1e-8": null
            }
          }
        },
        "seeds": [0, 1, 2],
        "steps": 1000,
        "targets": [0.01, 1e-08]
      }

      """)
  }

  @Test("the text, written a run at a time, is the JSON tree pretty-printed with sorted keys, whatever the runs hold")
  func streamedText() throws {
    let odd = ConvergenceMetrics(status: .diverged, steps: 3, stepsToTarget: [.infinity, .infinity], finalSuboptimality: .nan,
                                 bestSuboptimality: -.infinity, minimum: "local:2", finalF: -0.0, bestF: 1e300)
    let baselines = [
      makeBaseline([:]),
      makeBaseline(["only": metrics()], targets: []),
      makeBaseline(["q\"uote\\d__o__seed=0": metrics(), "é__o__seed=1": odd, "\u{1}ctl__o__seed=2": metrics(.maxSteps, final: nil, best: nil)],
                   targets: [1e-2, 1e-8]),
      makeBaseline(Dictionary(uniqueKeysWithValues: seedIDs(seeds: 300).map { ($0, metrics(steps: Double($0.count) + 150)) })),
    ]
    for baseline in baselines {
      #expect(baseline.text == baseline.json.prettyPrinted(sortedKeys: true))
      #expect(try Baseline.decode(Array(baseline.text.utf8), file: "b.json").text == baseline.text)
    }
    // Past the limit the text is measured to its end, not kept: the size named is the whole file's.
    let large = baselines[3]
    let error = try #require(throws: OutputError.self) { try large.checkedText(limit: 1_000) }
    #expect(error.message.contains("would be \(Baseline.megabytes(large.text.utf8.count)) MB, over the 0.1 MB"), "\(error.message)")
  }

  @Test("a baseline's minimum is global, none, local or local:k with k a whole number; anything else is refused at its path")
  func minimumNames() throws {
    let text = sample().text
    #expect(text.contains(#""minimum": "local:1""#))
    for bad in ["local:-1", "local:", "local:x", "local:1.5", "local:１", "local:9999999999"] {
      let error = try #require(throws: ConfigError.self) {
        try Baseline.decode(Array(text.replacingOccurrences(of: #""minimum": "local:1""#, with: #""minimum": "\#(bad)""#).utf8), file: "b.json")
      }
      #expect(error.description.contains(#"runs["xcos__gd__seed=1"].minimum: expected "global", "local:k" or "none""#), "\(error)")
    }
    _ = try Baseline.decode(Array(text.replacingOccurrences(of: #""minimum": "local:1""#, with: #""minimum": "local:12""#).utf8), file: "b.json")
  }

  @Test("write, read back, write again: the same bytes, and the same values (nan, inf, null and never included)")
  func roundTrip() throws {
    let original = sample()
    let decoded = try Baseline.decode(Array(original.text.utf8), file: "b.json")
    #expect(decoded.text == original.text)
    #expect(decoded.runs["xcos__gd__seed=1"] == original.runs["xcos__gd__seed=1"])
    #expect(decoded.runs["saddle__gd__seed=0"] == original.runs["saddle__gd__seed=0"])
    #expect(decoded.runs["rosenbrock__adam__seed=0"] == original.runs["rosenbrock__adam__seed=0"])
    let broken = try #require(decoded.runs["rosenbrock__sgd__seed=0"])
    #expect(broken.finalSuboptimality == .infinity)
    #expect(broken.bestSuboptimality?.isNaN == true)
    #expect(broken.stepsToTarget == [.infinity, .infinity])
    #expect(decoded.targets == original.targets && decoded.seeds == original.seeds && decoded.configHash == original.configHash)
    // Where f* is unknown, f itself is kept, and read back.
    var unknown = original
    unknown.runs["saddle__gd__seed=0"]!.finalF = -0.5
    unknown.runs["saddle__gd__seed=0"]!.bestF = -.infinity
    #expect(unknown.text.contains("\"final_f\": -0.5") && unknown.text.contains("\"best_f\": \"-inf\""))
    let read = try Baseline.decode(Array(unknown.text.utf8), file: "b.json")
    #expect(read.runs["saddle__gd__seed=0"] == unknown.runs["saddle__gd__seed=0"] && read.text == unknown.text)
    #expect(!original.text.contains("final_f"), "runs with a known f* do not carry f")
  }

  @Test("the same input gives byte-identical output, whatever order the runs arrive in")
  func stability() {
    let runs = sample().runs
    var shuffled: [String: ConvergenceMetrics] = [:]
    var generator = SplitMix64(seed: 7)
    for (id, m) in runs.shuffled(using: &generator) { shuffled[id] = m }
    #expect(makeBaseline(shuffled).text == sample().text)
    #expect(sample().text == sample().text)
  }

  @Test("a real results directory: the baseline has no timing, so two runs of an experiment give identical bytes")
  func fromResults() throws {
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let e = try decodeExperiment(smallConfig)
    try runExperiment(e, configText: smallConfig, into: tmp + "/one", jobs: 1)
    try runExperiment(e, configText: smallConfig, into: tmp + "/two", jobs: 3)
    let one = Baseline(try LoadedResults.load(tmp + "/one"))
    let two = Baseline(try LoadedResults.load(tmp + "/two"))
    #expect(one.text == two.text)
    #expect(one.runs.count == e.runCount)
    #expect(one.configHash == e.configHash && one.targets == e.targets && one.seeds == e.seeds && one.steps == e.steps)
    #expect(one.descentVersion == DescentVersion.string)
    try one.write(to: tmp + "/baselines/small.json")
    let read = try Baseline.read(tmp + "/baselines/small.json")
    #expect(read.text == one.text)
    let report = try RegressionCheck().compare(read, with: two, baselineFile: "small.json", resultsPath: tmp + "/two")
    #expect(report.passed && report.findings.isEmpty)
    #expect(report.runCount == e.runCount && report.medianCount == e.runCount / e.seeds.count)
  }

  // MARK: - Invalid baselines: exit 65 (66 for a missing file)

  @Test("a file that is not JSON is malformed (65), with line and column")
  func malformed() {
    #expect(throws: ConfigError.malformed(file: "b.json", line: 2, column: 3, reason: "unexpected '}'; expected a value")) {
      try Baseline.decode(Array("{\"runs\":\n  }".utf8), file: "b.json")
    }
    do {
      _ = try Baseline.decode(Array("{\"format\": 1,".utf8), file: "b.json")
      Issue.record("accepted truncated JSON")
    } catch {
      #expect(error.exitCode == 65)
    }
  }

  @Test("a missing baseline file cannot be read (66)")
  func missing() {
    #expect(throws: ConfigError.unreadable(file: "/nonexistent/baseline.json", reason: "no such file")) {
      try Baseline.read("/nonexistent/baseline.json")
    }
  }

  @Test("JSON that is not a baseline (a config, say) is invalid (65), naming every missing key")
  func notABaseline() throws {
    let error = try #require(throws: ConfigError.self) { try Baseline.decode(Array(smallConfig.utf8), file: "b.json") }
    #expect(error.exitCode == 65)
    let text = error.description
    for key in ["config_sha256", "descent_version", "experiment", "format", "runs"] {
      #expect(text.contains("missing required key '\(key)'"), "\(key)")
    }
    #expect(text.contains("b.json: name: unknown key 'name'"))
    #expect(text.contains("b.json: seeds: expected an array of seeds, got a number"))
    #expect(throws: ConfigError.self) { try Baseline.decode(Array("[1, 2]".utf8), file: "b.json") }
  }

  @Test("bad values in runs are all reported, each with its path")
  func badValues() throws {
    var json = try #require(sample().json.objectValue)
    var runs = try #require(json["runs"]?.objectValue)
    var run = try #require(runs["xcos__gd__seed=1"]?.objectValue)
    run["status"] = .string("finished")
    run["steps"] = .number(-1)
    run["final_suboptimality"] = .string("tiny")
    run["minimum"] = .string("somewhere")
    run["colour"] = .string("red")
    var reached = try #require(run["steps_to_target"]?.objectValue)
    reached["1e-8"] = nil
    reached["1e-3"] = .number(4)
    run["steps_to_target"] = .object(reached)
    runs["xcos__gd__seed=1"] = .object(run)
    json["runs"] = .object(runs)
    json["format"] = .number(2)
    let error = try #require(throws: ConfigError.self) { try Baseline.decode(Array(JSONValue.object(json).serialized().utf8), file: "b.json") }
    guard case .invalid(_, let problems) = error else { Issue.record("expected .invalid, got \(error)"); return }
    let paths = Set(problems.map(\.path))
    let at = "runs[\"xcos__gd__seed=1\"]"
    #expect(paths == ["format", at + ".status", at + ".steps", at + ".final_suboptimality", at + ".minimum", at + ".colour",
                      at + ".steps_to_target.1e-8", at + ".steps_to_target.1e-3"])
    #expect(error.exitCode == 65)
  }

  @Test("a run's steps are whole, within the experiment's, and its targets reached within its own steps")
  func impossibleSteps() throws {
    let base = try #require(sample().json.objectValue)
    let experimentSteps = try #require(base["steps"]?.numberValue)
    let id = "xcos__gd__seed=1"
    func problems(_ edit: (inout JSONObject) -> Void) throws -> [String] {
      var json = base
      var runs = try #require(json["runs"]?.objectValue)
      var run = try #require(runs[id]?.objectValue)
      edit(&run)
      runs[id] = .object(run)
      json["runs"] = .object(runs)
      do {
        _ = try Baseline.decode(Array(JSONValue.object(json).serialized().utf8), file: "b.json")
        return []
      } catch {
        guard case .invalid(_, let problems) = error else { return ["\(error)"] }
        return problems.map(\.description)
      }
    }
    let at = "runs[\"\(id)\"]"
    #expect(try problems { $0["steps"] = .number(12.5) } == [at + ".steps: expected a step count (a whole number ≥ 0), got 12.5"])
    #expect(try problems { $0["steps"] = .number(experimentSteps + 1) }
            == [at + ".steps: \(Int(experimentSteps) + 1) steps, more than the experiment's \(Int(experimentSteps))"])
    let steps = try #require(base["runs"]?.objectValue?[id]?.objectValue?["steps"]?.numberValue)
    #expect(try problems { run in
      var reached = run["steps_to_target"]!.objectValue!
      reached[reached.keys[0]] = .number(steps + 1)
      run["steps_to_target"] = .object(reached)
    } == [at + ".steps_to_target: a target reached at step \(Int(steps) + 1), after the run's last step \(Int(steps))"])
    #expect(try problems { _ in }.isEmpty)
  }

  // MARK: - Baselines that do not match the results: 65

  @Test("a baseline made from a different config is refused (65), saying how to make a new one")
  func configMismatch() throws {
    let runs = ["r__seed=0": metrics()]
    let error = try #require(throws: ConfigError.self) {
      try RegressionCheck().compare(makeBaseline(runs, hash: "aaaaaaaaaaaaaaaa"), with: makeBaseline(runs, hash: "bbbbbbbbbbbbbbbb"),
                                    baselineFile: "Results/baselines/ci.json", resultsPath: "Results/ci")
    }
    #expect(error.exitCode == 65)
    guard case .invalid(let file, let problems) = error else { Issue.record("expected .invalid"); return }
    #expect(file == "Results/baselines/ci.json")
    #expect(problems.map(\.path) == ["config_sha256"])
    #expect(problems[0].message.contains("aaaaaaaaaaaa…") && problems[0].message.contains("bbbbbbbbbbbb…"))
    #expect(problems[0].message.contains("descent baseline Results/ci --output Results/baselines/ci.json"))
    #expect(problems[0].message.contains("look at the new results first"))
    // Where what the baseline knows agrees, the message says the change is elsewhere, not an empty list.
    #expect(problems[0].message.contains("(their names, steps, seeds and targets agree: another key differs, such as the functions, optimizers, stop, record or format)"), "\(problems[0].message)")
    // What the baseline knows of the config is named where it changed.
    var changed = makeBaseline(runs, hash: "bbbbbbbbbbbbbbbb")
    changed.steps = 100
    changed.seeds = [0, 1]
    let named = try #require(throws: ConfigError.self) {
      try RegressionCheck().compare(makeBaseline(runs, hash: "aaaaaaaaaaaaaaaa"), with: changed, baselineFile: "b.json", resultsPath: "r")
    }
    guard case .invalid(_, let namedProblems) = named else { Issue.record("expected .invalid"); return }
    #expect(namedProblems[0].message.contains("(steps 1000 → 100, seeds [0, 1, 2] → [0, 1])"), "\(namedProblems[0].message)")
  }

  @Test("report paths: a results file reached through a symbolic link or '..' is still refused; a new file beside the results is not")
  func reportPathConflicts() throws {
    let root = temporaryDirectory()
    defer { cleanUp(root) }
    try FileManager.default.createDirectory(atPath: root + "/Results/ci/runs", withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: root + "/Results/ci/summary.csv", contents: Data("x".utf8)))
    #expect(FileManager.default.createFile(atPath: root + "/baseline.json", contents: Data("{}".utf8)))
    try FileManager.default.createSymbolicLink(atPath: root + "/latest", withDestinationPath: root + "/Results/ci")
    try FileManager.default.createSymbolicLink(atPath: root + "/b.json", withDestinationPath: root + "/baseline.json")
    for (path, results) in [("latest/summary.csv", "Results/ci"), ("Results/ci/summary.csv", "latest/"), ("latest/runs/../summary.csv", "Results/ci"),
                            ("Results/ci/runs/new.xml", "latest"), ("Results/./ci/plots/x.md", "Results/ci")] {
      #expect(ReportFile.conflict(root + "/" + path, results: root + "/" + results) != nil, "\(path) in \(results)")
    }
    #expect(ReportFile.conflict(root + "/baseline.json", results: root + "/latest", others: [(root + "/b.json", "the baseline")])
      == "\(root)/baseline.json is also the baseline; give each file its own path")
    #expect(ReportFile.conflict("", results: root + "/Results/ci") == "the path is empty; give a file name")
    #expect(ReportFile.conflict(root + "/latest/junit.xml", results: root + "/Results/ci") == nil)
    #expect(ReportFile.conflict(root + "/summary.md", results: root + "/Results/ci") == nil)
    #expect(ReportFile.conflict(root + "/new/dir/summary.csv", results: root + "/Results/ci") == nil)
  }

  @Test("runs missing on either side are refused (65), listing them all")
  func missingRuns() throws {
    let old = ["a__o__seed=0": metrics(), "a__o__seed=1": metrics(), "b__o__seed=0": metrics()]
    let new = ["a__o__seed=0": metrics(), "c__o__seed=0": metrics(), "c__o__seed=1": metrics()]
    let error = try #require(throws: ConfigError.self) { try RegressionCheck().compare(old, new) }
    #expect(error.exitCode == 65)
    guard case .invalid(_, let problems) = error else { Issue.record("expected .invalid"); return }
    #expect(problems.map(\.message) == [
      "the results in Results/t lack 2 runs that the baseline has (incomplete or a different experiment): a__o__seed=1, b__o__seed=0",
      "the baseline lacks 2 runs that the results in Results/t have: c__o__seed=0, c__o__seed=1",
    ])
  }

  @Test("a long list of missing runs is shortened")
  func manyMissingRuns() throws {
    let old = Dictionary(uniqueKeysWithValues: seedIDs(seeds: 20).map { ($0, metrics()) })
    let error = try #require(throws: ConfigError.self) { try RegressionCheck().compare(old, [:]) }
    #expect(error.description.contains("lack 20 runs"))
    #expect(error.description.contains("quadratic__adam__seed=11, … and 8 more"))
  }

  @Test("an incomplete results directory lacks runs: the check refuses it")
  func incompleteResults() throws {
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let e = try decodeExperiment(smallConfig)
    try runExperiment(e, configText: smallConfig, into: tmp + "/full")
    let partial = try runExperiment(e, configText: smallConfig, into: tmp + "/partial", jobs: 1, cancelAfter: 5)
    #expect(!partial.complete)
    let loaded = try LoadedResults.load(tmp + "/partial")
    #expect(loaded.missingCount > 0)
    #expect(loaded.missingRuns().count == loaded.missingCount)
    let baseline = Baseline(try LoadedResults.load(tmp + "/full"))
    #expect(throws: ConfigError.self) {
      try RegressionCheck().compare(baseline, with: Baseline(loaded), baselineFile: "b.json", resultsPath: tmp + "/partial")
    }
  }
}
