import ArgumentParser

struct SlurmCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm", abstract: "Write (and optionally submit) a Slurm job-array script that runs an experiment in shards.")

  func run() throws {
    throw Failure.exit("not implemented yet", code: 70)
  }
}
