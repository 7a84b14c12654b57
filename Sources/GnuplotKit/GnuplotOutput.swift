import Foundation

/// What a successful gnuplot run printed.
///
/// Standard output holds whatever the terminal drew there: ASCII art from `set terminal dumb`, or image bytes when
/// no `set output` was given. gnuplot's `print` writes to standard error unless the script says `set print "-"`.
public struct GnuplotOutput: Equatable, Sendable {
  /// The bytes gnuplot wrote to standard output.
  public var standardOutput: Data
  /// Everything gnuplot wrote to standard error: `print` output and warnings.
  public var standardError: String
  /// The warnings found in `standardError`, such as `warning: Skipping data file with no valid points`.
  public var warnings: [GnuplotDiagnostic]

  public init(standardOutput: Data, standardError: String, warnings: [GnuplotDiagnostic]) {
    self.standardOutput = standardOutput
    self.standardError = standardError
    self.warnings = warnings
  }

  /// `standardOutput` decoded as UTF-8 (invalid bytes become U+FFFD), for `set terminal dumb` plots and
  /// `set print "-"`.
  public var standardOutputText: String {
    String(decoding: standardOutput, as: UTF8.self)
  }
}
