import Foundation

/// One error or warning that gnuplot printed, with the script line it points at.
///
/// gnuplot reports problems on standard error as
/// ```
/// "/dev/stdin" line 12: undefined variable: foo
/// "/dev/stdin" line 3: warning: Skipping data file with no valid points
/// ```
/// (the file name is left out for some messages). A diagnostic holds the part after `line N: `, without the
/// `warning: ` prefix, and the line number. `file` is `nil` for the script that was sent to gnuplot, and otherwise
/// names the file gnuplot was reading, for example one pulled in with `load`.
public struct GnuplotDiagnostic: Equatable, Sendable, CustomStringConvertible {
  /// The file gnuplot was reading, or `nil` for the script sent on its standard input.
  public var file: String?
  /// The 1-based line gnuplot blamed (for a command continued with `\`, its last line), if it named one.
  public var line: Int?
  /// gnuplot's message, for example `undefined variable: foo`.
  public var message: String

  public init(file: String? = nil, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    let place = [file, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: " ")
    return place.isEmpty ? message : "\(place): \(message)"
  }
}

extension GnuplotDiagnostic {
  /// The file name gnuplot uses for the script, which is read from `/dev/stdin`.
  static let scriptFile = "/dev/stdin"

  /// Parses one line of standard error such as `"/dev/stdin" line 12: undefined variable: foo`.
  /// Returns the diagnostic and whether it was a warning, or `nil` when the line is not in that form.
  /// A line that starts `Warning: ` (gnuplot prints some warnings without a place) is a warning with no line.
  static func parse(_ text: Substring) -> (diagnostic: GnuplotDiagnostic, isWarning: Bool)? {
    if text.lowercased().hasPrefix("warning: ") {
      return (GnuplotDiagnostic(line: nil, message: String(text.dropFirst("warning: ".count))), true)
    }
    var rest = text[...]
    var file: String?
    if rest.first == "\"" {
      guard let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
      file = String(rest[rest.index(after: rest.startIndex)..<close])
      rest = rest[rest.index(after: close)...]
      guard rest.first == " " else { return nil }
      rest = rest.dropFirst()
    }
    guard rest.hasPrefix("line ") else { return nil }
    rest = rest.dropFirst("line ".count)
    let digits = rest.prefix(while: \.isASCII).prefix(while: \.isNumber)
    guard !digits.isEmpty, let line = Int(digits) else { return nil }
    rest = rest[digits.endIndex...]
    guard rest.hasPrefix(": ") else { return nil }
    rest = rest.dropFirst(2)
    let isWarning = rest.hasPrefix("warning: ")
    if isWarning { rest = rest.dropFirst("warning: ".count) }
    let diagnostic = GnuplotDiagnostic(
      file: file == scriptFile ? nil : file, line: line, message: String(rest))
    return (diagnostic, isWarning)
  }

  /// The warnings in gnuplot's standard error, in order.
  static func warnings(in standardError: String) -> [GnuplotDiagnostic] {
    standardError.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
      guard let parsed = parse(line), parsed.isWarning else { return nil }
      return parsed.diagnostic
    }
  }

  /// The error that made gnuplot exit with `exitStatus`: the last non-warning diagnostic, together with the lines
  /// gnuplot printed right after it (such as `system error: No such file or directory`). When gnuplot printed no
  /// diagnostic, the message is its whole standard error, or a note of the exit status when that is empty.
  static func error(in standardError: String, exitStatus: Int32) -> GnuplotDiagnostic {
    let lines = standardError.split(separator: "\n", omittingEmptySubsequences: false)
    for index in lines.indices.reversed() {
      guard let parsed = parse(lines[index]), !parsed.isWarning else { continue }
      var diagnostic = parsed.diagnostic
      let following = lines[(index + 1)...].prefix { !$0.allSatisfy(\.isWhitespace) }
      if !following.isEmpty {
        diagnostic.message += "\n" + following.joined(separator: "\n")
      }
      return diagnostic
    }
    let trimmed = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
    return GnuplotDiagnostic(
      line: nil, message: trimmed.isEmpty ? "gnuplot exited with status \(exitStatus)" : trimmed)
  }
}
