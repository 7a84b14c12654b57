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

  @Test("a config.json that claims 3·10^7 runs is read back by its journal: complete and missing runs counted, the first missing named")
  func hugeClaim() throws {
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let config = """
      {"name": "claim", "steps": 5, "seeds": 3, "record": "none",
       "functions": [{"name": "rosenbrock", "start": [0, 0]}],
       "optimizers": [{"name": "sgd", "lr": {"grid": [0.001, 0.002]}}]}
      """
    try runExperiment(try decodeExperiment(config), configText: config, into: tmp)
    // The same first settings, then 100,000 more learning rates and 300 seeds: 3·10^7 runs, 6 of them done.
    let claim = config.replacingOccurrences(of: "\"seeds\": 3", with: "\"seeds\": 300")
      .replacingOccurrences(of: "{\"grid\": [0.001, 0.002]}", with: "{\"grid\": [0.001, 0.002]}}, {\"name\": \"sgd\", \"label\": \"more\", \"lr\": {\"logspace\": [-5, 0, 100000]}")
    try Data(claim.utf8).write(to: URL(fileURLWithPath: tmp + "/config.json"))
    let loaded = try LoadedResults.load(tmp)
    #expect(loaded.experiment.runCount == 30_000_000 + 600)
    #expect(loaded.runs.map(\.0.id) == [0.001, 0.002].flatMap { lr in (0..<3).map { "rosenbrock__sgd-lr=\(lr)__seed=\($0)" } })
    #expect(loaded.runs.map(\.0.index) == [0, 1, 2, 300, 301, 302])
    #expect(loaded.missingCount == 30_000_600 - 6)
    #expect(loaded.missingRuns(limit: 2).map(\.id) == ["rosenbrock__sgd-lr=0.001__seed=3", "rosenbrock__sgd-lr=0.001__seed=4"])
    #expect(loaded.missingRuns(limit: 300).last?.index == 305)
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
