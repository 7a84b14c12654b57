/// One plot of a results directory: the complete gnuplot script and the data it reads.
///
/// Rendering leaves both in the `plots/` folder of the results directory as `<name>.gp` and `<name>.dat`, so
/// `cd plots && gnuplot <name>.gp` draws the same picture again. The script is the variables of this plot (texts
/// quoted by `GnuplotString`), then `plot/common.gp`, then the template of its kind.
///
/// See also: `Plotter`, `PlotKind`.
public struct Plot: Sendable, Equatable {
  public var kind: PlotKind
  /// The file stem in `plots/`, such as `convergence-rosenbrock`: letters, digits, `.`, `_`, `=` and `-`.
  public var name: String
  /// The title as drawn: the plot on the first line, the experiment on the second.
  public var title: String
  /// The whole gnuplot script, as written to `<name>.gp`.
  public var script: String
  /// The data, as written to `<name>.dat`: numbers only, in data sets separated by two blank lines.
  public var data: String
  /// The picture the script writes, relative to `plots/`; `nil` for the dumb terminal, which draws on stdout.
  public var picture: String?

  public var scriptFile: String { name + ".gp" }
  public var dataFile: String { name + ".dat" }
}

/// The kinds of plot, each drawn by the template `plot/<rawValue>.gp`.
public enum PlotKind: String, CaseIterable, Sendable {
  /// f − f* (or f) against step, one curve per optimizer setting, median and quartile band over seeds.
  case convergence
  /// A 2-D function's shaded contour map with one trajectory per optimizer setting.
  case landscape2D = "landscape-2d"
  /// A 1-D function's curve with the iterates of each optimizer setting coloured by step, a panel per setting.
  case landscape1D = "landscape-1d"
  /// Final suboptimality (or f) against the learning rate.
  case learningRate = "learning-rate"
  /// The fraction of (run, target) pairs solved against step, the data profile of COCO.
  case dataProfile = "data-profile"
}

/// A plot after gnuplot has drawn it.
public struct RenderedPlot: Sendable, Equatable {
  public var plot: Plot
  /// What the dumb terminal drew; empty for pictures.
  public var text: String
  /// Warnings gnuplot printed while drawing, if any.
  public var warnings: [String]
}
