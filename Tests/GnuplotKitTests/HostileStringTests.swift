import Foundation
import GnuplotKit
import Testing

/// Strings that try to run `touch SENTINEL` or to end the literal they are put in. `SENTINEL` is replaced by an
/// absolute path in a fresh directory before use.
private let hostileStrings: [String] = [
  "`touch SENTINEL`",
  "system(\"touch SENTINEL\")",
  "'; system(\"touch SENTINEL\"); '",
  "\"; system(\"touch SENTINEL\"); \"",
  "\n!touch SENTINEL\n",
  "\r\n!touch SENTINEL",
  "@cmd",
  "@cmd @cmd",
  "\\' . system(\"touch SENTINEL\") . \\'",
  "\\\" . system(\"touch SENTINEL\") . \\\"",
  "load \"x\"",
  "\nload \"SENTINEL.gp\"\n",
  "\ncall \"SENTINEL.gp\"\n",
  "\nset output '| touch SENTINEL'\n",
  "$(touch SENTINEL)",
  "'''`touch SENTINEL`'''",
  "''''; system(\"touch SENTINEL\"); ''''",
  "a''b'''c''''d",
  "\"\"\"`touch SENTINEL`\"",
  "\0touch SENTINEL",
  "title\0\"; system(\"touch SENTINEL\")",
  "back\\slash\\",
  "ends with a backslash \\",
  "\\\n!touch SENTINEL",
  "\\0047; system(\"touch SENTINEL\"); \\0047",
  "# not a comment; system(\"touch SENTINEL\")",
  "{ system(\"touch SENTINEL\") }",
  "} ; system(\"touch SENTINEL\") ; {",
  "$data $0 $1 $# ARG1",
  "tabs\tand\u{7}bells\u{7F}and\u{85}C1",
  "sub_script^super {/Symbol a} &{x} ~a{.8-}",
  "ünïcödé ∇f(x) 😀 \u{2028} ok",
  "0047 digits after escapes: '1 \"2 `3 @4",
  "",
]

/// A script that refers to the gnuplot variable `cmd` and to a file it could load, so macros and `load` have
/// something to find if they ever ran.
private func armedPreamble(sentinel: String) -> String {
  """
  cmd = 'system("touch \(sentinel)")'
  set terminal dumb size 80,24

  """
}

@Suite("Hostile strings through the real gnuplot", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct HostileStringTests {
  @Test("A quoted hostile string runs nothing and gnuplot accepts it everywhere text goes",
    arguments: hostileStrings.indices)
  func quotedStringIsInert(index: Int) throws {
    let directory = try TemporaryDirectory()
    let sentinel = directory.path("SENTINEL")
    // A file `load "SENTINEL.gp"` would run, touching the sentinel.
    try Data("system(\"touch \(sentinel)\")\n".utf8).write(to: URL(fileURLWithPath: sentinel + ".gp"))
    let hostile = hostileStrings[index].replacingOccurrences(of: "SENTINEL", with: sentinel)
    let quoted = GnuplotString.quoted(hostile)
    let literal = GnuplotString.literalText(hostile)

    var script = GnuplotScript(armedPreamble(sentinel: sentinel))
    script.append("set title \(quoted)")
    script.append("set title \(literal)")
    script.append("set xlabel \(literal)")
    script.append("set ylabel \(quoted)")
    script.append("set key title \(literal)")
    script.append("set label 1 \(quoted) at 0,0")
    script.append("set label 2 \(literal) at 1,1")
    script.append("value = \(quoted)")
    script.append("plot x title \(literal), x**2 title \(quoted) with lines, -x title value")
    script.append("set print \"-\"")
    script.append("print \(quoted)")
    script.append("print value . \(quoted)")
    script.append("print \"done\"")

    let output: GnuplotOutput
    do {
      output = try realGnuplot(in: directory).run(script)
    } catch {
      Issue.record("gnuplot rejected hostile string #\(index) \(hostile.debugDescription): \(error)")
      return
    }
    #expect(!FileManager.default.fileExists(atPath: sentinel), "hostile string #\(index) ran a command")
    let expected = String(String.UnicodeScalarView(hostile.unicodeScalars.map {
      $0.properties.generalCategory == .control ? " " : $0
    }))
    let printed = output.standardOutputText.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(printed.suffix(4).map(String.init) == [expected, expected + expected, "done", ""],
      "the literal reads back as the string, control characters as spaces")
  }

  @Test("path() keeps file names from becoming pipes, datablocks or special files")
  func pathsAreInert() throws {
    let directory = try TemporaryDirectory()
    let sentinel = directory.path("SENTINEL")
    let gnuplot = try realGnuplot(in: directory)
    for name in ["| touch SENTINEL", "|touch SENTINEL"] {
      _ = try gnuplot.run("set print \(GnuplotString.path(name))\nprint 1\nset print\n")
      #expect(directory.exists(name), "set print wrote to a file called \(name.debugDescription)")
      _ = try gnuplot.run("set terminal dumb\nset output \(GnuplotString.path(name))\nplot x\nunset output\n")
    }
    for name in ["< touch \(sentinel)", "<touch SENTINEL", "-", "+", "$data", "~"] {
      // Each names a missing file: gnuplot warns that it cannot open it, and still plots sin(x).
      let output = try gnuplot.run("$data << EOD\n1 1\nEOD\nset terminal dumb\nplot sin(x), \(GnuplotString.path(name))\n")
      #expect(output.warnings.count == 1, "\(name.debugDescription) was read as something other than a file")
    }
    // An empty name would mean "the previous file" to gnuplot; "./" is a directory, which it refuses.
    #expect(throws: GnuplotError.self) {
      try gnuplot.run("$data << EOD\n1 1\nEOD\nset terminal dumb\nplot $data, \(GnuplotString.path(""))\n")
    }
    #expect(!FileManager.default.fileExists(atPath: sentinel))
    #expect(!directory.exists("SENTINEL"))
  }

  @Test("path() reads and writes files whose names need escapes")
  func awkwardFileNames() throws {
    let directory = try TemporaryDirectory()
    let name = "it's a \"data\" file `x` @y $z #1 {2}\\.dat"
    try Data("1 2\n3 4\n".utf8).write(to: directory.url.appendingPathComponent(name))
    let output = try realGnuplot(in: directory).run(
      "set print \"-\"\nstats \(GnuplotString.path(name)) using 2 nooutput\nprint STATS_sum\n"
        + "stats \(GnuplotString.path(directory.path(name))) using 1 nooutput\nprint STATS_sum\n")
    #expect(output.standardOutputText == "6.0\n4.0\n")
  }
}

@Suite("Quoting")
struct QuotingTests {
  @Test("Only letters, digits, space and inert punctuation are written as themselves")
  func escapes() {
    #expect(GnuplotString.quoted("plain text 1.5-2") == "\"plain text 1.5-2\"")
    #expect(GnuplotString.quoted("a'b\"c`d@e\\f$g#h{i}j") ==
      #""a\0047b\0042c\0140d\0100e\0134f\0044g\0043h\0173i\0175j""#)
    #expect(GnuplotString.quoted("line\nbreak\ttab\0nul") == "\"line break tab nul\"")
    #expect(GnuplotString.quoted("∇f 😀") == "\"∇f 😀\"")
    #expect(GnuplotString.literalText("a_b") == "\"a_b\" noenhanced")
  }

  @Test("Paths are made explicitly relative and keep control characters as escapes")
  func paths() {
    #expect(GnuplotString.path("/abs/x.png") == "\"/abs/x.png\"")
    #expect(GnuplotString.path("x.png") == "\"./x.png\"")
    #expect(GnuplotString.path("../x.png") == "\"../x.png\"")
    #expect(GnuplotString.path("<cmd") == "\"./<cmd\"")
    #expect(GnuplotString.path("") == "\"./\"")
    #expect(GnuplotString.path("a\nb") == #""./a\0012b""#)
  }
}
