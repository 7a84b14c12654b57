import Foundation
import GnuplotKit
import Testing

@Suite("Script errors from the real gnuplot", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct ScriptErrorTests {
  /// Runs `script`, expects `.scriptFailed`, and returns the diagnostic.
  private func failure(of script: String) throws -> GnuplotDiagnostic? {
    let directory = try TemporaryDirectory()
    let error = #expect(throws: GnuplotError.self) { try realGnuplot(in: directory).run(script) }
    guard case .scriptFailed(let diagnostic, let exitStatus, let standardError) = error else {
      Issue.record("expected scriptFailed, got \(String(describing: error))")
      return nil
    }
    #expect(exitStatus != 0)
    #expect(standardError.contains(diagnostic.message.split(separator: "\n")[0]))
    #expect(error?.exitCode == 70)
    return diagnostic
  }

  @Test("An undefined variable is reported with gnuplot's message and its line")
  func undefinedVariable() throws {
    let script = """
      set terminal dumb
      a = 1
      # a comment

      print a + foo
      print "never reached"

      """
    let diagnostic = try failure(of: script)
    #expect(diagnostic == GnuplotDiagnostic(line: 5, message: "undefined variable: foo"))
  }

  @Test("Line numbers count the lines of datablocks before the error")
  func lineAfterDatablock() throws {
    var script = GnuplotScript()
    script.append("set terminal dumb")
    script.appendDatablock(named: "data", rows: (0..<50).map { [Double($0), Double($0 * $0)] })
    script.append("plot $data using 1:2 with lines, undefined_function(x)")
    let diagnostic = try failure(of: script.text)
    // 1 terminal line, 1 header, 50 rows, 1 EOD: the plot is line 54.
    #expect(diagnostic?.line == 54)
    #expect(diagnostic?.message == "undefined function: undefined_function")
  }

  @Test("An error in a command continued with a backslash is blamed on its last line")
  func continuedLine() throws {
    let diagnostic = try failure(of: "set terminal dumb\nplot x \\\n  + nothing_here\n")
    #expect(diagnostic == GnuplotDiagnostic(line: 3, message: "undefined variable: nothing_here"))
  }

  @Test("The lines gnuplot prints after its message are kept")
  func systemErrorDetail() throws {
    let directory = try TemporaryDirectory()
    let unwritable = directory.path("no/such/directory/out.png")
    let diagnostic = try failure(of: "set terminal pngcairo\nset output \(GnuplotString.path(unwritable))\nplot x\n")
    #expect(diagnostic?.line == 2)
    #expect(diagnostic?.message == "cannot open file; output not changed\nsystem error: No such file or directory")
  }

  @Test("An error in a loaded file names that file")
  func errorInLoadedFile() throws {
    let directory = try TemporaryDirectory()
    let included = directory.path("included.gp")
    try Data("x = 1\ny = x + missing_thing\n".utf8).write(to: URL(fileURLWithPath: included))
    let diagnostic = try failure(of: "load \(GnuplotString.path(included))\n")
    #expect(diagnostic == GnuplotDiagnostic(file: included, line: 2, message: "undefined variable: missing_thing"))
  }

  @Test("An error early in a script longer than the pipe buffer is still a script error, not a broken pipe")
  func errorBeforeEndOfLongScript() throws {
    let filler = String(repeating: "# filler comment that gnuplot never reads\n", count: 100_000)
    let diagnostic = try failure(of: "set terminal dumb\nprint 1 +\n" + filler)
    #expect(diagnostic?.line == 2)
  }

  @Test("quit part-way through a long script is reported as exiting early")
  func quitEarly() throws {
    let directory = try TemporaryDirectory()
    let filler = String(repeating: "print \"unreachable\"\n", count: 200_000)
    let error = #expect(throws: GnuplotError.self) {
      try realGnuplot(in: directory).run("print \"before\"\nquit\n" + filler)
    }
    guard case .exitedEarly(let standardError) = error else {
      Issue.record("expected exitedEarly, got \(String(describing: error))")
      return
    }
    #expect(standardError == "before\n")
  }
}

@Suite("Parsing gnuplot's diagnostics")
struct DiagnosticParsingTests {
  @Test("A gnuplot error with a caret and a system-error line")
  func fullError() throws {
    let error = #expect(throws: GnuplotError.self) {
      // A fake that prints what gnuplot 5.4 prints for an unwritable output file.
      let directory = try TemporaryDirectory()
      let environment = try directory.fakeGnuplot(
        """
        /bin/cat > /dev/null
        printf 'set output "/x/y.png"\\n                ^\\n' >&2
        printf '"/dev/stdin" line 7: warning: a warning first\\n' >&2
        printf '"/dev/stdin" line 8: cannot open file; output not changed\\n' >&2
        printf 'system error: No such file or directory\\n\\n' >&2
        exit 1
        """)
      _ = try Gnuplot(environment: environment).run("whatever\n")
    }
    guard case .scriptFailed(let diagnostic, 1, _) = error else {
      Issue.record("expected scriptFailed with status 1, got \(String(describing: error))")
      return
    }
    #expect(
      diagnostic
        == GnuplotDiagnostic(
          line: 8, message: "cannot open file; output not changed\nsystem error: No such file or directory"))
  }

  @Test("Warnings with and without a place are collected; other output is not")
  func warningsOnSuccess() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot(
      """
      /bin/cat > /dev/null
      printf 'printed by the script\\n' >&2
      printf '"/dev/stdin" line 3: warning: Skipping data file with no valid points\\n' >&2
      printf 'Warning: empty y range [1:1], adjusting to [0.99:1.01]\\n' >&2
      printf '"lib.gp" line 12: warning: from a loaded file\\n' >&2
      exit 0
      """)
    let output = try Gnuplot(environment: environment).run("whatever\n")
    #expect(
      output.warnings == [
        GnuplotDiagnostic(line: 3, message: "Skipping data file with no valid points"),
        GnuplotDiagnostic(line: nil, message: "empty y range [1:1], adjusting to [0.99:1.01]"),
        GnuplotDiagnostic(file: "lib.gp", line: 12, message: "from a loaded file"),
      ])
  }
}
