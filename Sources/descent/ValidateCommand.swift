import ArgumentParser
import DescentCore

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check a config without running it, and print how many runs it expands to.")

  @Argument(help: "The experiment config (JSON).")
  var config: String

  @Flag(help: "Allow configs that expand to more than 1,000,000 runs.")
  var allowLarge = false

  func run() throws {
    do {
      let e = try Experiment.load(config, runCap: allowLarge ? nil : Experiment.defaultRunCap)
      print("\(config): valid; \(e.runCount) run\(e.runCount == 1 ? "" : "s") = \(e.functions.count) function setting\(e.functions.count == 1 ? "" : "s") × \(e.optimizers.count) optimizer setting\(e.optimizers.count == 1 ? "" : "s") × \(e.seeds.count) seed\(e.seeds.count == 1 ? "" : "s"), \(e.steps) steps each")
    } catch {
      throw Failure.exit(error)
    }
  }
}
