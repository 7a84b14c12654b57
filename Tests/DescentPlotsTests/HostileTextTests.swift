import DescentCore
import Foundation
import GnuplotKit
import Testing

@testable import DescentPlots

@Suite("Text from configs in plots", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct HostileTextTests {
  @Test("A hostile description shows as text in every title and runs nothing")
  func hostileDescription() throws {
    let directory = try TemporaryDirectory()
    // gnuplot runs in plots/, and a command in a script would make the sentinel there (or in this process's
    // directory, or in the results directory, depending on how it ran).
    let places = ["SENTINEL", directory.file("results/plots/SENTINEL"), directory.file("results/SENTINEL")]
    let description = #"`touch SENTINEL` system("touch SENTINEL") '; system('touch SENTINEL'); '"# + "\n! touch SENTINEL\n@m $H \\ {x_y^2}"
    #expect(description.count <= 110)
    let results = try runExperiment(smallConfig(description: description), in: directory)
    let rendered = try Plotter(output: .dumb).render(results)
    _ = try Plotter(output: .picture(.png)).render(results)
    for place in places { #expect(!FileManager.default.fileExists(atPath: place), "\(place) exists") }

    // Line breaks become spaces; everything else is drawn as written.
    let shown = "plots-test: " + description.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    for plot in rendered {
      #expect(plot.plot.title.hasSuffix("\n" + shown), "\(plot.plot.name): \(plot.plot.title)")
      #expect(plot.text.contains(shown), "\(plot.plot.name) does not show the description")
    }
  }

  @Test("A long description is cut short in titles")
  func longDescription() throws {
    let directory = try TemporaryDirectory()
    let description = String(repeating: "long words ", count: 30)
    let plots = Plotter.plots(for: try runExperiment(smallConfig(description: description), in: directory))
    #expect(plots.allSatisfy { $0.title.hasSuffix("\nplots-test: " + description.prefix(109) + "…") })
  }

  @Test("Labels with underscores are drawn as written, not as subscripts")
  func underscores() throws {
    let directory = try TemporaryDirectory()
    let rendered = try Plotter(output: .dumb).render(try runExperiment(smallConfig(), in: directory))
    let convergence = rendered.first { $0.plot.name == "convergence-bowl_2.d-x" }!
    #expect(convergence.text.contains("my_adam"))
    #expect(convergence.text.contains("gd_x.1-lr=0.2"))
  }

  @Test("A script quotes every text from the config")
  func quoting() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(description: "say \"hi\" `id`\n@x"), in: directory)
    for plot in Plotter.plots(for: results) {
      #expect(plot.script.contains(GnuplotString.quoted("plots-test: say \"hi\" `id` @x")))
      #expect(!plot.script.contains("`id`"))
      #expect(!plot.script.contains("\"hi\""))
    }
  }
}
