import GnuplotKit

/// Picture formats for rendered plots.
public enum PlotFormat: String, CaseIterable, Sendable {
  /// PNG through gnuplot's cairo terminal (the default).
  case png
  case svg
  /// PDF through gnuplot's cairo terminal.
  case pdf
}

/// Where plots go: picture files in `plots/`, or ASCII drawings on standard output for logs.
public enum PlotOutput: Sendable, Equatable {
  case picture(PlotFormat)
  /// gnuplot's `dumb` terminal: characters, returned in `RenderedPlot.text`.
  case dumb

  public static let `default` = PlotOutput.picture(.png)

  /// The picture file for a plot named `name`, or `nil` for the dumb terminal.
  func picture(for name: String) -> String? {
    if case .picture(let format) = self { name + "." + format.rawValue } else { nil }
  }

  /// The `set terminal` (and `set output`) lines for a picture of `size`.
  func terminalCommands(size: PlotSize, picture: String?) -> [String] {
    let terminal: String
    switch self {
    case .picture(.png):
      terminal = "set terminal pngcairo size \(size.width),\(size.height) noenhanced font \"sans,10\""
    case .picture(.svg):
      terminal = "set terminal svg size \(size.width),\(size.height) dynamic noenhanced font \"sans,10\" background \"white\""
    case .picture(.pdf):
      // pdfcairo measures in inches; the pixel sizes are meant at 100 per inch.
      terminal = "set terminal pdfcairo size \(Double(size.width) / 100)in,\(Double(size.height) / 100)in noenhanced font \"sans,7\""
    case .dumb:
      terminal = "set terminal dumb size \(size.characterColumns),\(size.characterRows) nofeed noenhanced"
    }
    guard let picture else { return [terminal] }
    return [terminal, "set output \(GnuplotString.path(picture))"]
  }
}

/// A plot's size in pixels (at 100 per inch); the dumb terminal gets about one character per 8 × 18 pixels.
struct PlotSize: Equatable, Sendable {
  var width: Int
  var height: Int

  static let standard = PlotSize(width: 1000, height: 600)

  var characterColumns: Int { min(240, max(60, width / 8)) }
  var characterRows: Int { min(120, max(20, height / 18)) }
}
