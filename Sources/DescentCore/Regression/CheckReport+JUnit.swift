extension CheckReport {
  /// JUnit XML: one test case per run and per median across seeds; a `<failure>` for each that fails the
  /// check, with every finding in its text, and informational findings in `<system-out>`.
  public var junitXML: String {
    var cases: [(classname: String, name: String, findings: [Finding])] = []
    for c in configurations {
      for id in c.runIDs { cases.append((experiment + ".runs", id, findings(for: id, level: .run))) }
      if c.hasMedian { cases.append((experiment + ".medians", c.name, findings(for: c.name, level: .median))) }
    }
    let failOnImprovement = check.failOnImprovement
    let failures = cases.count { $0.findings.contains { $0.fails(failOnImprovement: failOnImprovement) } }
    let suite = "descent check: " + experiment
    var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    x += #"<testsuites name="\#(Self.xmlEscape(suite))" tests="\#(cases.count)" failures="\#(failures)" errors="0">"# + "\n"
    x += #"  <testsuite name="\#(Self.xmlEscape(suite))" tests="\#(cases.count)" failures="\#(failures)" errors="0" skipped="0">"# + "\n"
    x += "    <properties>\n"
    let properties = [("baseline", baselineFile), ("results", resultsPath), ("config_sha256", configHash),
                      ("baseline_descent_version", baselineVersion), ("results_descent_version", resultsVersion),
                      ("tolerances", check.tolerances.summary), ("decide", check.decision.rawValue),
                      ("fail_on_improvement", check.failOnImprovement ? "true" : "false"), ("verdict", verdict)]
    for (name, value) in properties {
      x += #"      <property name="\#(name)" value="\#(Self.xmlEscape(value))"/>"# + "\n"
    }
    x += "    </properties>\n"
    for c in cases {
      let open = #"    <testcase classname="\#(Self.xmlEscape(c.classname))" name="\#(Self.xmlEscape(c.name))" time="0""#
      let failing = c.findings.filter { $0.fails(failOnImprovement: failOnImprovement) }
      let other = c.findings.filter { !$0.fails(failOnImprovement: failOnImprovement) }
      if c.findings.isEmpty {
        x += open + "/>\n"
        continue
      }
      x += open + ">\n"
      if !failing.isEmpty {
        let kind = failing.contains { $0.kind == .regression } ? "regression" : "improvement"
        let message = failing.map(\.line).joined(separator: "; ")
        x += #"      <failure type="\#(kind)" message="\#(Self.xmlEscape(message))">"#
        x += Self.xmlEscape(failing.map { "\($0.kind.rawValue): \($0.line)" }.joined(separator: "\n")) + "</failure>\n"
      }
      if !other.isEmpty {
        let text = other.map { "\($0.kind.rawValue)\($0.decides ? "" : " (informational)"): \($0.line)" }.joined(separator: "\n")
        x += "      <system-out>" + Self.xmlEscape(text) + "</system-out>\n"
      }
      x += "    </testcase>\n"
    }
    x += "  </testsuite>\n</testsuites>\n"
    return x
  }

  /// Text safe in XML 1.0 content and attribute values: the five markup characters as entities, line
  /// breaks and tabs as character references (so attributes keep them), and characters XML 1.0 forbids
  /// (other control characters, U+FFFE, U+FFFF) replaced by U+FFFD.
  static func xmlEscape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += "&#10;"
      case "\r": out += "&#13;"
      case "\t": out += "&#9;"
      case let s where s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF: out += "\u{FFFD}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
