/// `summary.csv` and `summary.json`: one row per run, in canonical order.
///
/// Columns: `run_id, function, optimizer, label, seed`, one column per function parameter and
/// hyperparameter that varies across the experiment, then `steps, status, final_f, best_f, f_star,
/// final_suboptimality, best_suboptimality, final_grad_norm, distance_to_minimizer, minimum`,
/// `steps_to_<target>` per target, `samples_seen` where a function is a finite sum, `diverged_at` (the step a
/// diverged run was first found diverged; empty for other runs), and last `wall_seconds` (the only timing
/// column: dropping the last column compares two sweeps).
public struct SummaryTable: Sendable {
  public let experiment: Experiment
  /// Varying parameter columns: name, whether the value is the function's (else the optimizer's), and the
  /// value for each function or optimizer of the experiment, by index (`nil`: the column's cell is null).
  let varying: [(name: String, byFunction: Bool, values: [JSONValue?])]

  public init(_ experiment: Experiment) {
    self.experiment = experiment
    var columns: [(name: String, byFunction: Bool, values: [JSONValue?])] = []
    let functionValues = experiment.functions.map { $0.parameters }
    let optimizerValues = experiment.optimizers.map { o -> JSONObject in
      var object = JSONObject()
      for key in o.configured.parameters.values.keys.sorted() { object[key] = o.configured.parameters.values[key]!.json }
      if let schedule = o.scheduleJSON { object["schedule"] = .string(schedule.serialized(sortedKeys: true)) }
      return object
    }
    func varyingKeys(_ objects: [JSONObject]) -> [String] {
      var keys: [String] = []
      for o in objects { for k in o.keys where !keys.contains(k) { keys.append(k) } }
      return keys.filter { key in Set(objects.map { $0[key]?.serialized() ?? "" }).count > 1 }
    }
    let optimizerKeys = varyingKeys(optimizerValues)
    for key in varyingKeys(functionValues) {
      let name = optimizerKeys.contains(key) || ["function", "optimizer", "label", "seed", "steps"].contains(key) ? "function_" + key : key
      columns.append((name, true, functionValues.map { $0[key] }))
    }
    for key in optimizerKeys {
      columns.append((key, false, optimizerValues.map { $0[key] }))
    }
    varying = columns
    hasSamples = experiment.functions.contains { $0.samplesPerStep != nil }
    header = ["run_id", "function", "optimizer", "label", "seed"] + columns.map(\.0)
      + ["steps", "status", "final_f", "best_f", "f_star", "final_suboptimality", "best_suboptimality",
         "final_grad_norm", "distance_to_minimizer", "minimum"]
      + experiment.targets.map { "steps_to_" + NumberText.target($0) } + (hasSamples ? ["samples_seen"] : []) + ["diverged_at", "wall_seconds"]
    jsonKeys = header.map { name -> String in
      var key = ""
      JSONValue.writeString(name, to: &key)
      return key + ":"
    }
  }

  /// Each column's name as a JSON key, with its colon.
  let jsonKeys: [String]

  /// Whether any function is a finite sum, so the table carries `samples_seen`.
  let hasSamples: Bool

  /// The column names.
  public let header: [String]

  /// The `k`-th varying parameter column's cell for `run`.
  func varyingValue(_ k: Int, _ run: RunSpec) -> JSONValue {
    varying[k].values[varying[k].byFunction ? run.function : run.optimizer] ?? .null
  }

  /// A run's cells, in column order, as values: the definition of what `row` writes directly, cell by cell
  /// (the tests hold the two to each other through `csvCell` and `JSONValue`).
  func cells(_ run: RunSpec, _ s: RunSummary) -> [JSONValue] {
    var row: [JSONValue] = [.string(s.runID), .string(s.function), .string(s.optimizer), .string(s.label), .number(Double(s.seed))]
    row += varying.indices.map { varyingValue($0, run) }
    row += [.number(Double(s.steps)), .string(s.status.rawValue), NumberText.json(s.finalF), NumberText.json(s.bestF),
            NumberText.json(s.fStar), NumberText.json(s.finalSuboptimality), NumberText.json(s.bestSuboptimality),
            NumberText.json(s.finalGradNorm), NumberText.json(s.distanceToMinimizer), .string(s.minimum)]
    row += s.stepsToTarget.map { $0.map { .number(Double($0)) } ?? .null }
    if hasSamples { row.append(s.samplesSeen.map { .number(Double($0)) } ?? .null) }
    row.append(s.divergedAt.map { .number(Double($0)) } ?? .null)
    row.append(.number(s.wallSeconds))
    return row
  }

  /// One run's line of `summary.csv` (with its newline) and its object in `summary.json` (indented,
  /// without the separator that follows it). Rows can be rendered where a run finishes, on the worker
  /// that ran it, so that little is left to do once the last run is done.
  public struct Row: Sendable {
    /// The CSV line, then the JSON object, in one buffer of their size: a sweep holds a row per run
    /// until the table is written.
    let bytes: [UInt8]
    let csvCount: Int

    init(csv: [UInt8], json: [UInt8]) {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(csv.count + json.count)
      bytes += csv
      bytes += json
      self.bytes = bytes
      csvCount = csv.count
    }

    var csv: ArraySlice<UInt8> { bytes[..<csvCount] }
    var json: ArraySlice<UInt8> { bytes[csvCount...] }
  }

  /// A run's row. Built as bytes with numbers formatted in place: the same text as `csvCell` and
  /// `JSONValue.write` give, a few times faster.
  public func row(_ run: RunSpec, _ s: RunSummary) -> Row {
    var csv = ByteText(capacity: 16 * jsonKeys.count)
    var json = ByteText(capacity: 36 * jsonKeys.count)
    json.append("  {")
    // The cells in `cells`' order, each written as it is made (no array of cells, a run at a time).
    var k = 0
    func put(_ cell: JSONValue) {
      if k > 0 {
        csv.append(UInt8(ascii: ","))
        json.append(UInt8(ascii: ","))
      }
      json.append(jsonKeys[k])
      k += 1
      let valueStart = json.bytes.count
      cell.write(to: &json)
      switch cell {
      // A finite number is spelled alike in both files: formatted once, for `json`, and copied.
      case .number(let x) where x.isFinite: csv.append(json.bytes[valueStart...])
      case .null: break
      case .string(let s) where !Self.needsQuotes(s): csv.append(s)
      // An array or object (a start point, say): `csvCell` quotes its compact JSON, just written to `json`.
      case .array, .object: csv.append(csvQuoted: json.bytes[valueStart...])
      default: csv.append(Self.csvCell(cell))
      }
    }
    put(.string(s.runID))
    put(.string(s.function))
    put(.string(s.optimizer))
    put(.string(s.label))
    put(.number(Double(s.seed)))
    for k in varying.indices { put(varyingValue(k, run)) }
    put(.number(Double(s.steps)))
    put(.string(s.status.rawValue))
    put(NumberText.json(s.finalF))
    put(NumberText.json(s.bestF))
    put(NumberText.json(s.fStar))
    put(NumberText.json(s.finalSuboptimality))
    put(NumberText.json(s.bestSuboptimality))
    put(NumberText.json(s.finalGradNorm))
    put(NumberText.json(s.distanceToMinimizer))
    put(.string(s.minimum))
    for steps in s.stepsToTarget { put(steps.map { .number(Double($0)) } ?? .null) }
    if hasSamples { put(s.samplesSeen.map { .number(Double($0)) } ?? .null) }
    put(s.divergedAt.map { .number(Double($0)) } ?? .null)
    put(.number(s.wallSeconds))
    precondition(k == jsonKeys.count, "a cell per column")
    csv.append(UInt8(ascii: "\n"))
    json.append(UInt8(ascii: "}"))
    return Row(csv: csv.bytes, json: json.bytes)
  }

  /// The bytes of `summary.csv` and of `summary.json` (an array with one object per run, its keys in
  /// column order) for `rows` (run and summary, in canonical order); `rendered` as for `pieces`.
  public func render(_ rows: [(RunSpec, RunSummary)], rendered: [Row?]? = nil) -> (csv: [UInt8], json: [UInt8]) {
    let (csv, json) = pieces(rows, rendered: rendered)
    func joined(_ pieces: [ArraySlice<UInt8>]) -> [UInt8] {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
      for piece in pieces { bytes += piece }
      return bytes
    }
    return (joined(csv), joined(json))
  }

  /// The two files as pieces to be written one after the other, pointing into the rows. `rendered`, when
  /// given, holds rows already rendered (nil where not); the others are rendered here, in chunks on every
  /// core, so the text depends neither on the core count nor on where a row was rendered.
  func pieces(_ rows: [(RunSpec, RunSummary)], rendered: [Row?]?) -> (csv: [ArraySlice<UInt8>], json: [ArraySlice<UInt8>]) {
    precondition(rendered == nil || rendered!.count == rows.count, "one rendered row, or nil, per row")
    var all = rendered ?? [Row?](repeating: nil, count: rows.count)
    let missing = all.indices.filter { all[$0] == nil }
    if !missing.isEmpty {
      let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, missing.count / 512))
      let parts = Mutex([[Row]](repeating: [], count: chunks))
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let part = missing[(c * missing.count / chunks)..<((c + 1) * missing.count / chunks)].map { row(rows[$0].0, rows[$0].1) }
        parts.withLock { $0[c] = part }
      }
      for (k, row) in zip(missing, parts.withLock { $0 }.joined()) { all[k] = row }
    }
    let separator: [UInt8] = Array(",\n".utf8)
    var csv = [Array((header.joined(separator: ",") + "\n").utf8)[...]]
    var json = [Array("[\n".utf8)[...]]
    csv.reserveCapacity(all.count + 1)
    json.reserveCapacity(2 * all.count + 2)
    for (i, row) in all.enumerated() {
      csv.append(row!.csv)
      json.append(row!.json)
      json.append(i + 1 < all.count ? separator[...] : separator[1...])
    }
    json.append(Array("]\n".utf8)[...])
    return (csv, json)
  }

  /// Whether a text cell holds a comma, a quote or a line break (a byte of one, so "\r\n" counts).
  static func needsQuotes(_ s: String) -> Bool {
    s.containsUTF8 { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }
  }

  static func csvCell(_ value: JSONValue) -> String {
    switch value {
    case .null: return ""
    case .number(let x): return NumberText.readable(x)
    case .bool(let b): return b ? "true" : "false"
    case .string(let s):
      return needsQuotes(s) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    default:
      let text = value.serialized()
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
  }
}

import Dispatch
import Foundation
import Synchronization
