import Foundation
import Testing
@testable import DescentCore

/// Journals read a chunk at a time (a 3 GB journal had taken 6.3 GB read whole), and a run recorded twice
/// with different results said so.
@Suite("Journals read back in chunks; a run recorded again with other results is reported")
struct JournalReadingTests {
  /// The lines `forEachLine` passes, with how each ended.
  static func lines(of path: String, chunk: Int, limit: Int = 1 << 20, maxLine: Int = .max) -> (lines: [String], ends: [FileIO.LineEnd], readable: Bool) {
    var lines: [String] = [], ends: [FileIO.LineEnd] = []
    let readable = FileIO.forEachLine(path, limit: limit, chunk: chunk, maxLine: maxLine) { line, end in
      lines.append(String(decoding: line, as: UTF8.self))
      ends.append(end)
    }
    return (lines, ends, readable)
  }

  @Test("forEachLine passes the same lines whatever the chunk, a line spanning chunks whole, the last unterminated one marked")
  func linesAcrossChunks() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let text = "a\n\nbcdefghij\n" + String(repeating: "x", count: 3000) + "\nlast"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/f"))
    for chunk in [1, 2, 3, 7, 64, 4096, 1 << 20] {
      let read = Self.lines(of: path + "/f", chunk: chunk)
      #expect(read.readable)
      #expect(read.lines == ["a", "", "bcdefghij", String(repeating: "x", count: 3000), "last"], "chunk \(chunk)")
      #expect(read.ends == [.newline, .newline, .newline, .newline, .endOfFile], "chunk \(chunk)")
      // Lines over 4 bytes: their first 4 passed, marked.
      let capped = Self.lines(of: path + "/f", chunk: chunk, maxLine: 4)
      #expect(capped.lines == ["a", "", "bcde", "xxxx", "last"], "chunk \(chunk)")
      #expect(capped.ends == [.newline, .newline, .overlong, .overlong, .endOfFile], "chunk \(chunk)")
      #expect(Self.lines(of: path + "/f", chunk: chunk, maxLine: 3).ends.last == .overlong)
    }
    // Ending in a newline: no empty last line.
    try Data("a\nb\n".utf8).write(to: URL(fileURLWithPath: path + "/g"))
    #expect(Self.lines(of: path + "/g", chunk: 1).lines == ["a", "b"])
    // Over the limit, a directory, a missing file: not readable, and nothing passed.
    #expect(Self.lines(of: path + "/f", chunk: 7, limit: 100) == ([], [], false))
    #expect(Self.lines(of: path, chunk: 7) == ([], [], false))
    #expect(Self.lines(of: path + "/none", chunk: 7) == ([], [], false))
  }

  @Test("a file that grows past the limit while it is read: the lines before were passed, and it is not readable")
  func growsWhileRead() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let file = path + "/journal"
    try Data("first\nsecond\n".utf8).write(to: URL(fileURLWithPath: file))
    // Within the limit when opened (14 bytes of 40); a writer appends 100 bytes after the first line.
    var lines: [String] = []
    let readable = FileIO.forEachLine(file, limit: 40, chunk: 8) { line, _ in
      lines.append(String(decoding: line, as: UTF8.self))
      if lines.count == 1 {
        let handle = FileHandle(forWritingAtPath: file)!
        handle.seekToEndOfFile()
        handle.write(Data((String(repeating: "z", count: 99) + "\n").utf8))
        handle.closeFile()
      }
    }
    #expect(!readable, "over the limit once it grew")
    #expect(lines.first == "first")
    #expect(!lines.contains { $0.hasPrefix("zzz") && $0.count == 99 }, "nothing past the limit is passed whole")
    // Read again, now over the limit from the start: nothing is passed.
    #expect(Self.lines(of: file, chunk: 8, limit: 40) == ([], [], false))
  }

  @Test("a journal gives the same records and problems read a byte, a few bytes or a megabyte at a time")
  func chunkSizesAgree() throws {
    let fresh = try freshResults(EditedConfigTests.text)
    defer { cleanUp(fresh.path) }
    let directory = ResultsDirectory(path: fresh.path)
    let journal = try #require(RunJournal.journalNames(in: directory).first)
    let handle = try #require(FileHandle(forWritingAtPath: fresh.path + "/runs/" + journal))
    handle.seekToEndOfFile()
    handle.write(Data("\n{\"run_id\": 3}\nnot json\n{\"run_id\":\"cut".utf8))
    handle.closeFile()
    let whole = RunJournal.read(in: directory, targets: [], chunk: 1 << 20)
    #expect(whole.records.count == fresh.loaded.runs.count)
    #expect(whole.problems.map(\.reason) == [
      "not a run record (a field is missing or malformed); skipped",
      "not JSON at column 1: unexpected 'not'; expected a value; skipped",
      "cut short (a run was interrupted while recording; --resume runs it again); skipped",
    ])
    #expect(whole.problems.map(\.line) == [6, 7, 8], "an empty line, the four runs' records, then the three appended")
    for chunk in [1, 5, 100] {
      let read = RunJournal.read(in: directory, targets: [], chunk: chunk)
      #expect(read.records == whole.records, "chunk \(chunk)")
      #expect(read.problems == whole.problems, "chunk \(chunk)")
    }
  }

  @Test("a journal that is one line of hundreds of megabytes (a sparse file) is read in bounded memory: that line is skipped")
  func hugeLine() throws {
    let fresh = try freshResults(EditedConfigTests.text)
    defer { cleanUp(fresh.path) }
    let directory = ResultsDirectory(path: fresh.path)
    let journal = fresh.path + "/runs/" + (try #require(RunJournal.journalNames(in: directory).first))
    // 256 MB of zero bytes on a line after the records, no page of it on disk (the fuzz had 3 GB).
    let handle = try #require(FileHandle(forWritingAtPath: journal))
    handle.seekToEndOfFile()
    handle.write(Data("\n".utf8))
    handle.closeFile()
    #expect(truncate(journal, 256 << 20) == 0)
    let read = RunJournal.read(in: directory, targets: [])
    #expect(read.records.count == fresh.loaded.runs.count)
    #expect(read.problems.map(\.reason) == ["longer than 64 MB, which no run record is; skipped"])
  }

  static func summary(finalF: Double, steps: Int = 10, wall: Double = 0) -> RunSummary {
    RunSummary(
      runID: "r", function: "f", optimizer: "o", label: "o", seed: 0, steps: steps, status: .maxSteps, finalF: finalF, bestF: 1,
      fStar: nil, finalGradNorm: 1, distanceToMinimizer: nil, minimum: "none", stepsToTarget: [], wallSeconds: wall)
  }

  @Test("a run recorded again with other results is reported and its later record used; the same results again are not")
  func conflictingRecords() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let directory = try ResultsDirectory.prepare(path, for: try decodeExperiment(smallConfig), mode: .fresh)
    let journal = try RunJournal(directory: directory, targets: [])
    // Recorded again with another wall time, a non-finite result the same bits: nothing to say.
    try journal.append(Self.summary(finalF: .nan, wall: 1))
    try journal.append(Self.summary(finalF: .nan, wall: 2))
    var read = RunJournal.read(in: directory, targets: [])
    #expect(read.problems.isEmpty)
    #expect(read.records["r"]?.wallSeconds == 2)
    // Other results: the later record is used, and the line says what changed.
    try journal.append(Self.summary(finalF: 0.25, steps: 9))
    read = RunJournal.read(in: directory, targets: [])
    #expect(read.records["r"]?.finalF == 0.25)
    let problem = try #require(read.problems.first)
    #expect(read.problems.count == 1 && !problem.skipped)
    #expect(problem.line == 4, "the journal starts with an empty line, then one line a record")
    #expect(problem.reason == #"records run r again, with other results than before (steps 10 → 9, final_f "nan" → 0.25); this later record is used"#)
    // Steps to a target are named as the summary's column (they were "{"1e0":2,"2.0":7}", targets by position).
    var reached = Self.summary(finalF: 1)
    reached.stepsToTarget = [2, 7]
    var later = reached
    later.stepsToTarget = [2, 150]
    #expect(reached.differences(from: later, targets: [1e-1, 1e-4]) == "steps_to_1e-4 7 → 150")
  }

  @Test("merge reports a shard's run recorded again with other results, and merges its later record")
  func mergeReportsConflicts() throws {
    let text = EditedConfigTests.text
    let e = try decodeExperiment(text)
    let shards = (1...2).map { _ in temporaryDirectory() }
    defer { shards.forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: text, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 2))
    }
    var replaced: [(shard: String, problem: RunJournal.Problem)] = []
    _ = try Merge.verify(shards, replaced: &replaced)
    #expect(replaced.isEmpty)
    // The second shard's first run recorded again with another final f.
    let directory = ResultsDirectory(path: shards[1])
    var record = try #require(RunJournal.records(in: directory, targets: []).values.sorted { $0.runID < $1.runID }.first)
    record.finalF += 1
    try RunJournal(directory: directory, targets: []).append(record)
    let verified = try Merge.verify(shards, replaced: &replaced)
    #expect(replaced.count == 1 && replaced.first?.shard == shards[1])
    #expect(replaced.first?.problem.skipped == false)
    #expect(replaced.first?.problem.reason.contains("records run \(record.runID) again") == true)
    #expect(verified.sources.values.first { $0.1.runID == record.runID }?.1.finalF == record.finalF)
  }

  @Test("a --resume with nothing left to run leaves no empty journal behind; one that runs something keeps its journal")
  func noEmptyJournal() throws {
    let text = #"{"name": "j", "steps": 20, "seeds": 2, "functions": [{"name": "xcos"}], "optimizers": [{"name": "adam", "lr": 0.1}]}"#
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    func journals() -> [String] { RunJournal.journalNames(in: ResultsDirectory(path: directory)) }
    let partial = try runExperiment(experiment, configText: text, into: directory, jobs: 1, cancelAfter: 1)
    #expect(!partial.complete && journals().count == 1)
    try runExperiment(experiment, configText: text, into: directory, mode: .resume)
    let after = journals()
    #expect(after.count == 2, "the resumed run's records")
    for _ in 0..<2 { try runExperiment(experiment, configText: text, into: directory, mode: .resume) }
    #expect(journals() == after)
    #expect(try LoadedResults.load(directory).missingCount == 0)
  }
}
