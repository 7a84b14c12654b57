import ArgumentParser

/// Options shared by `run` and `plot`.
struct PlotOptions: ParsableArguments {
  enum Format: String, ExpressibleByArgument, CaseIterable { case png, svg, pdf }

  @Option(help: "Picture format: png (pngcairo, the default), svg or pdf.")
  var format: Format = .png

  @Option(help: "Terminal override: 'dumb' draws ASCII plots on stdout instead of files.")
  var terminal: String?
}

/// Renders the plots of a results directory (wired up by the plots module).
func renderPlots(directory: String, options: PlotOptions, quiet: Bool) throws {}
