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

  /// The names of the journals in `directory`'s `runs/`, oldest first: by the time in their name
  /// (`journal-<pid>-<µs>.jsonl`), so that a run recorded again by a later process wins over its earlier
  /// record whatever the two processes' ids. (Sorted as text, a later process with a smaller id came first,
  /// and a stale record then hid the new one: `--resume` reported the run done and left it missing.)
  /// Names without that form come first, as text.
  static func journalNames(in directory: ResultsDirectory) -> [String] {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.runsPath)) ?? []).filter {
      $0.hasPrefix("journal-") && $0.hasSuffix(".jsonl")
    }
    func key(_ name: String) -> (UInt64, UInt64, String) {
      let parts = name.dropFirst("journal-".count).dropLast(".jsonl".count).split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 2, let pid = UInt64(parts[0]), let time = UInt64(parts[1]) else { return (0, 0, name) }
      return (time, pid, name)
    }
    return names.map { (key($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// Every well-formed record in the journals of `directory`, by run id (the last one wins).
  public static func records(in directory: ResultsDirectory, targets: [Double]) -> [String: RunSummary] {
    read(in: directory, targets: targets).records
  }

  /// A journal line that is not a record: its run counts as not done, and whoever reads the results says so.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// The journal, relative to the results directory (`runs/journal-….jsonl`).
    public var file: String
    /// 1-based; 0 for the whole file.
    public var line: Int
    public var reason: String
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
  }

  /// `records`, with every line that was skipped and why. A last line without its newline is what a kill
  /// leaves (the run is re-run by `--resume`); anything else was damaged after it was written.
  public static func read(in directory: ResultsDirectory, targets: [Double]) -> (records: [String: RunSummary], problems: [Problem]) {
    var result: [String: RunSummary] = [:]
    var problems: [Problem] = []
    let newline = UInt8(ascii: "\n")
    for name in journalNames(in: directory) {
      let file = "runs/" + name
      guard let bytes = FileIO.read(directory.runsPath + "/" + name, limit: 1 << 34) else {
        problems.append(Problem(file: file, line: 0, reason: "cannot be read (not a regular file, unreadable, or over 16 GB); its runs count as not done"))
        continue
      }
      var number = 0
      var start = 0
      while start < bytes.count {
        let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
        number += 1
        defer { start = end + 1 }
        guard end > start else { continue }
        let line = Array(bytes[start..<end])
        let reason: String
        do {
          let json = try JSONParser.parse(line)
          if let summary = RunSummary(json: json, targets: targets) {
            result[summary.runID] = summary
            continue
          }
          reason = "not a run record (a field is missing or malformed)"
        } catch {
          reason = end == bytes.count ? "cut short (a run was interrupted while recording; --resume runs it again)"
            : "not JSON at column \(error.column): \(error.reason)"
        }
        problems.append(Problem(file: file, line: number, reason: reason + "; skipped"))
      }
    }
    return (result, problems)
  }
}
