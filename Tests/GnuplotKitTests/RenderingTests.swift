import Dispatch
import Foundation
import GnuplotKit
import Synchronization
import Testing

@Suite("Rendering with the real gnuplot", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct RenderingTests {
  @Test("pngcairo writes a PNG from a script with a datablock")
  func rendersPNG() throws {
    let directory = try TemporaryDirectory()
    var script = GnuplotScript()
    let data = script.appendDatablock(named: "loss", columns: [[0, 1, 2, 3], [4, 2, 1, 0.5]])
    script.append("set terminal pngcairo size 320,240")
    script.append("set output \(GnuplotString.path(directory.path("loss.png")))")
    script.append("plot \(data) using 1:2 with lines title \(GnuplotString.literalText("loss_train"))")
    script.append("unset output")

    let output = try realGnuplot(in: directory).run(script)

    let png = try Data(contentsOf: directory.url.appendingPathComponent("loss.png"))
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(png.count > 500)
    #expect(output.warnings.isEmpty)
  }

  @Test("A relative output name lands in the working directory")
  func workingDirectory() throws {
    let directory = try TemporaryDirectory()
    let script = """
      set terminal pngcairo size 100,100
      set output \(GnuplotString.path("relative.png"))
      plot x
      unset output

      """
    _ = try realGnuplot(in: directory).run(script)
    #expect(directory.exists("relative.png"))
  }

  @Test("The dumb terminal draws ASCII art on standard output")
  func dumbTerminal() throws {
    let directory = try TemporaryDirectory()
    let script = """
      set terminal dumb size 60,20
      set title "Parabola"
      plot x**2 title "squares"

      """
    let output = try realGnuplot(in: directory).run(script)
    let text = output.standardOutputText
    #expect(text.contains("Parabola"))
    #expect(text.contains("squares"))
    #expect(text.contains("*"))
    #expect(output.standardOutput.allSatisfy { $0 < 0x80 })
    #expect(text.split(separator: "\n").count >= 18)
  }

  @Test("literalText shows underscores and carets instead of enhanced-text markup")
  func noenhanced() throws {
    let directory = try TemporaryDirectory()
    let script = """
      set terminal dumb enhanced size 60,14
      set xlabel \(GnuplotString.literalText("x_1^2 plain"))
      set ylabel \(GnuplotString.quoted("y_1^2 enhanced"))
      plot x notitle

      """
    let text = try realGnuplot(in: directory).run(script).standardOutputText
    #expect(text.contains("x_1^2 plain"))
    #expect(!text.contains("y_1^2"))
  }

  @Test("Warnings from a successful run are reported with their line")
  func warnings() throws {
    let directory = try TemporaryDirectory()
    let missing = directory.path("missing.dat")
    let script = """
      set terminal dumb
      plot sin(x), \(GnuplotString.path(missing)) using 1:2

      """
    let output = try realGnuplot(in: directory).run(script)
    #expect(output.warnings.count == 1)
    #expect(output.warnings.first?.line == 2)
    #expect(output.warnings.first?.file == nil)
    #expect(output.warnings.first?.message.contains("missing.dat") == true)
  }

  @Test("A chatty gnuplot fed a long script does not deadlock on full pipes")
  func chattyGnuplot() throws {
    let directory = try TemporaryDirectory()
    var script = GnuplotScript()
    // About 2 MB of script while gnuplot writes about 1 MB back on each of stdout and stderr.
    script.appendDatablock(named: "big", rows: (0..<100_000).lazy.map { [Double($0), Double($0) / 7] })
    script.append("set print \"-\"")
    script.append("do for [i=1:120000] { print sprintf(\"stdout line %d\", i) }")
    script.append("set print")
    script.append("do for [i=1:120000] { print sprintf(\"stderr line %d\", i) }")
    script.append("stats $big using 2 nooutput")
    script.append("print sprintf(\"records=%d\", STATS_records)")

    let output = try realGnuplot(in: directory).run(script)
    #expect(output.standardOutputText.hasSuffix("stdout line 120000\n"))
    #expect(output.standardError.contains("stderr line 120000\n"))
    #expect(output.standardError.hasSuffix("records=100000\n"))
  }

  @Test("Many runs at once all succeed")
  func concurrentRuns() throws {
    let directory = try TemporaryDirectory()
    let gnuplot = try realGnuplot(in: directory)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 16) { index in
      do {
        let output = try gnuplot.run("set print \"-\"\nprint \(index) * 3\n")
        if output.standardOutputText != "\(index * 3)\n" {
          failures.withLock { $0.append("run \(index) printed \(output.standardOutputText)") }
        }
      } catch {
        failures.withLock { $0.append("run \(index): \(error)") }
      }
    }
    #expect(failures.withLock { $0 } == [])
  }
}
