import Foundation
import Testing
@testable import DescentCore

/// `descent report`'s numbers, worked out by hand from made-up run records.
@Suite("Settings report: aRT, runs that reached each target, ranking")
struct SettingsReportTests {
  /// Results of `config` whose run `index` has the record `records[index]` (steps, status, final f, steps to each
  /// target); runs without a record are missing.
  static func results(_ config: String, _ records: [Int: (steps: Int, status: RunStatus, finalF: Double, reached: [Int?])]) throws -> LoadedResults {
    let experiment = try decodeExperiment(config)
    let runs = records.keys.sorted().map { index -> (RunSpec, RunSummary) in
      let spec = experiment.run(at: index), r = records[index]!
      let variant = experiment.functions[spec.function]
      return (spec, RunSummary(
        runID: spec.id, function: variant.name, optimizer: experiment.optimizers[spec.optimizer].name,
        label: experiment.optimizers[spec.optimizer].entryLabel, seed: spec.seed, steps: r.steps, status: r.status,
        finalF: r.finalF, bestF: r.finalF, fStar: variant.objective.minima.value, finalGradNorm: 0, distanceToMinimizer: nil,
        minimum: "none", stepsToTarget: r.reached, wallSeconds: 0, divergedAt: r.status == .diverged ? r.steps : nil))
    }
    return LoadedResults(directory: ResultsDirectory(path: "/nonexistent"), experiment: experiment, runs: runs)
  }

  static let config = """
    {"name": "r", "steps": 50, "seeds": 4, "targets": [1e-2, 1e-4],
     "functions": [{"name": "quadratic", "diag": [1], "start": [1]}],
     "optimizers": [{"name": "gd", "lr": {"grid": [0.1, 0.5]}}, {"name": "adam", "lr": 0.1}]}
    """

  @Test("aRT is the steps all runs spent per run that reached the target; failures count their whole run")
  func averageRunningTime() throws {
    let report = SettingsReport(try Self.results(Self.config, [
      // gd-lr=0.1: 1e-2 reached by three runs (at 3, 5, 4), 1e-4 by two (at 10, 8); one run used every step.
      0: (20, .converged, 1e-9, [3, 10]), 1: (30, .converged, 1e-3, [5, nil]), 2: (50, .maxSteps, 0.5, [nil, nil]),
      3: (20, .converged, 1e-9, [4, 8]),
      // gd-lr=0.5: every run reaches both, at 2 and 6 steps, and stops at 7.
      4: (7, .converged, 1e-10, [2, 6]), 5: (7, .converged, 1e-10, [2, 6]), 6: (7, .converged, 1e-10, [2, 6]), 7: (7, .converged, 1e-10, [2, 6]),
      // adam: two diverge at step 1 (halted), two never reach 1e-4.
      8: (1, .diverged, 1e20, [nil, nil]), 9: (1, .diverged, .infinity, [nil, nil]), 10: (50, .maxSteps, 5e-3, [40, nil]),
      11: (50, .maxSteps, 5e-3, [30, nil]),
    ]))
    let section = try #require(report.sections.first)
    #expect(report.sections.count == 1 && section.fStar == 0)
    #expect(section.rows.map(\.label) == ["gd-lr=0.5", "gd-lr=0.1", "adam"])
    let (fast, slow, adam) = (section.rows[0], section.rows[1], section.rows[2])
    #expect(fast.solved == [4, 4] && fast.averageRunningTime == [2, 6])
    #expect(slow.solved == [3, 2])
    let slowTimes: [Double?] = [62.0 / 3, 98.0 / 2]  // (3 + 5 + 50 + 4) / 3 and (10 + 30 + 50 + 8) / 2
    #expect(slow.averageRunningTime == slowTimes)
    #expect(adam.solved == [2, 0] && adam.diverged == 2)
    #expect(adam.averageRunningTime[0] == 72.0 / 2 && adam.averageRunningTime[1] == nil)  // (1 + 1 + 40 + 30) / 2
    // Medians over four runs: the mean of the middle two; a diverged run counts as +∞.
    #expect(slow.medianFinal == (1e-9 + 1e-3) / 2)
    #expect(adam.medianFinal == .infinity)
    #expect(fast.medianFinal == 1e-10)
  }

  @Test("ties on every aRT are broken by median final f - f*, then config order; a setting without runs is left out")
  func ranking() throws {
    let report = SettingsReport(try Self.results(Self.config, [
      // No setting reaches any target: the median final value ranks them; gd-lr=0.1 and adam tie on it too.
      0: (50, .maxSteps, 0.5, [nil, nil]), 1: (50, .maxSteps, 0.5, [nil, nil]),
      4: (50, .maxSteps, 0.25, [nil, nil]),
      8: (50, .maxSteps, 0.5, [nil, nil]),
    ]))
    let section = try #require(report.sections.first)
    #expect(section.rows.map(\.label) == ["gd-lr=0.5", "gd-lr=0.1", "adam"])
    #expect(section.rows.map(\.runs) == [1, 2, 1])
    #expect(report.completed == 4 && report.planned == 12)
    #expect(report.text.hasPrefix("r: 4 of 12 runs (8 not complete, left out)\n"))
    #expect(report.text.contains("3 settings, 1 to 2 runs each\n"))
    // A setting without a completed run is counted in the heading, not listed.
    let two = SettingsReport(try Self.results(Self.config, [0: (50, .maxSteps, 0.5, [nil, nil]), 4: (50, .maxSteps, 0.25, [nil, nil])]))
    #expect(two.text.contains("quadratic (f* = 0): 2 settings, 1 run each; 1 other setting without a completed run, not listed\n"))
    #expect(two.json.objectValue?["functions"]?.arrayValue?.first?.objectValue?["settings_without_runs"] == .number(1))
  }

  @Test("a shard's report counts its own runs; the other shards' are not missing")
  func shard() throws {
    var results = try Self.results(Self.config, [:])
    let shard = try #require(Shard("2/3"))
    results.shard = shard
    let assignment = results.experiment.shardAssignment(shards: 3)
    let mine = assignment.indices.filter { assignment[$0] == 1 }
    #expect(results.plannedHere == mine.count && mine.count == 4)
    results.runs = mine.dropFirst().map { index in
      let spec = results.experiment.run(at: index)
      return (spec, RunSummary(runID: spec.id, function: "quadratic", optimizer: "gd", label: "gd", seed: spec.seed, steps: 5, status: .converged,
                               finalF: 0, bestF: 0, fStar: 0, finalGradNorm: 0, distanceToMinimizer: 0, minimum: "global",
                               stepsToTarget: [1, 2], wallSeconds: 0))
    }
    let report = SettingsReport(results)
    #expect(report.text.hasPrefix("r, shard 2/3: 3 of its 4 runs (1 not complete, left out); the sweep's other 8 are the other shards'\n"), "\(report.text)")
    #expect(report.json.objectValue?["shard"] == .string("2/3") && report.json.objectValue?["planned_runs_here"] == .number(4))
    // The first missing run here is the shard's own, and a run of another shard is said to be that shard's.
    #expect(results.firstMissingHere.hasPrefix("first: \(results.experiment.run(at: mine[0]).id) ("))
    let other = try #require(assignment.indices.first { assignment[$0] == 0 })
    #expect(results.whyMissing(results.experiment.run(at: other)) == "it is shard 1/3's, and this directory holds shard 2/3: merge the shards for the whole sweep")
  }

  @Test("a setting's hardest target decides first, whatever order the config lists the targets in")
  func hardestTargetFirst() throws {
    let config = Self.config.replacingOccurrences(of: "[1e-2, 1e-4]", with: "[1e-4, 1e-2]")
    let report = SettingsReport(try Self.results(config, [
      // gd-lr=0.1 is faster to 1e-2, gd-lr=0.5 to 1e-4 (listed first here: its steps come first).
      0: (10, .converged, 0, [9, 2]),
      4: (10, .converged, 0, [8, 5]),
    ]))
    #expect(report.sections[0].rows.map(\.label) == ["gd-lr=0.5", "gd-lr=0.1"])
    #expect(report.text.contains("aRT to 1e-4  aRT to 1e-2"))
  }

  @Test("the table: columns aligned, hardest target first, ∞ where no run reached a target")
  func table() throws {
    let report = SettingsReport(try Self.results(Self.config, [
      0: (20, .converged, 1e-9, [3, 10]), 1: (30, .converged, 1e-3, [5, nil]),
      4: (7, .converged, 1e-10, [2, 6]), 5: (7, .converged, 1e-10, [2, 6]),
      8: (1, .diverged, 1e20, [nil, nil]), 9: (1, .diverged, 1e20, [nil, nil]),
    ]))
    #expect(report.text == """
      r: 6 of 12 runs (6 not complete, left out)
      aRT: steps spent by all runs per run that reached the target (COCO's average running time; ∞: none did); (k/n): k of n runs reached it.
      Settings are ranked by aRT on the smallest target first, then by median final f - f*.

      quadratic (f* = 0): 3 settings, 2 runs each
        #  setting    runs  diverged  aRT to 1e-4  aRT to 1e-2  median final f-f*
        1  gd-lr=0.5     2         0      6 (2/2)      2 (2/2)              1e-10
        2  gd-lr=0.1     2         0     40 (1/2)      4 (2/2)             0.0005
        3  adam          2         2      ∞ (0/2)      ∞ (0/2)                  ∞

      """)
  }

  @Test("Markdown: a heading per function setting and a table under it, numbers right-aligned")
  func markdown() throws {
    let report = SettingsReport(try Self.results(Self.config, [
      0: (20, .converged, 1e-9, [3, 10]), 4: (7, .converged, 1e-10, [2, 6]),
    ]))
    #expect(report.markdown == """
      ## r: 2 of 12 runs (10 not complete, left out)

      aRT: steps spent by all runs per run that reached the target (COCO's average running time; ∞: none did); (k/n): k of n runs reached it.
      Settings are ranked by aRT on the smallest target first, then by median final f - f\\*.

      ### quadratic (f\\* = 0): 2 settings, 1 run each; 1 other setting without a completed run, not listed

      | \\# | setting | runs | diverged | aRT to 1e-4 | aRT to 1e-2 | median final f-f\\* |
      | ---: | --- | ---: | ---: | ---: | ---: | ---: |
      | 1 | gd-lr=0.5 | 1 | 0 | 6 (1/1) | 2 (1/1) | 1e-10 |
      | 2 | gd-lr=0.1 | 1 | 0 | 10 (1/1) | 3 (1/1) | 1e-09 |

      """)
  }

  @Test("where f* is unknown, no target columns: the median final f ranks the settings")
  func unknownMinimum() throws {
    let config = """
      {"name": "s", "steps": 50, "seeds": 1, "functions": [{"name": "saddle", "start": [0.5, 0.5]}],
       "optimizers": [{"name": "gd", "lr": {"grid": [0.1, 0.5]}}]}
      """
    let report = SettingsReport(try Self.results(config, [0: (50, .maxSteps, -3, []), 1: (50, .maxSteps, -40, [])]))
    #expect(report.sections[0].fStar == nil)
    #expect(report.sections[0].rows.map(\.label) == ["gd-lr=0.5", "gd-lr=0.1"])
    #expect(report.text.contains("The config sets no targets: settings are ranked by median final f - f* (f where f* is unknown).\n"))
    // With targets, but no f* to reach them by: the same ranking, said as such.
    let withTargets = SettingsReport(try Self.results(config.replacingOccurrences(of: #""seeds": 1,"#, with: #""seeds": 1, "targets": [0.1],"#),
                                                      [0: (50, .maxSteps, -3, [nil]), 1: (50, .maxSteps, -40, [nil])]))
    #expect(withTargets.text.contains("\nNo function here has a known f*: settings are ranked by median final f - f* (f where f* is unknown).\n"), "\(withTargets.text)")
    #expect(report.json.objectValue?["functions"]?.arrayValue?.first?.objectValue?["settings"]?.arrayValue?.first?.objectValue?["median_final_f"] == .number(-40))
    #expect(report.text.contains("saddle (f* = unknown: ranked by median final f): 2 settings, 1 run each\n  #  setting    runs  diverged  median final f\n  1  gd-lr=0.5     1         0             -40\n"))
  }

  @Test("medians that decide a place read differently, with as many digits as that takes; elsewhere 3 digits")
  func medianDigits() {
    func rows(_ rows: [(art: Double?, median: Double)]) -> [SettingsReport.Row] {
      rows.enumerated().map { k, row in
        SettingsReport.Row(optimizer: k, label: "s\(k)", runs: 1, diverged: 0, solved: [row.art == nil ? 0 : 1],
                           averageRunningTime: [row.art], medianFinal: row.median)
      }
    }
    // Equal aRT: the medians decide, and show it, however close; ∞ and equal medians as they are.
    #expect(SettingsReport.medianTexts(rows([(nil, 1e-10), (nil, 1e-9), (nil, .infinity), (nil, .infinity)])) == ["1e-10", "1e-09", "∞", "∞"])
    #expect(SettingsReport.medianTexts(rows([(5, 0.00123451), (5, 0.00123459), (5, 0.00123459), (6, 0.1)]))
      == ["0.0012345", "0.0012346", "0.0012346", "0.1"])
    #expect(SettingsReport.medianTexts(rows([(nil, 1), (nil, 1.0000000000000002)])) == ["1", "1.0000000000000002"])
    // One more digit can make two numbers read alike again (1.23451 and 1.23549: 1.23 and 1.24, but 1.235 and
    // 1.235): every pair the medians decided still reads differently once its neighbours raised it.
    let texts = SettingsReport.medianTexts(rows([(nil, 1.23441), (nil, 1.23451), (nil, 1.23549), (nil, 1.23559)]))
    #expect(Set(texts).count == 4, "\(texts)")
    // Equal medians read alike wherever they stand in the ranking.
    #expect(SettingsReport.medianTexts(rows([(5, 0.00123451), (5, 0.00123459), (6, 0.00123451)])) == ["0.0012345", "0.0012346", "0.0012345"])
    // Either zero reads 0: they rank as equal.
    #expect(SettingsReport.medianTexts(rows([(nil, -0.0), (nil, 0.0)])) == ["0", "0"])
    // Different aRT decided: medians a few ulps apart (one local minimum) keep 3 digits.
    #expect(SettingsReport.medianTexts(rows([(40, 0.8681186131128379), (41, 0.868118613112838), (42, 0.86811861311285)]))
      == ["0.868", "0.868", "0.868"])
  }

  @Test("aRT in whole steps, with decimals where they decided two neighbours' places")
  func artDecimals() {
    func row(_ k: Int, _ art: [Double?]) -> SettingsReport.Row {
      SettingsReport.Row(optimizer: k, label: "s\(k)", runs: 3, diverged: 0, solved: art.map { $0 == nil ? 0 : 3 },
                         averageRunningTime: art, medianFinal: 0)
    }
    // Targets [1e-2, 1e-4], the hardest (index 1) read first. s0 and s1 differ on 1e-4 only after the point,
    // and that decided; s1 and s2 tie on 1e-4 and 1e-2 decides, after the point too; s3's ∞ reads differently
    // as it is, and s3 and s4 are decided in whole steps. s4's 20.2 on 1e-2 is s1's, and reads alike though
    // nothing about s4 needed the decimal.
    let rows = [row(0, [10, 100.2]), row(1, [20.2, 100.4]), row(2, [20.4, 100.4]), row(3, [13, nil]), row(4, [20.2, nil])]
    #expect(SettingsReport.artTexts(rows, order: [1, 0]) == [["10", "100.2"], ["20.2", "100.4"], ["20.4", "100.4"], ["13", "∞"], ["20.2", "∞"]])
    // aRT that rank two neighbours and read alike once raised by the other neighbours are raised further.
    let close = [row(0, [10.4]), row(1, [115.0 / 11]), row(2, [10.5]), row(3, [10.6])]
    let texts = SettingsReport.artTexts(close, order: [0]).map { $0[0] }
    #expect(Set(texts).count == 4, "\(texts)")
  }

  @Test("JSON: exact setting labels, solved and aRT by target, settings best first")
  func json() throws {
    let report = SettingsReport(try Self.results(Self.config, [
      0: (20, .converged, 1e-9, [3, 10]), 8: (1, .diverged, .nan, [nil, nil]),
    ]))
    let text = report.json.serialized()
    let parsed = try #require(try JSONParser.parse(text).objectValue)
    #expect(parsed["completed_runs"] == .number(2) && parsed["planned_runs"] == .number(12))
    let settings = try #require(parsed["functions"]?.arrayValue?.first?.objectValue?["settings"]?.arrayValue)
    #expect(settings.count == 2)
    let first = try #require(settings[0].objectValue), second = try #require(settings[1].objectValue)
    #expect(first["setting"] == .string("gd-lr=0.1") && first["rank"] == .number(1) && first["optimizer"] == .string("gd"))
    #expect(first["art"] == .object(JSONObject(["1e-2": .number(3), "1e-4": .number(10)])))
    #expect(first["solved"] == .object(JSONObject(["1e-2": .number(1), "1e-4": .number(1)])))
    #expect(second["art"] == .object(JSONObject(["1e-2": .null, "1e-4": .null])))
    #expect(second["median_final_suboptimality"] == .string("inf") && second["diverged"] == .number(1))
  }
}
