/// Turns arbitrary strings (titles, labels, names from configuration files) into gnuplot string literals that
/// cannot run anything or end the literal early.
///
/// gnuplot executes shell commands from backquotes, `system(...)`, `!` at the start of a line, `load`/`call`, and
/// `set output '|…'` / `plot '<…'`, and expands `@name` macros. Checked against gnuplot 5.4 (scanner.c, util.c):
/// - Single-quoted literals do no backquote or macro substitution, but their `''` escape is unreliable: the scanner
///   only recognises `''` after an ordinary character, so `''''` and `'''x'` split into several tokens.
/// - Double-quoted literals run backquoted commands, and the macro pass treats `\"` specially.
/// - Inside double quotes, `\0ooo` is an octal escape read by `parse_esc` after all of those passes; an escape that
///   starts with `0` takes up to four digits, so four-digit escapes never swallow a following digit.
///
/// So a literal is written in double quotes, and every ASCII character other than letters, digits, space and
/// ``-_.,:;+*/=()[]<>%&|~^!?`` — including `"`, `'`, `\`, `` ` ``, `@`, `$`, `#`, `{`, `}` — is written as a
/// four-digit octal escape. The literal then contains no quote, backquote, `@` or line break for any pass of gnuplot's
/// parser to act on, and evaluates to exactly the original text. Characters beyond ASCII are written as they are.
///
/// See also: `Datablock`, `BinaryRecords.source`.
public enum GnuplotString {
  /// A gnuplot string literal whose value is `text`, with each control character (line breaks, tabs, NUL, C1
  /// controls) replaced by a space: a title or label is one line.
  ///
  /// ```swift
  /// script.append("set title \(GnuplotString.quoted(title))")
  /// ```
  public static func quoted(_ text: String) -> String {
    literal(text, controls: .replaceWithSpace)
  }

  /// `quoted(text)` followed by `noenhanced`, for titles, labels and key entries that should show `_`, `^`, `@`,
  /// `&` and braces as themselves rather than as enhanced-text markup (subscripts, superscripts, font changes).
  ///
  /// ```swift
  /// script.append("plot $run using 1:2 title \(GnuplotString.literalText("loss_train")) with lines")
  /// ```
  /// gnuplot accepts `noenhanced` right after the text in `plot … title`, `set title`, `set label`, `set xlabel`
  /// and `set key title`.
  public static func literalText(_ text: String) -> String {
    quoted(text) + " noenhanced"
  }

  /// A gnuplot string literal naming the file at `path`, safe for `plot`, `set output`, `set print` and `load`.
  ///
  /// A relative path gets a leading `./` unless it starts with `./` or `../`, because gnuplot gives names that
  /// start with `<` (read from a shell command), `|` (write to one), `$` (a datablock), `~` (the home directory),
  /// or that are `-`, `+`, `++` or empty special meanings. Control characters are kept, as escapes.
  public static func path(_ path: String) -> String {
    let needsPrefix = !(path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../"))
    return literal(needsPrefix ? "./" + path : path, controls: .escape)
  }

  private enum ControlCharacters { case replaceWithSpace, escape }

  private static func literal(_ text: String, controls: ControlCharacters) -> String {
    var result = "\""
    result.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      if scalar.properties.generalCategory == .control {
        if controls == .replaceWithSpace || !scalar.isASCII {
          result.append(controls == .replaceWithSpace ? " " : String(scalar))
        } else {
          appendOctalEscape(of: scalar, to: &result)
        }
      } else if !scalar.isASCII || isPlain(scalar) {
        result.unicodeScalars.append(scalar)
      } else {
        appendOctalEscape(of: scalar, to: &result)
      }
    }
    result.append("\"")
    return result
  }

  private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9", " ": true
    default: "-_.,:;+*/=()[]<>%&|~^!?".unicodeScalars.contains(scalar)
    }
  }

  /// Writes `\0ooo`: with a leading 0, gnuplot reads exactly four octal digits.
  private static func appendOctalEscape(of scalar: Unicode.Scalar, to result: inout String) {
    let octal = String(scalar.value, radix: 8)
    result.append("\\" + String(repeating: "0", count: 4 - octal.count) + octal)
  }
}
