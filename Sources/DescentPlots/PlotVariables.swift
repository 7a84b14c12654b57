import GnuplotKit

/// The variables a template reads, written as gnuplot assignments at the top of a rendered script.
///
/// Every text — names, labels, the experiment's description — goes through `GnuplotString`, so nothing from a
/// config can end a literal, run a command or expand a macro. Names of variables are chosen by this module.
struct PlotVariables {
  private(set) var lines: [String] = []

  mutating func set(_ name: String, _ value: Double) {
    // gnuplot has a variable `NaN` but no literal for infinity; callers pass finite values.
    lines.append("\(name) = \(value.isFinite ? "\(value)" : "NaN")")
  }

  mutating func set(_ name: String, _ value: Int) {
    lines.append("\(name) = \(value)")
  }

  mutating func set(_ name: String, _ flag: Bool) {
    set(name, flag ? 1 : 0)
  }

  /// A one-line text.
  mutating func set(_ name: String, text: String) {
    lines.append("\(name) = \(GnuplotString.quoted(text))")
  }

  /// A text of several lines, each quoted on its own and joined by gnuplot's `"\n"`.
  mutating func set(_ name: String, lines textLines: [String]) {
    let parts = textLines.isEmpty ? [GnuplotString.quoted("")] : textLines.map(GnuplotString.quoted)
    lines.append("\(name) = " + parts.joined(separator: " . \"\\n\" . "))
  }

  mutating func set(_ name: String, path: String) {
    lines.append("\(name) = \(GnuplotString.path(path))")
  }

  /// An array of whole numbers, `name[1]` … `name[n]` (an empty list is one 0).
  mutating func set(_ name: String, integers: [Int]) {
    lines.append("array \(name)[\(max(1, integers.count))] = [" + (integers.isEmpty ? "0" : integers.map(String.init).joined(separator: ", ")) + "]")
  }

  /// An array of texts, `name[1]` … `name[n]`. gnuplot has no empty arrays, so an empty list is one empty text.
  mutating func set(_ name: String, texts: [String]) {
    let items = (texts.isEmpty ? [""] : texts).map(GnuplotString.quoted)
    lines.append("array \(name)[\(items.count)] = [" + items.joined(separator: ", ") + "]")
  }

  /// The titles of a plot's curves, as its key shows them: about `keyTitleLength` characters at most, a
  /// longer setting name cut in the middle (labels are allowed 100 characters, and grid values add more; a
  /// key of such titles squeezed the graph to a sliver, or was dropped). The name's end is kept, where grid
  /// values tell settings apart, and so is a closing note such as `(3/8 diverged)`.
  mutating func set(_ name: String, keyTitles: [String]) {
    set(name, texts: keyTitles.map(Self.keyTitle))
  }

  static let keyTitleLength = 48

  static func keyTitle(_ title: String) -> String {
    guard title.count > keyTitleLength else { return title }
    var name = Substring(title), note = Substring("")
    if title.hasSuffix(")"), let open = title.range(of: " (", options: .backwards) {
      name = title[..<open.lowerBound]
      note = title[open.lowerBound...]
    }
    let room = max(keyTitleLength - note.count, 16)
    guard name.count > room else { return title }
    let tail = (room - 1) * 2 / 5
    return String(name.prefix(room - 1 - tail)) + "…" + String(name.suffix(tail)) + note
  }
}

/// The text of a gnuplot data file: rows of numbers in data sets (selected with `index`) separated by two blank
/// lines, each row's numbers separated by spaces.
///
/// Numbers are shortest round-trip text (whole numbers without `.0`), `NaN` for a missing value and `Inf`/`-Inf`
/// for infinities, which gnuplot skips. A data set with no rows gets one row of `NaN`s so that the data sets after
/// it keep their index.
struct DataTable {
  private(set) var text = ""
  private(set) var dataSetCount = 0
  private var rowsInDataSet = 0
  private var columnsInDataSet = 0

  /// Starts a data set; `comment` is a program-chosen note (never text from a config).
  mutating func beginDataSet(_ comment: String) {
    if dataSetCount > 0 { text += "\n\n" }
    text += "# \(dataSetCount): \(comment)\n"
    dataSetCount += 1
    rowsInDataSet = 0
  }

  /// Ends a data set, writing a row of `NaN`s for `columns` columns if it had no rows.
  mutating func endDataSet(columns: Int) {
    if rowsInDataSet == 0 {
      text += Array(repeating: "NaN", count: columns).joined(separator: " ") + "\n"
    }
  }

  mutating func row(_ values: Double...) {
    row(values)
  }

  mutating func row(_ values: [Double]) {
    var first = true
    for value in values {
      if !first { text += " " }
      text += Self.number(value)
      first = false
    }
    text += "\n"
    rowsInDataSet += 1
  }

  /// A blank line: a new scan inside the data set (a break in a line, a new row of a grid).
  mutating func scanBreak() {
    text += "\n"
  }

  /// A data set of `rows`, each with `columns` numbers.
  mutating func dataSet(_ comment: String, columns: Int, rows: some Sequence<[Double]>) {
    beginDataSet(comment)
    for r in rows { row(r) }
    endDataSet(columns: columns)
  }

  static func number(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return GnuplotScript.number(value)
  }
}
