/// The gnuplot templates that draw each kind of plot.
///
/// A template is plain gnuplot: styling and plot commands that read their data file, texts and numbers from
/// variables (`data_file`, `plot_title`, `series_title[i]`, …) which the rendered script sets first. Each template
/// lists the variables it reads and the layout of its data file at its top. The readable copies live in `plot/`;
/// the texts are embedded here (`PlotTemplate+Text.swift`) so the binary works from any directory, and a test
/// keeps the two identical.
enum PlotTemplate {
  /// The part every plot shares: colours, grid, the empty-plot fallback.
  static let common = (file: "common.gp", text: commonText + "\n")

  /// The file name in `plot/` and the text of the template for `kind`.
  static func template(for kind: PlotKind) -> (file: String, text: String) {
    let text =
      switch kind {
      case .convergence: convergenceText
      case .landscape2D: landscape2DText
      case .landscape1D: landscape1DText
      case .learningRate: learningRateText
      case .dataProfile: dataProfileText
      }
    return (kind.rawValue + ".gp", text + "\n")
  }

  /// Every template, with its file name in `plot/`.
  static var all: [(file: String, text: String)] {
    [common] + PlotKind.allCases.map(template(for:))
  }
}
