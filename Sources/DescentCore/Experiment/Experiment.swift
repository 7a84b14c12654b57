import Foundation

/// An experiment: a config decoded, validated and expanded into function and optimizer variants.
///
/// Runs are the product functions × optimizers × seeds. Everything is checked before anything runs, and
/// every problem is reported at once, each with its JSON path.
public struct Experiment: Sendable {
  public var name: String
  public var description: String?
  public var steps: Int
  public var seeds: [Int]
  public var record: RecordPolicy
  /// Where runs with stochastic gradients evaluate the full objective for their summary (targets, best f,
  /// stop rules): `every` step by default, whatever `record` keeps. Exact-gradient runs evaluate every step.
  public var evaluate: RecordPolicy
  public var targets: [Double]
  public var stop: StopRules
  /// Write the `x` columns even when d > 10.
  public var recordX: Bool?
  /// How trajectories are stored: `"csv"` (the default) or `"binary"`.
  public var format: TrajectoryFormat
  /// The trajectory format, or `nil` when nothing is recorded.
  public var trajectoryFormat: TrajectoryFormat? { record.writesTrajectory ? format : nil }
  /// How close (Euclidean) a final point must be to a known minimum to count as having reached it.
  public var minimumRadius: Double
  public var functions: [FunctionVariant]
  public var optimizers: [OptimizerVariant]
  /// SHA-256 of the canonical config (sorted keys, no whitespace): formatting changes keep the hash.
  public var configHash: String
  /// The config as parsed.
  public var source: JSONValue

  public var runCount: Int { functions.count * optimizers.count * seeds.count }

  /// The default cap on expanded runs; larger sweeps need `allowLarge`.
  public static let defaultRunCap = 1_000_000
  /// One entry's grid axes may expand to at most this many settings (checked before expanding).
  public static let maximumVariantsPerEntry = 100_000
  /// The entries of `functions`, and those of `optimizers`, may expand to at most this many settings in all
  /// (counted before any entry is expanded): a hundred entries of 100,000 settings each had `validate` build
  /// ten million before counting the runs.
  public static let maximumVariantsPerList = 1_000_000
  /// Config files larger than this are rejected before parsing.
  public static let maximumFileSize = 16 << 20

  static let topLevelKeys = [
    "name", "description", "steps", "seeds", "record", "targets", "stop", "functions", "optimizers",
    "record_x", "minimum_radius", "format", "evaluate",
  ]
  static let functionReserved = ["name", "label", "start"] + GradientOracle.keys
  static let optimizerReserved = ["name", "label", "schedule"]

  /// Reads and decodes a config file.
  public static func load(_ file: String, catalog: Catalog = .builtIn, runCap: Int? = defaultRunCap) throws(ConfigError) -> Experiment {
    let bytes = try readConfigBytes(file)
    return try decode(bytes, file: file, catalog: catalog, runCap: runCap)
  }

  /// Reads a JSON input file, turning every failure into a clear `ConfigError`.
  /// `what`: what the file is read as, for the message when it is too large.
  public static func readConfigBytes(_ file: String, limit: Int = maximumFileSize,
                                     as what: String = "a config (one describes an experiment and should be small)") throws(ConfigError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
      throw .unreadable(file: file, reason: FileIO.isSymlink(file) ? "a symbolic link to nothing (its target is missing, or a loop of links)" : "no such file")
    }
    if isDirectory.boolValue { throw .unreadable(file: file, reason: "is a directory, not a JSON file") }
    guard let handle = FileIO.openForReading(file) else {
      throw .unreadable(file: file, reason: "permission denied or not a regular file")
    }
    let data: Data
    do {
      data = try handle.read(upToCount: limit + 1) ?? Data()
    } catch {
      throw .unreadable(file: file, reason: error.localizedDescription)
    }
    if data.count > limit {
      throw .invalid(file: file, problems: [Diagnostic(path: "", "the file is larger than \(limit >> 20) MB, the most read as \(what)")])
    }
    return [UInt8](data)
  }

  /// No config may expand to more runs than this, with or without a cap: results of more are not read back
  /// (`plot`, `check`, `merge`), no sweep of that size could have finished, and a hostile `config.json`
  /// could otherwise have them plan trillions of runs.
  public static let maximumRunsReadBack = 100_000_000

  /// Decodes the `config.json` of a results directory: no cap for running (the run may have used
  /// `--allow-large`), but at most `maximumRunsReadBack` runs.
  public static func decodeResultsConfig(_ bytes: [UInt8], file: String) throws(ConfigError) -> Experiment {
    // `decode` refuses more than `maximumRunsReadBack` runs with or without a cap. Results already made are
    // read whatever the length of their files' names and whatever the checks for new runs added since.
    try decode(bytes, file: file, runCap: nil, checksNewRuns: false)
  }

  /// Decodes config bytes. `runCap` nil means no cap. `checksNewRuns`: whether what matters only to a sweep
  /// about to run is refused (not results already made): run ids too long to name their trajectory files,
  /// a `stop.divergence` limit every run of a function exceeds at its start, a function's
  /// `problemForNewRuns`.
  public static func decode(_ bytes: [UInt8], file: String, catalog: Catalog = .builtIn, runCap: Int? = defaultRunCap,
                            checksNewRuns: Bool = true) throws(ConfigError) -> Experiment {
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes)
    } catch {
      throw .malformed(file: file, line: error.line, column: error.column, reason: error.reason)
    }
    var diagnostics = Diagnostics()
    let experiment = decode(json, catalog: catalog, runCap: runCap, checksNewRuns: checksNewRuns, diagnostics: &diagnostics)
    guard let experiment, diagnostics.isEmpty else { throw .invalid(file: file, problems: diagnostics.problems) }
    return experiment
  }

  static func decode(_ json: JSONValue, catalog: Catalog, runCap: Int?, checksNewRuns: Bool = true, diagnostics: inout Diagnostics) -> Experiment? {
    guard case .object(let root) = json else {
      diagnostics.report(.expected("a JSON object with \"name\", \"steps\", \"functions\" and \"optimizers\"", got: json.kindDescription, at: ""))
      return nil
    }
    for key in root.keys where !topLevelKeys.contains(key) {
      diagnostics.report(.unknown("key", key, among: topLevelKeys, at: key))
    }

    let name = decodeName(root["name"], diagnostics: &diagnostics)
    var description: String?
    if let d = root["description"] {
      if case .string(let s) = d { description = s } else { diagnostics.report(.expected("a string", got: d.kindDescription, at: "description")) }
    }
    let steps = decodeInteger(root["steps"], at: "steps", range: 1...1_000_000_000, required: true, diagnostics: &diagnostics)
    let seeds = decodeSeeds(root["seeds"], diagnostics: &diagnostics)
    let record = root["record"].map { RecordPolicy.decode($0, at: "record", diagnostics: &diagnostics) } ?? .every
    let evaluate = root["evaluate"].map { RecordPolicy.decodeEvaluation($0, at: "evaluate", diagnostics: &diagnostics) } ?? .every
    let targets = decodeTargets(root["targets"], diagnostics: &diagnostics)
    let stop = root["stop"].map { StopRules.decode($0, at: "stop", diagnostics: &diagnostics) } ?? StopRules()
    var recordX: Bool?
    if let v = root["record_x"] {
      if case .bool(let b) = v { recordX = b } else { diagnostics.report(.expected("true or false", got: v.kindDescription, at: "record_x")) }
    }
    var format = TrajectoryFormat.csv
    if let v = root["format"] {
      if case .string(let s) = v, let f = TrajectoryFormat(rawValue: s) { format = f } else {
        diagnostics.report(.expected(#""csv", "binary" or "packed""#, got: v.quotedOrKind, at: "format"))
      }
    }
    var minimumRadius = 1e-2
    if let v = root["minimum_radius"] {
      if case .number(let r) = v, r > 0 { minimumRadius = r } else { diagnostics.report(.expected("a number > 0", got: v.unexpectedDescription, at: "minimum_radius")) }
    }

    // Settings and runs are counted from the grids before any entry is expanded, so a config over a cap is
    // refused at once however its settings are spread over entries (a hundred entries of 100,000 settings each
    // had `validate` build ten million settings first). Entries that fail to decode are counted all the same.
    // A list over its limit first (counting stops there: 2,000 entries of 100,000 settings took 80 s to count
    // in full), and --allow-large would not help it; then the runs, counted exactly.
    let functionSettings = settingCount(root["functions"], skipping: functionGridSkips)
    let optimizerSettings = settingCount(root["optimizers"], skipping: optimizerGridSkips)
    var tooMany = false
    for (key, count) in [("functions", functionSettings), ("optimizers", optimizerSettings)] where count > maximumVariantsPerList {
      diagnostics.report(key, "the \(key) expand to more than \(maximumVariantsPerList) settings")
      tooMany = true
    }
    if tooMany { return nil }
    if let seeds, let problem = runCountProblem(functionSettings, optimizerSettings, seeds.count, runCap: runCap) {
      diagnostics.report("", problem)
      return nil
    }
    let functions = decodeFunctions(root["functions"], catalog: catalog, checksNewRuns: checksNewRuns, diagnostics: &diagnostics)
    let optimizers = decodeOptimizers(root["optimizers"], catalog: catalog, diagnostics: &diagnostics)
    checkCrossCollisions(functions, optimizers, diagnostics: &diagnostics)
    // Ids name files only where each run has a file of its own.
    if checksNewRuns, let seeds, let record, record.writesTrajectory, let limit = maximumIDBytes(format) {
      checkIDLength(functions, optimizers, seeds: seeds, limit: limit, diagnostics: &diagnostics)
    }
    // Runs with exact gradients evaluate f at every step whatever `evaluate` says: silently ignoring it would
    // let the config claim a measurement it does not make.
    if root["evaluate"] != nil, evaluate != nil, !functions.isEmpty, functions.allSatisfy(\.oracle.isExact) {
      diagnostics.report("evaluate", "applies to runs with stochastic gradients (a finite sum's \"batch_size\", or \"gradient_noise\"), and every function here has exact gradients, evaluated at every step; remove it")
    }

    if checksNewRuns { checkStarts(functions, divergence: stop?.divergence, diagnostics: &diagnostics) }

    if let seeds, !functions.isEmpty, !optimizers.isEmpty,
       let problem = runCountProblem(functions.count, optimizers.count, seeds.count, runCap: runCap) {
      diagnostics.report("", problem)
    }

    if format == .packed, let steps, let seeds, let record, record.writesTrajectory, !optimizers.isEmpty,
       let problem = packSizeProblem(functions, runsPerFunction: optimizers.count * seeds.count, steps: steps, record: record) {
      diagnostics.report("format", problem)
    }

    guard diagnostics.isEmpty, let name, let steps, let seeds, let record, let evaluate, let targets, let stop else { return nil }
    return Experiment(
      name: name, description: description, steps: steps, seeds: seeds, record: record, evaluate: evaluate, targets: targets, stop: stop,
      recordX: recordX, format: format, minimumRadius: minimumRadius, functions: functions, optimizers: optimizers,
      configHash: configHash(of: json), source: json)
  }

  /// The hash a config is known by (`configHash`, the manifests' `config_sha256`): SHA-256 of its JSON with
  /// sorted keys, so that spacing and key order do not count.
  public static func configHash(of json: JSONValue) -> String { SHA256.hex(json.unsignedZeros.serialized(sortedKeys: true)) }

  /// Why `functions × optimizers × seeds` runs may not be planned, if they may not. Checked with or without a
  /// cap: `runCount` must not overflow, and even with --allow-large no more than `maximumRunsReadBack` runs
  /// (their results could not be read back, and planning them alone would need tens of gigabytes: `run`
  /// crashed allocating them).
  static func runCountProblem(_ functions: Int, _ optimizers: Int, _ seeds: Int, runCap: Int?) -> String? {
    let (partial, overflow1) = functions.multipliedReportingOverflow(by: optimizers)
    let (count, overflow2) = partial.multipliedReportingOverflow(by: seeds)
    if overflow1 || overflow2 { return "the config expands to more than \(Int.max) runs" }
    if count > maximumRunsReadBack {
      return "the config expands to \(count) runs, more than \(maximumRunsReadBack), the most one experiment may plan and read back"
    }
    if let runCap, count > runCap { return "the config expands to \(count) runs, more than the cap of \(runCap); pass --allow-large to run it anyway" }
    return nil
  }

  /// The grid keys of a function entry and of an optimizer entry that are not grid axes.
  static let functionGridSkips: Set<String> = ["name", "label", "start"]
  static let optimizerGridSkips: Set<String> = ["name", "label"]

  /// The settings the entries of a `functions` or `optimizers` array expand to, counted without expanding them,
  /// exactly up to `maximumVariantsPerList` and past it only as "more" (counting stops). What is not an array of
  /// objects counts nothing, nor an entry whose grid is over `maximumVariantsPerEntry`: their decoding reports
  /// them, in their own words.
  static func settingCount(_ value: JSONValue?, skipping skip: Set<String>) -> Int {
    guard case .array(let items)? = value else { return 0 }
    var total = 0
    for case .object(let entry) in items {
      let grid = GridExpansion.count(entry, skipping: skip)
      guard grid <= maximumVariantsPerEntry else { continue }
      let (sum, overflow) = total.addingReportingOverflow(settingCount(entry, grid: grid))
      total = overflow ? Int.max : sum
      if total > maximumVariantsPerList { return total }
    }
    return total
  }

  /// The settings one entry expands to: its grid's `grid`, times its start points where it lists them.
  static func settingCount(_ entry: JSONObject, grid: Int) -> Int {
    guard case .object(let start)? = entry["start"], start.count == 1, case .array(let points)? = start["points"], !points.isEmpty else {
      return grid
    }
    let (product, overflow) = grid.multipliedReportingOverflow(by: points.count)
    return overflow ? Int.max : product
  }

  // MARK: - Top-level values

  static func decodeName(_ value: JSONValue?, diagnostics: inout Diagnostics) -> String? {
    guard let value else {
      diagnostics.report("name", "missing required key 'name' (letters, digits, '.', '_' and '-')")
      return nil
    }
    guard case .string(let name) = value else {
      diagnostics.report(.expected("a string", got: value.kindDescription, at: "name"))
      return nil
    }
    guard let problem = RunID.problem(with: name) else { return name }
    diagnostics.report("name", problem)
    return nil
  }

  static func decodeInteger(_ value: JSONValue?, at path: String, range: ClosedRange<Int>, required: Bool, diagnostics: inout Diagnostics) -> Int? {
    guard let value else {
      if required { diagnostics.report(path, "missing required key '\(path)' (an integer \(ParameterKind.describe(range)))") }
      return nil
    }
    return diagnostics.capture { () throws(Diagnostic) -> Int in
      guard case .integer(let n) = try ParameterSpec(path, .integer(range), "").decode(value, at: path) else { return 0 }
      return n
    }
  }

  static func decodeSeeds(_ value: JSONValue?, diagnostics: inout Diagnostics) -> [Int]? {
    guard let value else { return [0] }
    switch value {
    case .number:
      return decodeInteger(value, at: "seeds", range: 1...100_000_000, required: true, diagnostics: &diagnostics).map { Array(0..<$0) }
    case .array(let items):
      guard !items.isEmpty else {
        diagnostics.report("seeds", "an empty list of seeds expands to zero runs")
        return nil
      }
      var seeds: [Int] = []
      for (i, item) in items.enumerated() {
        guard let s = decodeInteger(item, at: "seeds".index(i), range: 0...Int(Int32.max), required: true, diagnostics: &diagnostics) else { continue }
        if seeds.contains(s) { diagnostics.report("seeds".index(i), "seed \(s) is listed twice; its runs would collide") }
        seeds.append(s)
      }
      return seeds.count == items.count ? seeds : nil
    default:
      diagnostics.report(.expected("a count of seeds or a list of seeds", got: value.kindDescription, at: "seeds"))
      return nil
    }
  }

  static func decodeTargets(_ value: JSONValue?, diagnostics: inout Diagnostics) -> [Double]? {
    guard let value else { return [] }
    guard case .array(let items) = value else {
      diagnostics.report(.expected("an array of suboptimality thresholds", got: value.kindDescription, at: "targets"))
      return nil
    }
    var targets: [Double] = []
    var seen: Set<Double> = []  // not `targets.contains`: 200,000 targets took 13 s to check
    for (i, item) in items.enumerated() {
      guard case .number(let t) = item, t > 0 else {
        diagnostics.report(.expected("a number > 0", got: item.unexpectedDescription, at: "targets".index(i)))
        continue
      }
      if !seen.insert(t).inserted { diagnostics.report("targets".index(i), "target \(JSONValue.format(t)) is listed twice") }
      targets.append(t)
    }
    return targets.count == items.count ? targets : nil
  }

  // MARK: - Entries

  static func entries(_ value: JSONValue?, key: String, diagnostics: inout Diagnostics) -> [JSONObject?] {
    guard let value else {
      diagnostics.report(key, "missing required key '\(key)' (a non-empty array of \(key) entries)")
      return []
    }
    guard case .array(let items) = value else {
      diagnostics.report(.expected("an array of \(key) entries", got: value.kindDescription, at: key))
      return []
    }
    if items.isEmpty { diagnostics.report(key, "an empty list of \(key) expands to zero runs") }
    return items.enumerated().map { i, item in
      guard case .object(let o) = item else {
        diagnostics.report(.expected("an object with a \"name\"", got: item.kindDescription, at: key.index(i)))
        return nil
      }
      return o
    }
  }

  static func decodeLabel(_ entry: JSONObject, at path: String, diagnostics: inout Diagnostics) -> String? {
    guard let value = entry["label"] else { return entry["name"]?.stringValue }
    guard case .string(let label) = value else {
      diagnostics.report(.expected("a string", got: value.kindDescription, at: path.key("label")))
      return nil
    }
    if let problem = RunID.problem(with: label) {
      diagnostics.report(path.key("label"), problem)
      return nil
    }
    return label
  }

  static func decodeFunctions(_ value: JSONValue?, catalog: Catalog, checksNewRuns: Bool = true, diagnostics: inout Diagnostics) -> [FunctionVariant] {
    decodeEntries(value, key: "functions", skipping: functionGridSkips, label: \.label, diagnostics: &diagnostics) { point, local in
      let (i, path, variant) = (point.index, point.path, point.variant)
      var inner = Diagnostics()
      let objective = catalog.makeObjective(variant.entry, at: path, reserved: functionReserved, diagnostics: &inner)
      if checksNewRuns, let problem = objective?.problemForNewRuns {
        inner.report(Diagnostic(path: path.key(problem.path), problem.message))
      }
      for problem in inner.problems { local.report(remap(problem, variant.sources)) }
      guard let objective, let label = point.label else { return [] }
      let starts = decodeStart(variant.entry["start"], dimension: objective.dimension, at: path.key("start"), diagnostics: &local)
      checkStartsInDomain(starts, of: objective, written: variant.entry["start"], at: path.key("start"), diagnostics: &local)
      var oracleProblems = Diagnostics()
      let oracle = GradientOracle.decode(variant.entry, for: objective, at: path, diagnostics: &oracleProblems)
      for problem in oracleProblems.problems { local.report(remap(problem, variant.sources)) }
      guard let oracle else { return [] }
      return starts.enumerated().map { k, start in
        var choices = variant.choices
        if starts.count > 1 { choices.append(("start", .number(Double(k)))) }
        var parameters = variant.entry
        for key in functionReserved where !GradientOracle.keys.contains(key) { parameters[key] = nil }
        if starts.count > 1 { parameters["start"] = .number(Double(k)) }
        var seedKey = variant.entry
        seedKey["label"] = nil
        if starts.count > 1 { seedKey["start"] = .array(start.point!.map { .number($0) }) }
        return FunctionVariant(
          entryIndex: i, name: objective.name, label: RunID.component(label, choices), objective: objective,
          start: start, oracle: oracle, parameters: parameters, seedKey: JSONValue.object(seedKey).unsignedZeros.serialized(sortedKeys: true),
          objectiveGroup: point.settingsBefore)
      }
    }
  }

  static func decodeStart(_ value: JSONValue?, dimension: Int, at path: String, diagnostics: inout Diagnostics) -> [StartPoint] {
    func point(_ v: JSONValue, at path: String) -> [Double]? {
      guard case .array(let items) = v else {
        diagnostics.report(.expected("a point of \(dimension) numbers", got: v.kindDescription, at: path))
        return nil
      }
      guard items.count == dimension else {
        diagnostics.report(path, "expected a point of \(dimension) coordinate\(dimension == 1 ? "" : "s") (the function's dimension), got \(items.count)")
        return nil
      }
      return coordinates(items, at: path)
    }
    func coordinates(_ items: [JSONValue], at path: String) -> [Double]? {
      var x: [Double] = []
      for (i, item) in items.enumerated() {
        guard case .number(let c) = item, abs(c) <= 1e8 else {
          diagnostics.report(.expected("a coordinate with |x| ≤ 1e8", got: item.unexpectedDescription, at: path.index(i)))
          return nil
        }
        x.append(c)
      }
      return x
    }
    guard let value else { return [.random] }
    let expected = #"a point, "random", {"box": [[lo, hi], …]} or {"points": [[…], …]}"#
    switch value {
    case .string("random"): return [.random]
    case .array: return point(value, at: path).map { [.point($0)] } ?? []
    case .object(let o):
      switch o.soleKey(among: ["box", "points"], expected: expected, required: true, at: path, diagnostics: &diagnostics) {
      case .found("box", let box): return decodeBox(box)
      case .found(_, let points): return decodePoints(points)
      case .absent, .reported: return []
      }
    default:
      diagnostics.report(.expected(expected, got: value.quotedOrKind, at: path))
      return []
    }
    func decodeBox(_ box: JSONValue) -> [StartPoint] {
      guard case .array(let rows) = box, rows.count == dimension else {
        diagnostics.report(path.key("box"), "expected \(dimension) intervals [lo, hi], one per coordinate")
        return []
      }
      var lower: [Double] = [], upper: [Double] = []
      for (i, row) in rows.enumerated() {
        guard let interval = interval(row, at: path.key("box").index(i)) else { return [] }
        lower.append(interval[0])
        upper.append(interval[1])
      }
      return [.box(Box(lower: lower, upper: upper))]
    }
    func decodePoints(_ value: JSONValue) -> [StartPoint] {
      guard case .array(let items) = value, !items.isEmpty else {
        diagnostics.report(path.key("points"), "expected a non-empty array of points")
        return []
      }
      let points = items.enumerated().compactMap { i, item in point(item, at: path.key("points").index(i)) }
      return points.count == items.count ? points.map { .point($0) } : []
    }
    /// One coordinate's [lo, hi], each problem said as it is: not a pair, not a coordinate, or lo > hi.
    func interval(_ v: JSONValue, at path: String) -> [Double]? {
      guard case .array(let items) = v, items.count == 2 else {
        diagnostics.report(.expected("an interval [lo, hi] of two numbers", got: v.unexpectedDescription, at: path))
        return nil
      }
      guard let bounds = coordinates(items, at: path) else { return nil }
      guard bounds[0] <= bounds[1] else {
        diagnostics.report(.expected("an interval [lo, hi] with lo ≤ hi", got: "[" + bounds.map(JSONValue.format).joined(separator: ", ") + "]", at: path))
        return nil
      }
      return bounds
    }
  }

  /// A function unbounded below outside its domain (xcos) has its f* on the domain only: a run started outside
  /// it would be measured against a minimum that does not hold there (and counts as diverged at once where f is
  /// already below f*), so a fixed start or a box must lie inside the domain.
  static func checkStartsInDomain(_ starts: [StartPoint], of objective: any Objective, written: JSONValue?, at path: String,
                                  diagnostics: inout Diagnostics) {
    guard objective.minima.unboundedBelow, objective.minima.value != nil else { return }
    let domain = objective.domain
    func text(_ x: [Double]) -> String { "[" + x.map(JSONValue.format).joined(separator: ", ") + "]" }
    func intervals(_ box: Box) -> [String] { box.lower.indices.map { text([box.lower[$0], box.upper[$0]]) } }
    let domainText = domain.dimension == 1 ? intervals(domain)[0] : "[" + intervals(domain).joined(separator: ", ") + "]"
    let why = "'\(objective.name)' is unbounded below outside its domain \(domainText), and its f* holds only there"
    let listed = written?.objectValue?["points"] != nil
    for (k, start) in starts.enumerated() {
      switch start {
      case .point(let x) where !domain.contains(x):
        diagnostics.report(listed ? path.key("points").index(k) : path, "\(why): expected a start inside it, got \(text(x))")
      case .box(let box) where !(domain.contains(box.lower) && domain.contains(box.upper)):
        diagnostics.report(path.key("box"), "\(why): expected a box inside it, got [\(intervals(box).joined(separator: ", "))]")
      default: break
      }
    }
  }

  static func decodeOptimizers(_ value: JSONValue?, catalog: Catalog, diagnostics: inout Diagnostics) -> [OptimizerVariant] {
    decodeEntries(value, key: "optimizers", skipping: optimizerGridSkips, label: \.label, diagnostics: &diagnostics) { point, local in
      let (path, variant) = (point.path, point.variant)
      var inner = Diagnostics()
      let configured = catalog.makeOptimizer(variant.entry, at: path, reserved: optimizerReserved, diagnostics: &inner)
      let schedule = variant.entry["schedule"].map { Schedule.decode($0, at: path.key("schedule"), diagnostics: &inner) } ?? .constant
      for problem in inner.problems { local.report(remap(problem, variant.sources)) }
      guard inner.isEmpty, let configured, let schedule, let label = point.label else { return [] }
      return [OptimizerVariant(
        entryIndex: point.index, name: configured.name, entryLabel: label, label: RunID.component(label, variant.choices), axes: variant.choices,
        configured: configured, schedule: schedule, scheduleJSON: variant.entry["schedule"])]
    }
  }

  /// One grid point of an entry of `functions` or `optimizers`, for `decodeEntries`' `settings`.
  struct EntryPoint {
    /// The entry's position in its list, and its path (`functions[2]`).
    var index: Int
    var path: String
    /// The entry's label; `nil` when it was refused (its problems are still looked for).
    var label: String?
    var variant: GridExpansion.Variant
    /// How many settings the entries before, and this entry's earlier grid points, made.
    var settingsBefore: Int
  }

  /// The settings of each entry of `key`: its label decoded, its grid axes expanded (refused past
  /// `maximumVariantsPerEntry`) and `settings` asked for those of each grid point, reporting problems into the
  /// entry's diagnostics. Every grid point is looked at, so that each bad grid value is named, up to
  /// `problemsPerEntry` problems an entry (a problem outside the grid, the same at every point, counts once).
  /// The labels of an entry's settings are checked against each other and every earlier entry's.
  static func decodeEntries<Setting>(
    _ value: JSONValue?, key: String, skipping: Set<String>, label: (Setting) -> String, diagnostics: inout Diagnostics,
    settings: (EntryPoint, inout Diagnostics) -> [Setting]
  ) -> [Setting] {
    var result: [Setting] = []
    var labels: [String: String] = [:]
    for (i, entry) in entries(value, key: key, diagnostics: &diagnostics).enumerated() {
      let entryStart = result.count  // this entry's settings are appended after it: its own, found in constant time
      guard let entry else { continue }
      let path = key.index(i)
      let entryLabel = decodeLabel(entry, at: path, diagnostics: &diagnostics)
      let count = GridExpansion.count(entry, skipping: skipping)
      guard count <= maximumVariantsPerEntry else {
        diagnostics.report(path, "the grid axes of this entry expand to \(count) settings, more than \(maximumVariantsPerEntry)")
        continue
      }
      var local = Diagnostics()
      let variants = GridExpansion.expand(entry, at: path, skipping: skipping, diagnostics: &local)
      for (k, variant) in variants.enumerated() {
        result += settings(EntryPoint(index: i, path: path, label: entryLabel, variant: variant, settingsBefore: result.count), &local)
        if local.problems.count >= problemsPerEntry && k + 1 < variants.count {
          local.report(path, "\(local.problems.count) problems listed; the \(variants.count - k - 1) later grid settings of this entry were not checked")
          break
        }
      }
      diagnostics.merge(local)
      checkCollisions(result[entryStart...].map(label), of: path, seen: &labels, diagnostics: &diagnostics)
    }
    return result
  }

  /// How many problems `decodeEntries` lists for one entry before it stops looking at its grid points.
  static let problemsPerEntry = 10

  /// Rewrites a diagnostic about a substituted value to point at the grid value it came from (one about
  /// the key that holds the axis stays at the key).
  static func remap(_ problem: Diagnostic, _ sources: [String: String]) -> Diagnostic {
    if problem.isAboutKey, sources[problem.path] != nil { return problem }
    for (concrete, source) in sources where problem.path == concrete || problem.path.hasPrefix(concrete + "[") || problem.path.hasPrefix(concrete + ".") {
      return Diagnostic(path: source + problem.path.dropFirst(concrete.count), problem.message)
    }
    return problem
  }
}

/// Where a run starts.
public enum StartPoint: Sendable, Equatable {
  case point([Double])
  /// Uniform in the function's domain box, from the run's seed.
  case random
  /// Uniform in this box, from the run's seed.
  case box(Box)

  public var point: [Double]? { if case .point(let p) = self { p } else { nil } }
}

/// One concrete function of an experiment (one grid point of one entry).
public struct FunctionVariant: Sendable {
  public var entryIndex: Int
  public var name: String
  /// The run-id component: the entry's label (default: its name) plus the values of its axes.
  public var label: String
  public var objective: any Objective
  public var start: StartPoint
  /// How gradients are computed: exactly, by minibatch, or with noise.
  public var oracle: GradientOracle
  /// Single-sample gradients per step (finite sums only): the unit of `samples_seen`.
  public var samplesPerStep: Int? { oracle.samplesPerStep(objective) }
  /// The entry's parameters as written (axes substituted), for summary columns.
  public var parameters: JSONObject
  /// Canonical content from which start points and noise are seeded.
  public var seedKey: String
  /// Variants of one entry and grid point that differ only in their start point share this number (and an
  /// identical objective and oracle), so their runs can be stepped together (`executeLanes`).
  public var objectiveGroup: Int
}

/// One concrete optimizer setting of an experiment.
public struct OptimizerVariant: Sendable {
  public var entryIndex: Int
  public var name: String
  /// The entry's `label` (default: its name).
  public var entryLabel: String
  /// The run-id component: the entry's label plus the values of its axes.
  public var label: String
  /// The entry's grid axes and this setting's value on each, in the order `label` lists them.
  public var axes: [(key: String, value: JSONValue)]
  public var configured: ConfiguredOptimizer
  public var schedule: Schedule
  public var scheduleJSON: JSONValue?
}
