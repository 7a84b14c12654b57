import Foundation
import Testing
@testable import DescentCore

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Regression reports: terminal, Markdown and JUnit XML")
struct RegressionReportTests {
  /// Three seeds of adam (seeds 1 and 2 stop converging, which moves the median), two of gd (both
  /// faster), one of sgd (unchanged).
  func mixedReport(file: String = "Results/baselines/ci.json", rule: DecisionRule = .auto, failOnImprovement: Bool = false) throws -> CheckReport {
    var old: [String: ConvergenceMetrics] = [:], new: [String: ConvergenceMetrics] = [:]
    for id in seedIDs("quadratic__adam", seeds: 3) { (old[id], new[id]) = (metrics(), metrics()) }
    for seed in [1, 2] { new["quadratic__adam__seed=\(seed)"] = metrics(.maxSteps, steps: 1000, toTarget: [50, .infinity], final: 3e-6, best: 3e-6) }
    for id in seedIDs("quadratic__gd", seeds: 2) { (old[id], new[id]) = (metrics(toTarget: [100, 400]), metrics(toTarget: [60, 400])) }
    old["quadratic__sgd__seed=0"] = metrics()
    new["quadratic__sgd__seed=0"] = metrics()
    let check = RegressionCheck(decision: rule, failOnImprovement: failOnImprovement)
    return try check.compare(makeBaseline(old), with: makeBaseline(new), baselineFile: file, resultsPath: "Results/ci")
  }

  @Test("terminal: settings with their defaults, regressions, then improvements, then the verdict as the last line")
  func terminal() throws {
    let report = try mixedReport(rule: .both)
    let text = report.terminalText
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[1] == "tolerances: steps worse by more than 10 % and more than 5 steps; suboptimality worse by more than 10× and above 1e-12; f (f* unknown) worse by more than 1 %")
    #expect(lines[2].hasPrefix("decide: both"))
    #expect(lines[3] == "improvements: reported, never fail")
    let regressions = try #require(lines.firstIndex { $0.hasPrefix("Regressions (") })
    let improvements = try #require(lines.firstIndex { $0.hasPrefix("Improvements (") })
    #expect(regressions < improvements)
    #expect(lines[regressions + 1].split(separator: " ", omittingEmptySubsequences: true) == ["level", "run", "metric", "baseline", "now", "change"])
    #expect(lines.contains { $0.contains("run     quadratic__adam__seed=1  status") && $0.contains("converged  max_steps  worse") })
    #expect(lines.contains { $0.contains("quadratic__adam__seed=1") && $0.contains("steps_to_1e-8") && $0.hasSuffix("no longer reached") })
    #expect(lines.contains { $0.contains("median  quadratic__gd") && $0.contains("−40 (−40.0 %)") })
    #expect(text.hasSuffix("\n"))
    #expect(lines[lines.count - 2] == report.verdict)
    #expect(report.verdict == "FAIL: 12 regressions in 2 runs and 1 median across seeds (3 improvements)")
  }

  @Test("terminal: levels that do not decide are starred and explained; the verdict counts them apart")
  func informational() throws {
    let report = try mixedReport(rule: .median)
    #expect(report.terminalText.contains("run*    quadratic__adam__seed=1"))
    #expect(report.terminalText.contains("* informational: this level does not decide for its configuration (--decide median)"))
    #expect(!report.passed)
    #expect(report.verdict == "FAIL: 4 regressions in 1 median across seeds (3 improvements, 2 of them informational, 8 informational regressions)")
    #expect(report.failing.allSatisfy { $0.level == .median && $0.subject == "quadratic__adam" })
  }

  @Test("terminal: with nothing to report, both tables say none")
  func nothing() throws {
    let report = try RegressionCheck().compare(["r": metrics()], ["r": metrics()])
    #expect(report.terminalText.contains("Regressions: none\n\nImprovements: none\n\nPASS: no regressions in 1 run\n"))
  }

  @Test("Markdown: a headline with the verdict, the settings, and tables of regressions and improvements")
  func markdown() throws {
    let report = try mixedReport(file: "base|line_*.json", rule: .auto)
    #expect(report.verdict == "FAIL: 4 regressions in 1 median across seeds (3 improvements, 1 of them informational, 8 informational regressions)")
    let md = report.markdown
    #expect(md.hasPrefix("## ❌ descent check: t\n\n**FAIL: 4 regressions in 1 median across seeds"))
    #expect(md.contains("### Regressions (12)\n\n| level | run | metric | baseline | now | change |\n| --- | --- | --- | --- | --- | --- |\n"))
    #expect(md.contains("| run (informational) | quadratic\\_\\_adam\\_\\_seed=1 | status | converged | max\\_steps | worse |"))
    #expect(md.contains("| median | quadratic\\_\\_adam | status | converged | max\\_steps | worse |"))
    #expect(md.contains("### Improvements ("))
    #expect(md.contains("base\\|line\\_\\*.json"), "a pipe in a file name must not break the table")
    #expect(md.contains("| median (informational) |"))
    let passing = try RegressionCheck().compare(["r": metrics()], ["r": metrics()]).markdown
    #expect(passing.hasPrefix("## ✅ descent check: t"))
    #expect(passing.contains("### Regressions (0)\n\nNone."))
  }

  @Test("JUnit: one test case per run and per median, a failure for each failing one")
  func junit() throws {
    let report = try mixedReport(rule: .both)
    let xml = report.junitXML
    #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
    #expect(occurrences(of: "<testcase ", in: xml) == 6 + 2)
    #expect(xml.contains(#"<testsuites name="descent check: t" tests="8" failures="3" errors="0">"#))  // seeds 1, 2 and the adam median
    #expect(occurrences(of: "<failure ", in: xml) == 3)
    #expect(xml.contains(#"<testcase classname="t.medians" name="quadratic__adam" time="0">"#))
    #expect(xml.contains(#"<testcase classname="t.runs" name="quadratic__adam__seed=1" time="0">"#))
    #expect(xml.contains(#"<failure type="regression" message="status: converged → max_steps (worse); "#))
    #expect(xml.contains(#"<testcase classname="t.runs" name="quadratic__sgd__seed=0" time="0"/>"#))
    #expect(xml.contains("<system-out>improvement: steps_to_1e-2: 100 → 60 (−40 (−40.0 %))</system-out>"))
    try expectWellFormed(xml)
    let strict = try mixedReport(rule: .both, failOnImprovement: true).junitXML
    #expect(strict.contains(#"failures="6""#))  // and gd's two runs and median
    #expect(strict.contains(#"<failure type="improvement""#))
  }

  @Test("JUnit: hostile text is escaped and stays well-formed XML")
  func junitEscaping() throws {
    let hostile = "a<b>&\"c\"'d'\u{1}\u{7}]]>\ne\tf\u{FFFE}.json"
    let xml = try mixedReport(file: hostile).junitXML
    #expect(xml.contains("<property name=\"baseline\" value=\"a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\u{FFFD}\u{FFFD}]]&gt;&#10;e&#9;f\u{FFFD}.json\"/>"))
    try expectWellFormed(xml)
  }

  @Test("XML escaping, character by character")
  func xmlEscape() {
    #expect(CheckReport.xmlEscape("plain ñ ✓") == "plain ñ ✓")
    #expect(CheckReport.xmlEscape("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;")
    #expect(CheckReport.xmlEscape("\n\r\t") == "&#10;&#13;&#9;")
    #expect(CheckReport.xmlEscape("\u{0}\u{1F}\u{FFFF}") == "\u{FFFD}\u{FFFD}\u{FFFD}")
  }

  @Test("Markdown escaping keeps table cells on one line and inert")
  func markdownEscape() {
    #expect(Markdown.escaped("a|b\nc") == "a\\|b c")
    #expect(Markdown.escaped("<script>&") == "&lt;script&gt;&amp;")
    #expect(Markdown.escaped("*x* _y_ `z` [l](u)") == "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u)")
  }

  func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }

  func expectWellFormed(_ xml: String) throws {
    #if canImport(FoundationXML) || canImport(Darwin)
    let parser = XMLParser(data: Data(xml.utf8))
    #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")")
    #endif
  }
}
