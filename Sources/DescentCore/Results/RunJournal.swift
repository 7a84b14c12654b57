import Foundation
import Synchronization

/// The durable record of completed runs: `runs/journal-*.jsonl`, one JSON line per run, appended as runs
/// finish. A run is complete when its line is in a journal (and its trajectory, renamed into place
/// before the line is written, exists).
///
/// Appending to one file per process costs one `write` per unit of work (a run, or runs stepped as
/// lanes), where a file per run cost a create and a rename: on a sweep of short runs that was a quarter of
/// the wall time. Each record starts on a fresh line, so a record cut short by a kill or a full disk is an
/// unparseable line that is skipped, never a record that looks complete.
public final class RunJournal: Sendable {
  private let fd: Int32
  public let path: String
  private let lock = Mutex(())
  private let targets: [Double]

  /// Opens a new journal in `directory` for records with these targets.
  public init(directory: ResultsDirectory, targets: [Double]) throws(OutputError) {
    path = directory.runsPath + "/journal-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6)).jsonl"
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError("cannot create \(path): \(FileIO.errorText(errno))") }
    self.targets = targets
  }

  deinit { close(fd) }

  public func append(_ summary: RunSummary) throws(OutputError) {
    try append([summary])
  }

  /// Appends the records of runs finished together (lanes) in one write.
  public func append(_ summaries: [RunSummary]) throws(OutputError) {
    var text = ByteText(capacity: 768 * summaries.count)
    for summary in summaries {
      text.append(UInt8(ascii: "\n"))
      summary.writeRecord(targets: targets, to: &text)
    }
    let bytes = text.bytes
    try lock.withLock { _ throws(OutputError) in try FileIO.writeAll(fd, bytes, path: path) }
  }

  /// The names of the journals in `directory`'s `runs/`, sorted.
  static func journalNames(in directory: ResultsDirectory) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.runsPath)) ?? []).filter {
      $0.hasPrefix("journal-") && $0.hasSuffix(".jsonl")
    }.sorted()
  }

  /// Every well-formed record in the journals of `directory`, by run id (the last one wins).
  public static func records(in directory: ResultsDirectory, targets: [Double]) -> [String: RunSummary] {
    var result: [String: RunSummary] = [:]
    let names = journalNames(in: directory)
    for name in names {
      guard let bytes = FileIO.read(directory.runsPath + "/" + name, limit: 1 << 34) else { continue }
      for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        guard let json = try? JSONParser.parse(Array(line)), let summary = RunSummary(json: json, targets: targets) else { continue }
        result[summary.runID] = summary
      }
    }
    return result
  }
}
