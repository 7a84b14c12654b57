import ArgumentParser

struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline", abstract: "Write a convergence baseline from a results directory.")

  func run() throws {
    throw Failure.exit("not implemented yet", code: 70)
  }
}
