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
    // A failure that names no line is named by the script too.
    let plain = try Plotter(environment: try bin.fakeGnuplot("/bin/cat > /dev/null\necho boom >&2\nexit 1"))
    #expect {
      _ = try plain.render(results)
    } throws: { error in
      let text = (error as? GnuplotError)?.description ?? ""
      return text.hasPrefix(directory.file("results/plots/")) && text.contains(".gp: gnuplot failed (exit status 1): boom")
    }
  }

  @Test("A gnuplot that hangs: stopped at the timeout, named by its script, and no plot started after it")
  func hanging() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let bin = try TemporaryDirectory()
    let environment = try bin.fakeGnuplot("echo started >> '\(bin.file("starts"))'\nexec /bin/sleep 1000")
    let plotter = Plotter(gnuplot: try Gnuplot(environment: environment, timeout: .milliseconds(300)), jobs: 1)
    // A picture from an earlier rendering of a plot that will not be drawn now: kept.
    let second = try #require(Plotter.plots(for: results).dropFirst().first?.picture)
    try FileManager.default.createDirectory(atPath: directory.file("results/plots"), withIntermediateDirectories: true)
    try Data("earlier".utf8).write(to: URL(fileURLWithPath: directory.file("results/plots/") + second))
    let error = #expect(throws: GnuplotError.self) { _ = try plotter.render(results) }
    #expect(FileManager.default.contents(atPath: directory.file("results/plots/") + second) == Data("earlier".utf8))
    let first = try #require(Plotter.plots(for: results).first)
    let script = directory.file("results/plots/") + first.scriptFile
    #expect(error == .inScript(script, .timedOut(after: .milliseconds(300), standardError: "")))
    #expect(error?.exitCode == 70)
    #expect(error?.description.hasPrefix(script + ": gnuplot did not finish within") == true, "\(String(describing: error))")
    // Seven plots, one gnuplot started: each would have hung as long.
    #expect(try String(contentsOfFile: bin.file("starts"), encoding: .utf8) == "started\n")
  }

  @Test("A link planted at a picture's name in plots/ is replaced, not written through", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
  func plantedLink() throws {
    let directory = try TemporaryDirectory()
    let results = try runExperiment(smallConfig(), in: directory)
    let plotter = try Plotter(output: .picture(.png))
    let first = try #require(try plotter.render(results).first?.plot.picture)
    let picture = directory.file("results/plots/") + first
    let victim = directory.file("victim.txt"), other = directory.file("other.txt")
    try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
    try Data("also precious".utf8).write(to: URL(fileURLWithPath: other))
    try FileManager.default.removeItem(atPath: picture)
    try FileManager.default.createSymbolicLink(atPath: picture, withDestinationPath: victim)
    // And a second name of another file at the next picture's name.
    let second = try #require(Plotter.plots(for: results).dropFirst().first?.picture)
    try FileManager.default.removeItem(atPath: directory.file("results/plots/") + second)
    try FileManager.default.linkItem(atPath: other, toPath: directory.file("results/plots/") + second)
    _ = try plotter.render(results)
    #expect(FileManager.default.contents(atPath: victim) == Data("precious".utf8))
    #expect(FileManager.default.contents(atPath: other) == Data("also precious".utf8))
    #expect(try FileManager.default.attributesOfItem(atPath: picture)[.type] as? FileAttributeType == .typeRegular)
    #expect(fileStarts(picture, with: pngMagic))
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
