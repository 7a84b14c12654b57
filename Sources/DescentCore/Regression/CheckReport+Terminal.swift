extension CheckReport {
  /// The report for a terminal: settings, a table of regressions, a table of improvements, and the verdict
  /// as the last line.
  public var terminalText: String {
    var lines = ["descent check — " + headline] + settingsLines + [""]
    lines += Self.table("Regressions", regressions)
    lines.append("")
    lines += Self.table("Improvements", improvements)
    lines.append("")
    if findings.contains(where: { !$0.decides }) {
      lines.append("* informational: this level does not decide for its configuration (--decide \(check.decision.rawValue))")
      lines.append("")
    }
    lines.append(verdict)
    return lines.joined(separator: "\n") + "\n"
  }

  static func table(_ title: String, _ findings: [Finding]) -> [String] {
    guard !findings.isEmpty else { return ["\(title): none"] }
    let header = ["level", "run", "metric", "baseline", "now", "change"]
    let rows = findings.map { f in [f.level.rawValue + (f.decides ? "" : "*"), f.subject, f.metric, f.baseline, f.current, f.change] }
    let widths = header.indices.map { k in ([header[k]] + rows.map { $0[k] }).map(\.count).max()! }
    func line(_ cells: [String]) -> String {
      zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    return ["\(title) (\(findings.count)):", "  " + line(header), "  " + line(widths.map { String(repeating: "-", count: $0) })]
      + rows.map { "  " + line($0) }
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
