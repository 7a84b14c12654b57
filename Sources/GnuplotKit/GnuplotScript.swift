/// A gnuplot script under construction: commands, and data inlined as datablocks.
///
/// ```swift
/// var script = GnuplotScript()
/// script.append("set terminal pngcairo size 800,600")
/// script.append("set output \(GnuplotString.path("loss.png"))")
/// let loss = script.appendDatablock(named: "loss", columns: [steps, values])
/// script.append("plot \(loss) using 1:2 with lines title \(GnuplotString.literalText(runName))")
/// let output = try gnuplot.run(script)
/// ```
/// Commands are written as given: put user-supplied text through `GnuplotString` first.
public struct GnuplotScript: Equatable, Sendable, CustomStringConvertible {
  /// The script so far.
  public private(set) var text: String

  /// A script that starts with `text` (which should end in a newline if it is not empty).
  public init(_ text: String = "") {
    self.text = text
  }

  public var description: String { text }

  /// Appends one command and a newline.
  public mutating func append(_ command: String) {
    text += command
    text += "\n"
  }

  /// Appends a datablock `$name << EOD … EOD` with one line per row, and returns its reference `$name` for use in
  /// `plot`, `stats` and so on.
  ///
  /// Numbers are written by `number(_:)`. An empty row writes a blank line: one blank line starts a new scan (a
  /// line plot is broken there), two start a new data set (selected with `index`).
  /// - Parameter name: a gnuplot identifier (`[A-Za-z_][A-Za-z0-9_]*`) chosen by the program, not by a user.
  @discardableResult
  public mutating func appendDatablock(named name: String, rows: some Sequence<some Sequence<Double>>) -> String {
    precondition(Self.isIdentifier(name), "datablock name '\(name)' is not a gnuplot identifier")
    text += "$\(name) << EOD\n"
    for row in rows {
      var first = true
      for value in row {
        if !first { text += " " }
        text += Self.number(value)
        first = false
      }
      text += "\n"
    }
    text += "EOD\n"
    return "$" + name
  }

  /// Appends a datablock whose columns are `columns` (all of the same length) and returns its reference `$name`.
  /// - Parameter name: a gnuplot identifier chosen by the program, not by a user.
  @discardableResult
  public mutating func appendDatablock(named name: String, columns: [[Double]]) -> String {
    let count = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == count }, "datablock columns differ in length")
    return appendDatablock(named: name, rows: (0..<count).lazy.map { row in columns.lazy.map { $0[row] } })
  }

  /// A number as gnuplot's data reader takes it: the shortest text that reads back as the same `Double`
  /// (`"\(value)"`), with `NaN`, `Inf` and `-Inf` for the values that have no digits.
  ///
  /// gnuplot reads these with `strtod`. It treats `NaN` as an undefined point: not drawn, breaking a line plot, and
  /// counted as invalid by `stats`. It reads `Inf`/`-Inf` as infinities, which plots also leave out.
  public static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
    return "\(value)"
  }

  static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first)
      || ("A"..."Z").contains(first)
    else { return false }
    return name.unicodeScalars.allSatisfy {
      $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
    }
  }
}
