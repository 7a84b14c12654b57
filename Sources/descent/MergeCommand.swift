import ArgumentParser
import DescentCore
import Foundation

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge", abstract: "Combine the shard directories of one experiment into one results directory.",
    discussion: "Verifies that every shard 1…N is present, made from the same config, and complete; exits 65 listing what is missing otherwise.")

  @Argument(help: "The shard directories (written by 'descent run --shard K/N').")
  var shards: [String]

  @Option(help: "The merged results directory.")
  var output: String

  @Flag(help: "Replace an existing output directory.")
  var force = false

  @Flag(help: "No progress output.")
  var quiet = false

  func validate() throws {
    if output.isEmpty { throw ValidationError(emptyOutputPath) }
    if let empty = shards.firstIndex(of: "") { throw ValidationError("shard directory \(empty + 1) is an empty path; give the directories of the shards") }
  }

  func run() throws {
    let started = Date()
    if let shard = Merge.shard(shards, inside: output) {
      throw Failure.usage("--output \(output) is, contains or lies inside the shard directory \(shard), which merging there would overwrite; merge into another directory", of: Self.self)
    }
    do {
      var replaced: [(shard: String, problem: RunJournal.Problem)] = []
      let (experiment, configBytes, sources) = try Merge.verify(shards, replaced: &replaced)
      for shard in shards { Failure.warnReplaced(replaced.filter { $0.shard == shard }.map(\.problem), in: shard) }
      // Locked as `descent run` locks it, before it is judged, emptied or written.
      let lock = try ResultsDirectory.Lock.acquire(output)
      defer { withExtendedLifetime(lock) {} }
      let directory = try ResultsDirectory.prepare(output, for: experiment, mode: force ? .force : .fresh, resumable: false)
      try Merge.write(experiment, configBytes: configBytes, sources: sources, to: directory, started: started)
      if !quiet { Failure.note("merged \(sources.count) runs from \(shards.count) shard\(shards.count == 1 ? "" : "s") → \(output)") }
    } catch let error as MergeError {
      throw Failure.exit(error.description, code: error.exitCode)
    } catch let error as OutputError {
      throw Failure.exit(error.message, code: error.exitCode)
    }
  }
}
