import Foundation
import Testing
@testable import DescentCore

/// Reading results back costs what the journal holds, not what `config.json` plans.
@Suite("Reading results back")
struct ReadBackTests {
  /// Labels that begin and end with `_`, so that a run id's `__` separators are ambiguous to a naive split.
  static let underscoreConfig = """
    {
      "name": "underscores",
      "steps": 5,
      "seeds": [0, 7, 3],
      "record": "none",
      "functions": [
        {"name": "quadratic", "label": "bowl_", "diag": [1, 2], "start": [1, 1]},
        {"name": "quadratic", "label": "_bowl", "diag": [1, 3], "start": [1, 1]},
        {"name": "xcos", "label": "x_", "start": [0.5]}
      ],
      "optimizers": [
        {"name": "gd", "label": "_gd_", "lr": {"grid": [0.01, 0.1]}},
        {"name": "adam", "label": "a_", "lr": 0.01}
      ]
    }
    """

  @Test("run(at:) is the canonical order, and every planned id leads back to its run")
  func lookup() throws {
    let e = try decodeExperiment(Self.underscoreConfig)
    let planned = e.plannedRuns()
    #expect(planned.count == 27)
    #expect(planned.map(\.index) == Array(0..<27))
    #expect(planned[0].id == "bowl____gd_-lr=0.01__seed=0")
    #expect(planned[4].id == "bowl____gd_-lr=0.1__seed=7")
    let lookup = e.runLookup
    for run in planned {
      #expect(e.run(at: run.index) == run)
      #expect(lookup.run(id: run.id, seed: run.seed) == run, "\(run.id)")
    }
    #expect(Set(planned.map(\.id)).count == planned.count)
    // Ids of no planned run, or with another seed than the record's, lead nowhere.
    #expect(lookup.run(id: "bowl____gd_-lr=0.01__seed=0", seed: 7) == nil)
    #expect(lookup.run(id: "bowl___gd_-lr=0.01__seed=0", seed: 0) == nil)  // one "_" short: "bowl" + "_gd_" or "bowl_" + "gd_"
    #expect(lookup.run(id: "bowl__adam__seed=0", seed: 0) == nil)
    #expect(lookup.run(id: "x___gd_-lr=0.01", seed: 0) == nil)
    #expect(lookup.run(id: "", seed: 0) == nil)
  }

  @Test("an id of a million underscores is looked up in one pass and leads nowhere; a long planned id leads home")
  func longIDs() throws {
    let e = try decodeExperiment(Self.underscoreConfig)
    let lookup = e.runLookup
    // Trying every "__" as the place the labels meet cost the id's length squared: minutes for this one.
    #expect(lookup.run(id: String(repeating: "_", count: 1_000_000) + "__seed=0", seed: 0) == nil)
    #expect(lookup.run(id: "bowl_" + String(repeating: "_", count: 1_000_000) + "gd_-lr=0.01__seed=0", seed: 0) == nil)
    let long = String(repeating: "a", count: 99)
    let wide = try decodeExperiment(Self.underscoreConfig.replacingOccurrences(of: "\"label\": \"a_\"", with: "\"label\": \"_\(long)\""))
    let run = try #require(wide.plannedRuns().last)
    #expect(run.id == "x____\(long)__seed=3")
    #expect(wide.runLookup.run(id: run.id, seed: 3) == run)
  }

  @Test("a config.json that claims 10^8 runs is read back by its journal: complete and missing runs counted, the first missing named")
  func hugeClaim() throws {
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let config = """
      {"name": "claim", "steps": 5, "seeds": 3, "record": "none",
       "functions": [{"name": "rosenbrock", "start": [0, 0]}],
       "optimizers": [{"name": "sgd", "lr": {"grid": [0.001, 0.002]}}]}
      """
    try runExperiment(try decodeExperiment(config), configText: config, into: tmp)
    // The same first settings, then 100,000 more learning rates and 999 seeds: 99,901,998 runs, 6 of them
    // done, just under what is read back at all. Listing the planned runs would take some 15 GB and minutes.
    let claim = config.replacingOccurrences(of: "\"seeds\": 3", with: "\"seeds\": 999")
      .replacingOccurrences(of: "{\"grid\": [0.001, 0.002]}", with: "{\"grid\": [0.001, 0.002]}}, {\"name\": \"sgd\", \"label\": \"more\", \"lr\": {\"logspace\": [-5, 0, 100000]}")
    try Data(claim.utf8).write(to: URL(fileURLWithPath: tmp + "/config.json"))
    // As a run of that config would have left it: its manifest names the same config.
    let claimed = try Experiment.decode(Array(claim.utf8), file: "claim.json", runCap: nil)
    try Manifest(name: "claim", configHash: claimed.configHash, started: Date(), jobs: 1, runCount: claimed.runCount,
                 runsHere: claimed.runCount, shard: nil, status: "interrupted").write(to: ResultsDirectory(path: tmp))
    let loaded = try LoadedResults.load(tmp)
    #expect(loaded.experiment.runCount == 100_002 * 999)
    #expect(loaded.experiment.runCount <= Experiment.maximumRunsReadBack)
    #expect(loaded.runs.map(\.0.id) == [0.001, 0.002].flatMap { lr in (0..<3).map { "rosenbrock__sgd-lr=\(lr)__seed=\($0)" } })
    #expect(loaded.runs.map(\.0.index) == [0, 1, 2, 999, 1000, 1001])
    #expect(loaded.missingCount == 100_002 * 999 - 6)
    #expect(loaded.missingRuns(limit: 2).map(\.id) == ["rosenbrock__sgd-lr=0.001__seed=3", "rosenbrock__sgd-lr=0.001__seed=4"])
    #expect(loaded.missingRuns(limit: 300).last?.index == 302)
    #expect(loaded.missingRuns(limit: 997).last?.index == 1002)
  }

  @Test("missingRuns lists exactly the planned runs not complete, in canonical order")
  func missingRuns() throws {
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let e = try decodeExperiment(Self.underscoreConfig)
    let partial = try runExperiment(e, configText: Self.underscoreConfig, into: tmp, jobs: 1, cancelAfter: 5)
    #expect(!partial.complete)
    let loaded = try LoadedResults.load(tmp)
    let done = Set(loaded.runs.map(\.0.index))
    #expect(loaded.missingRuns().map(\.index) == (0..<27).filter { !done.contains($0) })
    #expect(loaded.missingCount == 27 - done.count)
    #expect(loaded.runs.map(\.0.index) == done.sorted())
  }
}
