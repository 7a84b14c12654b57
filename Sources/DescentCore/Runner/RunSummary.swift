/// How a run ended.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
  /// A stop rule (`grad_norm` or `suboptimality`) fired.
  case converged
  /// It used every step.
  case maxSteps = "max_steps"
  /// f exceeded the divergence threshold, or f or ∇f stopped being finite, or f fell below the f* of a
  /// function that is unbounded below outside its domain (the run left the domain: `KnownMinima.escapeBelow`).
  case diverged
}

/// The outcome of one run: a row of `summary.csv`.
public struct RunSummary: Sendable, Equatable {
  public var runID: String
  public var function: String
  public var optimizer: String
  public var label: String
  public var seed: Int
  /// Updates performed.
  public var steps: Int
  public var status: RunStatus
  public var finalF: Double
  public var bestF: Double
  public var fStar: Double?
  public var finalGradNorm: Double
  public var distanceToMinimizer: Double?
  /// `global`, `local:k` or `none`.
  public var minimum: String
  /// First step at which f − f* ≤ target, per target.
  public var stepsToTarget: [Int?]
  /// Single-sample gradients evaluated (finite sums only).
  public var samplesSeen: Int?
  public var wallSeconds: Double
  /// The step at which a diverged run was first found diverged (before its last step when it kept stepping,
  /// with `halt_on_divergence: false`); `nil` for other runs, and in records written before it was kept.
  public var divergedAt: Int?

  public var finalSuboptimality: Double? { fStar.map { finalF - $0 } }
  public var bestSuboptimality: Double? { fStar.map { bestF - $0 } }

  public init(
    runID: String, function: String, optimizer: String, label: String, seed: Int, steps: Int, status: RunStatus,
    finalF: Double, bestF: Double, fStar: Double?, finalGradNorm: Double, distanceToMinimizer: Double?,
    minimum: String, stepsToTarget: [Int?], samplesSeen: Int? = nil, wallSeconds: Double, divergedAt: Int? = nil
  ) {
    self.runID = runID
    self.function = function
    self.optimizer = optimizer
    self.label = label
    self.seed = seed
    self.steps = steps
    self.status = status
    self.finalF = finalF
    self.bestF = bestF
    self.fStar = fStar
    self.finalGradNorm = finalGradNorm
    self.distanceToMinimizer = distanceToMinimizer
    self.minimum = minimum
    self.stepsToTarget = stepsToTarget
    self.samplesSeen = samplesSeen
    self.wallSeconds = wallSeconds
    self.divergedAt = divergedAt
  }

  /// Equal in everything but timing.
  public func sameResult(as other: RunSummary) -> Bool {
    var a = self, b = other
    a.wallSeconds = 0
    b.wallSeconds = 0
    return a.description == b.description
  }

  /// The fields, but the wall time, in which `other` records something else: `final_f 0.5 → 0.25, steps 10 → 9`,
  /// steps to a target named as its summary column (`steps_to_1e-4 7 → 150`); at most three named, then a count.
  public func differences(from other: RunSummary, targets: [Double]) -> String {
    /// The record's fields, the steps to each target as a field of its own.
    func fields(_ s: RunSummary) -> [(String, JSONValue)] {
      s.recordFields(targets: targets).flatMap { key, value -> [(String, JSONValue)] in
        guard key == "steps_to_target", case .object(let reached) = value else { return [(key, value)] }
        return reached.pairs.map { ("steps_to_" + $0.key, $0.value) }
      }
    }
    let mine = fields(self), theirs = fields(other)
    let (a, b) = (Dictionary(mine, uniquingKeysWith: { x, _ in x }), Dictionary(theirs, uniquingKeysWith: { x, _ in x }))
    var keys = mine.map(\.0)
    keys += theirs.map(\.0).filter { a[$0] == nil }
    let changed = keys.compactMap { key -> String? in
      guard key != "wall_seconds", a[key] != b[key] else { return nil }
      return "\(key) \(a[key]?.serialized() ?? "absent") → \(b[key]?.serialized() ?? "absent")"
    }
    return changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? " and \(changed.count - 3) more" : "")
  }
}

extension RunSummary: CustomStringConvertible {
  /// The record with targets named by position (1, 2, …), for comparisons and debugging.
  public var description: String { json(targets: stepsToTarget.indices.map { Double($0 + 1) }).serialized() }
}

/// Numbers in result files: shortest round-trip text; non-finite values as `nan`, `inf`, `-inf`.
public enum NumberText {
  public static func format(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return "\(x)"
  }

  /// As `JSONValue.format` writes finite numbers (`3`, not `3.0`), and `nan`, `inf`, `-inf` otherwise: for
  /// text read by people and spreadsheets.
  public static func readable(_ x: Double) -> String { x.isFinite ? JSONValue.format(x) : format(x) }

  public static func parse(_ text: Substring) -> Double? {
    switch text {
    case "nan", "-nan": return .nan
    case "inf": return .infinity
    case "-inf": return -.infinity
    default: return Double(text)
    }
  }

  /// A compact name for a target in a column header: `1e-8` rather than `1e-08`.
  public static func target(_ t: Double) -> String {
    let exponent = Foundation.log10(t).rounded()
    if Foundation.pow(10, exponent) == t { return "1e\(Int(exponent))" }
    return "\(t)"
  }

  /// A JSON value for a possibly non-finite number.
  public static func json(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .string(format(x)) }
  public static func json(_ x: Double?) -> JSONValue { x.map(json) ?? .null }

  public static func number(_ v: JSONValue?) -> Double? {
    switch v {
    case .number(let x)?: x
    case .string(let s)?: parse(Substring(s))
    default: nil
    }
  }
}

import Foundation

extension RunSummary {
  /// The per-run record written next to the trajectory, from which summaries, resumes and merges are built.
  public func json(targets: [Double]) -> JSONValue {
    var o = JSONObject()
    for (key, value) in recordFields(targets: targets) { o[key] = value }
    return .object(o)
  }

  /// Appends the record as one line of compact JSON, the very text of `json(targets:).serialized()`,
  /// without building the outer object: the journal writes one per run.
  func writeRecord<Sink: TextSink>(targets: [Double], to out: inout Sink) {
    // `recordFields`' keys, which need no escaping, each written with its quotes, colon and the comma
    // before it as one literal: no array of fields a run.
    func field(_ key: String, _ value: JSONValue) {
      out.append(key)
      value.write(to: &out)
    }
    field("{\"run_id\":", .string(runID))
    field(",\"function\":", .string(function))
    field(",\"optimizer\":", .string(optimizer))
    field(",\"label\":", .string(label))
    field(",\"seed\":", .number(Double(seed)))
    field(",\"steps\":", .number(Double(steps)))
    field(",\"status\":", .string(status.rawValue))
    if let divergedAt { field(",\"diverged_at\":", .number(Double(divergedAt))) }
    field(",\"final_f\":", NumberText.json(finalF))
    field(",\"best_f\":", NumberText.json(bestF))
    field(",\"f_star\":", NumberText.json(fStar))
    field(",\"final_grad_norm\":", NumberText.json(finalGradNorm))
    field(",\"distance_to_minimizer\":", NumberText.json(distanceToMinimizer))
    field(",\"minimum\":", .string(minimum))
    field(",\"steps_to_target\":", .object(reached(targets: targets)))
    if let samplesSeen { field(",\"samples_seen\":", .number(Double(samplesSeen))) }
    field(",\"wall_seconds\":", .number(wallSeconds))
    out.append("}")
  }

  /// Steps to each target, by the target's compact name.
  private func reached(targets: [Double]) -> JSONObject {
    var reached = JSONObject()
    for (t, s) in zip(targets, stepsToTarget) { reached[NumberText.target(t)] = s.map { .number(Double($0)) } ?? .null }
    return reached
  }

  /// The record's keys and values, in order.
  private func recordFields(targets: [Double]) -> [(String, JSONValue)] {
    var fields: [(String, JSONValue)] = [
      ("run_id", .string(runID)), ("function", .string(function)), ("optimizer", .string(optimizer)),
      ("label", .string(label)), ("seed", .number(Double(seed))), ("steps", .number(Double(steps))),
      ("status", .string(status.rawValue)),
    ]
    if let divergedAt { fields.append(("diverged_at", .number(Double(divergedAt)))) }
    fields += [
      ("final_f", NumberText.json(finalF)), ("best_f", NumberText.json(bestF)),
      ("f_star", NumberText.json(fStar)), ("final_grad_norm", NumberText.json(finalGradNorm)),
      ("distance_to_minimizer", NumberText.json(distanceToMinimizer)), ("minimum", .string(minimum)),
      ("steps_to_target", .object(reached(targets: targets))),
    ]
    if let samplesSeen { fields.append(("samples_seen", .number(Double(samplesSeen)))) }
    fields.append(("wall_seconds", .number(wallSeconds)))
    return fields
  }

  /// A field that may be absent or null: `.some(nil)` then, `.some(x)` for a number, `nil` for anything else (a
  /// record with `"f_star": "xyz"` is malformed, not one whose f* is unknown: that would change which metric
  /// a baseline keeps).
  static func optionalNumber(_ v: JSONValue?) -> Double?? {
    switch v {
    case nil, .null?: return .some(nil)
    default: return NumberText.number(v).map { .some($0) }
    }
  }

  /// `none`, `global` or `local:k` with k ≥ 1, as `KnownMinima.classify` writes them.
  static func isMinimumLabel(_ label: String) -> Bool {
    if label == "none" || label == "global" { return true }
    guard label.hasPrefix("local:"), let k = Int(label.dropFirst("local:".count)) else { return false }
    return k >= 1 && String(k) == label.dropFirst("local:".count)
  }

  /// Reads a per-run record; `nil` if anything is missing or malformed (the run then counts as not done).
  public init?(json: JSONValue, targets: [Double]) {
    guard case .object(let o) = json,
      let runID = o["run_id"]?.stringValue, let function = o["function"]?.stringValue,
      let optimizer = o["optimizer"]?.stringValue, let label = o["label"]?.stringValue,
      let seed = o["seed"]?.numberValue, let steps = o["steps"]?.numberValue,
      let status = o["status"]?.stringValue.flatMap(RunStatus.init(rawValue:)),
      let finalF = NumberText.number(o["final_f"]), let bestF = NumberText.number(o["best_f"]),
      let finalGradNorm = NumberText.number(o["final_grad_norm"]),
      let minimum = o["minimum"]?.stringValue, case .object(let reached)? = o["steps_to_target"],
      let wall = o["wall_seconds"]?.numberValue,
      seed == seed.rounded(), abs(seed) < 1e15, steps == steps.rounded(), steps >= 0, steps < 1e15,
      Self.isMinimumLabel(minimum),
      let fStar = Self.optionalNumber(o["f_star"]), let distance = Self.optionalNumber(o["distance_to_minimizer"])
    else { return nil }
    // Only the targets' keys: another key means the record was made for other targets.
    guard reached.count == targets.count else { return nil }
    // Only a diverged run has the step it diverged at, within its steps; a record from before it was kept has none.
    var divergedAt: Int?
    if let value = o["diverged_at"] {
      guard status == .diverged, case .number(let step) = value, step == step.rounded(), step >= 0, step <= steps else { return nil }
      divergedAt = Int(step)
    }
    var stepsToTarget: [Int?] = []
    for t in targets {
      switch reached[NumberText.target(t)] {
      case .null?: stepsToTarget.append(nil)
      case .number(let s)? where s == s.rounded() && s >= 0 && s < 1e15: stepsToTarget.append(Int(s))
      default: return nil
      }
    }
    self.init(
      runID: runID, function: function, optimizer: optimizer, label: label, seed: Int(seed), steps: Int(steps), status: status,
      finalF: finalF, bestF: bestF, fStar: fStar, finalGradNorm: finalGradNorm,
      distanceToMinimizer: distance, minimum: minimum, stepsToTarget: stepsToTarget,
      samplesSeen: o["samples_seen"]?.numberValue.flatMap { $0 >= 0 && $0 < 9e18 ? Int($0) : nil }, wallSeconds: wall,
      divergedAt: divergedAt)
  }
}
