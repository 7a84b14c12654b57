import Foundation
import Synchronization
import Testing
@testable import DescentCore

let smallConfig = """
  {
    "name": "small",
    "description": "a small sweep for tests",
    "steps": 300,
    "seeds": 3,
    "targets": [1e-2, 1e-6],
    "stop": {"grad_norm": 1e-12, "divergence": 1e10},
    "functions": [
      {"name": "quadratic", "diag": [0.2, 4], "start": [-5, -2]},
      {"name": "xcos", "start": "random"},
      {"name": "rosenbrock", "start": {"box": [[-2, 2], [-1, 3]]}}
    ],
    "optimizers": [
      {"name": "gd", "lr": {"grid": [0.01, 0.1]}},
      {"name": "momentum", "lr": 0.01, "momentum": {"grid": [0.5, 0.9]}},
      {"name": "adam", "label": "adam-sweep", "lr": {"logspace": [-3, -1, 3]}, "schedule": {"name": "cosine", "t_max": 300}}
    ]
  }
  """

@Suite("Experiments: configs, expansion and output")
struct ExperimentTests {
  @Test("a config expands into functions × optimizer settings × seeds, with readable run ids")
  func expansion() throws {
    let e = try decodeExperiment(smallConfig)
    #expect(e.functions.count == 3)
    #expect(e.optimizers.map(\.label) == ["gd-lr=0.01", "gd-lr=0.1", "momentum-momentum=0.5", "momentum-momentum=0.9",
                                          "adam-sweep-lr=0.001", "adam-sweep-lr=0.01", "adam-sweep-lr=0.1"])
    #expect(e.runCount == 3 * 7 * 3)
    let ids = e.plannedRuns().map(\.id)
    #expect(Set(ids).count == ids.count)
    #expect(ids.contains("rosenbrock__adam-sweep-lr=0.01__seed=2"))
    #expect(e.optimizers[2].configured.parameters.real("momentum") == 0.5)
    #expect(e.optimizers[4].schedule == Schedule(.cosine(tMax: 300, etaMin: 0)))
  }

  @Test("logspace reproduces numpy's logspace bits (the sweep-2d learning rates)")
  func logspaceMatchesNumpy() throws {
    // np.logspace(-4, 0, 8) written with %.17g (../shared/bench/data/lrs.csv).
    let numpy = [0.0001, 0.00037275937203149379, 0.0013894954943731374, 0.0051794746792312128,
                 0.019306977288832496, 0.071968567300115138, 0.26826957952797248, 1.0]
    #expect(GridExpansion.logspace(-4, 0, 8) == numpy)
  }

  @Test("start points: fixed, random in the domain, random in a box, and a list of points as a grid axis")
  func startPoints() throws {
    let e = try decodeExperiment("""
      {"name": "s", "steps": 1, "seeds": 4, "functions": [
        {"name": "rosenbrock", "start": {"box": [[0, 1], [5, 6]]}},
        {"name": "xcos"},
        {"name": "booth", "start": {"points": [[1, 2], [3, 4]]}}],
       "optimizers": [{"name": "sgd"}, {"name": "adam"}]}
      """)
    #expect(e.functions.map(\.label) == ["rosenbrock", "xcos", "booth-start=0", "booth-start=1"])
    for run in e.plannedRuns() {
      let x = e.startPoint(run)
      switch e.functions[run.function].label {
      case "rosenbrock": #expect((0...1).contains(x[0]) && (5...6).contains(x[1]))
      case "xcos": #expect((-1...2).contains(x[0]))
      case "booth-start=0": #expect(x == [1, 2])
      default: #expect(x == [3, 4])
      }
    }
    // Every optimizer starts from the same point for a given function and seed; seeds differ.
    let runs = e.plannedRuns().filter { $0.function == 0 }
    let sgd = runs.filter { $0.optimizer == 0 }.map(e.startPoint)
    let adam = runs.filter { $0.optimizer == 1 }.map(e.startPoint)
    #expect(sgd == adam)
    #expect(Set(sgd.map { "\($0)" }).count == 4)
  }

  @Test("the output directory holds config, manifest, summaries and one trajectory per run, as specified")
  func outputLayout() throws {
    let e = try decodeExperiment(smallConfig)
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let result = try runExperiment(e, configText: smallConfig, into: path)
    #expect(result.complete)
    for name in ["config.json", "manifest.json", "summary.csv", "summary.json"] {
      #expect(FileManager.default.fileExists(atPath: path + "/" + name), "\(name)")
    }
    #expect(try String(contentsOfFile: path + "/config.json", encoding: .utf8) == smallConfig)
    let summary = try String(contentsOfFile: path + "/summary.csv", encoding: .utf8).split(separator: "\n")
    #expect(summary.count == 1 + e.runCount)
    let header = summary[0].split(separator: ",").map(String.init)
    #expect(header.starts(with: ["run_id", "function", "optimizer", "label", "seed"]))
    for column in ["lr", "momentum", "steps", "status", "final_f", "best_f", "f_star", "final_suboptimality", "best_suboptimality",
                   "final_grad_norm", "distance_to_minimizer", "minimum", "steps_to_1e-2", "steps_to_1e-6", "diverged_at"] {
      #expect(header.contains(column), "missing column \(column)")
    }
    #expect(header.last == "wall_seconds")
    // No temporary files are left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/runs").allSatisfy { !$0.hasPrefix(".") })

    for (run, s) in result.summaries {
      let t = try #require(Trajectory.read(path + "/runs/\(run.id).csv"))
      #expect(t.columns == ["step", "f", "grad_norm", "lr"] + (1...e.functions[run.function].objective.dimension).map { "x\($0)" })
      #expect(t.rows.count == s.steps + 1, "\(run.id): rows 0…steps")
      #expect(Array(t.rows[0][4...]) == e.startPoint(run))
      #expect(t.column("step") == (0...s.steps).map(Double.init))
      #expect(t.rows.last![1] == s.finalF || (s.finalF.isNaN && t.rows.last![1].isNaN))
      // Row k is the state after k updates: re-evaluating f at x_k gives the recorded f.
      let f = e.functions[run.function].objective
      let k = s.steps / 2
      #expect(f.value(at: Array(t.rows[k][4...])) == t.rows[k][1])
    }
    let quadraticGD = try #require(result.summaries.first { $0.0.id == "quadratic__gd-lr=0.1__seed=0" }?.1)
    // GD on 0.1x₁² + 2x₂² from (−5, −2) with lr 0.1: x₁ₖ = −5·0.98ᵏ, x₂ₖ = −2·0.6ᵏ, in closed form.
    func f(_ k: Int) -> Double { 0.1 * pow(-5 * pow(0.98, Double(k)), 2) + 2 * pow(-2 * pow(0.6, Double(k)), 2) }
    #expect(quadraticGD.status == .maxSteps)
    #expect(quadraticGD.fStar == 0)
    #expect(quadraticGD.stepsToTarget[0] == (0...300).first { f($0) <= 1e-2 })
    #expect(quadraticGD.stepsToTarget[1] == nil)
    #expect(abs(quadraticGD.finalF - f(300)) <= 1e-12 * f(300))
    #expect(abs(quadraticGD.distanceToMinimizer! - 5 * pow(0.98, 300)) < 1e-9)
    #expect(quadraticGD.minimum == "none")  // 0.0116 from x*, outside the default radius 0.01
    let rosenbrockAdam = try #require(result.summaries.first { $0.0.id == "quadratic__adam-sweep-lr=0.1__seed=0" }?.1)
    #expect(rosenbrockAdam.minimum == "global")
  }

  @Test("--jobs 1, --jobs 2 and sharded-then-merged execution give bit-identical results")
  func determinism() throws {
    let e = try decodeExperiment(smallConfig)
    let one = temporaryDirectory(), two = temporaryDirectory(), merged = temporaryDirectory()
    let shards = (1...3).map { _ in temporaryDirectory() }
    defer { ([one, two, merged] + shards).forEach(cleanUp) }
    try runExperiment(e, configText: smallConfig, into: one, jobs: 1)
    try runExperiment(e, configText: smallConfig, into: two, jobs: 2)
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: smallConfig, into: shard, jobs: 2, shard: Shard(index: k + 1, count: 3))
    }
    let verified = try Merge.verify(shards.reversed())
    try Merge.write(verified.experiment, configBytes: verified.configBytes, sources: verified.sources,
                    to: try ResultsDirectory.prepare(merged, for: e, mode: .fresh), started: Date())

    let reference = try summaryWithoutTiming(one)
    #expect(try summaryWithoutTiming(two) == reference)
    #expect(try summaryWithoutTiming(merged) == reference)
    let trajectoriesOne = try trajectories(one)
    #expect(trajectoriesOne.count == e.runCount)
    #expect(try trajectories(two) == trajectoriesOne)
    #expect(try trajectories(merged) == trajectoriesOne)
  }

  @Test("a merge cut short leaves a directory that says it is Descent's and unfinished, which --force replaces")
  func mergeCutShort() throws {
    let e = try decodeExperiment(smallConfig)
    let merged = temporaryDirectory(), shards = (1...2).map { _ in temporaryDirectory() }
    defer { ([merged] + shards).forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: smallConfig, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 2))
    }
    let verified = try Merge.verify(shards)
    // A trajectory gone between the check and the copy: the merge stops part way.
    let last = try #require(verified.sources.keys.max())
    let (source, summary) = try #require(verified.sources[last])
    try FileManager.default.removeItem(atPath: source.trajectoryPath(summary.runID, format: e.format))
    #expect(throws: OutputError.self) {
      try Merge.write(verified.experiment, configBytes: verified.configBytes, sources: verified.sources,
                      to: try ResultsDirectory.prepare(merged, for: e, mode: .fresh), started: Date())
    }
    #expect(try String(contentsOfFile: merged + "/manifest.json", encoding: .utf8).contains(#""status": "running""#))
    let directory = try ResultsDirectory.prepare(merged, for: e, mode: .force)
    #expect(Manifest.read(directory) == nil, "--force emptied it")
  }

  @Test("shards balance cost as a scan of every shard would, longest runs first and ties to the lowest shard")
  func shardBalance() throws {
    let text = #"{"name": "b", "steps": 10, "seeds": 5, "functions": [{"name": "rosenbrock", "dim": {"grid": [2, 7, 3]}, "start": "random"}, {"name": "xcos"}, {"name": "quadratic", "diag": [1, 2, 3, 4]}], "optimizers": [{"name": "adam"}, {"name": "sgd", "lr": {"grid": [0.1, 0.01]}}]}"#
    let e = try decodeExperiment(text)
    let runs = e.plannedRuns()
    // The greedy rule written the plain way, as the reference.
    func scan(_ shards: Int) -> [Int] {
      var load = [Int](repeating: 0, count: shards)
      var assignment = [Int](repeating: 0, count: runs.count)
      let cost = runs.map { e.cost($0) }
      for i in runs.indices.sorted(by: { cost[$0] != cost[$1] ? cost[$0] > cost[$1] : $0 < $1 }) {
        var target = 0
        for s in 1..<max(1, shards) where load[s] < load[target] { target = s }
        assignment[i] = target
        load[target] += cost[i]
      }
      return assignment
    }
    for shards in [1, 2, 3, 4, 7, 16, 61, runs.count, runs.count + 5, 1000] {
      let assignment = e.shardAssignment(shards: shards).map(Int.init)
      #expect(assignment == scan(shards), "\(shards) shards")
      #expect(assignment.allSatisfy { (0..<shards).contains($0) })
    }
  }

  @Test("merge verifies every shard's files up front: a missing sidecar, a directory for a trajectory, a bad shard field")
  func mergeVerifiesFiles() throws {
    let text = #"{"name": "m", "steps": 20, "seeds": 2, "format": "binary", "functions": [{"name": "booth", "start": "random"}], "optimizers": [{"name": "adam"}, {"name": "sgd"}]}"#
    let e = try decodeExperiment(text)
    let shards = (1...2).map { _ in temporaryDirectory() }
    defer { shards.forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: text, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 2))
    }
    _ = try Merge.verify(shards)
    let runs = { (k: Int) in try FileManager.default.contentsOfDirectory(atPath: shards[k] + "/runs").filter { $0.hasSuffix(".f64") }.sorted() }
    // A binary trajectory without its sidecar: the run is incomplete, not a failure halfway through writing.
    let first = try #require(try runs(0).first)
    try FileManager.default.removeItem(atPath: shards[0] + "/runs/" + first + ".json")
    // A directory in place of a trajectory.
    let second = try #require(try runs(1).first)
    try FileManager.default.removeItem(atPath: shards[1] + "/runs/" + second)
    try FileManager.default.createDirectory(atPath: shards[1] + "/runs/" + second, withIntermediateDirectories: false)
    let error = try #require(throws: MergeError.self) { try Merge.verify(shards) }
    #expect(error.problems.count == 2, "\(error.problems)")
    #expect(error.problems.allSatisfy { $0.contains("lacks 1 of its") }, "\(error.problems)")
    // A manifest whose shard is not K/N is unreadable, not taken for an unsharded run.
    let manifest = shards[0] + "/manifest.json"
    let original = try String(contentsOfFile: manifest, encoding: .utf8)
    try original.replacingOccurrences(of: #""shard" : "1/2""#, with: #""shard" : "3/2""#).replacingOccurrences(of: #""shard": "1/2""#, with: #""shard": "3/2""#)
      .write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(try String(contentsOfFile: manifest, encoding: .utf8).contains("3/2"))
    #expect(Manifest.read(ResultsDirectory(path: shards[0])) == nil)
    do { _ = try Merge.verify(shards); Issue.record("a shard 3/2 was accepted") } catch {
      #expect(error.problems.contains { $0.contains(#"manifest.json: shard: expected "K/N" with 1 ≤ K ≤ N ≤ 100000, got "3/2""#) }, "\(error.problems)")
    }
    // A split into 100,000 shards, most of them missing: listed ten at a time, quickly.
    try original.replacingOccurrences(of: #""shard" : "1/2""#, with: #""shard" : "1/100000""#).replacingOccurrences(of: #""shard": "1/2""#, with: #""shard": "1/100000""#)
      .write(toFile: manifest, atomically: true, encoding: .utf8)
    do { _ = try Merge.verify([shards[0]]); Issue.record("a lone shard of 100,000 was accepted") } catch {
      #expect(error.problems.contains("missing shards 2/100000, 3/100000, 4/100000, 5/100000, 6/100000, 7/100000, 8/100000, 9/100000, 10/100000, 11/100000 and 99989 more"), "\(error.problems)")
    }
    for broken in ["", "{", #"{"status": "complete"}"#, "[]"] {
      try broken.write(toFile: manifest, atomically: true, encoding: .utf8)
      do { _ = try Merge.verify([shards[0]]); Issue.record("manifest \(broken) was accepted") } catch {
        #expect(error.problems.contains { $0.contains("manifest.json") && !$0.contains("no readable") }, "\(error.problems)")
      }
    }
    try FileManager.default.removeItem(atPath: manifest)
    do { _ = try Merge.verify([shards[0]]) } catch { #expect(error.problems.contains { $0.contains("manifest.json is missing") }) }
  }

  @Test("run ids too long to name their files are refused before the run, at the longer label")
  func idLength() throws {
    // Labels are at most 100 characters; grid values add to the optimizer's part of the id.
    func config(_ grids: String) -> String {
      #"{"name": "long", "steps": 1, "seeds": 1, "format": "binary", "functions": [{"name": "booth", "label": "\#(String(repeating: "f", count: 100))"}], "optimizers": [{"name": "sgd", "label": "\#(String(repeating: "o", count: 100))", "lr": {"grid": [0.001]}, "momentum": {"grid": [0.5]}\#(grids)}]}"#
    }
    #expect(Experiment.maximumIDBytes(.binary) == 233 && Experiment.maximumIDBytes(.csv) == 238 && Experiment.maximumIDBytes(.packed) == nil)
    // 100 + "__" + 100 + "-lr=0.001" + "-momentum=0.5" + "__seed=0" = 232 bytes.
    let fits = try decodeExperiment(config(""))
    #expect(fits.plannedRuns().map(\.id.utf8.count) == [232])
    // With "-dampening=0.1", 246.
    let problems = configProblems(config(#", "dampening": {"grid": [0.1]}"#))
    #expect(problems.count == 1 && problems[0].hasPrefix("optimizers[0].label: run ids would be up to 246 bytes long (the optimizer setting 'ooo"), "\(problems)")
    #expect(problems.first?.hasSuffix("more than the 233 that trajectory file names allow; give a shorter \"label\" (a setting's grid values are part of its id too)") == true)
    // Packs name their files by function, and "record": "none" writes none: any id is fine there. A CSV
    // name is shorter than a sidecar's.
    let long = config(#", "dampening": {"grid": [0.1]}"#)
    for other in [#""format": "packed""#, #""format": "binary", "record": "none""#] {
      _ = try decodeExperiment(long.replacingOccurrences(of: #""format": "binary""#, with: other))
    }
    #expect(configProblems(long.replacingOccurrences(of: #""format": "binary""#, with: #""format": "csv""#)).first?.contains("more than the 238") == true)
    // Results already made are read back whatever their ids' length.
    _ = try Experiment.decodeResultsConfig(Array(long.utf8), file: "config.json")
  }

  @Test("--resume needs the results' own config: missing or unreadable once runs are recorded, it is refused")
  func resumeNeedsTheConfig() throws {
    let e = try decodeExperiment(smallConfig)
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    // Interrupted before config.json was written (nothing recorded yet): resumable.
    try FileManager.default.createDirectory(atPath: directory + "/runs", withIntermediateDirectories: true)
    _ = try ResultsDirectory.prepare(directory, for: e, mode: .resume)
    // Runs recorded but no config.json, or one that is not JSON: refused, nothing overwritten.
    #expect(FileManager.default.createFile(atPath: directory + "/runs/journal-1-1.jsonl", contents: Data()))
    for config in [nil, "{not json"] {
      if let config { #expect(FileManager.default.createFile(atPath: directory + "/config.json", contents: Data(config.utf8))) }
      let error = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(directory, for: e, mode: .resume) }
      #expect(error.exitCode == 65)
      #expect(error.message.contains("without a readable config.json"), "\(error.message)")
      // Not --force, which would refuse a directory without the manifest Descent writes.
      #expect(error.message.hasSuffix("; remove the directory or give another --output (--force replaces only a directory whose manifest.json Descent wrote)"), "\(error.message)")
      #expect(throws: OutputError.self) { try ResultsDirectory.prepare(directory, for: e, mode: .force) }
    }
    #expect(try String(contentsOfFile: directory + "/config.json", encoding: .utf8) == "{not json")
    #expect(FileManager.default.createFile(atPath: directory + "/config.json", contents: Data(smallConfig.utf8)))
    // The right config, but no manifest (which a run writes before any record) to say the results were made with it.
    let unnamed = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(directory, for: e, mode: .resume) }
    #expect(unnamed.exitCode == 65 && unnamed.message.contains("manifest.json is missing") && unnamed.message.contains("remove the directory"), "\(unnamed.message)")
    // A directory Descent did not write, with no runs of its own, is not resumed in, whatever config it holds.
    let other = temporaryDirectory()
    defer { cleanUp(other) }
    #expect(FileManager.default.createFile(atPath: other + "/config.json", contents: Data(smallConfig.utf8)))
    #expect(FileManager.default.createFile(atPath: other + "/summary.csv", contents: Data("mine\n".utf8)))
    let foreign = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(other, for: e, mode: .resume) }
    #expect(foreign.exitCode == 73 && foreign.message.contains("does not hold Descent results"), "\(foreign.message)")
    try Manifest(name: e.name, configHash: e.configHash, started: Date(), jobs: 1, runCount: e.runCount, runsHere: e.runCount, shard: nil,
                 status: "interrupted").write(to: ResultsDirectory(path: directory))
    _ = try ResultsDirectory.prepare(directory, for: e, mode: .resume)
  }

  @Test("shards partition the runs, each in exactly one shard, balanced by cost")
  func shardLayout() throws {
    let e = try decodeExperiment("""
      {"name": "s", "steps": 10, "seeds": 5, "functions": [{"name": "rosenbrock", "dim": {"grid": [2, 20, 200]}}],
       "optimizers": [{"name": "sgd"}, {"name": "adam"}]}
      """)
    let all = e.plannedRuns()
    for n in [1, 2, 3, 7] {
      let parts = (1...n).map { e.runs(in: Shard(index: $0, count: n)) }
      #expect(parts.flatMap { $0 }.map(\.index).sorted() == all.map(\.index))
      let costs = parts.map { $0.reduce(0) { $0 + e.cost($1) } }
      let largest = all.map(e.cost).max()!
      #expect(costs.max()! - costs.min()! <= largest, "n = \(n): \(costs)")
    }
  }

  @Test("merge refuses missing shards, incomplete shards and shards of another config")
  func mergeVerification() throws {
    let e = try decodeExperiment(smallConfig)
    let a = temporaryDirectory(), b = temporaryDirectory(), other = temporaryDirectory()
    defer { [a, b, other].forEach(cleanUp) }
    try runExperiment(e, configText: smallConfig, into: a, shard: Shard(index: 1, count: 2))
    #expect(throws: MergeError.self) { try Merge.verify([a]) }
    do { _ = try Merge.verify([a]) } catch { #expect(error.description.contains("missing shard 2/2")) }

    try runExperiment(e, configText: smallConfig, into: b, shard: Shard(index: 2, count: 2), cancelAfter: 3)
    do { _ = try Merge.verify([a, b]); Issue.record("an incomplete shard was accepted") } catch {
      #expect(error.description.contains("shard 2/2 lacks"))
    }

    let otherText = smallConfig.replacingOccurrences(of: "\"steps\": 300", with: "\"steps\": 301")
    try runExperiment(try decodeExperiment(otherText), configText: otherText, into: other, shard: Shard(index: 2, count: 2))
    do { _ = try Merge.verify([a, other]); Issue.record("a shard of another config was accepted") } catch {
      #expect(error.description.contains("different config"))
    }
  }

  @Test("merge of shards whose config.json claims 10^8 runs counts each shard's missing runs and names the first, without listing the plan")
  func mergeHugeClaim() throws {
    let text = #"{"name": "claim", "steps": 5, "seeds": 3, "record": "none", "functions": [{"name": "rosenbrock", "start": [0, 0]}], "optimizers": [{"name": "sgd", "lr": {"grid": [0.001, 0.002]}}]}"#
    let e = try decodeExperiment(text)
    let shards = (1...2).map { _ in temporaryDirectory() }
    defer { shards.forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: text, into: shard, shard: Shard(index: k + 1, count: 2))
    }
    _ = try Merge.verify(shards)
    // The same config with 100,000 more learning rates and 999 seeds (99,901,998 runs), in both shards'
    // config.json and manifests; listing the planned runs would take some 15 GB.
    let claim = text.replacingOccurrences(of: "\"seeds\": 3", with: "\"seeds\": 999")
      .replacingOccurrences(of: "{\"grid\": [0.001, 0.002]}}", with: "{\"grid\": [0.001, 0.002]}}, {\"name\": \"sgd\", \"label\": \"more\", \"lr\": {\"logspace\": [-5, 0, 100000]}}")
    let claimed = try Experiment.decodeResultsConfig(Array(claim.utf8), file: "config.json")
    let oldHash = e.configHash, newHash = SHA256.hex(claimed.source.serialized(sortedKeys: true))
    for shard in shards {
      try Data(claim.utf8).write(to: URL(fileURLWithPath: shard + "/config.json"))
      let manifest = try String(contentsOfFile: shard + "/manifest.json", encoding: .utf8)
      #expect(manifest.contains(oldHash))
      try Data(manifest.replacingOccurrences(of: oldHash, with: newHash).utf8).write(to: URL(fileURLWithPath: shard + "/manifest.json"))
    }
    // One function, so every run costs the same and the greedy rule deals them out in turn: shard 1 has the
    // even indices, shard 2 the odd ones. Done are indices 0, 1, 2 and 999, 1000, 1001.
    let half = 100_002 * 999 / 2
    let expected = [
      "shard 1/2 lacks \(half - 3) of its \(half) runs (" + stride(from: 4, through: 22, by: 2).map { claimed.run(at: $0).id }.joined(separator: ", ") + ", …)"
        + "; first: \(claimed.run(at: 4).id) (no journal record (it did not finish))",
      "shard 2/2 lacks \(half - 3) of its \(half) runs (" + stride(from: 3, through: 21, by: 2).map { claimed.run(at: $0).id }.joined(separator: ", ") + ", …)"
        + "; first: \(claimed.run(at: 3).id) (no journal record (it did not finish))",
    ]
    do { _ = try Merge.verify(shards); Issue.record("shards missing 99,901,992 runs were accepted") } catch {
      #expect(error.problems.count == 2)
      for (line, text) in zip(error.problems, expected) { #expect(line.hasSuffix(text + "; re-run it with --resume"), "\(line)") }
    }
  }

  @Test("shards of runs whose steps × dimension add up past Int.max are assigned without overflowing")
  func shardCostOverflow() throws {
    // 20,000 runs of 10⁹ steps in dimension 10⁶: 2·10¹⁹ step-coordinates in all, more than Int.max.
    let e = try decodeExperiment(#"{"name": "o", "steps": 1000000000, "seeds": 20000, "record": "none", "functions": [{"name": "rastrigin", "dim": 1000000}], "optimizers": [{"name": "sgd"}]}"#)
    let assignment = e.shardAssignment(shards: 2)
    #expect(assignment.count { $0 == 0 } == 10_000 && assignment.count { $0 == 1 } == 10_000)
    #expect(e.runs(in: Shard(index: 2, count: 2)).map(\.index) == Array(stride(from: 1, to: 20_000, by: 2)))
  }

  @Test("a run that leaves xcos's domain for f below its f* is diverged, never converged or on target; one that stays is not")
  func xcosEscape() throws {
    let text = """
      {"name": "esc", "steps": 200, "targets": [1e-2], "stop": {"suboptimality": 1e-10},
       "functions": [{"name": "xcos", "start": {"points": [[1.0], [-0.9]]}}],
       "optimizers": [{"name": "gd", "lr": 0.05}, {"name": "adam", "lr": 3}]}
      """
    let e = try decodeExperiment(text)
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let result = try runExperiment(e, configText: text, into: tmp, jobs: 1)
    let fStar = try #require(e.functions[0].objective.minima.value)
    for (run, s) in result.summaries {
      let t = try #require(Trajectory.read(tmp + "/runs/\(run.id).csv"))
      let escaped = t.rows.contains { $0[1] < fStar - 1e-9 }
      #expect((s.status == .diverged) == escaped, "\(run.id): \(s.status)")
      if escaped {
        // Diverged at the first row below f*, and nothing it reached there counts.
        let first = try #require(t.rows.firstIndex { $0[1] < fStar - 1e-9 })
        #expect(s.steps == Int(t.rows[first][0]), "\(run.id)")
        #expect(s.bestF >= fStar - 1e-9)
      }
    }
    let byID = Dictionary(uniqueKeysWithValues: result.summaries.map { ($0.0.id, $0.1) })
    #expect(byID.count == 4, "\(byID.keys.sorted())")
    // (A start outside the domain, where f(5) = −5 is below f* already, is refused by validation.)
    // From 1.0, GD settles at the global minimum: converged, on target, not mistaken for an escape.
    let inside = try #require(byID["xcos-start=0__gd__seed=0"])
    #expect(inside.status == .converged && inside.stepsToTarget[0] != nil)
    #expect(result.summaries.contains { $0.0.optimizer == 1 && $0.1.status == .diverged })
  }

  @Test("an interrupted sweep resumes to the same summary as an uninterrupted one")
  func resume() throws {
    let e = try decodeExperiment(smallConfig)
    let whole = temporaryDirectory(), interrupted = temporaryDirectory()
    defer { [whole, interrupted].forEach(cleanUp) }
    try runExperiment(e, configText: smallConfig, into: whole)
    let partial = try runExperiment(e, configText: smallConfig, into: interrupted, jobs: 2, cancelAfter: 10)
    #expect(!partial.complete)
    #expect(!FileManager.default.fileExists(atPath: interrupted + "/summary.csv"))
    // A killed run leaves only a temporary file, never a file under its final name.
    #expect(FileManager.default.createFile(atPath: interrupted + "/runs/.quadratic__gd-lr=0.01__seed=0.csv.tmp-99999", contents: Data("step,f\n0,1".utf8)))
    #expect(throws: OutputError.self) { try runExperiment(e, configText: smallConfig, into: interrupted) }
    let resumed = try runExperiment(e, configText: smallConfig, into: interrupted, mode: .resume)
    #expect(resumed.complete)
    #expect(resumed.resumed >= 10 && resumed.resumed < e.runCount)
    #expect(try summaryWithoutTiming(interrupted) == summaryWithoutTiming(whole))
    #expect(try trajectories(interrupted) == trajectories(whole))
  }

  @Test("--resume refuses a directory made from a different config")
  func resumeDifferentConfig() throws {
    let e = try decodeExperiment(smallConfig)
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    try runExperiment(e, configText: smallConfig, into: path)
    let otherText = smallConfig.replacingOccurrences(of: "\"seeds\": 3", with: "\"seeds\": 4")
    #expect(otherText != smallConfig)
    let error = try #require(throws: OutputError.self) { try runExperiment(try decodeExperiment(otherText), configText: otherText, into: path, mode: .resume) }
    #expect(error.message == "\(path) holds results of a different config (\"seeds\" differs); --resume needs the same config; use --force to replace them")
    #expect(error.exitCode == 65)
    // Keys added or removed count too.
    #expect(ResultsDirectory.differingKeys(try JSONParser.parse(#"{"a": 1, "b": [1, 2]}"#), try JSONParser.parse(#"{"b": [1, 2], "c": {}}"#)) == #" ("a", "c" differ)"#)
    #expect(ResultsDirectory.differingKeys(try JSONParser.parse(#"{"a": {"x": 1, "y": 2}}"#), try JSONParser.parse(#"{"a": {"y": 2, "x": 1}}"#)) == "")
  }

  @Test("a diverging run is recorded as diverged at the step it happened; the others are untouched")
  func divergence() throws {
    let config = """
      {"name": "d", "steps": 500, "stop": {"divergence": 1e6}, "functions": [{"name": "quadratic", "diag": [0.2, 4], "start": [-5, -2]}],
       "optimizers": [{"name": "gd", "lr": {"grid": [0.1, 1.0]}}]}
      """
    let e = try decodeExperiment(config)
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let result = try runExperiment(e, configText: config, into: path)
    let stable = result.summaries[0].1, unstable = result.summaries[1].1
    #expect(stable.status == .maxSteps || stable.status == .converged)
    #expect(unstable.status == .diverged)
    // x₂ ← (1 − 4)x₂ = −3x₂ each step: f = 2x₂² ≈ 8·9^k exceeds 1e6 first at k = 6.
    #expect(unstable.steps == 6)
    #expect(unstable.divergedAt == 6 && stable.divergedAt == nil, "halted where it was found diverged")
    #expect(unstable.finalF > 1e6)
    #expect(unstable.minimum == "none")
    let t = try #require(Trajectory.read(path + "/runs/\(result.summaries[1].0.id).csv"))
    #expect(t.rows.count == 7)
  }

  @Test("StopRules.isDivergent is the runner's rule on f: a halted run's last record meets it, no record before does")
  func divergenceRuleAsTheRunnerHasIt() throws {
    let config = #"{"name": "h", "steps": 200, "record": "every", "stop": {"divergence": 1e6}, "functions": [{"name": "quadratic", "diag": [0.2, 4], "start": [-5, -2]}, {"name": "xcos", "start": [-0.035041618729204305]}], "optimizers": [{"name": "gd", "lr": 1.0}, {"name": "adam", "lr": 1, "schedule": {"name": "cosine", "t_max": 2000}}]}"#
    let experiment = try decodeExperiment(config)
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let result = try runExperiment(experiment, configText: config, into: path)
    let diverged = result.summaries.filter { $0.1.status == .diverged }
    #expect(diverged.count >= 2, "one above the threshold, one escaping below xcos's f*")
    for (run, _) in diverged {
      let values = try #require(Trajectory.read(path + "/runs/\(run.id).csv")).column(at: 1)
      let escape = experiment.functions[run.function].objective.minima.escapeBelow
      #expect(experiment.stop.isDivergent(values.last!, escapeBelow: escape), "\(run.id)")
      #expect(!values.dropLast().contains { experiment.stop.isDivergent($0, escapeBelow: escape) }, "\(run.id)")
    }
  }

  @Test("with halt_on_divergence false a diverged run is marked at once but takes every step")
  func continueAfterDivergence() throws {
    let config = #"{"name": "c", "steps": 200, "stop": {"halt_on_divergence": false, "divergence": 1e6}, "functions": [{"name": "quadratic", "diag": [0.2, 4], "start": [-5, -2]}], "optimizers": [{"name": "gd", "lr": 1.0}]}"#
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let result = try runExperiment(try decodeExperiment(config), configText: config, into: path)
    let s = result.summaries[0].1
    #expect(s.status == .diverged)
    #expect(s.steps == 200)
    #expect(s.finalF > 1e90)
    let f = try #require(Trajectory.read(path + "/runs/\(result.summaries[0].0.id).csv")).column(at: 1)
    #expect(f.count == 201)
    // Kept, in the record and the summary: the step it was first found above the threshold, not its last.
    let first = try #require(f.firstIndex { $0 > 1e6 })
    #expect(s.divergedAt == first && first == 6)
    let csv = try String(contentsOfFile: path + "/summary.csv", encoding: .utf8).split(separator: "\n")
    let header = csv[0].split(separator: ",", omittingEmptySubsequences: false)
    let cells = csv[1].split(separator: ",", omittingEmptySubsequences: false)
    #expect(header.suffix(2) == ["diverged_at", "wall_seconds"])
    #expect(cells[header.firstIndex(of: "diverged_at")!] == "6")
    let record = try #require(RunSummary(json: s.json(targets: []), targets: []))
    #expect(record.divergedAt == 6)
  }

  @Test("a diverged run that keeps stepping stays diverged with every gradient oracle: no best f, target or convergence after")
  func divergedStaysDiverged() throws {
    // f(x₀) is above the threshold, so each run diverges at step 0, then descends all the way. A config
    // cannot ask for that (`checkStarts` refuses it): the threshold is set after decoding.
    let config = """
      {"name": "d", "steps": 100, "targets": [1e-2], "stop": {"halt_on_divergence": false, "grad_norm": 1e-3},
       "functions": [{"name": "quadratic", "label": "exact", "diag": [1], "start": [3]},
                     {"name": "quadratic", "label": "noisy", "diag": [1], "start": [3], "gradient_noise": 1e-12},
                     {"name": "least-squares", "label": "full", "samples": 50, "dim": 2, "start": [30, 30]},
                     {"name": "least-squares", "label": "batch", "samples": 50, "dim": 2, "batch_size": 50, "sampling": "epoch", "start": [30, 30]}],
       "optimizers": [{"name": "gd", "lr": 0.1}]}
      """
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    var experiment = try decodeExperiment(config)
    experiment.stop.divergence = 1
    let summaries = try runExperiment(experiment, configText: config, into: path).summaries.map(\.1)
    #expect(summaries.count == 4)
    for s in summaries {
      #expect(s.status == .diverged, "\(s.runID)")
      #expect(s.steps == 100, "\(s.runID)")
      #expect(s.bestF == .infinity && s.stepsToTarget == [nil] && s.minimum == "none", "\(s.runID)")
      #expect(s.divergedAt == 0, "\(s.runID)")
      #expect(s.finalF < 1e-2, "\(s.runID): it did descend")
    }
  }

  @Test("non-finite values mark a run diverged even without a divergence threshold")
  func nonFiniteDivergence() throws {
    let config = """
      {"name": "nf", "steps": 2000, "functions": [{"name": "saddle", "start": [0.5, 0.5]}],
       "optimizers": [{"name": "gd", "lr": 0.5}]}
      """
    let e = try decodeExperiment(config)
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let s = try runExperiment(e, configText: config, into: path).summaries[0].1
    #expect(s.status == .diverged)
    #expect(s.steps < 2000)
    #expect(s.divergedAt == s.steps)
    #expect(!s.finalF.isFinite || !s.finalGradNorm.isFinite)
    #expect(s.fStar == nil && s.finalSuboptimality == nil)
  }

  @Test("record policies: every k, log-spaced, none; step 0 and the last step always kept")
  func recordPolicies() throws {
    func recorded(_ record: String) throws -> [Double]? {
      let config = """
        {"name": "r", "steps": 1000, "record": \(record), "functions": [{"name": "booth", "start": [0, 0]}],
         "optimizers": [{"name": "gd", "lr": 0.001}]}
        """
      let path = temporaryDirectory()
      defer { cleanUp(path) }
      let result = try runExperiment(try decodeExperiment(config), configText: config, into: path)
      return Trajectory.read(path + "/runs/\(result.summaries[0].0.id).csv")?.column("step")
    }
    let everyK = try #require(try recorded(#"{"every": 300}"#))
    #expect(everyK == [0, 300, 600, 900, 1000])
    let logSpaced = try #require(try recorded(#"{"log": 20}"#))
    #expect(logSpaced.first == 0 && logSpaced.last == 1000)
    #expect((15...21).contains(logSpaced.count))
    #expect(zip(logSpaced, logSpaced.dropFirst()).allSatisfy { $0 < $1 })
    #expect(try recorded(#""none""#) == nil)
    #expect(try recorded(#""every""#)?.count == 1001)
  }
}

@Suite("Trajectory writers")
struct TrajectoryWriterTests {
  @Test("an abandoned writer leaves no file behind; abandoning a finished one keeps its file")
  func abandon() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
    defer { x.deallocate() }
    _ = x.initialize(from: [1, 2])
    // A buffer smaller than a few rows is raised to hold them.
    var dropped = try TrajectoryWriter(path: directory + "/dropped.csv", format: .csv, dimension: 2, writesX: true, capacity: 1)
    dropped.record(step: 0, value: 1, gradientNorm: 2, learningRate: 0.1, x: x)
    dropped.abandon()
    dropped.abandon()
    var kept = try TrajectoryWriter(path: directory + "/kept.csv", format: .csv, dimension: 2, writesX: true, capacity: 1)
    for step in 0..<100 { kept.record(step: step, value: 1, gradientNorm: 2, learningRate: 0.1, x: x) }
    try kept.finish()
    kept.abandon()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["kept.csv"])
    let lines = try String(contentsOfFile: directory + "/kept.csv", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 101)
    #expect(lines[1] == "0,1.0,2.0,0.1,1.0,2.0")
  }

  @Test("a writer buffers in memory it is lent (flushing as often as needed) unless it is too small for a few rows")
  func lentBuffer() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
    defer { x.deallocate() }
    _ = x.initialize(from: [0.25, -3])
    let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
    let tiny = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 16)
    defer {
      memory.deallocate()
      tiny.deallocate()
    }
    memory.initialize(repeating: 0)
    tiny.initialize(repeating: 0)
    var expected = "step,f,grad_norm,lr,x1,x2\n"
    for (name, lent) in [("lent.csv", memory), ("tiny.csv", tiny)] {
      var writer = try TrajectoryWriter(path: directory + "/" + name, format: .csv, dimension: 2, writesX: true, buffer: lent)
      for step in 0..<1000 {
        writer.record(step: step, value: Double(step) / 3, gradientNorm: 2, learningRate: 0.1, x: x)
        if name == "lent.csv" { expected += "\(step),\(NumberText.format(Double(step) / 3)),2.0,0.1,0.25,-3.0\n" }
      }
      try writer.finish()
    }
    #expect(try String(contentsOfFile: directory + "/lent.csv", encoding: .utf8) == expected)
    #expect(try String(contentsOfFile: directory + "/tiny.csv", encoding: .utf8) == expected)
    // The 4 KB lent to the first writer held its rows; the 16 bytes lent to the second were not used.
    #expect(memory.count { $0 == UInt8(ascii: "\n") } > 50)
    #expect(tiny.allSatisfy { $0 == 0 })
  }

  @Test("a learning rate repeated from row to row is written as it would be afresh, across flushes and changes")
  func repeatedRate() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
    defer { x.deallocate() }
    _ = x.initialize(from: [0.5])
    // Runs of one rate, changes every row, values with the same text but other bits (-0.0, NaNs), and a
    // 1 KB buffer, so that the row before is often flushed away.
    let rates: [Double] = (0..<300).map { step in
      switch step % 100 {
      case 0..<40: 0.001
      case 40..<60: 0.001 * Double(step)
      case 60..<70: step.isMultiple(of: 2) ? 0.0 : -0.0
      case 70..<80: step.isMultiple(of: 2) ? .nan : Double(bitPattern: Double.nan.bitPattern | 1)
      default: 1e-300 / Double(step % 7 + 1)
      }
    }
    let memory = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1024)
    defer { memory.deallocate() }
    var writer = try TrajectoryWriter(path: directory + "/rates.csv", format: .csv, dimension: 1, writesX: true, buffer: memory)
    var expected = "step,f,grad_norm,lr,x1\n"
    for (step, rate) in rates.enumerated() {
      writer.record(step: step, value: 1, gradientNorm: 2, learningRate: rate, x: x)
      expected += "\(step),1.0,2.0,\(rate.description),0.5\n"
    }
    try writer.finish()
    #expect(try String(contentsOfFile: directory + "/rates.csv", encoding: .utf8) == expected)
  }

  @Test("a file written from pieces holds their concatenation, whatever their sizes")
  func pieces() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    // Around the 64 KB gathering buffer too: many small pieces that fill it several times over.
    let sizes = [0, 3, (1 << 20) + 5, 10, 2 << 20, 1, (1 << 20) - 1, 7, (64 << 10) - 1, 64 << 10, (64 << 10) + 1]
      + Array(repeating: 1_000, count: 150) + [5]
    let pieces = sizes.enumerated().map { k, n in [UInt8](repeating: UInt8(k + 1), count: n)[...] }
    try FileIO.writeAtomically(pieces: pieces, to: directory + "/joined")
    try FileIO.writeAtomically(pieces: [], to: directory + "/empty")
    var expected: [UInt8] = []
    for piece in pieces { expected += piece }
    #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/joined")) == Data(expected))
    #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/empty")).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["empty", "joined"])
  }

  @Test("work done on every core runs every part, and throws the failure of the first part that failed")
  func everyCore() throws {
    let done = Mutex(Set<Int>())
    let error = try #require(throws: OutputError.self) {
      try OutputError.everyCore(64) { k throws(OutputError) in
        done.withLock { _ = $0.insert(k) }
        if k % 10 == 7 { throw OutputError("part \(k)") }
      }
    }
    #expect(error.message == "part 7")
    #expect(done.withLock { $0 } == Set(0..<64))
    try OutputError.everyCore(0) { _ throws(OutputError) in Issue.record("no parts") }
  }

  @Test("a binary writer keeps every row, in order, whether rows are stored in line or out of line, across flushes, with a constant rate in its sidecar",
        arguments: [(nil, nil), (8, nil), (nil, 0.25), (8, 3e-7)] as [(Int?, Double?)], [(1, true), (2, true), (3, true), (5, true), (2, false)])
  func binaryRowsAcrossFlushes(_ options: (samplesPerStep: Int?, constantRate: Double?), _ layout: (dimension: Int, writesX: Bool)) throws {
    let (samplesPerStep, constantRate) = options
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let d = layout.dimension
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
    defer { x.deallocate() }
    // A lent buffer that holds a few rows at a time, so most rows come after a flush.
    let lent = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4 * (5 + d) * (NumberText.maximumLength + 1))
    defer { lent.deallocate() }
    let path = directory + "/t.f64"
    var writer = try TrajectoryWriter(path: path, format: .binary, dimension: d, writesX: layout.writesX, samplesPerStep: samplesPerStep,
                                      constantRate: constantRate, buffer: lent)
    var expected: [[Double]] = []
    for step in 0..<1_000 {
      let values = (0..<d).map { i in [Double(step) * 0.5, -.pi / Double(step + 1), .ulpOfOne * Double(step)][i % 3] + Double(i) }
      _ = x.initialize(from: values)
      let rate = constantRate ?? (step % 3 == 0 ? .nan : 1 / Double(step + 1))
      writer.record(step: step, value: Double(step * step), gradientNorm: -Double(step), learningRate: rate, x: x)
      expected.append([Double(step), Double(step * step), -Double(step), rate] + (samplesPerStep.map { [Double(step * $0)] } ?? [])
        + (layout.writesX ? values : []))
    }
    try writer.finish()
    let read = try #require(Trajectory.read(path))
    #expect(read.columns == ["step", "f", "grad_norm", "lr"] + (samplesPerStep != nil ? ["samples_seen"] : [])
      + (layout.writesX ? (1...d).map { "x\($0)" } : []))
    #expect(read.rows.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) })
    let sidecar = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: path + ".json")!))
    #expect(sidecar.objectValue?["rows"]?.numberValue == 1_000)
    // A constant rate is in the sidecar, once, and not in the file: a column fewer a row.
    let stored = read.columns.filter { $0 != "lr" || constantRate == nil }
    #expect(sidecar.objectValue?["columns"]?.arrayValue?.compactMap(\.stringValue) == stored)
    #expect(sidecar.objectValue?["constants"]?.objectValue?["lr"]?.numberValue == constantRate)
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 1_000 * 8 * stored.count)
  }

  /// Writes one row (step 0, f 1, ‖g‖ 3, x1 2) at the constant rate `rate` to `file` in a new directory,
  /// then hands the file's path to `check`.
  func oneRow(_ file: String, _ format: TrajectoryFormat, rate: Double, check: (String) throws -> Void) throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
    defer { x.deallocate() }
    x[0] = 2
    var writer = try TrajectoryWriter(path: directory + "/" + file, format: format, dimension: 1, writesX: true, constantRate: rate)
    writer.record(step: 0, value: 1, gradientNorm: 3, learningRate: rate, x: x)
    try writer.finish()
    try check(directory + "/" + file)
  }

  @Test("a binary file reserves the disk its expected rows need and keeps none past the rows written, however many",
        arguments: [0, 1, 5_000, 12_000, 30_000])
  func reservedDisk(_ rows: Int) throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
    defer { x.deallocate() }
    let path = directory + "/t.f64"
    // 12,000 rows of 5 float64: 480,000 bytes reserved, over the threshold.
    var writer = try TrajectoryWriter(path: path, format: .binary, dimension: 2, writesX: true, constantRate: 0.1, expectedRows: 12_000)
    #expect(writer.reserved == 12_000 * 40 && writer.reserved >= TrajectoryWriter.reserveThreshold)
    for step in 0..<rows {
      x[0] = Double(step); x[1] = 1 / Double(step + 1)
      writer.record(step: step, value: Double(step), gradientNorm: 2, learningRate: 0.1, x: x)
    }
    try writer.finish()
    var status = stat()
    #expect(stat(path, &status) == 0)
    #expect(Int(status.st_size) == rows * 40)
    // What the file holds on disk, in 512-byte blocks: its rows rounded up to 4 KB blocks, nothing reserved past them.
    #expect(Int(status.st_blocks) * 512 <= (rows * 40 + 4095) / 4096 * 4096, "\(status.st_blocks) blocks for \(rows) rows")
    let read = try #require(Trajectory.read(path))
    #expect(read.rowCount == rows && (rows == 0 || read[row: rows - 1, column: 4] == Double(rows - 1)))
  }

  @Test("a CSV writer keeps the lr column with a constant rate: the CSV header is the public one")
  func csvKeepsConstantRate() throws {
    try oneRow("t.csv", .csv, rate: 0.5) { path in
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text == "step,f,grad_norm,lr,x1\n0,1.0,3.0,0.5,2.0\n", "\(text.debugDescription)")
    }
  }

  @Test("a binary writer keeps the lr column of a constant rate of -0.0, which the sidecar's JSON would give as 0")
  func negativeZeroRate() throws {
    try oneRow("t.f64", .binary, rate: -0.0) { path in
      let read = try #require(Trajectory.read(path))
      #expect(read.columns == ["step", "f", "grad_norm", "lr", "x1"])
      #expect(read.column("lr")?.map(\.bitPattern) == [(-0.0).bitPattern])
    }
  }

  @Test("a sidecar's text is the JSON writer's pretty-printed object, whatever the columns are called")
  func sidecarText() throws {
    let columnSets = [["step", "f", "grad_norm", "lr", "x1", "x2"], ["step", "f", "grad_norm", "lr", "samples_seen"],
                      ["step", "f", "grad_norm", "lr"] + (1...12).map { "x\($0)" }, ["a \"quoted\" name", "tab\there", "é", "back\\slash"]]
    for columns in columnSets {
      for (rows, rate) in [(0, nil), (1, 1e-3), (10_001, nil), (10_001, 0.1 + 0.2), (123_456_789, .leastNonzeroMagnitude), (7, 1)] as [(Int, Double?)] {
        var sidecar = JSONObject()
        sidecar["columns"] = .array(columns.map { .string($0) })
        sidecar["rows"] = .number(Double(rows))
        if let rate {
          var constants = JSONObject()
          constants["lr"] = .number(rate)
          sidecar["constants"] = .object(constants)
        }
        sidecar["dtype"] = .string("float64")
        sidecar["endian"] = .string("little")
        sidecar["gnuplot"] = .string("binary format='" + String(repeating: "%float64", count: columns.count) + "' endian=little")
        let text = TrajectoryWriter.sidecarText(columns: columns, rows: rows, constantRate: rate)
        #expect(text == JSONValue.object(sidecar).prettyPrinted())
        let parsed = try JSONParser.parse(Array(text.utf8))
        #expect(parsed.objectValue?["columns"]?.arrayValue?.compactMap(\.stringValue) == columns)
        #expect(parsed.objectValue?["constants"]?.objectValue?["lr"]?.numberValue?.bitPattern == rate?.bitPattern, "the rate round-trips")
      }
    }
  }

  @Test("temporary names sit beside the file and directory names are the path's, whatever the characters")
  func pathNames() {
    let pid = getpid()
    let cases: [(path: String, directory: String, temporary: String)] = [
      ("runs/a.csv", "runs", "runs/.a.csv.tmp-\(pid)"),
      ("a.csv", ".", ".a.csv.tmp-\(pid)"),
      ("/a.csv", "/", "/.a.csv.tmp-\(pid)"),
      ("Résultats/é/x=1.0__b.csv", "Résultats/é", "Résultats/é/.x=1.0__b.csv.tmp-\(pid)"),
      // A combining accent after the slash: the bytes' '/' is found, not a cluster that includes it.
      ("d/\u{301}x.csv", "d", "d/.\u{301}x.csv.tmp-\(pid)"),
    ]
    for c in cases {
      #expect(FileIO.directoryName(of: c.path) == c.directory, "\(c.path)")
      #expect(FileIO.temporaryName(for: c.path) == c.temporary, "\(c.path)")
    }
  }

  @Test("a stale temporary with this process's name does not stop trajectories or whole files being written")
  func staleTemporary() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
    defer { x.deallocate() }
    x[0] = 3
    let stale = ["t.csv", "s.txt"].map { FileIO.temporaryName(for: directory + "/" + $0) }
    for name in stale { #expect(FileManager.default.createFile(atPath: name, contents: Data("stale".utf8))) }
    var writer = try TrajectoryWriter(path: directory + "/t.csv", format: .csv, dimension: 1, writesX: true)
    writer.record(step: 0, value: 1, gradientNorm: 2, learningRate: 0.5, x: x)
    try writer.finish()
    try FileIO.writeAtomically(Array("fresh".utf8), to: directory + "/s.txt")
    #expect(try String(contentsOfFile: directory + "/t.csv", encoding: .utf8) == "step,f,grad_norm,lr,x1\n0,1.0,2.0,0.5,3.0\n")
    #expect(try String(contentsOfFile: directory + "/s.txt", encoding: .utf8) == "fresh")
    // Written by name, the stale temporaries were replaced; written unnamed, they are left to the results
    // directory's clean-up (`removeStaleTemporaries`), which a sweep runs first.
    let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
    #expect(left.isEmpty || left.count == 2)
  }

  @Test("a pending file appears, whole, only when committed, replaces what is there, and leaves nothing when discarded", arguments: [true, false])
  func pendingFile(unnamed: Bool) throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/a.csv"
    func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).sorted() }
    for (round, text) in ["first", "second, longer than the first"].enumerated() {
      let file = try PendingFile(path: path, unnamed: unnamed)
      // Unnamed on this file system (ext4 or tmpfs under /tmp), as in every results directory here.
      #expect((file.temporary == nil) == unnamed)
      try file.write(Array(text.utf8))
      let visible = try listing()
      if unnamed {
        #expect(visible == (round == 0 ? [] : ["a.csv"]))
      } else {
        #expect(visible == (round == 0 ? [".a.csv.tmp-\(getpid())"] : [".a.csv.tmp-\(getpid())", "a.csv"]))
      }
      if round == 1 {
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")  // not yet replaced
      }
      try file.commit()
      #expect(try listing() == ["a.csv"])
      #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
    let abandoned = try PendingFile(path: directory + "/b.csv", unnamed: unnamed)
    try abandoned.write(Array("never seen".utf8))
    abandoned.discard()
    #expect(try listing() == ["a.csv"])
  }

  @Test("where an unnamed file cannot be linked, its bytes are copied into place, over what is there or not")
  func pendingFileLinkRefused() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let text = String(repeating: "0123456789", count: 60_000)  // over the copy's 256 KB buffer
    for (k, existing) in [nil, "old"].enumerated() {
      let path = directory + "/f\(k).csv"
      if let existing { #expect(FileManager.default.createFile(atPath: path, contents: Data(existing.utf8))) }
      let file = try PendingFile(path: path)
      #expect(file.temporary == nil)
      try file.write(Array(text.utf8))
      try file.commit { _, _ in
        errno = EPERM
        return -1
      }
      #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["f0.csv", "f1.csv"])
  }

  @Test("files are read to their end, past what fstat says (procfs reports 0 bytes)")
  func readsToTheEnd() throws {
    let status = try #require(FileIO.read("/proc/self/status"))
    #expect(String(decoding: status, as: UTF8.self).contains("Pid:"))
  }

  @Test("a pending file is committed over a symbolic link planted at its name without writing through it")
  func pendingFileOverLink() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let target = directory + "/target"
    #expect(FileManager.default.createFile(atPath: target, contents: Data("untouched".utf8)))
    for (k, unnamed) in [true, false].enumerated() {
      let path = directory + "/link\(k)"
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
      let file = try PendingFile(path: path, unnamed: unnamed)
      try file.write(Array("mine".utf8))
      try file.commit()
      #expect(!FileIO.isSymlink(path))
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine")
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched")
  }
}

@Suite("Binary trajectories")
struct BinaryTrajectoryTests {
  @Test("binary trajectories hold exactly the CSV values, with a sidecar naming the columns")
  func binaryMatchesCSV() throws {
    let csvText = #"{"name": "b", "steps": 300, "seeds": 2, "functions": [{"name": "rosenbrock", "start": "random"}, {"name": "xcos"}], "optimizers": [{"name": "adam", "lr": 0.05}, {"name": "gd", "lr": 10}]}"#
    let binaryText = csvText.replacingOccurrences(of: #""steps": 300"#, with: #""steps": 300, "format": "binary""#)
    let csv = temporaryDirectory(), binary = temporaryDirectory()
    defer { [csv, binary].forEach(cleanUp) }
    let a = try runExperiment(try decodeExperiment(csvText), configText: csvText, into: csv)
    let b = try runExperiment(try decodeExperiment(binaryText), configText: binaryText, into: binary)
    #expect(zip(a.summaries, b.summaries).allSatisfy { $0.1.sameResult(as: $1.1) })
    for (run, _) in b.summaries {
      let fromCSV = try #require(Trajectory.read(csv + "/runs/\(run.id).csv"))
      let fromBinary = try #require(Trajectory.read(binary + "/runs/\(run.id).f64"))
      #expect(fromBinary.columns == fromCSV.columns)
      // Bit for bit, except that CSV writes every NaN as `nan` (binary keeps its sign and payload).
      func bits(_ t: Trajectory) -> [[UInt64]] { t.rows.map { $0.map { $0.isNaN ? 0x7FF8_0000_0000_0000 : $0.bitPattern } } }
      #expect(bits(fromBinary) == bits(fromCSV))
      let sidecar = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: binary + "/runs/\(run.id).f64.json")!))
      #expect(sidecar.objectValue?["rows"]?.numberValue == Double(fromCSV.rows.count))
      // Without a schedule the rate is the sidecar's, once: the file holds the other columns.
      let stored = fromCSV.columns.filter { $0 != "lr" }
      #expect(sidecar.objectValue?["columns"]?.arrayValue?.compactMap(\.stringValue) == stored)
      #expect(sidecar.objectValue?["constants"]?.objectValue?["lr"]?.numberValue == fromCSV.column("lr")?.first)
      #expect(sidecar.objectValue?["gnuplot"]?.stringValue == "binary format='\(String(repeating: "%float64", count: stored.count))' endian=little")
      #expect(try FileManager.default.attributesOfItem(atPath: binary + "/runs/\(run.id).f64")[.size] as? Int == fromCSV.rows.count * 8 * stored.count)
    }
    #expect(configProblems(csvText.replacingOccurrences(of: #""steps": 300"#, with: #""steps": 300, "format": "parquet""#))
            == [#"format: expected "csv", "binary" or "packed", got "parquet""#])
  }

  @Test("a binary trajectory of a scheduled rate keeps its lr column, and reads back as its CSV")
  func scheduledRateColumn() throws {
    let csvText = #"{"name": "s", "steps": 50, "functions": [{"name": "rosenbrock", "start": [0, 0]}], "optimizers": [{"name": "adam", "lr": 0.05, "schedule": {"name": "cosine", "t_max": 20}}]}"#
    let binaryText = csvText.replacingOccurrences(of: #""steps": 50"#, with: #""steps": 50, "format": "binary""#)
    let csv = temporaryDirectory(), binary = temporaryDirectory()
    defer { [csv, binary].forEach(cleanUp) }
    let a = try runExperiment(try decodeExperiment(csvText), configText: csvText, into: csv)
    _ = try runExperiment(try decodeExperiment(binaryText), configText: binaryText, into: binary)
    let id = a.summaries[0].0.id
    let fromCSV = try #require(Trajectory.read(csv + "/runs/\(id).csv"))
    let fromBinary = try #require(Trajectory.read(binary + "/runs/\(id).f64"))
    #expect(fromBinary.rows.map { $0.map(\.bitPattern) } == fromCSV.rows.map { $0.map(\.bitPattern) })
    #expect(Set(try #require(fromCSV.column("lr"))).count > 10, "the rate changes")
    let sidecar = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: binary + "/runs/\(id).f64.json")!))
    #expect(sidecar.objectValue?["columns"]?.arrayValue?.compactMap(\.stringValue) == ["step", "f", "grad_norm", "lr", "x1", "x2"])
    #expect(sidecar.objectValue?["constants"] == nil)
  }

  @Test("a column is inserted in place, every row moved whole, at any index, without moving the array when it has room",
        arguments: [(1, 0), (1, 1), (3, 0), (3, 3), (5, 3), (6, 2)], [0, 1, 7, 1_000])
  func insertColumn(_ shape: (width: Int, index: Int), _ rows: Int) {
    let (width, index) = shape
    let original = (0..<(rows * width)).map { Double($0) + 0.5 }
    var values = original
    values.reserveCapacity(original.count + rows)
    let base = values.withUnsafeBufferPointer(\.baseAddress)
    Trajectory.insertColumn(-.pi, at: index, into: &values, width: width)
    var expected: [Double] = []
    for r in 0..<rows {
      expected += original[(r * width)..<(r * width + index)] + [-.pi] + original[(r * width + index)..<((r + 1) * width)]
    }
    #expect(values == expected)
    if rows > 0 { #expect(values.withUnsafeBufferPointer(\.baseAddress) == base, "the room is used: one array, never two") }
  }

  @Test("a binary trajectory written before constant rates moved to the sidecar, with its lr column, still reads")
  func sidecarWithRateColumn() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
    defer { x.deallocate() }
    var writer = try TrajectoryWriter(path: directory + "/t.f64", format: .binary, dimension: 2, writesX: true)
    for step in 0..<3 {
      x[0] = Double(step); x[1] = -Double(step)
      writer.record(step: step, value: 1, gradientNorm: 2, learningRate: 0.5, x: x)
    }
    try writer.finish()
    let read = try #require(Trajectory.read(directory + "/t.f64"))
    #expect(read.columns == ["step", "f", "grad_norm", "lr", "x1", "x2"])
    #expect(read.rows == [[0, 1, 2, 0.5, 0, 0], [1, 1, 2, 0.5, 1, -1], [2, 1, 2, 0.5, 2, -2]])
    #expect(try FileManager.default.attributesOfItem(atPath: directory + "/t.f64")[.size] as? Int == 3 * 6 * 8)
  }

  @Test("a sweep's sidecars of the same text are one file linked under each run's name, each describing its own trajectory")
  func sharedSidecars() throws {
    // Runs that stop at different steps (gd on the quadratic from random starts) and two shapes of row
    // (xcos has one x column): several texts, most of them shared.
    let text = #"{"name": "links", "steps": 400, "seeds": 4, "format": "binary", "stop": {"grad_norm": 1e-6}, "functions": [{"name": "quadratic", "diag": [1, 2]}, {"name": "xcos"}, {"name": "rosenbrock", "start": [0, 0]}], "optimizers": [{"name": "gd", "lr": {"grid": [0.1, 0.3]}}, {"name": "adam", "lr": 1e-3}]}"#
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    // One worker: each text is written once and linked for every later run (with two, each worker may
    // write a text before the other has).
    let result = try runExperiment(try decodeExperiment(text), configText: text, into: directory, jobs: 1)
    var inodes: [String: Set<UInt64>] = [:], runs: [String: Int] = [:]
    for (run, _) in result.summaries {
      let path = directory + "/runs/\(run.id).f64"
      let trajectory = try #require(Trajectory.read(path))
      let sidecar = try String(contentsOfFile: path + ".json", encoding: .utf8)
      let rate = try #require(trajectory.column("lr")?.first)
      #expect(trajectory.column("lr")?.allSatisfy { $0 == rate } == true)
      #expect(sidecar == TrajectoryWriter.sidecarText(columns: trajectory.columns.filter { $0 != "lr" }, rows: trajectory.rows.count,
                                                      constantRate: rate), "\(run.id)")
      let attributes = try FileManager.default.attributesOfItem(atPath: path + ".json")
      inodes[sidecar, default: []].insert(try #require(attributes[.systemFileNumber] as? UInt64))
      runs[sidecar, default: 0] += 1
    }
    #expect(inodes.count >= 3, "runs of different lengths and shapes")
    #expect(inodes.count < result.summaries.count, "some runs share a text")
    #expect(inodes.values.allSatisfy { $0.count == 1 }, "one file per text")
    for (sidecar, files) in inodes {
      let any = try #require(result.summaries.first { (try? String(contentsOfFile: directory + "/runs/\($0.0.id).f64.json", encoding: .utf8)) == sidecar })
      let links = try FileManager.default.attributesOfItem(atPath: directory + "/runs/\(any.0.id).f64.json")[.referenceCount] as? Int
      #expect(links == runs[sidecar], "\(files): a link for every run of the text")
    }
  }

  @Test("a sidecar that cannot be linked is written: links refused, a file in the way, the source removed")
  func sidecarLinkFallbacks() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let text = TrajectoryWriter.sidecarText(columns: ["step", "f", "grad_norm", "lr"], rows: 3)
    func inode(_ name: String) throws -> UInt64 {
      try #require(try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.systemFileNumber] as? UInt64)
    }
    func contents(_ name: String) throws -> String { try String(contentsOfFile: directory + "/" + name, encoding: .utf8) }

    // A file system without hard links: every sidecar is written, and each is whole.
    let refused = SidecarLinks()
    for name in ["a", "b", "c"] {
      try refused.place(text, at: directory + "/" + name, link: { _, _ in errno = EPERM; return -1 })
      #expect(try contents(name) == text)
    }
    #expect(Set(try ["a", "b", "c"].map(inode)).count == 3)

    let links = SidecarLinks()
    try links.place(text, at: directory + "/first")
    try links.place(text, at: directory + "/second")
    #expect(try inode("first") == inode("second"))
    // A stale sidecar in the way (an interrupted run's, of other rows) is replaced by this one's text.
    try "stale".write(toFile: directory + "/third", atomically: false, encoding: .utf8)
    try links.place(text, at: directory + "/third")
    #expect(try contents("third") == text)
    #expect(try contents("first") == text, "the source is not written through")
    // The source removed: the next sidecar is written and becomes the source of those after it.
    try FileManager.default.removeItem(atPath: directory + "/first")
    try FileManager.default.removeItem(atPath: directory + "/third")
    try links.place(text, at: directory + "/fourth")
    #expect(try contents("fourth") == text)
    try links.place(text, at: directory + "/fifth")
    #expect(try inode("fourth") == inode("fifth"))
    // Another text is never linked from this one's file.
    let other = TrajectoryWriter.sidecarText(columns: ["step", "f", "grad_norm", "lr"], rows: 4)
    try links.place(other, at: directory + "/sixth")
    #expect(try contents("sixth") == other)
    #expect(try inode("sixth") != inode("fifth"))

    // Past its capacity, a new text is written each time; the texts kept are still linked.
    let small = SidecarLinks(capacity: 1)
    try small.place(text, at: directory + "/kept-1")
    try small.place(other, at: directory + "/new-1")
    try small.place(other, at: directory + "/new-2")
    try small.place(text, at: directory + "/kept-2")
    #expect(try contents("new-2") == other)
    #expect(try inode("new-1") != inode("new-2"))
    #expect(try inode("kept-1") == inode("kept-2"))
  }

  @Test("a sidecar that does not describe its file is unreadable, not a crash", arguments: [
    #""rows": 1e300"#, #""rows": -1"#, #""rows": 2.5"#, #""rows": 4611686018427387904"#, #""rows": "3""#, #""rows": 2"#,
    #""columns": ["step", "f", "grad_norm", "lr", 5, "x1"]"#, #""columns": ["a", "b", "c", "d", "e", "f"]"#, #""columns": []"#,
    #""columns": ["step", "f", "grad_norm", "lr", "x1", "x2"]"#, #""lr": "0.001""#, #""lr": null"#, #""lr": {"value": 0.001}"#,
  ])
  func hostileSidecar(_ replacement: String) throws {
    let text = #"{"name": "h", "steps": 2, "format": "binary", "functions": [{"name": "rosenbrock", "start": [0, 0]}], "optimizers": [{"name": "gd"}]}"#
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let result = try runExperiment(try decodeExperiment(text), configText: text, into: directory)
    let path = directory + "/runs/\(result.summaries[0].0.id).f64"
    #expect(Trajectory.read(path)?.rows.count == 3, "the file as written reads back")
    let sidecar = try String(contentsOfFile: path + ".json", encoding: .utf8)
    let key = replacement.prefix { $0 != ":" }
    let line = try #require(sidecar.split(separator: "\n").first { $0.contains(key) })
    try sidecar.replacingOccurrences(of: line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: [","]), with: replacement)
      .write(toFile: path + ".json", atomically: true, encoding: .utf8)
    #expect(try String(contentsOfFile: path + ".json", encoding: .utf8).contains(replacement), "the sidecar was edited")
    #expect(Trajectory.read(path) == nil)
  }
}

@Suite("Run summaries")
struct RunSummaryTests {
  @Test("comparing results ignores timing, and works with any number of targets")
  func sameResult() {
    let a = RunSummary(runID: "r", function: "f", optimizer: "o", label: "o", seed: 0, steps: 10, status: .maxSteps,
                       finalF: .nan, bestF: 1, fStar: 0, finalGradNorm: 2, distanceToMinimizer: nil, minimum: "none",
                       stepsToTarget: [3, nil, 7], wallSeconds: 0.5)
    var b = a
    b.wallSeconds = 9
    #expect(a.sameResult(as: b))
    b.stepsToTarget[1] = 8
    #expect(!a.sameResult(as: b))
    #expect(a.description.contains(#""steps_to_target":{"1e0":3,"2.0":null,"3.0":7}"#))
  }

  @Test("summary tables spell every cell as csvCell and JSONValue do, in chunks or not")
  func summaryRendering() throws {
    let experiment = try decodeExperiment(#"""
    {"name": "table", "steps": 5, "seeds": 300, "targets": [1e-3, 0.5],
     "functions": [{"name": "quadratic", "diag": [1, 2]}, {"name": "quadratic", "diag": [0.5, 3], "label": "narrow"}],
     "optimizers": [{"name": "sgd", "lr": 0.1}, {"name": "adam", "lr": 0.001, "betas": [0.8, 0.9]}]}
    """#)
    let values: [Double] = [-3, 0.5, -1e-300, 1e20, 123_456_789_012_345, 1e15, -0.0, .leastNonzeroMagnitude, .nan, .infinity, -.infinity, 7]
    let rows = experiment.plannedRuns().enumerated().map { k, run in
      (run, RunSummary(
        runID: run.id, function: "f", optimizer: k % 7 == 0 ? "a,\"b\"" : "o", label: "l", seed: run.seed, steps: k,
        status: .maxSteps, finalF: values[k % values.count], bestF: values[(k + 3) % values.count],
        fStar: k % 5 == 0 ? nil : -2.5, finalGradNorm: values[(k + 5) % values.count],
        distanceToMinimizer: k % 3 == 0 ? nil : 1e-7, minimum: "none", stepsToTarget: [k % 4 == 0 ? nil : k, -k],
        wallSeconds: Double(k) * 1e-6))
    }
    #expect(rows.count == 1200)
    let table = SummaryTable(experiment)
    var csv = table.header.joined(separator: ",") + "\n"
    var json = "[\n"
    for (i, (run, summary)) in rows.enumerated() {
      let cells = table.cells(run, summary)
      csv += cells.map(SummaryTable.csvCell).joined(separator: ",") + "\n"
      var object = JSONObject()
      for (name, cell) in zip(table.header, cells) { object[name] = cell }
      json += "  " + JSONValue.object(object).serialized() + (i + 1 < rows.count ? ",\n" : "\n")
    }
    json += "]\n"
    for count in [1, 7, 1200] {
      let rendered = table.render(Array(rows.prefix(count)))
      #expect(String(decoding: rendered.csv, as: UTF8.self)
        == csv.split(separator: "\n", omittingEmptySubsequences: false).prefix(count + 1).joined(separator: "\n") + "\n")
      if count == 1200 { #expect(String(decoding: rendered.json, as: UTF8.self) == json) }
      #expect(throws: Never.self) { try JSONParser.parse(rendered.json) }
    }
    // Rows rendered where their runs finished (every third one here, as after a resume) give the same text.
    let some = rows.enumerated().map { k, row in k % 3 == 0 ? nil : table.row(row.0, row.1) }
    let mixed = table.render(rows, rendered: some)
    #expect(String(decoding: mixed.csv, as: UTF8.self) == csv)
    #expect(String(decoding: mixed.json, as: UTF8.self) == json)
    #expect(table.render([]).json == Array("[\n]\n".utf8))
    // A structured cell with quotes inside: the CSV field made from its JSON doubles them, as csvCell does.
    let tricky = JSONValue.array([.string(#"a"b,c"#), .number(1.5), .object(JSONObject(["k": .string("\"")]))])
    var text = ByteText(capacity: 0)
    tricky.write(to: &text)
    var field = ByteText(capacity: 0)
    field.append(csvQuoted: text.bytes[...])
    #expect(String(decoding: field.bytes, as: UTF8.self) == SummaryTable.csvCell(tricky))
    // What `write` puts on disk is what `render` gives.
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let results = try ResultsDirectory.prepare(directory + "/r", for: experiment, mode: .fresh)
    try table.write(rows, rendered: some, to: results)
    #expect(try String(contentsOfFile: results.file("summary.csv"), encoding: .utf8) == csv)
    #expect(try String(contentsOfFile: results.file("summary.json"), encoding: .utf8) == json)
  }

  @Test("JSON written as bytes is the text written as a String, numbers and escapes included")
  func jsonAsBytes() {
    let value = JSONValue.object(JSONObject([
      "numbers": .array([.number(.nan), .number(.infinity), .number(-0.0), .number(-7), .number(1e15), .number(0.1),
                         .number(-2.2250738585072014e-308), .number(123_456_789_012_345)]),
      "text": .array([.string("plain"), .string("quote \" and \\"), .string("line\nbreak\ttab\u{1}"), .string("é ∇f")]),
      "nested": .object(JSONObject(["null": .null, "flag": .bool(true), "empty": .array([])])),
    ]))
    var text = ""
    value.write(to: &text)
    var bytes = ByteText(capacity: 0)
    value.write(to: &bytes)
    #expect(String(decoding: bytes.bytes, as: UTF8.self) == text)
    #expect(text == value.serialized())
    #expect(text.contains(#"[null,null,-0.0,-7,1000000000000000.0,0.1,-2.2250738585072014e-308,123456789012345]"#))
  }

  @Test("manifest timestamps are the text of Foundation's ISO 8601 format style, milliseconds truncated")
  func manifestTimestamps() {
    var rng = SplitMix64(seed: 8)
    let now = Date().timeIntervalSince1970
    let instants = [0, 951_782_400.999_9, 4_102_444_799.5, now] + (0..<20_000).map { k in
      k % 2 == 0 ? rng.uniform(0, 4_102_444_800) : now + Double(k) * 0.000_37
    }
    for seconds in instants {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(Manifest.timestamp(date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
              "at \(seconds)")
    }
  }

  @Test("the manifest's git commit is the checkout's HEAD, read without running git")
  func manifestGitCommit() throws {
    let commit = Manifest.currentGitCommit()
    guard FileManager.default.fileExists(atPath: ".git/HEAD") else {
      #expect(commit == nil)
      return
    }
    let hex = try #require(commit)
    #expect(hex.count == 40 && hex.allSatisfy(\.isHexDigit), "\(hex)")
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/git") else { return }
    let git = Process()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    git.arguments = ["rev-parse", "HEAD"]
    let pipe = Pipe()
    git.standardOutput = pipe
    try git.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    git.waitUntilExit()
    #expect(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == hex)
  }

  @Test("the journal's direct writer spells a record exactly as its JSON value does, and it reads back")
  func journalRecordText() throws {
    let cases: [(RunSummary, [Double])] = [
      (RunSummary(runID: "r\"1", function: "f", optimizer: "o", label: "l", seed: 3, steps: 10, status: .diverged,
                  finalF: .nan, bestF: -.infinity, fStar: nil, finalGradNorm: .infinity, distanceToMinimizer: nil, minimum: "none",
                  stepsToTarget: [3, nil, 7], wallSeconds: 0.5), [1, 2, 3]),
      (RunSummary(runID: "r", function: "f", optimizer: "o", label: "l", seed: 2, steps: 10, status: .diverged,
                  finalF: 1, bestF: 2, fStar: 0, finalGradNorm: 1, distanceToMinimizer: nil, minimum: "none",
                  stepsToTarget: [nil], wallSeconds: 0.5, divergedAt: 4), [1]),
      (RunSummary(runID: "r", function: "f", optimizer: "o", label: "l", seed: 0, steps: 10_000, status: .converged,
                  finalF: 1e-300, bestF: 0.1, fStar: 0, finalGradNorm: 2.5e-9, distanceToMinimizer: 1e-3, minimum: "local:1",
                  stepsToTarget: [], samplesSeen: 320, wallSeconds: 1e-6), []),
      (RunSummary(runID: "r", function: "f", optimizer: "o", label: "l", seed: 1, steps: 1, status: .maxSteps,
                  finalF: 1, bestF: 1, fStar: 1, finalGradNorm: 0, distanceToMinimizer: 0, minimum: "global",
                  stepsToTarget: [nil], wallSeconds: 0), [1e-8]),
    ]
    for (summary, targets) in cases {
      var text = ""
      summary.writeRecord(targets: targets, to: &text)
      #expect(text == summary.json(targets: targets).serialized())
      let back = try #require(RunSummary(json: try JSONParser.parse(Array(text.utf8)), targets: targets))
      #expect(back.sameResult(as: summary))
      #expect(back.divergedAt == summary.divergedAt)
    }
    // diverged_at is a diverged run's, within its steps; a record without it (written before it was kept) reads.
    let record = #"{"run_id":"r","function":"f","optimizer":"o","label":"l","seed":2,"steps":10,"status":"STATUS","diverged_at":AT,"final_f":1,"best_f":2,"f_star":0,"final_grad_norm":1,"distance_to_minimizer":null,"minimum":"none","steps_to_target":{},"wall_seconds":0.5}"#
    func read(_ status: String, _ at: String) -> RunSummary? {
      let text = record.replacingOccurrences(of: "STATUS", with: status).replacingOccurrences(of: "AT", with: at)
      return (try? JSONParser.parse(text)).flatMap { RunSummary(json: $0, targets: []) }
    }
    #expect(read("diverged", "10")?.divergedAt == 10)
    #expect(read("diverged", "11") == nil && read("diverged", "-1") == nil && read("diverged", "2.5") == nil && read("diverged", "\"3\"") == nil)
    #expect(read("max_steps", "3") == nil, "only a diverged run diverged")
    let older = record.replacingOccurrences(of: #""diverged_at":AT,"#, with: "").replacingOccurrences(of: "STATUS", with: "diverged")
    let old = try #require(RunSummary(json: try JSONParser.parse(older), targets: []))
    #expect(old.status == .diverged && old.divergedAt == nil)
  }
}
