import Foundation
import Testing
@testable import DescentCore

/// `"format": "packed"`: a function's trajectories in one file, each run in a slot fixed by the plan.
@Suite("Packed trajectories")
struct PackedTrajectoryTests {
  /// A config of runs that stop early (converged, diverged) and run to the end, in one to three dimensions,
  /// with exact gradients, minibatches of a finite sum (a `samples_seen` column) and noisy gradients.
  /// `scheduled`: one optimizer's rate follows a schedule (so the packs keep their `lr` column).
  static func config(_ format: String, record: String, scheduled: Bool = true) -> String {
    #"{"name": "p", "steps": 120, "seeds": 3, "format": "\#(format)", "record": \#(record), "stop": {"grad_norm": 1e-3}, "#
      + #""functions": [{"name": "rosenbrock", "start": "random"}, {"name": "xcos"}, {"name": "quadratic", "diag": [0.5, 4, 2], "start": [1, 1, 1]}, "#
      + #"{"name": "least-squares", "samples": 40, "dim": 3, "batch_size": 4, "start": [0, 0, 0]}, {"name": "rosenbrock", "label": "noisy", "gradient_noise": 0.5, "start": [0, 0]}], "evaluate": {"every": 3}, "#
      + #""optimizers": [{"name": "adam", "lr": 0.05}, {"name": "gd", "lr": {"grid": [0.1, 40]}}, "#
      + (scheduled ? #"{"name": "momentum", "lr": 0.01, "schedule": {"name": "cosine", "t_max": 50}}]}"# : #"{"name": "momentum", "lr": 0.01}]}"#)
  }

  static func bytes(_ path: String) throws -> Data { try #require(FileManager.default.contents(atPath: path)) }

  /// A completed packed sweep whose rates are all constant, `{"log": 20}`: its config text, experiment and
  /// directory (which the caller removes).
  static func completedSweep() throws -> (text: String, experiment: Experiment, directory: String) {
    let text = config("packed", record: #"{"log": 20}"#, scheduled: false)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory()
    try runExperiment(experiment, configText: text, into: directory)
    return (text, experiment, directory)
  }

  @Test("a packed run's rows are its binary file's, bit for bit, at the offset the index gives",
        arguments: [#""every""#, #"{"every": 7}"#, #"{"log": 15}"#], [true, false])
  func rowsMatchBinary(_ record: String, scheduled: Bool) throws {
    let packedText = Self.config("packed", record: record, scheduled: scheduled), binaryText = Self.config("binary", record: record, scheduled: scheduled)
    let packed = temporaryDirectory(), binary = temporaryDirectory()
    defer { [packed, binary].forEach(cleanUp) }
    let experiment = try decodeExperiment(packedText)
    let a = try runExperiment(experiment, configText: packedText, into: packed)
    let b = try runExperiment(try decodeExperiment(binaryText), configText: binaryText, into: binary)
    #expect(zip(a.summaries, b.summaries).allSatisfy { $0.1.sameResult(as: $1.1) })
    let statuses = Set(a.summaries.map(\.1.status))
    #expect(statuses == [.converged, .diverged, .maxSteps], "the config covers runs that stop early and runs that do not")
    let loaded = try LoadedResults.load(packed)
    let packs = experiment.packs()
    // With every rate constant the rows leave `lr` out, as a constant-rate binary file does; with one
    // scheduled rate every run keeps it.
    #expect(packs.allSatisfy { $0.columns.contains("lr") == scheduled })
    for (run, summary) in a.summaries {
      let expected = try #require(Trajectory.read(binary + "/runs/\(run.id).f64"))
      let pack = packs[run.function]
      #expect(pack.rows(summary) == expected.rowCount, "the rows a run records follow from where it stopped")
      #expect(pack.columns == expected.columns.filter { $0 != "lr" || scheduled })
      let read = try #require(loaded.trajectory(run))
      #expect(read.columns == expected.columns)
      #expect(read.values.map(\.bitPattern) == expected.values.map(\.bitPattern))
      // The file itself, without Descent: the rows at the slot's offset, in the index's columns.
      let file = try Self.bytes(packed + "/runs/" + experiment.functions[run.function].label + ".pack.f64")
      let slice = file.subdata(in: pack.offset(of: run)..<(pack.offset(of: run) + expected.rowCount * pack.rowBytes))
      let kept = expected.columns.indices.filter { pack.columns.contains(expected.columns[$0]) }
      let stored = (0..<expected.rowCount).flatMap { r in kept.map { expected[row: r, column: $0].bitPattern.littleEndian } }
      #expect(slice.withUnsafeBytes { raw in (0..<stored.count).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self) } } == stored)
      if !scheduled { #expect(slice == (try Self.bytes(binary + "/runs/\(run.id).f64")), "the binary file's bytes") }
    }
    #expect(!FileManager.default.fileExists(atPath: packed + "/runs/\(a.summaries[0].0.id).f64"), "no file per run")
    // The index: columns, slot size, and each run's offset and rows, in canonical order.
    for function in experiment.functions.indices {
      let path = packed + "/runs/" + experiment.functions[function].label + ".pack.f64.json"
      let json = try JSONParser.parse([UInt8](Self.bytes(path)))
      let index = try #require(json.objectValue)
      let pack = packs[function]
      #expect(index["columns"]?.arrayValue?.compactMap(\.stringValue) == pack.columns)
      #expect(index["slot_bytes"]?.numberValue == Double(pack.slotBytes))
      #expect(index["slot_rows"]?.numberValue == Double(pack.slotRows))
      // gnuplot reads one run's rows with the offset and rows put in.
      #expect(index["gnuplot"]?.stringValue
              == "binary skip=<offset> record=<rows> format='\(String(repeating: "%float64", count: pack.columns.count))' endian=little")
      let runs = (index["runs"]?.arrayValue ?? []).compactMap { $0.objectValue }
      let mine = a.summaries.filter { $0.0.function == function }
      #expect(runs.map { $0["run_id"]?.stringValue } == mine.map(\.0.id))
      #expect(runs.map { $0["offset"]?.numberValue } == mine.map { Double(pack.offset(of: $0.0)) })
      #expect(runs.map { $0["rows"]?.numberValue } == mine.map { Double(pack.rows($0.1)) })
      // Each run's rate, where its rows leave it out.
      #expect(runs.map { $0["constants"]?.objectValue?["lr"]?.numberValue }
              == mine.map { scheduled ? nil : experiment.optimizers[$0.0.optimizer].configured.learningRate })
    }
  }

  @Test("packs are the same bytes with one job or two, resumed after an interruption, or merged from shards", arguments: [true, false])
  func sameBytesHoweverMade(scheduled: Bool) throws {
    let text = Self.config("packed", record: #"{"log": 40}"#, scheduled: scheduled)
    let experiment = try decodeExperiment(text)
    let one = temporaryDirectory(), two = temporaryDirectory(), resumed = temporaryDirectory(), merged = temporaryDirectory()
    let shards = (1...3).map { _ in temporaryDirectory() }
    defer { ([one, two, resumed, merged] + shards).forEach(cleanUp) }
    try runExperiment(experiment, configText: text, into: one, jobs: 1)
    try runExperiment(experiment, configText: text, into: two, jobs: 2)
    let partial = try runExperiment(experiment, configText: text, into: resumed, jobs: 2, cancelAfter: 10)
    #expect(!partial.complete)
    let rest = try runExperiment(experiment, configText: text, into: resumed, jobs: 2, mode: .resume)
    #expect(rest.complete && rest.resumed > 0)
    for (k, shard) in shards.enumerated() {
      try runExperiment(experiment, configText: text, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 3))
    }
    let (e, config, sources) = try Merge.verify(shards)
    let output = try ResultsDirectory.prepare(merged, for: e, mode: .fresh)
    try Merge.write(e, configBytes: config, sources: sources, to: output, started: Date())
    let names = try FileManager.default.contentsOfDirectory(atPath: one + "/runs").filter { $0.contains(".pack.f64") }.sorted()
    #expect(names.count == 2 * experiment.functions.count)
    for directory in [two, resumed, merged] {
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/runs").filter { $0.contains(".pack.f64") }.sorted() == names)
      for name in names { #expect(try Self.bytes(directory + "/runs/" + name) == Self.bytes(one + "/runs/" + name), "\(directory): \(name)") }
      #expect(try summaryWithoutTiming(directory) == summaryWithoutTiming(one))
    }
  }

  @Test("a run whose slot the pack does not reach is not complete: it is missing, said why, and run again by --resume")
  func truncatedPack() throws {
    let text = Self.config("packed", record: #""every""#)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory(), fresh = temporaryDirectory()
    defer { [directory, fresh].forEach(cleanUp) }
    try runExperiment(experiment, configText: text, into: directory)
    try runExperiment(experiment, configText: text, into: fresh)
    let pack = directory + "/runs/" + experiment.functions[0].label + ".pack.f64"
    let size = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
    #expect(truncate(pack, off_t(size - 8)) == 0)
    let loaded = try LoadedResults.load(directory)
    #expect(loaded.missingCount == 1)
    let missing = try #require(loaded.missingRuns().first)
    let slots = experiment.packs()[0].slots
    #expect(missing.function == 0 && missing.index == slots - 1, "the last slot")
    #expect(loaded.whyMissing(missing).contains("ends at byte \(size - 8), before the end of its rows in slot"), "\(loaded.whyMissing(missing))")
    let rerun = try runExperiment(experiment, configText: text, into: directory, mode: .resume)
    #expect(rerun.resumed == experiment.runCount - 1)
    #expect(try Self.bytes(pack) == Self.bytes(fresh + "/runs/" + experiment.functions[0].label + ".pack.f64"))
    // A pack that is not a regular file: its runs are missing, each said why.
    try FileManager.default.removeItem(atPath: pack)
    try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: false)
    let again = try LoadedResults.load(directory)
    #expect(again.missingCount == slots)
    #expect(again.whyMissing(missing) == "its trajectory's pack runs/\(experiment.functions[0].label).pack.f64 is not a regular file")
    #expect(throws: OutputError.self) { try runExperiment(experiment, configText: text, into: directory, mode: .resume) }
  }

  @Test("a writer never writes past its slot")
  func slotBound() throws {
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let path = directory + "/t.pack.f64"
    let fd = open(path, O_WRONLY | O_CREAT, 0o644)
    defer { close(fd) }
    let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
    defer { x.deallocate() }
    x[0] = 1
    // Two rows of (step, f, grad_norm, lr, x1) fit; the third is refused, and nothing past the slot is written.
    var writer = try TrajectoryWriter(path: "run-1", format: .packed, dimension: 1, writesX: true, capacity: 0,
                                      slot: PackSlot(fd: fd, offset: 80, bytes: 80, path: "t.pack.f64"))
    for step in 0..<3 { writer.record(step: step, value: 0, gradientNorm: 0, learningRate: 0.1, x: x) }
    let error = try #require(throws: OutputError.self) { try writer.finish() }
    #expect(error.message == "t.pack.f64: run run-1 recorded more rows than its slot at offset 80 holds (2)")
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? -1 <= 160)
  }

  @Test("a pack too large for a file is refused when the config is read")
  func packSize() {
    let text = #"{"name": "big", "steps": 1000000000, "format": "packed", "functions": [{"name": "quadratic", "diag": [1, 2, 3, 4]}], "optimizers": [{"name": "adam", "lr": {"logspace": [-5, 0, 1000]}}]}"#
    #expect(configProblems(text) == [#"format: "packed" would give quadratic's pack a slot of 1000000001 rows for each of its 1000 runs, more than 16 TiB; record fewer steps or use "binary""#])
    #expect(configProblems(text.replacingOccurrences(of: #""format": "packed""#, with: #""format": "packed", "record": {"log": 100}"#)) == [])
  }
}

extension PackedTrajectoryTests {
  /// How the edited index is written: as Descent writes it, in one line, or with `runs` before the layout.
  enum IndexText: CaseIterable { case pretty, compact, runsFirst }

  @Test("a pack whose index gives another layout (an older Descent's) is neither read nor resumed into", arguments: IndexText.allCases)
  func otherLayout(_ indexText: IndexText) throws {
    let (text, experiment, directory) = try Self.completedSweep()
    defer { cleanUp(directory) }
    let pack = experiment.packs()[0]
    let indexPath = directory + "/runs/" + experiment.functions[0].label + ".pack.f64.json"
    // The index an earlier layout wrote, with an lr column and wider slots; as written, or in one line.
    let older = pack.columns[..<3] + ["lr"] + pack.columns[3...], olderBytes = pack.slotRows * 8 * older.count
    var index = try #require(try JSONParser.parse([UInt8](Self.bytes(indexPath))).objectValue)
    index["columns"] = .array(older.map { .string($0) })
    index["slot_bytes"] = .number(Double(olderBytes))
    var reordered = JSONObject()
    for key in ["runs"] + index.keys.filter({ $0 != "runs" }) { reordered[key] = index[key] }
    let edited = JSONValue.object(indexText == .runsFirst ? reordered : index)
    try (indexText == .compact ? edited.serialized() : edited.prettyPrinted()).write(toFile: indexPath, atomically: true, encoding: .utf8)
    let loaded = try LoadedResults.load(directory)
    #expect(loaded.missingCount == pack.slots, "the runs of that pack, and no other")
    let run = try #require(loaded.missingRuns().first)
    #expect(loaded.whyMissing(run) == "its trajectory's pack runs/\(experiment.functions[0].label).pack.f64 has an index that gives "
            + "\(older.joined(separator: ",")) in slots of \(olderBytes) bytes, where this version of Descent writes \(pack.columns.joined(separator: ",")) in slots of \(pack.slotBytes) bytes (make it again with --force)")
    let error = try #require(throws: OutputError.self) { try runExperiment(experiment, configText: text, into: directory, mode: .resume) }
    #expect(error.message.hasPrefix(directory + "/runs/\(experiment.functions[0].label).pack.f64 has an index that gives ")
            && error.message.hasSuffix("; --resume would mix the two layouts; use --force to replace them"), "\(error.message)")
    #expect(error.exitCode == 65)
  }

  @Test("a pack's index is written before its rows, so a sweep cut short leaves its layout; a pack without one is an older Descent's",
        arguments: [false, true])
  func indexFirst(scheduled: Bool) throws {
    let text = Self.config("packed", record: #"{"log": 20}"#, scheduled: scheduled)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory(), fresh = temporaryDirectory()
    defer { [directory, fresh].forEach(cleanUp) }
    let partial = try runExperiment(experiment, configText: text, into: directory, jobs: 1, cancelAfter: 4)
    #expect(!partial.complete)
    let pack = experiment.packs()[0], label = experiment.functions[0].label
    let packPath = directory + "/runs/" + label + ".pack.f64"
    let index = try #require(try JSONParser.parse([UInt8](Self.bytes(packPath + ".json"))).objectValue)
    #expect(index["columns"]?.arrayValue?.compactMap(\.stringValue) == pack.columns)
    #expect(index["slot_bytes"]?.numberValue == Double(pack.slotBytes))
    #expect(index["runs"]?.arrayValue == [], "no runs until the summary")
    // An older Descent's pack, cut short: rows but no index. Where the rows leave lr out, its layout may
    // differ (the older rows always had lr): not read, not resumed into. Where they keep lr, it cannot.
    try FileManager.default.removeItem(atPath: packPath + ".json")
    let loaded = try LoadedResults.load(directory)
    let done = partial.summaries.map(\.0).filter { $0.function == 0 }
    #expect(!done.isEmpty, "the cut-short sweep completed runs of the first function")
    if scheduled {
      #expect(done.allSatisfy { run in loaded.runs.contains { $0.0 == run } }, "they read back")
      try runExperiment(experiment, configText: text, into: directory, mode: .resume)
      try runExperiment(experiment, configText: text, into: fresh)
      #expect(try Self.bytes(packPath) == Self.bytes(fresh + "/runs/" + label + ".pack.f64"))
      #expect(try Self.bytes(packPath + ".json") == Self.bytes(fresh + "/runs/" + label + ".pack.f64.json"))
    } else {
      let layout = "\(pack.columns.joined(separator: ",")) in slots of \(pack.slotBytes) bytes"
      #expect(Set(loaded.missingRuns().map(\.index)).isSuperset(of: done.map(\.index)))
      #expect(loaded.whyMissing(done[0]) == "its trajectory's pack runs/\(label).pack.f64 has no index that gives its layout (an older Descent wrote it only "
              + "once the sweep was complete, and its rows always had an lr column), where this version of Descent writes \(layout) (make it again with --force)")
      let error = try #require(throws: OutputError.self) { try runExperiment(experiment, configText: text, into: directory, mode: .resume) }
      #expect(error.message.hasPrefix(packPath + " has no index that gives its layout") && error.message.hasSuffix("; --resume would mix the two layouts; use --force to replace them"),
              "\(error.message)")
    }
  }
}

extension PackedTrajectoryTests {
  /// Optimizer lists whose packs keep the `lr` column: a rate of -0.0 (which the index's JSON would give
  /// back as 0), a warm-up (a constant schedule whose rate still changes), among constant ones.
  @Test("one rate of -0.0 or with a warm-up keeps every pack's lr column, and the rows read back as the CSV's",
        arguments: [#"{"name": "gd", "lr": -0.0}"#, #"{"name": "adam", "label": "warm", "lr": 0.01, "schedule": {"name": "constant", "warmup_steps": 5}}"#])
  func rateKeepsItsColumn(_ optimizer: String) throws {
    func config(_ format: String) -> String {
      #"{"name": "k", "steps": 30, "seeds": 2, "format": "\#(format)", "functions": [{"name": "rosenbrock", "start": "random"}, {"name": "xcos"}], "#
        + #""optimizers": [{"name": "adam", "lr": 0.05}, \#(optimizer)]}"#
    }
    let packed = temporaryDirectory(), csv = temporaryDirectory()
    defer { [packed, csv].forEach(cleanUp) }
    let experiment = try decodeExperiment(config("packed"))
    #expect(experiment.packs().allSatisfy { $0.columns.contains("lr") && $0.constantRates == nil })
    try runExperiment(experiment, configText: config("packed"), into: packed)
    try runExperiment(try decodeExperiment(config("csv")), configText: config("csv"), into: csv)
    let a = try LoadedResults.load(packed), b = try LoadedResults.load(csv)
    #expect(a.runs.count == experiment.runCount)
    for (run, _) in a.runs {
      let x = try #require(a.trajectory(run)), y = try #require(b.trajectory(run))
      #expect(x.columns == y.columns && x.values.map(\.bitPattern) == y.values.map(\.bitPattern), "\(run.id)")
    }
  }
}

extension PackedTrajectoryTests {
  @Test("a pack whose slots read as zeros (cut short and grown again) is not complete: its runs are missing, said why, and run again")
  func zeroedSlots() throws {
    let text = Self.config("packed", record: #"{"every": 7}"#, scheduled: false)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory(), fresh = temporaryDirectory()
    defer { [directory, fresh].forEach(cleanUp) }
    try runExperiment(experiment, configText: text, into: directory)
    try runExperiment(experiment, configText: text, into: fresh)
    let label = experiment.functions[0].label, pack = directory + "/runs/" + label + ".pack.f64"
    let size = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
    #expect(truncate(pack, 0) == 0 && truncate(pack, off_t(size)) == 0)
    let loaded = try LoadedResults.load(directory)
    let slots = experiment.packs()[0].slots
    #expect(loaded.missingCount == slots)
    let missing = try #require(loaded.missingRuns().first)
    let steps = try #require(try LoadedResults.load(fresh).runs.first { $0.0 == missing }?.1.steps)
    #expect(loaded.whyMissing(missing) == "the last row of its slot 0 in runs/\(label).pack.f64 is step 0, where its journal record stops at step \(steps)")
    let rerun = try runExperiment(experiment, configText: text, into: directory, mode: .resume)
    #expect(rerun.resumed == experiment.runCount - slots)
    #expect(try Self.bytes(pack) == Self.bytes(fresh + "/runs/" + label + ".pack.f64"))
  }

  @Test("a sweep makes every pack its runs write, each with its first index, before its first run")
  func packsMadeFirst() throws {
    let text = Self.config("packed", record: #"{"log": 20}"#, scheduled: false)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    // Stopped after its first run: the packs of functions no run has reached are there all the same.
    let result = try runExperiment(experiment, configText: text, into: directory, jobs: 1, cancelAfter: 1)
    #expect(!result.complete && Set(result.summaries.map(\.0.function)).count < experiment.functions.count)
    let packs = experiment.packs()
    var inodes: [String: Set<UInt64>] = [:]
    for (function, pack) in packs.enumerated() {
      let path = directory + "/runs/" + experiment.functions[function].label + ".pack.f64"
      #expect(FileManager.default.fileExists(atPath: path), "\(path)")
      // The first index gives the layout and no runs; functions whose layouts read alike share its file.
      let text = pack.indexText([])
      #expect(String(decoding: try Self.bytes(path + ".json"), as: UTF8.self) == text)
      var s = stat()
      #expect(stat(path + ".json", &s) == 0)
      inodes[text, default: []].insert(UInt64(s.st_ino))
    }
    #expect(inodes.count < packs.count, "the config has functions of one layout (rosenbrock twice)")
    #expect(inodes.values.allSatisfy { $0.count == 1 }, "one file for each text")
    // Completed, every function has an index of its own, which names its runs.
    let rest = try runExperiment(experiment, configText: text, into: directory, jobs: 2, mode: .resume)
    #expect(rest.complete)
    for function in packs.indices {
      var s = stat()
      #expect(stat(directory + "/runs/" + experiment.functions[function].label + ".pack.f64.json", &s) == 0)
      #expect(s.st_nlink == 1)
    }
  }

  @Test("a packed experiment that records nothing writes no packs, and runs")
  func packedRecordingNothing() throws {
    let text = Self.config("packed", record: #""none""#)
    let experiment = try decodeExperiment(text)
    let directory = temporaryDirectory()
    defer { cleanUp(directory) }
    let result = try runExperiment(experiment, configText: text, into: directory)
    #expect(result.complete && result.summaries.count == experiment.runCount)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/runs").filter { $0.contains(".pack") } == [])
    #expect(try runExperiment(experiment, configText: text, into: directory, mode: .resume).resumed == experiment.runCount)
  }

  @Test("a pack that cannot be made stops the sweep before its first run")
  func unusablePackFirst() throws {
    let (text, experiment, directory) = try Self.completedSweep()
    defer { cleanUp(directory) }
    // Every run to be made again, and the last function's pack not a regular file.
    let results = try ResultsDirectory.prepare(directory, for: experiment, mode: .resume)
    for name in RunJournal.journalNames(in: results) { try FileManager.default.removeItem(atPath: results.runsPath + "/" + name) }
    let pack = directory + "/runs/" + experiment.functions[experiment.functions.count - 1].label + ".pack.f64"
    try FileManager.default.removeItem(atPath: pack)
    #expect(mkfifo(pack, 0o644) == 0)
    let error = try #require(throws: OutputError.self) { try runExperiment(experiment, configText: text, into: directory, jobs: 1, mode: .resume) }
    #expect(error.message == "\(pack) is not a regular file (--force makes the pack again)")
    #expect(RunJournal.records(in: results, targets: experiment.targets).count == 0, "no run was made")
  }

  @Test("a FIFO where a pack should be is refused at once, not waited on")
  func fifoPack() throws {
    let (text, experiment, directory) = try Self.completedSweep()
    defer { cleanUp(directory) }
    let pack = directory + "/runs/" + experiment.functions[0].label + ".pack.f64"
    try FileManager.default.removeItem(atPath: pack)
    #expect(mkfifo(pack, 0o644) == 0)
    let error = try #require(throws: OutputError.self) { try runExperiment(experiment, configText: text, into: directory, mode: .resume) }
    #expect(error.message == "\(pack) is not a regular file (--force makes the pack again)")
  }
}

extension PackedTrajectoryTests {
  @Test("an index that is not JSON giving a layout, or that gives another byte order, leaves the pack unread, said why",
        arguments: ["{garbage", "", #"{"columns": ["step"]}"#, "endian"])
  func damagedIndex(_ index: String) throws {
    let (_, experiment, directory) = try Self.completedSweep()
    defer { cleanUp(directory) }
    let pack = experiment.packs()[0], name = "runs/" + experiment.functions[0].label + ".pack.f64"
    let path = directory + "/" + name + ".json"
    var replacement = index
    if index == "endian" { replacement = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""endian": "little""#, with: #""endian": "big""#) }
    try replacement.write(toFile: path, atomically: true, encoding: .utf8)
    let loaded = try LoadedResults.load(directory)
    #expect(loaded.missingCount == pack.slots)
    let why = loaded.whyMissing(try #require(loaded.missingRuns().first))
    let mine = pack.columns.joined(separator: ",") + " in slots of \(pack.slotBytes) bytes"
    if index == "endian" {
      #expect(why == "its trajectory's pack \(name) has an index that gives \(mine), endian \"big\", where this version of Descent writes \(mine) (make it again with --force)")
    } else {
      #expect(why == "its trajectory's pack \(name) has an index, \(name).json, that does not give its layout (a JSON object with columns and slot_bytes, at most 64 MB), "
              + "so its rows cannot be told from an older Descent's, which had an lr column, where this version of Descent writes \(mine) (make it again with --force)")
    }
  }
}

extension PackedTrajectoryTests {
  @Test("merge refuses a shard whose pack has lost its index or been zeroed, naming the first missing run and why")
  func mergeDamagedShard() throws {
    let text = Self.config("packed", record: #"{"log": 20}"#, scheduled: false)
    let experiment = try decodeExperiment(text)
    let shards = (1...2).map { _ in temporaryDirectory() }
    defer { shards.forEach(cleanUp) }
    for (k, shard) in shards.enumerated() {
      try runExperiment(experiment, configText: text, into: shard, jobs: 1, shard: Shard(index: k + 1, count: 2))
    }
    let name = "runs/" + experiment.functions[0].label + ".pack.f64"
    try FileManager.default.removeItem(atPath: shards[1] + "/" + name + ".json")
    let error = try #require(throws: MergeError.self) { _ = try Merge.verify(shards) }
    #expect(error.problems.count == 1)
    #expect(error.problems.first?.hasPrefix(shards[1] + ": shard 2/2 lacks ") == true)
    #expect(error.problems.first?.contains("; first: ") == true)
    #expect(error.problems.first?.contains("(its trajectory's pack \(name) has no index that gives its layout") == true, "\(error.problems)")
    // --resume would refuse that shard: the remedy is --force.
    #expect(error.problems.first?.hasSuffix("; make them again with --force (a pack's layout is not this version's, or cannot be confirmed)") == true, "\(error.problems)")
    // A zeroed pack, with its index: --resume runs its runs again.
    try FileManager.default.copyItem(atPath: shards[0] + "/" + name + ".json", toPath: shards[1] + "/" + name + ".json")
    let pack = shards[1] + "/" + name
    let size = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
    #expect(truncate(pack, 0) == 0 && truncate(pack, off_t(size)) == 0)
    let zeroed = try #require(throws: MergeError.self) { _ = try Merge.verify(shards) }
    #expect(zeroed.problems.first?.contains("is step 0, where its journal record stops at step") == true, "\(zeroed.problems)")
    #expect(zeroed.problems.first?.hasSuffix("; re-run it with --resume") == true, "\(zeroed.problems)")
  }
}
