import ArgumentParser

struct PlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot", abstract: "Render the plots of a results directory from its files alone, without re-running.")

  @Argument(help: "The results directory.")
  var results: String

  @OptionGroup var plotOptions: PlotOptions

  func validate() throws {
    if results.isEmpty { throw ValidationError(emptyResultsPath) }
  }

  func run() throws {
    try renderPlots(directory: results, options: plotOptions, quiet: false)
  }
}
