import GnuplotKit

/// A plot before it becomes a script: what one kind of plot computed from the results.
struct PlotDraft {
  var kind: PlotKind
  /// The file stem, before it is made unique.
  var name: String
  /// The first title line; the experiment goes on the second.
  var heading: String
  /// Notes appended to the heading in parentheses, such as "all 8 runs diverged".
  var notes: [String] = []
  var size = PlotSize.standard
  var variables = PlotVariables()
  var data = DataTable()
  /// Whether there is anything finite to draw.
  var hasData = true

  init(kind: PlotKind, name: String, heading: String) {
    self.kind = kind
    self.name = name
    self.heading = heading
  }

  /// The complete script and data, for the file stem `name` and `output`.
  func plot(name: String, experimentLine: String, output: PlotOutput) -> Plot {
    let notes = self.notes.isEmpty && !hasData ? ["no finite data"] : self.notes
    let firstLine = notes.isEmpty ? heading : heading + " (" + notes.joined(separator: "; ") + ")"
    let picture = output.picture(for: name)

    var preamble = PlotVariables()
    preamble.set("data_file", path: name + ".dat")
    preamble.set("plot_title", lines: [firstLine, experimentLine])
    preamble.set("has_data", hasData)

    var script = """
      # \(name).gp: a \(kind.rawValue) plot drawn by descent from the results in the folder above this one.
      # Draw it again from this folder with:  gnuplot \(name).gp
      # It reads \(name).dat. The parts below marked common.gp and \(kind.rawValue).gp are the templates in the
      # plot/ folder of the Descent repository; the variables before them say what to draw.


      """
    var size = self.size
    if output == .dumb {
      // The dumb terminal drops a title line that, centred over the plot, would start left of the first column.
      size.width = max(size.width, 8 * (max(firstLine.count, experimentLine.count) + 40))
    }
    for line in output.terminalCommands(size: size, picture: picture) { script += line + "\n" }
    script += "\n# Variables\n"
    for line in preamble.lines + variables.lines { script += line + "\n" }
    script += "\n# ---- common.gp\n" + PlotTemplate.common.text
    script += "\n# ---- \(kind.rawValue).gp\n" + PlotTemplate.template(for: kind).text
    if picture != nil { script += "\nunset output\n" }
    return Plot(
      kind: kind, name: name, title: firstLine + "\n" + experimentLine, script: script, data: data.text,
      picture: picture)
  }
}
