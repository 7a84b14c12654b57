/// GitHub-flavoured Markdown for reports (`descent check --markdown`, `descent report --markdown`).
enum Markdown {
  /// Text safe in a Markdown table cell and inline: no HTML, no emphasis, no cell breaks, one line.
  static func escaped(_ text: String) -> String {
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
