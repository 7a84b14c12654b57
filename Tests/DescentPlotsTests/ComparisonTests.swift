import DescentCore
import Foundation
import Testing

@testable import DescentPlots

/// Batch GD, SGD and minibatches of one finite sum in one plot, and short setting labels in keys.
@Suite("Comparing gradient oracles")
struct ComparisonTests {
  /// Least squares three ways (n = 200), a noisy and an exact quadratic, and a quadratic tried from two starts.
  static let config = """
    {
      "name": "oracles",
      "steps": 30,
      "seeds": 2,
      "record": "every",
      "functions": [
        {"name": "least-squares", "label": "full", "samples": 200, "dim": 3},
        {"name": "least-squares", "label": "one", "samples": 200, "dim": 3, "batch_size": 1},
        {"name": "least-squares", "label": "mini", "samples": 200, "dim": 3, "batch_size": 8, "sampling": "epoch"},
        {"name": "least-squares", "label": "other", "samples": 100, "dim": 3, "batch_size": 1},
        {"name": "quadratic", "label": "exact", "diag": [1, 2], "start": [1, 1]},
        {"name": "quadratic", "label": "noisy", "diag": [1, 2], "start": [1, 1], "gradient_noise": 0.1},
        {"name": "quadratic", "label": "starts", "diag": [1, 3], "start": {"points": [[1, 1], [2, 2]]}}
      ],
      "optimizers": [{"name": "sgd", "lr": 0.05}, {"name": "adam", "lr": 0.1}]
    }
    """

  static func variable(_ name: String, in script: String) -> String? {
    script.split(separator: "\n").first { $0.hasPrefix(name + " = ") || $0.hasPrefix("array \(name)[") }
      .map { String($0.split(separator: "=", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
  }

  @Test("Variants of one objective that differ in their oracle share a plot per step and per sample seen; nothing else does")
  func comparisonPlots() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(Self.config, in: directory)
    let plots = Plotter.plots(for: results, output: .dumb)
    let compared = plots.filter { $0.name.hasPrefix("compare") }.map(\.name)
    // "other" has 100 samples, a different objective; the quadratic with two starts has one oracle.
    #expect(compared == ["compare-least-squares", "compare-samples-least-squares", "compare-quadratic"])

    let samples = try #require(plots.first { $0.name == "compare-samples-least-squares" })
    #expect(ManySettingsTests.seriesTitles(samples.script)
      == ["full: sgd", "full: adam", "one: sgd", "one: adam", "mini: sgd", "mini: adam"])
    // Colour by optimizer setting, dash by variant.
    #expect(Self.variable("series_hue", in: samples.script) == "[1, 2, 1, 2, 1, 2]")
    #expect(Self.variable("series_line", in: samples.script) == "[1, 1, 2, 2, 3, 3]")
    #expect(Self.variable("x_log", in: samples.script) == "1")
    #expect(Self.variable("x_min", in: samples.script) == "1.0")
    #expect(Self.variable("x_max", in: samples.script) == "6000.0")
    #expect(samples.title.hasPrefix("Gradient oracles compared on least-squares (full, one, mini) per sample seen: median over 2 seeds"))
    // Each data set's x is step × samples per step, from step 1 (a log axis has no 0): 200, 1 and 8 a step.
    let dataSets = samples.data.components(separatedBy: "\n\n\n").map { set in
      set.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { Double($0.split(separator: " ")[0])! }
    }
    #expect(dataSets.count == 6)
    #expect(dataSets[0] == (1...30).map { Double($0 * 200) })
    #expect(dataSets[2] == (1...30).map { Double($0) })
    #expect(dataSets[4] == (1...30).map { Double($0 * 8) })
    // The medians are the per-variant plots' own, per sample seen.
    let own = try #require(plots.first { $0.name == "convergence-samples-one" })
    let ownSets = own.data.components(separatedBy: "\n\n\n")
    let comparedSets = samples.data.components(separatedBy: "\n\n\n")
    #expect(ownSets[1].split(separator: "\n").dropFirst(2) == comparedSets[3].split(separator: "\n").dropFirst(1))

    let steps = try #require(plots.first { $0.name == "compare-least-squares" })
    #expect(Self.variable("x_log", in: steps.script) == "0")
    #expect(Self.variable("x_max", in: steps.script) == "30.0")
    let noise = try #require(plots.first { $0.name == "compare-quadratic" })
    #expect(ManySettingsTests.seriesTitles(noise.script) == ["exact: sgd", "exact: adam", "noisy: sgd", "noisy: adam"])

    // Other functions with the same remaining parameters, or one function from other starts, are no comparison.
    let apart = try runExperiment(#"""
      {"name": "apart", "steps": 10, "functions": [{"name": "beale", "start": [1, 1]}, {"name": "booth", "start": [1, 1], "gradient_noise": 0.1},
        {"name": "matyas", "start": [1, 1]}, {"name": "matyas", "label": "far", "start": [5, 5], "gradient_noise": 0.1}],
       "optimizers": [{"name": "sgd", "lr": 0.01}]}
      """#, in: try TemporaryDirectory())
    #expect(!Plotter.plots(for: apart, output: .dumb).contains { $0.name.hasPrefix("compare") })

    // --x samples: the comparison per sample seen only, and the noisy quadratic's still per step.
    let perSample = Plotter.plots(for: results, output: .dumb, xAxis: .samples).map(\.name).filter { $0.hasPrefix("compare") }
    #expect(perSample == ["compare-samples-least-squares", "compare-quadratic"])
  }

  @Test("The drawn comparison renders with the real gnuplot")
  func rendersComparison() throws {
    try #require(realGnuplotIsInstalled, "gnuplot is not installed")
    let directory = try TemporaryDirectory()
    let results = try runExperiment(Self.config, in: directory)
    let rendered = try Plotter(output: .picture(.png)).render(results)
    for plot in rendered where plot.plot.name.hasPrefix("compare") {
      #expect(plot.warnings.isEmpty, "\(plot.plot.name): \(plot.warnings)")
      #expect(fileStarts(directory.file("results/plots/\(plot.plot.picture!)"), with: pngMagic))
    }
  }

  @Test("Keys show swept numbers to 4 significant digits, or more where 4 would make two settings look alike")
  func shortLabels() throws {
    func labels(_ optimizers: String) throws -> [String] {
      let experiment = try Experiment.decode(Array("""
        {"name": "l", "steps": 1, "functions": [{"name": "quadratic", "diag": [1, 1], "start": [1, 1]}], "optimizers": \(optimizers)}
        """.utf8), file: "l.json")
      return OptimizerVariant.shortLabels(experiment.optimizers)
    }
    #expect(try labels(#"[{"name": "adam", "lr": {"logspace": [-5, -4, 3]}}, {"name": "sgd", "lr": 0.1}]"#)
      == ["adam-lr=1e-05", "adam-lr=3.162e-05", "adam-lr=0.0001", "sgd"])
    #expect(try labels(#"[{"name": "sgd", "lr": {"grid": [1.00001, 1.00002]}, "momentum": {"grid": [0.5, 0.9]}}]"#)
      == ["sgd-lr=1.00001-momentum=0.5", "sgd-lr=1.00001-momentum=0.9", "sgd-lr=1.00002-momentum=0.5", "sgd-lr=1.00002-momentum=0.9"])
    #expect(try labels(#"[{"name": "sgd", "lr": {"grid": [0.10000001, 0.10000002]}}]"#)
      == ["sgd-lr=0.10000001", "sgd-lr=0.10000002"])
    // Whole numbers are never rounded.
    #expect(try labels(#"[{"name": "adam", "lr": {"grid": [0.123456789]}, "schedule": {"name": "step", "step_size": {"grid": [123456, 7]}}}]"#)
      == ["adam-lr=0.1235-schedule.step_size=123456", "adam-lr=0.1235-schedule.step_size=7"])
  }
}

@Suite("Convergence plots of diverged runs")
struct DivergedCurveTests {
  @Test("A curve that reaches +∞ runs along the top edge: the y axis ends at the clamped value; without one it is free")
  func topEdge() throws {
    let config = """
      {"name": "top", "steps": 40, "seeds": 2, "stop": {"divergence": 1e12},
       "functions": [{"name": "quadratic", "diag": [1, 2], "start": {"box": [[-1, 1], [-1, 1]]}}],
       "optimizers": [{"name": "gd", "lr": 0.1}, {"name": "gd", "label": "wild", "lr": 1.5}]}
      """
    let directory = try TemporaryDirectory()
    let results = try runExperiment(config, in: directory)
    #expect(results.runs.contains { $0.1.status == .diverged })
    let plot = try #require(Plotter.plots(for: results, output: .dumb).first { $0.name == "convergence-quadratic" })
    let top = try #require(ComparisonTests.variable("y_top", in: plot.script).flatMap(Double.init))
    // The data's largest value is the clamp, and the diverged setting's median sits there after its runs stop.
    let values = plot.data.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.flatMap { $0.split(separator: " ").dropFirst().compactMap { Double($0) } }
    #expect(values.max() == top)
    #expect(plot.script.contains("if (y_top == y_top) { set yrange [*:y_top] }"))

    let calm = try runExperiment(config.replacingOccurrences(of: #", {"name": "gd", "label": "wild", "lr": 1.5}"#, with: ""), in: try TemporaryDirectory())
    let free = try #require(Plotter.plots(for: calm, output: .dumb).first { $0.name == "convergence-quadratic" })
    #expect(ComparisonTests.variable("y_top", in: free.script) == "NaN")
  }
}
