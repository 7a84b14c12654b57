import DescentCore
import Foundation
import GnuplotKit
import Testing

@testable import DescentPlots

@Suite("Rendering a results directory with the real gnuplot", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct RenderingTests {
  static let expectedNames = [
    "convergence-bowl_2.d-x", "landscape-bowl_2.d-x", "learning-rate-bowl_2.d-x",
    "convergence-xcos", "landscape-xcos", "learning-rate-xcos", "data-profile",
  ]

  @Test("Every plot of a small experiment becomes a PNG, with its script and data beside it")
  func pngs() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let rendered = try Plotter(output: .picture(.png)).render(results)

    #expect(rendered.map(\.plot.name) == Self.expectedNames)
    let plots = directory.file("results/plots")
    for plot in rendered.map(\.plot) {
      #expect(plot.picture == plot.name + ".png")
      #expect(fileStarts(plots + "/" + plot.name + ".png", with: pngMagic), "\(plot.name).png is not a PNG")
      #expect(FileManager.default.contents(atPath: plots + "/" + plot.scriptFile) == Data(plot.script.utf8))
      #expect(FileManager.default.contents(atPath: plots + "/" + plot.dataFile) == Data(plot.data.utf8))
    }
    #expect(rendered.allSatisfy { $0.warnings.isEmpty }, "gnuplot warned: \(rendered.flatMap(\.warnings))")
  }

  @Test("The scripts left in plots/ draw the pictures again with a plain `gnuplot name.gp`")
  func reproducible() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let rendered = try Plotter(output: .picture(.png)).render(results)
    let plots = directory.file("results/plots")
    for plot in rendered.map(\.plot) {
      let picture = plots + "/" + plot.picture!
      try FileManager.default.removeItem(atPath: picture)
      let (status, output) = try runGnuplotByHand(plot.scriptFile, in: plots)
      #expect(status == 0, "gnuplot \(plot.scriptFile) failed: \(output)")
      #expect(fileStarts(picture, with: pngMagic), "gnuplot \(plot.scriptFile) drew no PNG")
    }
  }

  @Test("SVG and PDF are written in their formats", arguments: [PlotFormat.svg, .pdf])
  func otherFormats(_ format: PlotFormat) throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let rendered = try Plotter(output: .picture(format)).render(results)
    let magic = Array((format == .svg ? "<?xml" : "%PDF").utf8)
    for plot in rendered.map(\.plot) {
      #expect(plot.picture == plot.name + "." + format.rawValue)
      #expect(fileStarts(directory.file("results/plots/" + plot.picture!), with: magic), "\(plot.picture!)")
    }
  }

  @Test("The dumb terminal draws each plot as text, with its title and axis labels, and no pictures; the picture scripts stay")
  func dumb() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let pictures = try Plotter(output: .picture(.png)).render(results)
    let rendered = try Plotter(output: .dumb).render(results)
    #expect(rendered.map(\.plot.name) == Self.expectedNames)
    // The text's scripts and data go to plots/text/; those beside the pictures still draw the pictures.
    for (picture, plot) in zip(pictures.map(\.plot), rendered.map(\.plot)) {
      #expect(FileManager.default.contents(atPath: directory.file("results/plots/" + picture.scriptFile)) == Data(picture.script.utf8))
      #expect(FileManager.default.contents(atPath: directory.file("results/plots/text/" + plot.scriptFile)) == Data(plot.script.utf8))
      #expect(FileManager.default.contents(atPath: directory.file("results/plots/text/" + plot.dataFile)) == Data(plot.data.utf8))
      #expect(plot.script != picture.script)
    }
    let text = try FileManager.default.contentsOfDirectory(atPath: directory.file("results/plots/text"))
    #expect(Set(text) == Set(rendered.flatMap { [$0.plot.scriptFile, $0.plot.dataFile] }), "no pictures: \(text)")
    for plot in rendered {
      #expect(plot.plot.picture == nil)
      #expect(plot.text.contains("plots-test: plots test"), "\(plot.plot.name) lacks the experiment line")
    }
    let drawn = Dictionary(uniqueKeysWithValues: rendered.map { ($0.plot.name, $0.text) })
    #expect(drawn["convergence-bowl_2.d-x"]!.contains("Convergence on bowl_2.d-x"))
    #expect(drawn["convergence-bowl_2.d-x"]!.contains("f - f*  (log scale)"))
    #expect(drawn["convergence-bowl_2.d-x"]!.contains("step"))
    #expect(drawn["convergence-bowl_2.d-x"]!.contains("gd_x.1-lr=0.05"))
    #expect(drawn["learning-rate-xcos"]!.contains("learning rate lr (log scale)"))
    #expect(drawn["data-profile"]!.contains("fraction of (run, target) pairs solved"))
  }

  @Test("An experiment whose every run diverges draws plots whose titles say so")
  func allDiverged() throws {
    let directory = try TemporaryDirectory()
    let config = """
      {
        "name": "blow-up", "steps": 100, "seeds": 2, "targets": [1e-3],
        "stop": {"divergence": 1e6},
        "functions": [{"name": "quadratic", "diag": [1, 100], "start": [1, 1]}, {"name": "rosenbrock", "dim": 2}],
        "optimizers": [{"name": "gd", "lr": {"grid": [1, 2]}}]
      }
      """
    let results = try runExperiment(config, in: directory)
    #expect(results.runs.allSatisfy { $0.1.status == .diverged })
    let rendered = try Plotter(output: .picture(.png)).render(results)
    #expect(rendered.count == 7)
    for plot in rendered.map(\.plot) {
      #expect(plot.title.contains("runs diverged"), "\(plot.name): \(plot.title)")
      #expect(fileStarts(directory.file("results/plots/" + plot.picture!), with: pngMagic))
    }
    // Nothing finite to show against the learning rate: an empty frame that says so.
    let learningRate = rendered.first { $0.plot.name == "learning-rate-quadratic" }!.plot
    #expect(learningRate.title.hasPrefix("Learning rate on quadratic") && learningRate.title.contains("all 4 runs diverged"))
    #expect(learningRate.script.contains("has_data = 0"))
  }

  @Test("Runs that all stop at their start are drawn as points, inside the frame, on a y range gnuplot need not widen")
  func allStoppedAtStart() throws {
    let directory = try TemporaryDirectory()
    let config = """
      {
        "name": "at-rest", "steps": 100, "seeds": 3, "stop": {"grad_norm": 1e-3},
        "functions": [{"name": "quadratic", "diag": [1, 2], "start": [0, 0]}, {"name": "quadratic", "label": "moving", "diag": [1, 2], "start": [1, 1]}],
        "optimizers": [{"name": "gd", "lr": 0.1}, {"name": "adam", "lr": 0.1}]
      }
      """
    let results = try runExperiment(config, in: directory)
    #expect(results.runs.filter { $0.0.function == 0 }.allSatisfy { $0.1.steps == 0 })
    let rendered = try Plotter(output: .dumb).render(results)
    #expect(rendered.allSatisfy { $0.warnings.isEmpty }, "gnuplot warned: \(rendered.flatMap(\.warnings))")
    let atRest = try #require(rendered.first { $0.plot.name == "convergence-quadratic" }).plot
    let variable = { ComparisonTests.variable($0, in: atRest.script) }
    #expect(variable("single_count") == "2")
    #expect(variable("single_index") == "[0, 1]")
    // Both curves are one row at step 0, a little right of the left edge.
    #expect(variable("x_min") == "-2.0")
    let bottom = try #require(variable("y_bottom").flatMap(Double.init)), top = try #require(variable("y_top").flatMap(Double.init))
    #expect(bottom < top)
    // In the text drawing the points are there, inside the frame: the dumb terminal draws point type 7 as "G".
    let drawn = try #require(rendered.first { $0.plot.name == "convergence-quadratic" }).text
    #expect(drawn.split(separator: "\n").contains { $0.contains("|") && $0.contains("G") }, "\(drawn)")

    // Curves of many rows are lines only, from 0.
    let moving = try #require(rendered.first { $0.plot.name == "convergence-moving" }).plot
    #expect(ComparisonTests.variable("single_count", in: moving.script) == "0")
    #expect(ComparisonTests.variable("x_min", in: moving.script) == "0.0")
    #expect(ComparisonTests.variable("y_bottom", in: moving.script) == "NaN")
  }

  @Test("On a linear axis a run falling without bound runs along a bottom edge set from the starts, not at −1e45 flattening the rest; the data profile says it leaves out f* unknown")
  func fallingWithoutBound() throws {
    let directory = try TemporaryDirectory()
    let config = #"{"name": "fall", "steps": 60, "seeds": 1, "targets": [1e-2], "functions": [{"name": "saddle", "start": [0.5, 0.5]}, {"name": "booth", "start": [0, 0]}], "optimizers": [{"name": "gd", "lr": {"grid": [0.001, 0.7]}}]}"#
    let results = try runExperiment(config, in: directory)
    let rendered = try Plotter(output: .dumb).render(results)
    #expect(rendered.allSatisfy { $0.warnings.isEmpty }, "gnuplot warned: \(rendered.flatMap(\.warnings))")
    let plot = try #require(rendered.first { $0.plot.name == "convergence-saddle" }).plot
    // Starts at f = 0 both: a thousand times the spread (at least 1) below the lowest start.
    #expect(ComparisonTests.variable("y_bottom", in: plot.script) == "-1000.0")
    let medians = plot.data.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { Double($0.split(separator: " ")[1]) }
    #expect(medians.min() == -1000)
    #expect(medians.contains { $0 < 0 && $0 > -1 }, "the slow run's own descent is still drawn to scale")
    // The learning-rate plot does the same with the final values: −1e45 sits on a bottom edge a thousand times
    // the highest final value's size below it, and the slow setting keeps its own value.
    let rates = try #require(rendered.first { $0.plot.name == "learning-rate-saddle" }).plot
    let bottom = try #require(ComparisonTests.variable("y_bottom", in: rates.script).flatMap(Double.init))
    let finals = results.runs.filter { $0.0.function == 0 }.map(\.1.finalF)
    let highest = try #require(finals.max())
    #expect(finals.min()! < -1e40 && bottom == highest - 1e3 * max(abs(highest), 1))
    let rateMedians = rates.data.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { Double($0.split(separator: " ")[1]) }
    #expect(rateMedians.sorted() == [bottom, highest])
    // The data profile's pairs leave the saddle out (no f*), and its title says so.
    let profile = try #require(rendered.first { $0.plot.name == "data-profile" }).plot
    #expect(profile.title.hasPrefix("Data profile over 1 function x 1 seed x 1 target (1e-2) (1 function setting with f* unknown left out)"), "\(profile.title)")
  }

  @Test("A run escaping below f* on xcos is drawn as diverged on the log axis, not by turning the axis linear for every run")
  func escapeDrawnAsDiverged() throws {
    let directory = try TemporaryDirectory()
    // From this start Adam at lr 1 leaves [−1, 2] within three steps, to f below f* (quickstart's xcos seed 1).
    let config = #"{"name": "esc", "steps": 50, "seeds": 1, "functions": [{"name": "xcos", "start": [-0.035041618729204305]}], "optimizers": [{"name": "adam", "lr": {"grid": [0.01, 1]}, "schedule": {"name": "cosine", "t_max": 2000}}]}"#
    let results = try runExperiment(config, in: directory)
    let escaped = try #require(results.runs.first { $0.1.status == .diverged }).1
    #expect(escaped.finalF < -1.0467, "it went below f*")
    let plots = Plotter.plots(for: results, output: .dumb)
    for name in ["convergence-xcos", "learning-rate-xcos"] {
      let plot = try #require(plots.first { $0.name == name })
      #expect(ComparisonTests.variable("y_log", in: plot.script) == "1", "\(name)")
    }
    // The escaped run's curve reaches +∞ (the top edge) at the record where it went below f*.
    let convergence = try #require(plots.first { $0.name == "convergence-xcos" })
    #expect(ComparisonTests.variable("y_top", in: convergence.script) != "NaN")
  }

  @Test("Final values all the same: the learning-rate plot sets its own range around them, and gnuplot has nothing to warn about")
  func flatLearningRate() throws {
    let directory = try TemporaryDirectory()
    let config = #"{"name": "flat", "steps": 20, "seeds": 2, "functions": [{"name": "booth", "start": [1, 3]}], "optimizers": [{"name": "gd", "lr": {"grid": [0.01, 0.1]}}]}"#
    let results = try runExperiment(config, in: directory)
    let rendered = try Plotter(output: .dumb).render(results)
    #expect(rendered.allSatisfy { $0.warnings.isEmpty }, "gnuplot warned: \(rendered.flatMap(\.warnings))")
    let rates = try #require(rendered.first { $0.plot.name == "learning-rate-booth" }).plot
    // Started at the minimiser (1, 3): every final f − f* is 0, drawn at the 1e-17 floor, a decade either side.
    #expect(ComparisonTests.variable("y_bottom", in: rates.script) == "1e-18")
    #expect(ComparisonTests.variable("y_top", in: rates.script) == "1.0000000000000001e-16")
  }

  @Test("A learning rate of 0 is left off the learning-rate plot's log axis, and the title says so; the rest is drawn")
  func zeroLearningRate() throws {
    let directory = try TemporaryDirectory()
    let config = smallConfig().replacingOccurrences(of: #"{"grid": [0.05, 0.2]}"#, with: #"{"grid": [0, 0.05, 0.2]}"#)
    #expect(config != smallConfig())
    let results = try runExperiment(config, in: directory)
    let rendered = try Plotter(output: .picture(.png)).render(results)
    for name in ["learning-rate-bowl_2.d-x", "learning-rate-xcos"] {
      let plot = try #require(rendered.first { $0.plot.name == name }).plot
      #expect(plot.title.contains("1 setting of learning rate 0 left off the log axis"), "\(plot.title)")
      #expect(!plot.data.split(separator: "\n").contains { $0.hasPrefix("0 ") }, "no row at lr = 0")
      #expect(fileStarts(directory.file("results/plots/" + plot.picture!), with: pngMagic))
    }
  }

  @Test("Finite values near the largest double keep the diverged line and its points on the learning-rate plot")
  func divergedNearLargestDouble() throws {
    let directory = try TemporaryDirectory()
    let config = #"{"name": "huge", "steps": 3, "seeds": 1, "functions": [{"name": "quadratic", "diag": [1e292, 1], "start": [1e8, 0]}], "optimizers": [{"name": "gd", "lr": {"grid": [1e-310, 1e-300, 1]}}]}"#
    let results = try runExperiment(config, in: directory)
    #expect(results.runs.map(\.1.status) == [.maxSteps, .maxSteps, .diverged])
    let plot = try #require(Plotter.plots(for: results).first { $0.kind == .learningRate })
    // A decade above 5e307 overflows; the line goes at 1e308 instead, with the diverged setting's point on it.
    #expect(plot.script.contains("diverged_level = 1e+308\n"), "\(plot.script)")
    #expect(plot.data.contains("\n1 1e+308 1e+308 1e+308"), "\(plot.data)")
  }

  @Test("Without trajectories the plots that need them say so, and the rest are drawn")
  func noTrajectories() throws {
    let directory = try TemporaryDirectory()
    let config = smallConfig().replacingOccurrences(of: "\"steps\": 150,", with: "\"steps\": 150, \"record\": \"none\",")
    let results = try runExperiment(config, in: directory)
    let rendered = try Plotter(output: .picture(.png)).render(results)
    let titles = Dictionary(uniqueKeysWithValues: rendered.map { ($0.plot.name, $0.plot.title) })
    #expect(titles["convergence-xcos"]!.contains("no trajectories recorded"))
    #expect(titles["landscape-bowl_2.d-x"]!.contains("no iterates recorded"))
    let dataProfile = rendered.first { $0.plot.kind == .dataProfile }!.plot
    #expect(dataProfile.script.contains("has_data = 1"))
    #expect(!dataProfile.title.contains("no "))
  }
}

@Suite("Plotting every trajectory format", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct TrajectoryFormatPlotTests {
  @Test("Packed and binary trajectories draw the plots their CSV draws, data and scripts alike", arguments: ["binary", "packed"])
  func sameAsCSV(_ format: String) throws {
    let csv = try TemporaryDirectory(), other = try TemporaryDirectory()
    let config = smallConfig().replacingOccurrences(of: #""steps": 150,"#, with: #""steps": 150, "format": "\#(format)","#)
    #expect(config != smallConfig())
    let expected = try Plotter(output: .dumb).render(try runExperiment(smallConfig(), in: csv))
    let rendered = try Plotter(output: .dumb).render(try runExperiment(config, in: other))
    #expect(rendered.map(\.plot.name) == RenderingTests.expectedNames)
    #expect(rendered.map(\.plot.data) == expected.map(\.plot.data))
    #expect(rendered.map(\.plot.script) == expected.map(\.plot.script))
    #expect(rendered.allSatisfy { $0.warnings.isEmpty })
  }
}
