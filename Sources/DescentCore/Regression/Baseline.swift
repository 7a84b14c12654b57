import Foundation

/// What a results directory converged to, kept to compare later results with: per run id the metrics
/// that define convergence, plus what makes a comparison meaningful (the config hash, targets, seeds,
/// step budget and the version that made it).
///
/// Written by `descent baseline` and committed; read by `descent check`. The JSON has sorted keys and
/// one object per run, so the same results always give the same bytes and a change reads well in a diff:
///
/// ```json
/// {
///   "config_sha256": "…",
///   "descent_version": "0.1.0",
///   "experiment": "ci",
///   "format": 1,
///   "runs": {
///     "quadratic__adam__seed=0": {
///       "best_suboptimality": 9.6e-17,
///       "final_suboptimality": 9.6e-17,
///       "minimum": "global",
///       "status": "converged",
///       "steps": 2054,
///       "steps_to_target": {"1e-2": 695, "1e-4": 1005, "1e-8": null}
///     }
///   },
///   "seeds": [0, 1],
///   "steps": 10000,
///   "targets": [0.01, 0.0001, 1e-08]
/// }
/// ```
/// `null` in `steps_to_target` means not reached; a suboptimality is `null` when the function has no
/// known f*, and `"inf"` or `"nan"` when the run diverged. Tolerances are not stored: they are the
/// check's policy (flags of `descent check`), so refreshing a baseline never loosens them.
///
/// See also: `RegressionCheck`, `Tolerances`.
public struct Baseline: Sendable, Equatable {
  /// The version of the file layout.
  public static let format = 1

  public var experiment: String
  public var configHash: String
  public var descentVersion: String
  /// The step budget.
  public var steps: Int
  public var seeds: [Int]
  public var targets: [Double]
  /// Metrics by run id.
  public var runs: [String: ConvergenceMetrics]

  public init(experiment: String, configHash: String, descentVersion: String, steps: Int, seeds: [Int], targets: [Double], runs: [String: ConvergenceMetrics]) {
    self.experiment = experiment
    self.configHash = configHash
    self.descentVersion = descentVersion
    self.steps = steps
    self.seeds = seeds
    self.targets = targets
    self.runs = runs
  }

  /// A baseline of run summaries.
  public init(experiment: Experiment, descentVersion: String = DescentVersion.string, summaries: [RunSummary]) {
    var runs: [String: ConvergenceMetrics] = [:]
    for s in summaries { runs[s.runID] = ConvergenceMetrics(s) }
    self.init(experiment: experiment.name, configHash: experiment.configHash, descentVersion: descentVersion, steps: experiment.steps,
              seeds: experiment.seeds, targets: experiment.targets, runs: runs)
  }

  /// A baseline of the completed runs of a results directory, with the version from its manifest.
  public init(_ results: LoadedResults) {
    self.init(experiment: results.experiment, descentVersion: Self.version(of: results.directory), summaries: results.runs.map(\.1))
  }

  /// The `descent_version` in a results directory's manifest, or this build's version if it has none.
  static func version(of directory: ResultsDirectory) -> String {
    guard let bytes = FileIO.read(directory.file("manifest.json"), limit: 1 << 20),
      case .object(let o)? = try? JSONParser.parse(bytes), let version = o["descent_version"]?.stringValue
    else { return DescentVersion.string }
    return version
  }

  // MARK: - JSON

  public var json: JSONValue {
    var root = header
    var all = JSONObject()
    for id in runs.keys.sorted() { all[id] = Self.json(runs[id]!, targets: targets) }
    root["runs"] = .object(all)
    return .object(root)
  }

  /// Every top-level key but `runs`.
  var header: JSONObject {
    var root = JSONObject()
    root["format"] = .number(Double(Self.format))
    root["experiment"] = .string(experiment)
    root["config_sha256"] = .string(configHash)
    root["descent_version"] = .string(descentVersion)
    root["steps"] = .number(Double(steps))
    root["seeds"] = .array(seeds.map { .number(Double($0)) })
    root["targets"] = .array(targets.map { .number($0) })
    return root
  }

  /// One run's object.
  static func json(_ m: ConvergenceMetrics, targets: [Double]) -> JSONValue {
    var o = JSONObject()
    o["status"] = .string(m.status.rawValue)
    o["steps"] = NumberText.json(m.steps)
    var reached = JSONObject()
    for (t, s) in zip(targets, m.stepsToTarget) { reached[NumberText.target(t)] = s.isFinite ? .number(s) : .null }
    o["steps_to_target"] = .object(reached)
    o["final_suboptimality"] = NumberText.json(m.finalSuboptimality)
    o["best_suboptimality"] = NumberText.json(m.bestSuboptimality)
    o["minimum"] = .string(m.minimum)
    if let f = m.finalF { o["final_f"] = NumberText.json(f) }
    if let f = m.bestF { o["best_f"] = NumberText.json(f) }
    return .object(o)
  }

  /// `json.prettyPrinted(sortedKeys: true)`, handed to `emit` a piece at a time (a run a piece), so that
  /// the JSON tree of the whole baseline is never built: it took about 1 KB a run.
  func write(_ emit: (String) -> Void) {
    let header = self.header
    let keys = (Array(header.keys) + ["runs"]).sorted()
    for (k, key) in keys.enumerated() {
      var piece = k == 0 ? "{\n  " : ",\n  "
      JSONValue.writeString(key, to: &piece)
      piece += ": "
      guard key == "runs" else {
        emit(piece + header[key]!.prettyPrinted(sortedKeys: true, level: 1))
        continue
      }
      guard !runs.isEmpty else {
        emit(piece + "{}")
        continue
      }
      piece += "{"
      for (i, id) in runs.keys.sorted().enumerated() {
        piece += i == 0 ? "\n    " : ",\n    "
        JSONValue.writeString(id, to: &piece)
        piece += ": " + Self.json(runs[id]!, targets: targets).prettyPrinted(sortedKeys: true, level: 2)
        emit(piece)
        piece = ""
      }
      emit("\n  }")
    }
    emit("\n}\n")
  }

  /// The file's text: canonical, so equal baselines are equal bytes.
  public var text: String {
    var text = ""
    write { text += $0 }
    return text
  }

  /// The largest baseline `read` (and so `descent check`) accepts: a baseline is committed, and about 250,000
  /// runs fit.
  public static let maximumFileSize = 64 << 20

  /// `text`, unless it is larger than `read` accepts: a baseline nothing could check against would be a
  /// result silently lost (exit 65, naming the size and what to do). Past the limit the text is only
  /// measured, not kept.
  public func checkedText(limit: Int = maximumFileSize) throws(OutputError) -> String {
    var text: String? = ""
    var size = 0
    write { piece in
      size += piece.utf8.count
      if size > limit { text = nil } else { text? += piece }
    }
    guard let text else {
      throw OutputError("a baseline of these \(runs.count) runs would be \(Self.megabytes(size)) MB, over the \(Self.megabytes(limit)) MB 'descent check' reads; "
        + "make the baseline from a smaller experiment (fewer seeds or settings: about 250,000 runs fit)", exitCode: 65)
    }
    return text
  }

  static func megabytes(_ bytes: Int) -> String { JSONValue.format((Double(bytes) / Double(1 << 20) * 10).rounded(.up) / 10) }

  /// Writes the baseline atomically, creating the parent directory if needed; refused as `checkedText` says.
  public func write(to path: String) throws(OutputError) {
    try ReportFile.write(try checkedText(), to: path)
  }

  static let topLevelKeys = ["format", "experiment", "config_sha256", "descent_version", "steps", "seeds", "targets", "runs"]
  static let runKeys = ["status", "steps", "steps_to_target", "final_suboptimality", "best_suboptimality", "minimum"]
  /// Written only for functions whose f* is unknown.
  static let optionalRunKeys = ["final_f", "best_f"]

  /// Reads a baseline file: 66 if it cannot be read, 65 if it is not valid JSON or not a baseline.
  public static func read(_ file: String) throws(ConfigError) -> Baseline {
    let bytes = try Experiment.readConfigBytes(file, limit: maximumFileSize, as: "a baseline")
    return try decode(bytes, file: file)
  }

  /// Decodes baseline bytes, reporting every problem at once.
  public static func decode(_ bytes: [UInt8], file: String) throws(ConfigError) -> Baseline {
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes)
    } catch {
      throw .malformed(file: file, line: error.line, column: error.column, reason: error.reason)
    }
    var d = Diagnostics()
    guard case .object(let root) = json else {
      throw .invalid(file: file, problems: [.expected("a baseline object written by 'descent baseline'", got: json.kindDescription, at: "")])
    }
    for key in root.keys where !topLevelKeys.contains(key) { d.report(.unknown("key", key, among: topLevelKeys, at: key)) }
    for key in topLevelKeys where root[key] == nil { d.report(key, "missing required key '\(key)'; is this a file written by 'descent baseline'?") }
    if let format = root["format"], format != .number(Double(Self.format)) {
      d.report("format", "unsupported baseline format \(format.serialized()); this build of descent reads format \(Self.format)")
    }
    let experiment = string(root["experiment"], at: "experiment", &d)
    let hash = string(root["config_sha256"], at: "config_sha256", &d)
    let version = string(root["descent_version"], at: "descent_version", &d)
    let steps = root["steps"].flatMap { integer($0, at: "steps", &d) }
    var seeds: [Int]?
    if let value = root["seeds"] {
      if case .array(let items) = value {
        let decoded = items.enumerated().compactMap { i, item in integer(item, at: "seeds".index(i), &d) }
        if decoded.count == items.count { seeds = decoded }
      } else {
        d.report(.expected("an array of seeds", got: value.kindDescription, at: "seeds"))
      }
    }
    var targets: [Double]?
    if let value = root["targets"] {
      if case .array(let items) = value {
        let decoded = items.enumerated().compactMap { i, item -> Double? in
          guard case .number(let t) = item, t > 0 else {
            d.report(.expected("a number > 0", got: item.kindDescription, at: "targets".index(i)))
            return nil
          }
          return t
        }
        if decoded.count == items.count { targets = decoded }
      } else {
        d.report(.expected("an array of targets", got: value.kindDescription, at: "targets"))
      }
    }
    var runs: [String: ConvergenceMetrics] = [:]
    if let value = root["runs"] {
      if case .object(let all) = value {
        for (id, entry) in all.pairs {
          if let m = decodeRun(entry, targets: targets ?? [], at: "runs".key(id), &d) {
            // A run stops within the experiment's steps, and reaches its targets within its own.
            if let steps, m.steps > Double(steps) {
              d.report("runs".key(id).key("steps"), "\(Int(m.steps)) steps, more than the experiment's \(steps)")
            }
            if let late = m.stepsToTarget.first(where: { $0.isFinite && $0 > m.steps }) {
              d.report("runs".key(id).key("steps_to_target"), "a target reached at step \(Int(late)), after the run's last step \(Int(m.steps))")
            }
            runs[id] = m
          }
        }
      } else {
        d.report(.expected("an object of runs by run id", got: value.kindDescription, at: "runs"))
      }
    }
    guard d.isEmpty, let experiment, let hash, let version, let steps, let seeds, let targets else {
      throw .invalid(file: file, problems: d.problems)
    }
    return Baseline(experiment: experiment, configHash: hash, descentVersion: version, steps: steps, seeds: seeds, targets: targets, runs: runs)
  }

  static func decodeRun(_ value: JSONValue, targets: [Double], at path: String, _ d: inout Diagnostics) -> ConvergenceMetrics? {
    guard case .object(let o) = value else {
      d.report(.expected("an object of metrics", got: value.kindDescription, at: path))
      return nil
    }
    let before = d.problems.count
    for key in o.keys where !runKeys.contains(key) && !optionalRunKeys.contains(key) {
      d.report(.unknown("key", key, among: runKeys + optionalRunKeys, at: path.key(key)))
    }
    for key in runKeys where o[key] == nil { d.report(path.key(key), "missing required key '\(key)'") }
    var status: RunStatus?
    if let v = o["status"] {
      status = v.stringValue.flatMap(RunStatus.init(rawValue:))
      if status == nil {
        d.report(.expected(RunStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "), got: v.quotedOrKind, at: path.key("status")))
      }
    }
    let steps = o["steps"].flatMap { count($0, at: path.key("steps"), &d) }
    var stepsToTarget: [Double] = []
    if let v = o["steps_to_target"] {
      if case .object(let reached) = v {
        let names = targets.map(NumberText.target)
        for key in reached.keys where !names.contains(key) {
          d.report(.unknown("target", key, among: names, at: path.key("steps_to_target").key(key)))
        }
        for name in names {
          let at = path.key("steps_to_target").key(name)
          switch reached[name] {
          case nil: d.report(at, "missing the steps to target \(name) (null if it was not reached)")
          case .null?: stepsToTarget.append(.infinity)
          case let value?: if let s = count(value, at: at, &d) { stepsToTarget.append(s) }
          }
        }
      } else {
        d.report(.expected("an object of steps by target", got: v.kindDescription, at: path.key("steps_to_target")))
      }
    }
    let final = suboptimality(o["final_suboptimality"], at: path.key("final_suboptimality"), &d)
    let best = suboptimality(o["best_suboptimality"], at: path.key("best_suboptimality"), &d)
    let minimum = o["minimum"].flatMap { string($0, at: path.key("minimum"), &d) }
    let localIndex = minimum.flatMap { $0.hasPrefix("local:") ? $0.dropFirst("local:".count) : nil }
    if let minimum, !(minimum == "global" || minimum == "none" || minimum == "local"
                      || localIndex.map { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } == true) {
      d.report(.expected(#""global", "local:k" or "none""#, got: "\"\(minimum)\"", at: path.key("minimum")))
    }
    let finalF = suboptimality(o["final_f"], at: path.key("final_f"), &d)
    let bestF = suboptimality(o["best_f"], at: path.key("best_f"), &d)
    guard d.problems.count == before, let status, let steps, let minimum else { return nil }
    return ConvergenceMetrics(status: status, steps: steps, stepsToTarget: stepsToTarget, finalSuboptimality: final ?? nil,
                              bestSuboptimality: best ?? nil, minimum: minimum, finalF: finalF ?? nil, bestF: bestF ?? nil)
  }

  static func string(_ value: JSONValue?, at path: String, _ d: inout Diagnostics) -> String? {
    guard let value else { return nil }
    guard case .string(let s) = value else {
      d.report(.expected("a string", got: value.kindDescription, at: path))
      return nil
    }
    return s
  }

  static func integer(_ value: JSONValue, at path: String, _ d: inout Diagnostics) -> Int? {
    guard case .number(let n) = value, n == n.rounded(), n >= 0, n < 1e15 else {
      d.report(.expected("a whole number ≥ 0", got: value.unexpectedDescription, at: path))
      return nil
    }
    return Int(n)
  }

  /// A step count: a whole number (a run's, not a median's).
  static func count(_ value: JSONValue, at path: String, _ d: inout Diagnostics) -> Double? {
    guard case .number(let n) = value, n >= 0, n < 1e15, n == n.rounded() else {
      d.report(.expected("a step count (a whole number ≥ 0)", got: value.unexpectedDescription, at: path))
      return nil
    }
    return n
  }

  /// A suboptimality: a number, `"inf"`, `"-inf"`, `"nan"` or `null`. The outer optional is "invalid".
  static func suboptimality(_ value: JSONValue?, at path: String, _ d: inout Diagnostics) -> Double?? {
    switch value {
    case nil: return nil
    case .null?: return .some(nil)
    case .number(let x)?: return .some(x)
    case .string(let s)? where ["inf", "-inf", "nan"].contains(s): return .some(NumberText.parse(Substring(s)))
    case let v?:
      d.report(.expected(#"a number, "inf", "nan" or null"#, got: v.quotedOrKind, at: path))
      return nil
    }
  }
}
