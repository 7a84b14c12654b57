extension CheckReport {
  /// A GitHub-flavoured Markdown summary (for `$GITHUB_STEP_SUMMARY` or a pull-request comment):
  /// the verdict, the settings, then tables of regressions and improvements.
  public var markdown: String {
    var lines: [String] = []
    lines.append("## \(passed ? "✅" : "❌") descent check: \(Self.markdownEscape(experiment))")
    lines.append("")
    lines.append("**" + Self.markdownEscape(verdict) + "**")
    lines.append("")
    lines.append("- " + Self.markdownEscape(headline))
    for setting in settingsLines { lines.append("- " + Self.markdownEscape(setting)) }
    for (title, findings) in [("Regressions", regressions), ("Improvements", improvements)] {
      lines.append("")
      lines.append("### \(title) (\(findings.count))")
      lines.append("")
      guard !findings.isEmpty else {
        lines.append("None.")
        continue
      }
      lines.append("| level | run | metric | baseline | now | change |")
      lines.append("| --- | --- | --- | --- | --- | --- |")
      for f in findings {
        let level = f.level.rawValue + (f.decides ? "" : " (informational)")
        let cells = [level, f.subject, f.metric, f.baseline, f.current, f.change].map(Self.markdownEscape)
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Text safe in a Markdown table cell and inline: no HTML, no emphasis, no cell breaks, one line.
  static func markdownEscape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "|", "\\", "`", "*", "_", "[", "]", "#", "~": out += "\\" + String(c)
      case "\n", "\r", "\r\n", "\t": out += " "
      default: out.append(c)
      }
    }
    return out
  }
}
