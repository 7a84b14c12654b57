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
  /// Held while appending; whether anything was appended.
  private let written = Mutex(false)
  private let targets: [Double]

  /// Opens a new journal in `directory` for records with these targets.
  public init(directory: ResultsDirectory, targets: [Double]) throws(OutputError) {
    path = directory.runsPath + "/journal-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6)).jsonl"
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError("cannot create \(path): \(FileIO.errorText(errno))") }
    self.targets = targets
  }

  /// Closes the journal, and removes it if nothing was appended (a `--resume` with nothing left to run
  /// would otherwise leave an empty journal each time).
  deinit {
    // Only the file this journal made, still empty: never another's that took its name.
    var mine = stat(), named = stat()
    if !written.withLock({ $0 }), fstat(fd, &mine) == 0, mine.st_size == 0, lstat(path, &named) == 0,
       mine.st_ino == named.st_ino, mine.st_dev == named.st_dev {
      unlink(path)
    }
    close(fd)
  }

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
    try written.withLock { written throws(OutputError) in
      written = true
      try FileIO.writeAll(fd, bytes, path: path)
    }
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
  /// Or, with `skipped` false, a record of a run recorded before with other results: the later is used.
  public struct Problem: Sendable, Equatable, CustomStringConvertible {
    /// The journal, relative to the results directory (`runs/journal-….jsonl`).
    public var file: String
    /// 1-based; 0 for the whole file.
    public var line: Int
    /// Whether the line was skipped; `false` for a record that replaced another.
    public var skipped = true
    public var reason: String
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
  }

  /// The longest line read as a record: far more than any record (a sweep's config, which its labels come
  /// from, is at most 16 MB), and a bound on what a damaged journal (one line of gigabytes) costs to read.
  static let maximumLine = 1 << 26

  /// `records`, with every line that was skipped and why. A last line without its newline is what a kill
  /// leaves (the run is re-run by `--resume`); anything else was damaged after it was written. A run
  /// recorded again with other results than before (anything but its wall time: a sweep is deterministic,
  /// so the two came from different code or different files) keeps its later record, and that is said too.
  /// The journals are read a chunk at a time (`chunk` bytes), so the memory is the records'.
  public static func read(in directory: ResultsDirectory, targets: [Double], chunk: Int = 1 << 20)
    -> (records: [String: RunSummary], problems: [Problem]) {
    var result: [String: RunSummary] = [:]
    var problems: [Problem] = []
    for name in journalNames(in: directory) {
      let file = "runs/" + name
      var number = 0
      let readable = FileIO.forEachLine(directory.runsPath + "/" + name, limit: 1 << 34, chunk: chunk, maxLine: maximumLine) { line, end in
        number += 1
        guard !line.isEmpty else { return }
        switch parseRecord(line, end: end, targets: targets) {
        case .success(let summary):
          if let earlier = result.updateValue(summary, forKey: summary.runID), !earlier.sameResult(as: summary) {
            problems.append(Problem(
              file: file, line: number, skipped: false,
              reason: "records run \(Diagnostic.printable(summary.runID)) again, with other results than before (\(earlier.differences(from: summary, targets: targets))); this later record is used"))
          }
        case .failure(let why):
          problems.append(Problem(file: file, line: number, reason: why.text + "; skipped"))
        }
      }
      if !readable {
        let reason = number == 0 ? "cannot be read (not a regular file, unreadable, or over 16 GB); its runs count as not done"
          : "could not be read past line \(number) (a read error, or it grew over 16 GB); the runs of the rest count as not done"
        problems.append(Problem(file: file, line: 0, reason: reason))
      }
    }
    return (result, problems)
  }

  /// A journal line's record, or why it is none.
  private static func parseRecord(_ line: UnsafeBufferPointer<UInt8>, end: FileIO.LineEnd, targets: [Double]) -> Result<RunSummary, RecordProblem> {
    guard end != .overlong else { return .failure(RecordProblem("longer than \(maximumLine >> 20) MB, which no run record is")) }
    do {
      let json = try JSONParser.parse(Array(line))
      guard let summary = RunSummary(json: json, targets: targets) else {
        return .failure(RecordProblem("not a run record (a field is missing or malformed)"))
      }
      return .success(summary)
    } catch {
      return .failure(RecordProblem(end == .newline ? "not JSON at column \(error.column): \(error.reason)"
        : "cut short (a run was interrupted while recording; --resume runs it again)"))
    }
  }

  private struct RecordProblem: Error {
    var text: String
    init(_ text: String) { self.text = text }
  }
}
