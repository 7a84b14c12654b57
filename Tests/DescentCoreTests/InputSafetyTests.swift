import Foundation
import Testing
@testable import DescentCore

/// Inputs a fuzz of configs and results directories found mishandled (2026-12-04): each is refused or
/// handled in bounded time and memory, and nothing outside the results is replaced.
@Suite("Input safety: caps before work, no file replaced that is not ours")
struct InputSafetyTests {
  /// The log-spaced steps as `plannedSteps` defines them, evaluated point by point: the reference for its shortcut.
  static func logSteps(_ n: Int, _ steps: Int) -> [Int] {
    var chosen = Set([0, steps])
    let top = log10(Double(steps))
    for i in 0..<n { chosen.insert(Int((pow(10, top * Double(i) / Double(n - 1))).rounded())) }
    return chosen.filter { $0 <= steps }.sorted()
  }

  @Test("{\"log\": n} with n far beyond the steps plans every step at once, as n points would", arguments: [1, 2, 3, 7, 20, 100, 1000])
  func logBeyondSteps(steps: Int) {
    // Around and beyond the count where the shortcut starts: the same steps as evaluating every point.
    let start = Int(Double(steps) * log10(Double(steps)) * 2.302585093)
    for n in Set([start - 1, start, start + 1, start + 2, 2 * start + 3, 5 * start + 7].map { max(2, $0) }) {
      #expect(RecordPolicy.log(n).plannedSteps(total: steps) == Self.logSteps(n, steps), "n = \(n), steps = \(steps)")
    }
    // A billion points for a short run (39 s of planning before): every step.
    #expect(RecordPolicy.log(1_000_000_000).plannedSteps(total: steps) == Array(0...steps))
  }

  @Test("a run stopped before it wrote anything removes the directory its lock made, and only that one")
  func lockRemovesOnlyWhatItMade() throws {
    let base = temporaryDirectory()
    defer { cleanUp(base) }
    let made = base + "/made", existing = base + "/existing", written = base + "/written"
    try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: false)
    for path in [made, existing, written] {
      let lock = try #require(try ResultsDirectory.Lock.acquire(path))
      #expect(FileIO.isDirectory(path))
      if path == written { try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/config.json")) }
      lock.removeIfUnwritten()
    }
    #expect(!FileIO.exists(made))
    #expect(FileIO.isDirectory(existing), "it was there before the lock")
    #expect(FileIO.exists(written + "/config.json"), "something was written into it")
  }

  @Test("runs are counted from the grids before any entry is expanded")
  func capBeforeExpansion() {
    // Ten entries of 100,000 learning rates each, two seeds (2,000,000 runs): refused at once, before the
    // entries are built (so the unknown key in the first one is not reached), where validating built them all first.
    let entries = (0..<10).map { #"{"name": "adam", "label": "a\#($0)", "lr": {"logspace": [-5, 0, 100000]}\#($0 == 0 ? ", \"lrr\": 1" : "")}"# }
    let text = config(#""seeds": 2"#, optimizers: "[" + entries.joined(separator: ", ") + "]")
    #expect(configProblems(text) == ["the config expands to 2000000 runs, more than the cap of 1000000; pass --allow-large to run it anyway"])
    // Start points count: 24 grid settings × 40,000 points are 960,000 function settings, twice that many runs.
    let points = "[" + Array(repeating: "[0.5, 0.5]", count: 40_000).joined(separator: ",") + "]"
    let starts = config(#""seeds": 2"#, functions: #"[{"name": "rastrigin", "a": {"linspace": [1, 3, 24]}, "start": {"points": \#(points)}}]"#)
    #expect(configProblems(starts) == ["the config expands to 1920000 runs, more than the cap of 1000000; pass --allow-large to run it anyway"])
  }

  @Test("with allowLarge too, a list of more than a million settings is refused before it is expanded")
  func settingsPerListUpFront() throws {
    let entries = (0..<11).map { #"{"name": "adam", "label": "a\#($0)", "lr": {"logspace": [-5, 0, 100000]}}"# }
    let text = config(optimizers: "[" + entries.joined(separator: ", ") + "]")
    #expect(throws: ConfigError.invalid(file: "x.json", problems: [Diagnostic(path: "optimizers", "the optimizers expand to more than 1000000 settings")])) {
      try Experiment.decode(Array(text.utf8), file: "x.json", runCap: nil)
    }
    // Counting stops once the list is over: 2,000 such entries are refused as fast as 11.
    let many = config(optimizers: "[" + Array(repeating: #"{"name": "adam", "lr": {"logspace": [-5, 0, 100000]}}"#, count: 2000).joined(separator: ", ") + "]")
    #expect(Experiment.settingCount(try JSONParser.parse(many).objectValue?["optimizers"], skipping: Experiment.optimizerGridSkips) == 1_100_000)
  }

  @Test("control characters from a config reach its problems escaped, each problem on one line")
  func controlCharacters() {
    let text = config(#""x\u001b]0;title\u0007": 1, "a\nfake: problem": 2"#)
    let problems = configProblems(text)
    #expect(problems.count == 2)
    for problem in problems {
      #expect(!problem.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(problem.debugDescription)")
    }
    #expect(problems.contains { $0.hasPrefix(#"x\u{1B}]0;title\u{7}: unknown key 'x\u{1B}]0;title\u{7}'"#) }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix(#"a\u{A}fake: problem: unknown key"#) }, "\(problems)")
  }

  @Test("an oversized baseline is called a baseline, not a config")
  func oversizedBaseline() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let file = path + "/baseline.json"
    #expect(FileManager.default.createFile(atPath: file, contents: nil))
    #expect(truncate(file, 65 << 20) == 0)
    #expect(throws: ConfigError.invalid(file: file, problems: [Diagnostic(path: "", "the file is larger than 64 MB, the most read as a baseline")])) {
      try Baseline.read(file)
    }
  }

  @Test("a baseline larger than check reads is refused before it is written (exit 65), not written to be refused later")
  func baselineTooLargeToCheck() throws {
    let baseline = makeBaseline(Dictionary(uniqueKeysWithValues: seedIDs(seeds: 40).map { ($0, metrics()) }))
    let size = baseline.text.utf8.count
    #expect(try baseline.checkedText(limit: size) == baseline.text)
    let error = try #require(throws: OutputError.self) { try baseline.checkedText(limit: size - 1) }
    #expect(error.exitCode == 65)
    #expect(error.message.hasPrefix("a baseline of these 40 runs would be 0.1 MB, over the 0.1 MB 'descent check' reads; make the baseline from a smaller experiment"), "\(error.message)")
  }

  @Test("an empty results path is refused: it would put the results at the file system's root")
  func emptyOutputPath() throws {
    let e = try decodeExperiment(smallConfig)
    let error = try #require(throws: OutputError.self) { try ResultsDirectory.prepare("", for: e, mode: .fresh) }
    #expect(error.exitCode == 64)
    #expect(error.message.contains("path is empty"), "\(error.message)")
  }

  @Test("journals are read oldest first by the time in their names, so a run recorded again wins whatever the process ids")
  func journalOrder() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let e = try decodeExperiment(smallConfig)
    let directory = try ResultsDirectory.prepare(path, for: e, mode: .fresh)
    func record(finalF: Double, as name: String) throws {
      let journal = try RunJournal(directory: directory, targets: [])
      try journal.append(RunSummary(
        runID: "r", function: "f", optimizer: "o", label: "o", seed: 0, steps: 10, status: .maxSteps, finalF: finalF, bestF: finalF,
        fStar: nil, finalGradNorm: 1, distanceToMinimizer: nil, minimum: "none", stepsToTarget: [], wallSeconds: 0))
      #expect(rename(journal.path, directory.runsPath + "/" + name) == 0)
    }
    // The earlier process had the larger id: as text, its journal sorted last and its record won.
    try record(finalF: 1, as: "journal-30000-1796000000000000.jsonl")
    try record(finalF: 2, as: "journal-2000-1796000000000001.jsonl")
    #expect(RunJournal.journalNames(in: directory) == ["journal-30000-1796000000000000.jsonl", "journal-2000-1796000000000001.jsonl"])
    #expect(RunJournal.records(in: directory, targets: [])["r"]?.finalF == 2)
    // Names of another form come first, as text.
    try record(finalF: 3, as: "journal-old.jsonl")
    #expect(RunJournal.journalNames(in: directory).first == "journal-old.jsonl")
    #expect(RunJournal.records(in: directory, targets: [])["r"]?.finalF == 2)
  }

  @Test("--resume refuses a config.json edited to match the config given: the manifest names the one the results came from")
  func resumeAfterEditedConfig() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    let original = try decodeExperiment(smallConfig)
    try runExperiment(original, configText: smallConfig, into: path)
    let editedText = smallConfig.replacingOccurrences(of: #""steps": "#, with: #""steps": 1"#)
    let edited = try decodeExperiment(editedText)
    #expect(edited.configHash != original.configHash)
    try Data(editedText.utf8).write(to: URL(fileURLWithPath: path + "/config.json"))
    let error = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(path, for: edited, mode: .resume) }
    #expect(error.exitCode == 65)
    #expect(error.message.contains("manifest.json"), "\(error.message)")
    // The results' own config still resumes.
    try Data(smallConfig.utf8).write(to: URL(fileURLWithPath: path + "/config.json"))
    _ = try ResultsDirectory.prepare(path, for: original, mode: .resume)
  }

  @Test("a report written to a pipe goes into it, and a symbolic link to a file stays a link")
  func reportTargets() throws {
    let path = temporaryDirectory()
    defer { cleanUp(path) }
    // A FIFO (as /dev/stdout may be): written into, not replaced by a file.
    let fifo = path + "/report.pipe"
    #expect(mkfifo(fifo, 0o644) == 0)
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    try ReportFile.write("# report\n", to: fifo)
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = read(reader, &buffer, buffer.count)
    #expect(n == 9 && String(decoding: buffer[..<max(0, n)], as: UTF8.self) == "# report\n")
    var status = stat()
    #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    // A link to a regular file: the file it names gets the report.
    let target = path + "/real.md", link = path + "/link.md"
    #expect(FileManager.default.createFile(atPath: target, contents: Data("old".utf8)))
    #expect(symlink(target, link) == 0)
    try ReportFile.write("new", to: link)
    #expect(FileIO.isSymlink(link))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
    // A directory is still refused.
    #expect(throws: OutputError.self) { try ReportFile.write("x", to: path) }
  }
}

@Suite("A file's last line, read from its end")
struct LastLineTests {
  @Test("found within the first chunk or by growing it, up to the limit; a line beyond it is too long, a file without a final newline has none")
  func lastLine() throws {
    let path = temporaryDirectory() + "/t.csv"
    defer { cleanUp((path as NSString).deletingLastPathComponent) }
    func last(_ text: String, chunk: Int = 8, limit: Int = 200) throws -> FileIO.LastLine {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return FileIO.lastLine(path, chunk: chunk, limit: limit)
    }
    #expect(try last("step,f\n0,1\n12,3\n") == .line(Array("12,3".utf8)))
    #expect(try last("only line\n") == .line(Array("only line".utf8)))
    // Longer than the first chunk: read again, 16 times as much.
    let long = "12," + String(repeating: "9", count: 60)
    #expect(try last("step,f\n" + long + "\n") == .line(Array(long.utf8)))
    #expect(try last("step,f\n" + String(repeating: "9", count: 300) + "\n") == .tooLong)
    #expect(try last("step,f\n12,3") == FileIO.LastLine.none)
    #expect(try last("") == FileIO.LastLine.none)
  }
}

@Suite("Journal records: read strictly")
struct StrictRecordTests {
  @Test("a record with a field of the wrong kind is malformed (its run is run again), not another result")
  func strictRecords() throws {
    let targets = [1e-3]
    let summary = RunSummary(
      runID: "r", function: "f", optimizer: "o", label: "o", seed: 4, steps: 10, status: .converged, finalF: 0.25, bestF: 0.25,
      fStar: 0, finalGradNorm: 1, distanceToMinimizer: 0.5, minimum: "local:2", stepsToTarget: [3], wallSeconds: 0)
    var text = ByteText(capacity: 1024)
    summary.writeRecord(targets: targets, to: &text)
    let line = String(decoding: text.bytes, as: UTF8.self)
    func read(_ line: String) throws -> RunSummary? { RunSummary(json: try JSONParser.parse(line), targets: targets) }
    let back = try #require(try read(line))
    #expect(back.sameResult(as: summary))
    for (field, bad) in [("\"f_star\":0", "\"f_star\":\"xyz\""), ("\"f_star\":0", "\"f_star\":[1,2]"), ("\"f_star\":0", "\"f_star\":true"),
                         ("\"distance_to_minimizer\":0.5", "\"distance_to_minimizer\":{}"),
                         ("\"minimum\":\"local:2\"", "\"minimum\":\"local:x\""), ("\"minimum\":\"local:2\"", "\"minimum\":\"local:0\""),
                         ("\"minimum\":\"local:2\"", "\"minimum\":\"global \""), ("\"minimum\":\"local:2\"", "\"minimum\":\"local:02\""),
                         ("\"steps_to_target\":{", "\"steps_to_target\":{\"1e-9\":1,")] {
      #expect(line.contains(field), "\(field) in \(line)")
      #expect(try read(line.replacingOccurrences(of: field, with: bad)) == nil, "\(bad)")
    }
    // Absent or null: unknown, as written for functions without a known minimum.
    #expect(try read(line.replacingOccurrences(of: "\"f_star\":0", with: "\"f_star\":null"))?.fStar == nil)
    #expect(try read(line.replacingOccurrences(of: "\"minimum\":\"local:2\"", with: "\"minimum\":\"global\"")) != nil)
  }
}

/// `text` run into a fresh temporary directory (removed by the caller with `cleanUp`) and read back.
func freshResults(_ text: String) throws -> (path: String, loaded: LoadedResults) {
  let path = temporaryDirectory()
  try runExperiment(try decodeExperiment(text), configText: text, into: path)
  return (path, try LoadedResults.load(path))
}

@Suite("Results read back with the config they were made with")
struct EditedConfigTests {
  static let text = #"{"name": "m", "steps": 20, "seeds": 2, "functions": [{"name": "booth", "start": "random"}], "optimizers": [{"name": "adam"}, {"name": "sgd"}]}"#
  static let edited = text.replacingOccurrences(of: #""steps": 20"#, with: #""steps": 30"#)

  @Test("plot, check and baseline refuse a config.json changed after the run: the manifest names the one used")
  func loadRefusesEditedConfig() throws {
    let (path, loaded) = try freshResults(Self.text)
    defer { cleanUp(path) }
    #expect(loaded.runs.count == 4)
    try Data(Self.edited.utf8).write(to: URL(fileURLWithPath: path + "/config.json"))
    let error = try #require(throws: ConfigError.self) { try LoadedResults.load(path) }
    #expect(error.description.contains("not the config manifest.json records"), "\(error)")
    #expect(error.exitCode == 65)
  }

  @Test("plot, check, baseline and --resume refuse results whose manifest is missing or names no config: nothing then says which config made them")
  func manifestRequired() throws {
    let (path, _) = try freshResults(Self.text)
    defer { cleanUp(path) }
    let experiment = try decodeExperiment(Self.text)
    let manifest = path + "/manifest.json"
    for damage in ["", "{\"status\": \"complete\"}", "not json"] as [String?] + [nil] {
      if let damage { try Data(damage.utf8).write(to: URL(fileURLWithPath: manifest)) } else { try FileManager.default.removeItem(atPath: manifest) }
      // With config.json edited too, as the manifest's absence would otherwise hide.
      try Data(Self.edited.utf8).write(to: URL(fileURLWithPath: path + "/config.json"))
      let error = try #require(throws: ConfigError.self) { try LoadedResults.load(path) }
      #expect(error.exitCode == 65)
      #expect(error.description.hasPrefix(manifest + ": the manifest"), "\(error)")
      #expect(error.description.contains("cannot be told from ones of another config"), "\(error)")
      try Data(Self.text.utf8).write(to: URL(fileURLWithPath: path + "/config.json"))
      #expect(throws: ConfigError.self) { try LoadedResults.load(path) }
      let refusal = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(path, for: experiment, mode: .resume) }
      #expect(refusal.exitCode == 65)
      #expect(refusal.message.contains("manifest.json") && refusal.message.contains("--force"), "\(refusal.message)")
    }
  }

  @Test("a directory of someone else's files, with a manifest.json or config.json of their own, is neither replaced, resumed into nor called results")
  func notDescentResults() throws {
    let experiment = try decodeExperiment(Self.text)
    for (name, text) in [("manifest.json", #"{"name": "my-web-app"}"#), ("manifest.json", "not json"), ("config.json", "{}"), ("keep.txt", "x")] {
      let path = temporaryDirectory()
      defer { cleanUp(path) }
      try FileManager.default.createDirectory(atPath: path + "/src", withIntermediateDirectories: true)
      try Data("int main;".utf8).write(to: URL(fileURLWithPath: path + "/src/main.c"))
      try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
      for mode in [ResultsDirectory.Mode.force, .fresh, .resume] {
        let error = try #require(throws: OutputError.self) { try ResultsDirectory.prepare(path, for: experiment, mode: mode) }
        #expect(error.exitCode == 73, "\(name) \(mode): \(error.message)")
        #expect(error.message.contains("does not hold Descent results"), "\(error.message)")
      }
      #expect(FileManager.default.contents(atPath: path + "/src/main.c") == Data("int main;".utf8))
      #expect(FileManager.default.contents(atPath: path + "/" + name) == Data(text.utf8))
    }
    // Results of Descent are still replaced, and an empty runs/ (a run stopped before its config) resumed.
    let (path, _) = try freshResults(Self.text)
    defer { cleanUp(path) }
    _ = try ResultsDirectory.prepare(path, for: experiment, mode: .force)
    #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["runs"])
    _ = try ResultsDirectory.prepare(path, for: experiment, mode: .resume)
  }

  @Test("--resume continues the part of the sweep a directory holds: the whole sweep, or its shard, and no other")
  func resumeSameShard() throws {
    let experiment = try decodeExperiment(Self.text)
    let (path, _) = try freshResults(Self.text)
    defer { cleanUp(path) }
    let directory = ResultsDirectory(path: path)
    try directory.checkResumes(shard: nil)
    for shard in [Shard(index: 2, count: 1000), Shard(index: 1, count: 2)] {
      let error = try #require(throws: OutputError.self) { try directory.checkResumes(shard: shard) }
      #expect(error.exitCode == 65)
      #expect(error.message == "\(path) holds the whole sweep (no --shard), not shard \(shard); --resume continues the same part of the sweep (or use --force)")
    }
    let sharded = temporaryDirectory()
    defer { cleanUp(sharded) }
    try runExperiment(experiment, configText: Self.text, into: sharded, shard: Shard(index: 1, count: 2))
    try ResultsDirectory(path: sharded).checkResumes(shard: Shard(index: 1, count: 2))
    let other = try #require(throws: OutputError.self) { try ResultsDirectory(path: sharded).checkResumes(shard: nil) }
    #expect(other.message.contains("holds shard 1/2, not the whole sweep (no --shard)"), "\(other.message)")
  }

  @Test("merge checks every shard's config.json against its manifest, in whatever order the shards come")
  func mergeRefusesEditedShardConfig() throws {
    let e = try decodeExperiment(Self.text)
    let shards = (1...2).map { _ in temporaryDirectory() }
    defer { shards.forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(e, configText: Self.text, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 2))
    }
    try Data(Self.edited.utf8).write(to: URL(fileURLWithPath: shards[0] + "/config.json"))
    for order in [shards, shards.reversed()] {
      let error = try #require(throws: MergeError.self) { try Merge.verify(order) }
      #expect(error.problems.contains { $0.hasPrefix(shards[0] + ": config.json is not the config its manifest.json records") }, "\(error.problems)")
    }
  }
}

@Suite("Missing runs are named with why")
struct MissingRunTests {
  @Test("a run is missing for a reason: no record, a record of another seed, its trajectory gone or not a file")
  func whyMissing() throws {
    let fresh = try freshResults(EditedConfigTests.text)
    let path = fresh.path
    defer { cleanUp(path) }
    var loaded = fresh.loaded
    #expect(loaded.missingCount == 0 && loaded.firstMissing == "")
    let (first, second) = (loaded.runs[0].0, loaded.runs[1].0)
    // Its trajectory deleted, or a directory in its place.
    try FileManager.default.removeItem(atPath: path + "/runs/\(first.id).csv")
    loaded = try LoadedResults.load(path)
    #expect(loaded.firstMissing == "first: \(first.id) (its trajectory runs/\(first.id).csv is missing)")
    try FileManager.default.createDirectory(atPath: path + "/runs/\(first.id).csv", withIntermediateDirectories: false)
    #expect(try LoadedResults.load(path).whyMissing(first) == "its trajectory runs/\(first.id).csv is not a regular file")
    // Its records gone (the run never finished), or naming another seed.
    for name in try FileManager.default.contentsOfDirectory(atPath: path + "/runs") where name.hasPrefix("journal-") {
      let journal = path + "/runs/" + name
      let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
      let kept = lines.filter { !$0.contains("\"run_id\":\"\(first.id)\"") }
        .map { $0.contains("\"run_id\":\"\(second.id)\"") ? $0.replacingOccurrences(of: "\"seed\":\(second.seed)", with: "\"seed\":77") : String($0) }
      try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: journal))
    }
    loaded = try LoadedResults.load(path)
    #expect(loaded.missingCount == 2)
    #expect(loaded.whyMissing(first) == "no journal record (it did not finish)")
    #expect(loaded.whyMissing(second) == "its journal record names seed 77, not \(second.seed)")
  }

  @Test("a CSV or binary trajectory cut short (or a binary one grown, or ending at another step) is a run not complete for --resume and merge, said why; --resume makes it again byte for byte", arguments: ["csv", "binary"])
  func cutShortTrajectory(format: String) throws {
    let text = EditedConfigTests.text.replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "format": "\#(format)","#)
    let experiment = try decodeExperiment(text)
    let fresh = try freshResults(text)
    let path = fresh.path
    defer { cleanUp(path) }
    let (run, summary) = fresh.loaded.runs[1]
    let file = path + "/runs/\(run.id)." + (format == "csv" ? "csv" : "f64")
    let whole = try Data(contentsOf: URL(fileURLWithPath: file))
    let stops = "where its journal record stops at step \(summary.steps)"
    // The binary file's last row with another step, at the same size: only its end tells.
    var otherStep = whole
    if format == "binary" {
      let sidecar = try #require(try JSONParser.parse(Array(Data(contentsOf: URL(fileURLWithPath: file + ".json")))).objectValue)
      let rowBytes = try #require(sidecar["columns"]?.arrayValue?.count) * 8
      otherStep.replaceSubrange((whole.count - rowBytes)..<(whole.count - rowBytes + 8), with: withUnsafeBytes(of: Double(7).bitPattern.littleEndian) { Data($0) })
    }
    let cuts: [(Data, String)] = format == "csv" ? [
      (whole.prefix(50), "does not end with a row (cut short, or not a trajectory)"),
      // Cut at a row's end: the rows left end before the run's last step.
      (whole.prefix(through: whole.dropLast().lastIndex(of: UInt8(ascii: "\n"))!), "is step \(summary.steps - 1), " + stops),
    ] : [
      (whole.prefix(50), "holds 50 bytes, where its sidecar's"),
      (whole.dropLast(40), "holds \(whole.count - 40) bytes, where its sidecar's"),
      (whole + whole.suffix(40), "holds \(whole.count + 40) bytes, where its sidecar's"),
      (otherStep, "is step 7, " + stops),
    ]
    let directory = ResultsDirectory(path: path)
    for (bytes, why) in cuts {
      try bytes.write(to: URL(fileURLWithPath: file))
      var problems: [RunJournal.Problem] = []
      #expect(directory.completedRuns(of: experiment, checkingEnds: true, problems: &problems).count == fresh.loaded.runs.count - 1)
      var remade: [(String, String)] = []
      #expect(directory.completedRuns(experiment.plannedRuns(), of: experiment, problems: &problems) { remade.append(($0.id, $1)) }[run.index] == nil)
      // What --resume says it runs again, and why.
      #expect(remade.count == 1 && remade.first?.0 == run.id && remade.first?.1.contains(why) == true, "\(remade)")
      let said = try LoadedResults.load(path).whyMissing(run)
      #expect(said.contains(why), "\(said)")
      let error = try #require(throws: MergeError.self) { try Merge.verify([path]) }
      #expect(error.problems.contains { $0.contains(run.id) }, "\(error.problems)")
      // Reading back for plot, check and baseline only sees that the file is there (a plot reads its rows and warns).
      #expect(try LoadedResults.load(path).missingCount == 0)
    }
    try runExperiment(experiment, configText: text, into: path, mode: .resume)
    #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == whole)
    #expect(try LoadedResults.load(path).missingCount == 0)
  }

  @Test("a record of more steps than the experiment's, or reaching a target after its last step, completes no run")
  func impossibleSteps() throws {
    let text = EditedConfigTests.text.replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "targets": [1e-3],"#)
    let fresh = try freshResults(text)
    defer { cleanUp(fresh.path) }
    let (run, summary) = fresh.loaded.runs[0]
    let journal = try #require(try FileManager.default.contentsOfDirectory(atPath: fresh.path + "/runs").first { $0.hasPrefix("journal-") })
    let original = try String(contentsOfFile: fresh.path + "/runs/" + journal, encoding: .utf8)
    let line = try #require(original.split(separator: "\n").first { $0.contains("\"run_id\":\"\(run.id)\"") })
    for (edited, why) in [
      (line.replacingOccurrences(of: "\"steps\":\(summary.steps),", with: "\"steps\":999,"), "its journal record says 999 steps, more than the experiment's 20"),
      (line.replacingOccurrences(of: "\"steps\":\(summary.steps),", with: "\"steps\":3,").replacingOccurrences(of: #"{"1e-3":null}"#, with: #"{"1e-3":5}"#)
        .replacingOccurrences(of: #"{"1e-3":\#(summary.stepsToTarget[0] ?? -1)}"#, with: #"{"1e-3":5}"#),
       "its journal record reaches a target at step 5, after its last step 3"),
    ] {
      #expect(edited != String(line))
      try Data(original.replacingOccurrences(of: String(line), with: edited).utf8).write(to: URL(fileURLWithPath: fresh.path + "/runs/" + journal))
      let loaded = try LoadedResults.load(fresh.path)
      #expect(loaded.missingCount == 1)
      #expect(loaded.whyMissing(run) == why)
    }
  }
}

@Suite("Trajectories read back are the run's own")
struct TrajectoryCheckTests {
  @Test("a trajectory cut short at a row's end, reordered, emptied, or with other columns is refused, with why")
  func malformedTrajectories() throws {
    let (path, loaded) = try freshResults(EditedConfigTests.text)
    defer { cleanUp(path) }
    let run = loaded.runs[0].0
    let file = path + "/runs/\(run.id).csv"
    let original = try String(contentsOfFile: file, encoding: .utf8)
    let lines = original.split(separator: "\n").map(String.init)
    #expect(lines.count == 22 && lines[0] == "step,f,grad_norm,lr,x1,x2")
    #expect(loaded.trajectory(run)?.rowCount == 21)
    #expect(loaded.trajectoryProblem(run) == nil)
    let cases: [(String, String)] = [
      (lines[0] + "\n", "it has no rows"),
      (lines[0...20].joined(separator: "\n") + "\n", "its last row is step 19 where the run stopped at step 20"),
      (([lines[0], lines[2], lines[1]] + lines[3...]).joined(separator: "\n"), "row 1: step 1 where the first is 0"),
      (([lines[0], lines[1], lines[3], lines[2]] + lines[4...]).joined(separator: "\n"), "row 3: step 1 after 2"),
      (lines.map { $0.split(separator: ",").dropLast().joined(separator: ",") }.joined(separator: "\n"),
       "its columns are step,f,grad_norm,lr,x1 where the run writes step,f,grad_norm,lr,x1,x2"),
    ]
    for (content, problem) in cases {
      try Data(content.utf8).write(to: URL(fileURLWithPath: file))
      #expect(loaded.trajectory(run) == nil)
      #expect(loaded.trajectoryProblem(run) == problem)
    }
    // CRLF line ends: refused, and the CR quoted back escaped, never raw.
    try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: file))
    let crlf = try #require(loaded.trajectoryProblem(run))
    #expect(crlf.hasPrefix(#"line 2, column x2\u{D}: not a number: "#), "\(crlf)")
    #expect(!crlf.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(crlf.debugDescription)")
  }

  @Test("a binary sidecar naming another element type or byte order is refused")
  func sidecarType() throws {
    let text = EditedConfigTests.text.replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "format": "binary","#)
    let (path, loaded) = try freshResults(text)
    defer { cleanUp(path) }
    let run = loaded.runs[0].0
    #expect(loaded.trajectory(run)?.rowCount == 21)
    let sidecar = path + "/runs/\(run.id).f64.json"
    let original = try String(contentsOfFile: sidecar, encoding: .utf8)
    for (from, to, problem) in [(#""dtype": "float64""#, #""dtype": "float32""#, #"its sidecar's dtype is "float32", where only "float64" is read"#),
                                (#""endian": "little""#, #""endian": "big""#, #"its sidecar's endian is "big", where only "little" is read"#)] {
      #expect(original.contains(from))
      try Data(original.replacingOccurrences(of: from, with: to).utf8).write(to: URL(fileURLWithPath: sidecar))
      #expect(loaded.trajectoryProblem(run) == problem)
    }
  }
}
