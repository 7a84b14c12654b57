extension CheckReport {
  /// A GitHub-flavoured Markdown summary (for `$GITHUB_STEP_SUMMARY` or a pull-request comment):
  /// the verdict, the settings, then tables of regressions and improvements.
  public var markdown: String {
    var lines: [String] = []
    lines.append("## \(passed ? "✅" : "❌") descent check: \(Markdown.escaped(experiment))")
    lines.append("")
    lines.append("**" + Markdown.escaped(verdict) + "**")
    lines.append("")
    lines.append("- " + Markdown.escaped(headline))
    for setting in settingsLines { lines.append("- " + Markdown.escaped(setting)) }
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
        let cells = [level, f.subject, f.metric, f.baseline, f.current, f.change].map(Markdown.escaped)
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
