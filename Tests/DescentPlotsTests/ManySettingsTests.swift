import DescentCore
import Foundation
import Testing

@testable import DescentPlots

/// A dense learning-rate sweep: more optimizer settings than a plot can tell apart.
@Suite("Plots of many settings")
struct ManySettingsTests {
  static let settingCount = 30

  static let config = """
    {
      "name": "many-settings",
      "steps": 40,
      "seeds": 2,
      "targets": [1e-3],
      "stop": {"divergence": 1e8},
      "functions": [
        {"name": "quadratic", "diag": [0.5, 2], "start": [-3, 2]},
        {"name": "xcos", "start": "random"}
      ],
      "optimizers": [{"name": "gd", "lr": {"logspace": [-3, 0, \(settingCount)]}}]
    }
    """

  /// The key titles in `script`, without the "(k/n diverged)" notes.
  static func seriesTitles(_ script: String) -> [String] {
    guard let line = script.split(separator: "\n").first(where: { $0.hasPrefix("array series_title[") }),
      let open = line.firstIndex(of: "=")
    else { return [] }
    let list = line[line.index(after: open)...].trimmingCharacters(in: CharacterSet(charactersIn: " []"))
    return list.components(separatedBy: "\", \"").map {
      let title = $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      return title.components(separatedBy: " (").first!
    }
  }

  @Test("Per-setting plots draw the 24 settings with the lowest median final f - f*, in config order, and say so")
  func bestSettings() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(Self.config, in: directory)
    #expect(results.missingCount == 0)
    let plots = Plotter.plots(for: results, output: .dumb)
    let experiment = results.experiment

    for (function, variant) in experiment.functions.enumerated() {
      let fStar = try #require(variant.objective.minima.value)
      // The expectation, worked out here from the summaries: the median of two seeds is their mean, and a
      // diverged run counts as +∞.
      var medians: [(setting: Int, median: Double)] = []
      for setting in experiment.optimizers.indices {
        let ys = results.runs.filter { $0.0.function == function && $0.0.optimizer == setting }.map { run in
          run.1.status == .diverged || !run.1.finalF.isFinite ? Double.infinity : run.1.finalF - fStar
        }.sorted()
        #expect(ys.count == 2)
        let median = ys[1].isInfinite ? ys[1] : (ys[0] + ys[1]) / 2
        medians.append((setting, median))
      }
      let expected = medians.sorted { ($0.median, $0.setting) < ($1.median, $1.setting) }.prefix(24).map(\.setting).sorted()
        .map { setting in
          // Keys show the learning rate to 4 significant digits (all 30 stay distinct).
          let label = experiment.optimizers[setting].label
          let lr = Double(label.dropFirst("gd-lr=".count))!
          return "gd-lr=" + String(format: "%.4g", lr)
        }

      let perSetting = plots.filter { $0.name.hasSuffix(variant.label) && ($0.kind == .convergence || $0.kind == .landscape2D || $0.kind == .landscape1D) }
      #expect(perSetting.count == 2)
      for plot in perSetting {
        #expect(plot.script.contains("series_count = 24\n"), "\(plot.name)")
        #expect(Self.seriesTitles(plot.script) == expected, "\(plot.name)")
        #expect(plot.title.contains("showing the 24 best of \(Self.settingCount) settings by median final f - f*"), "\(plot.name)")
      }
      // The learning-rate plot still shows every setting: one point per learning rate.
      let learningRate = try #require(plots.first { $0.name == "learning-rate-" + variant.label })
      #expect(!learningRate.title.contains("showing"))
      let points = learningRate.data.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
      #expect(points.count == Self.settingCount)
    }
    let profile = try #require(plots.first { $0.kind == .dataProfile })
    #expect(profile.script.contains("series_count = 24\n"))
    #expect(profile.title.contains("showing the 24 best of \(Self.settingCount) settings by fraction of (run, target) pairs solved"))
  }

  @Test("Key titles longer than 48 characters are cut in the middle, keeping the grid values at their end")
  func longKeyTitles() throws {
    #expect(PlotVariables.keyTitle(String(repeating: "a", count: 48)) == String(repeating: "a", count: 48))
    let long = String(repeating: "o", count: 100) + "-lr=0.05"
    let cut = PlotVariables.keyTitle(long)
    #expect(cut.count == 48 && cut.hasSuffix("ooo-lr=0.05") && cut.contains("…"), "\(cut)")
    // A closing note stays whole; the name before it is cut.
    let noted = PlotVariables.keyTitle(long + " (3/8 diverged)")
    #expect(noted.count == 48 && noted.hasSuffix("ooo-lr=0.05 (3/8 diverged)") && noted.contains("…"), "\(noted)")
    let directory = try TemporaryDirectory()
    let label = String(repeating: "o", count: 100)
    let results = try runExperiment(smallConfig().replacingOccurrences(of: #""label": "gd_x.1""#, with: #""label": "\#(label)""#), in: directory)
    let plots = Plotter.plots(for: results, output: .dumb)
    #expect(!plots.isEmpty)
    for plot in plots {
      let line = try #require(plot.script.split(separator: "\n").first { $0.hasPrefix("array series_title[") }, "\(plot.name)")
      #expect(!line.contains(label), "\(plot.name): \(line)")
      if plot.kind != .dataProfile { #expect(line.contains("…"), "\(plot.name): \(line)") }
    }
  }

  @Test("Up to 24 settings are all drawn, without a note")
  func fewSettings() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(Self.config.replacingOccurrences(of: "\(Self.settingCount)]}", with: "24]}"), in: directory)
    for plot in Plotter.plots(for: results, output: .dumb) where plot.kind != .learningRate {
      #expect(plot.script.contains("series_count = 24\n"), "\(plot.name)")
      #expect(!plot.title.contains("showing"), "\(plot.name)")
    }
  }

  @Test("A function without completed runs gets no plots of its own; a config claiming 10^4 of them and 99 M runs is read by its journal")
  func functionsWithoutRuns() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let before = Plotter.plots(for: results, output: .dumb).map(\.name)
    // The same experiment with 10,000 more function settings after its own and 3,300 more optimizer
    // settings after its own: 99 M runs, all but its 18 missing. Listing them would take some 13 GB.
    let claim = smallConfig()
      .replacingOccurrences(
        of: "{\"name\": \"xcos\", \"start\": \"random\"}",
        with: "{\"name\": \"xcos\", \"start\": \"random\"}, {\"name\": \"quadratic\", \"label\": \"more\", \"diag\": [{\"linspace\": [1, 2, 10000]}, 1], \"start\": [1, 1]}")
      .replacingOccurrences(
        of: "{\"name\": \"adam\", \"label\": \"my_adam\", \"lr\": 0.1}",
        with: "{\"name\": \"adam\", \"label\": \"my_adam\", \"lr\": 0.1}, {\"name\": \"sgd\", \"label\": \"more\", \"lr\": {\"linspace\": [0.001, 0.1, 3300]}}")
    try Data(claim.utf8).write(to: URL(fileURLWithPath: directory.file("results/config.json")))
    // As a run of that config would have left it: its manifest names the same config.
    let planned = try Experiment.decode(Array(claim.utf8), file: "claim.json", runCap: nil)
    try Manifest(name: planned.name, configHash: planned.configHash, started: Date(), jobs: 1, runCount: planned.runCount,
                 runsHere: planned.runCount, shard: nil, status: "interrupted").write(to: ResultsDirectory(path: directory.file("results")))
    let claimed = try LoadedResults.load(directory.file("results"))
    #expect(claimed.experiment.functions.count == 10_002)
    #expect(claimed.experiment.optimizers.count == 3_303)
    #expect(claimed.experiment.runCount == 10_002 * 3_303 * 3)
    #expect(claimed.runs.count == results.runs.count)
    let plots = Plotter.plots(for: claimed, output: .dumb)
    #expect(plots.map(\.name) == before)
    let profile = try #require(plots.first { $0.kind == .dataProfile })
    #expect(profile.script.contains("has_data = 1"))
    #expect(profile.title.contains("(\(claimed.missingCount) of \(claimed.experiment.runCount) runs missing)"))
  }

  @Test("A setting with fewer completed runs than planned says how many in its key; the others say nothing")
  func partialSettings() throws {
    let directory = try TemporaryDirectory()
    var results = try runExperiment(smallConfig(), in: directory)
    // As if interrupted: the first setting has only seed 0 of the first function.
    results.runs.removeAll { $0.0.optimizer == 0 && $0.0.function == 0 && $0.0.seed != 0 }
    let plots = Plotter.plots(for: results, output: .dumb)
    let convergence = try #require(plots.first { $0.name == "convergence-bowl_2.d-x" })
    #expect(convergence.script.contains("\"gd_x.1-lr=0.05 (1 of 3 runs)\""))
    #expect(convergence.script.contains("\"gd_x.1-lr=0.2\""))
    let xcos = try #require(plots.first { $0.name == "convergence-xcos" })
    #expect(!xcos.script.contains(" of 3 runs"))
    let profile = try #require(plots.first { $0.kind == .dataProfile })
    // Its runs of both functions: 1 + 3 of 2 × 3.
    #expect(profile.script.contains("4 of 6 runs)\""))
    #expect(!profile.script.contains("of 3 runs"))
  }

  @Test("The choice ranks by score, never picks a setting without runs over one with, and breaks ties by order")
  func choice() {
    let values: [Double?] = [5, nil, 1, 3, 1, nil, 0]
    let scores = values.map { $0.map { (primary: $0, secondary: 0.0) } }
    let choice = PlotContext.SettingChoice(count: scores.count, criterion: "score", maximum: 3) { scores[$0] }
    #expect(choice.indices == [2, 4, 6])
    #expect(choice.note == "showing the 3 best of 7 settings by score")
    let sparse = PlotContext.SettingChoice(count: scores.count, criterion: "score", maximum: 6) { scores[$0] }
    #expect(sparse.indices == [0, 2, 3, 4, 6])
    #expect(sparse.note == "showing the 5 of 7 settings with runs")
    let all = PlotContext.SettingChoice(count: scores.count, criterion: "score", maximum: 7) { scores[$0] }
    #expect(all.indices == Array(0..<7) && all.note == nil)
    // The data profile's scores: the fraction solved first, then how many were solved.
    let profile: [(primary: Double, secondary: Double)] = [(-0.5, -8), (-1, -1), (-0.5, -16), (-0.25, -40)]
    let two = PlotContext.SettingChoice(count: profile.count, criterion: "fraction", maximum: 2) { profile[$0] }
    #expect(two.indices == [1, 2])
  }
}
