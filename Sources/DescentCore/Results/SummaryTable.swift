/// `summary.csv` and `summary.json`: one row per run, in canonical order.
///
/// Columns: `run_id, function, optimizer, label, seed`, one column per function parameter and
/// hyperparameter that varies across the experiment, then `steps, status, final_f, best_f, f_star,
/// final_suboptimality, best_suboptimality, final_grad_norm, distance_to_minimizer, minimum`,
/// `steps_to_<target>` per target, and `wall_seconds` (the only timing column).
public struct SummaryTable: Sendable {
  public let experiment: Experiment
  /// Varying parameter columns: name and the value for a run.
  let varying: [(name: String, value: @Sendable (RunSpec) -> JSONValue?)]

  public init(_ experiment: Experiment) {
    self.experiment = experiment
    var columns: [(String, @Sendable (RunSpec) -> JSONValue?)] = []
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
      columns.append((name, { functionValues[$0.function][key] }))
    }
    for key in optimizerKeys {
      columns.append((key, { optimizerValues[$0.optimizer][key] }))
    }
    varying = columns
    hasSamples = experiment.functions.contains { $0.samplesPerStep != nil }
  }

  /// Whether any function is a finite sum, so the table carries `samples_seen`.
  let hasSamples: Bool

  public var header: [String] {
    ["run_id", "function", "optimizer", "label", "seed"] + varying.map(\.name)
      + ["steps", "status", "final_f", "best_f", "f_star", "final_suboptimality", "best_suboptimality",
         "final_grad_norm", "distance_to_minimizer", "minimum"]
      + experiment.targets.map { "steps_to_" + NumberText.target($0) } + (hasSamples ? ["samples_seen"] : []) + ["wall_seconds"]
  }

  func cells(_ run: RunSpec, _ s: RunSummary) -> [JSONValue] {
    var row: [JSONValue] = [.string(s.runID), .string(s.function), .string(s.optimizer), .string(s.label), .number(Double(s.seed))]
    row += varying.map { $0.value(run) ?? .null }
    row += [.number(Double(s.steps)), .string(s.status.rawValue), NumberText.json(s.finalF), NumberText.json(s.bestF),
            NumberText.json(s.fStar), NumberText.json(s.finalSuboptimality), NumberText.json(s.bestSuboptimality),
            NumberText.json(s.finalGradNorm), NumberText.json(s.distanceToMinimizer), .string(s.minimum)]
    row += s.stepsToTarget.map { $0.map { .number(Double($0)) } ?? .null }
    if hasSamples { row.append(s.samplesSeen.map { .number(Double($0)) } ?? .null) }
    row.append(.number(s.wallSeconds))
    return row
  }

  /// The CSV text and the JSON text (an array with one object per run, its keys in column order) for
  /// `rows` (run and summary, in canonical order), from one pass over the rows. Large tables are rendered
  /// in chunks on every core and joined in order, so the text does not depend on the core count.
  func render(_ rows: [(RunSpec, RunSummary)]) -> (csv: String, json: String) {
    let names = header
    let keys = names.map { name -> String in
      var key = ""
      JSONValue.writeString(name, to: &key)
      return key + ":"
    }
    let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, rows.count / 512))
    let parts = Mutex([(csv: String, json: String)?](repeating: nil, count: chunks))
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      let part = render(rows[(c * rows.count / chunks)..<((c + 1) * rows.count / chunks)], keys: keys, total: rows.count)
      parts.withLock { $0[c] = part }
    }
    var csv = names.joined(separator: ",") + "\n"
    var json = "[\n"
    for part in parts.withLock({ $0 }) {
      csv += part!.csv
      json += part!.json
    }
    return (csv, json + "]\n")
  }

  /// The CSV and JSON lines of some rows; `total` rows in all (the last JSON object has no comma). Built
  /// as bytes with numbers formatted in place: the same text as `csvCell` and `JSONValue.write` give, a
  /// few times faster, which matters because the table is written after the last run, by one thread.
  func render(_ rows: ArraySlice<(RunSpec, RunSummary)>, keys: [String], total: Int) -> (csv: String, json: String) {
    var csv = ByteText(capacity: rows.count * 16 * keys.count)
    var json = ByteText(capacity: rows.count * 36 * keys.count)
    var scratch = ""
    for (i, (run, summary)) in zip(rows.indices, rows) {
      json.append("  {")
      for (k, cell) in cells(run, summary).enumerated() {
        if k > 0 {
          csv.append(UInt8(ascii: ","))
          json.append(UInt8(ascii: ","))
        }
        json.append(keys[k])
        switch cell {
        case .number(let x) where x.isFinite:
          csv.append(number: x)
          json.append(number: x)
        case .null:
          json.append("null")
        default:
          csv.append(Self.csvCell(cell))
          scratch.removeAll(keepingCapacity: true)
          cell.write(to: &scratch)
          json.append(scratch)
        }
      }
      csv.append(UInt8(ascii: "\n"))
      json.append(i + 1 < total ? "},\n" : "}\n")
    }
    return (csv.text, json.text)
  }

  static func csvCell(_ value: JSONValue) -> String {
    switch value {
    case .null: return ""
    case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : NumberText.format(x)
    case .bool(let b): return b ? "true" : "false"
    case .string(let s):
      if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
      return s
    default:
      let text = value.serialized()
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
  }
}

import Dispatch
import Foundation
import Synchronization

/// Text built as bytes, numbers formatted in place without a `String` each.
struct ByteText {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  var text: String { String(decoding: bytes, as: UTF8.self) }

  mutating func append(_ byte: UInt8) { bytes.append(byte) }
  mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }

  /// A finite number as JSON and the summary table spell it: an integer below 10¹⁵ without a fraction,
  /// anything else in its shortest round-trip form (`NumberText.format`).
  mutating func append(number x: Double) {
    precondition(x.isFinite, "only finite numbers have a plain spelling")
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NumberText.maximumLength) { buffer in
      var count = 0
      if x == x.rounded(), abs(x) < 1e15 {
        if x < 0 {
          buffer[0] = UInt8(ascii: "-")
          count = 1
        }
        count += NumberText.write(Int(abs(x)), to: buffer.baseAddress! + count)
      } else {
        count = NumberText.write(x, to: buffer.baseAddress!)
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
  }
}
