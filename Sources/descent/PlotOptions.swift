import ArgumentParser
import DescentCore
import DescentPlots
import Foundation
import GnuplotKit

/// Options shared by `run` and `plot`.
struct PlotOptions: ParsableArguments {
  enum Format: String, ExpressibleByArgument, CaseIterable { case png, svg, pdf }
  enum Terminal: String, ExpressibleByArgument, CaseIterable { case dumb }

  @Option(help: "Picture format: png (pngcairo, the default), svg or pdf.")
  var format: Format = .png

  @Option(help: "Terminal override: 'dumb' draws ASCII plots on stdout instead of picture files (for CI logs).")
  var terminal: Terminal?

  @Option(name: .customLong("x"), help: "x axis of finite-sum convergence plots: steps (the default, plus a companion plot against samples seen) or samples (samples seen).")
  var xAxis: Plotter.XAxis = .steps

  var output: PlotOutput {
    if terminal == .dumb { return .dumb }
    switch format {
    case .png: return .picture(.png)
    case .svg: return .picture(.svg)
    case .pdf: return .picture(.pdf)
    }
  }
}

/// Renders the plots of a results directory into its `plots/` folder (with `--terminal dumb`, onto stdout).
///
/// Exit codes: 66/65 when the results cannot be read, 69 when gnuplot is missing (the results stay as they are),
/// 73 when `plots/` cannot be written, 70 when gnuplot rejects a script.
func renderPlots(directory: String, options: PlotOptions, quiet: Bool) throws {
  let started = Date()
  let results = try Failure.loadResults(directory)
  // Said even when no journal line was skipped (a deleted trajectory, a run never finished).
  Failure.warnMissing(results, in: directory, consequence: " and not plotted")
  let unplotted = results.experiment.functions.count - Set(results.runs.map(\.0.function)).count
  if unplotted > 0 {
    Failure.note("warning: \(unplotted) of \(results.experiment.functions.count) function settings have no completed runs; they get no plots of their own")
  }
  let rendered: [RenderedPlot]
  var unreadable: [String] = []
  do {
    var plotter = try Plotter(output: options.output)
    plotter.xAxis = options.xAxis
    rendered = try plotter.render(results) { unreadable.append($0) }
  } catch {
    // The results themselves are complete; only the pictures are missing.
    let later = "\nThe results in \(directory) are complete; draw their plots " + (error.exitCode == 69 ? "later" : "again once this is fixed") + " with: descent plot \(directory)"
    throw Failure.exit(error.description + later, code: error.exitCode)
  }
  let folder = directory + "/" + Plotter.folder(for: options.output)
  if let first = unreadable.first {
    // Not a failure (the other runs are drawn), but never silent: the plots lack these runs.
    let more = unreadable.count > 1 ? " (and \(unreadable.count - 1) more)" : ""
    Failure.note("warning: \(unreadable.count) trajectory file\(unreadable.count == 1 ? "" : "s") could not be read and \(unreadable.count == 1 ? "is" : "are") left out of the plots: \(first)\(more)")
  }
  if options.output == .dumb {
    for plot in rendered {
      print("\n== \(plot.plot.name)  (script: \(folder)/\(plot.plot.scriptFile))")
      print(plot.text, terminator: "")
    }
  }
  if !quiet {
    for plot in rendered {
      for warning in plot.warnings { Failure.note("warning: gnuplot, \(plot.plot.scriptFile): \(warning)") }
    }
    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
    Failure.note("plots: \(rendered.count) → \(folder)/ in \(seconds)s")
  }
}

extension Plotter.XAxis: ExpressibleByArgument {}
