import ArgumentParser

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Compare a results directory with a baseline; exit 1 on a convergence regression.")

  func run() throws {
    throw Failure.exit("not implemented yet", code: 70)
  }
}
