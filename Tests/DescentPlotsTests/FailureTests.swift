import DescentCore
import Foundation
import GnuplotKit
import Testing

@testable import DescentPlots

@Suite("When gnuplot is missing or fails")
struct FailureTests {
  @Test("Without gnuplot: notFound with the install command, exit code 69, and the results untouched")
  func missing() throws {
    let directory = try TemporaryDirectory()
    _ = try runExperiment(smallConfig(), in: directory)
    let summary = FileManager.default.contents(atPath: directory.file("results/summary.csv"))
    let empty = try TemporaryDirectory()
    #expect(throws: GnuplotError.notFound(searched: empty.path)) {
      _ = try Plotter(environment: ["PATH": empty.path])
    }
    do {
      _ = try Plotter(environment: ["PATH": empty.path])
    } catch {
      #expect(error.exitCode == 69)
      #expect(error.description.contains(GnuplotError.installCommand))
    }
    #expect(FileManager.default.contents(atPath: directory.file("results/summary.csv")) == summary)
  }

  @Test("A gnuplot that rejects the scripts: scriptFailed (exit code 70), and the results untouched")
  func failing() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let summary = FileManager.default.contents(atPath: directory.file("results/summary.csv"))
    let bin = try TemporaryDirectory()
    let environment = try bin.fakeGnuplot("cat > /dev/null\necho '\"/dev/stdin\" line 3: no such terminal' >&2\nexit 1")
    let plotter = try Plotter(environment: environment)
    do {
      _ = try plotter.render(results)
      Issue.record("rendering with a failing gnuplot succeeded")
    } catch {
      #expect(error.exitCode == 70)
      // Named by the script written in plots/, which is what gnuplot read on its standard input.
      #expect(error.description.hasPrefix("gnuplot failed (exit status 1): " + directory.file("results/plots/"))
              && error.description.hasSuffix(".gp line 3: no such terminal"), "\(error.description)")
    }
    #expect(FileManager.default.contents(atPath: directory.file("results/summary.csv")) == summary)
  }

  @Test("An unwritable plots folder: cannotWrite (exit code 73)")
  func unwritable() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    // A file where the folder should be.
    try Data().write(to: URL(fileURLWithPath: directory.file("results/plots")))
    let bin = try TemporaryDirectory()
    let plotter = try Plotter(environment: try bin.fakeGnuplot("cat > /dev/null"))
    #expect(throws: GnuplotError.self) { _ = try plotter.render(results) }
    do {
      _ = try plotter.render(results)
    } catch {
      #expect(error.exitCode == 73)
    }
  }
}
