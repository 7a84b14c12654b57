/// The value of one decoded parameter.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
  case real(Double)
  case integer(Int)
  case boolean(Bool)
  case vector([Double])
  case matrix([[Double]])
  case integers([Int])

  public var json: JSONValue {
    switch self {
    case .real(let x): .number(x)
    case .integer(let n): .number(Double(n))
    case .boolean(let b): .bool(b)
    case .vector(let v): .array(v.map { .number($0) })
    case .matrix(let m): .array(m.map { .array($0.map { .number($0) }) })
    case .integers(let v): .array(v.map { .number(Double($0)) })
    }
  }

  public var description: String { json.serialized() }
}

/// What kind of JSON value a parameter takes, with its accepted range.
public enum ParameterKind: Sendable, Equatable, CustomStringConvertible {
  case real(NumericRange)
  case integer(ClosedRange<Int>)
  case boolean
  /// Two reals, like torch's `betas`.
  case pair(NumericRange)
  /// A list of reals of any length (its length is checked by whoever uses it).
  case vector(NumericRange)
  /// A square matrix given as a list of rows.
  case matrix
  /// A list of integers, like `milestones`.
  case integers(ClosedRange<Int>)

  public var description: String {
    switch self {
    case .real(let r): r.phrase.isEmpty ? "a finite number" : "a number " + r.phrase
    case .integer(let r): "an integer " + Self.describe(r)
    case .boolean: "true or false"
    case .pair(let r): "an array of two numbers" + (r.phrase.isEmpty ? "" : " " + r.phrase)
    case .vector(let r): "an array of numbers" + (r.phrase.isEmpty ? "" : " " + r.phrase)
    case .matrix: "an array of rows (arrays of numbers)"
    case .integers(let r): "an array of integers " + Self.describe(r)
    }
  }

  /// The range alone, for tables: `[0, 1)`, `≥ 1`.
  public var rangeDescription: String {
    switch self {
    case .real(let r), .pair(let r), .vector(let r): r.description
    case .integer(let r), .integers(let r): Self.describe(r)
    case .boolean: "true | false"
    case .matrix: "symmetric positive definite"
    }
  }

  /// An integer parameter is read exactly below this magnitude (JSON numbers are doubles), whatever its range.
  static let integerLimit = 1e15

  static func describe(_ r: ClosedRange<Int>) -> String {
    if r.upperBound == Int.max { return "≥ \(r.lowerBound) and below 1e15" }
    return "in [\(r.lowerBound), \(r.upperBound)]"
  }
}

/// One named parameter of an objective, optimizer or schedule: its JSON name, kind, default and meaning.
///
/// Defaults live here and nowhere else; `descent list` and the docs print them from these specs.
public struct ParameterSpec: Sendable {
  public var name: String
  public var kind: ParameterKind
  /// `nil` means the parameter is optional and has no default (or is required, see `required`).
  public var defaultValue: ParameterValue?
  public var required: Bool
  public var summary: String

  public init(_ name: String, _ kind: ParameterKind, default defaultValue: ParameterValue? = nil, required: Bool = false, _ summary: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.required = required
    self.summary = summary
  }

  public static func real(_ name: String, _ defaultValue: Double?, _ range: NumericRange, _ summary: String) -> ParameterSpec {
    ParameterSpec(name, .real(range), default: defaultValue.map { .real($0) }, summary)
  }
  public static func integer(_ name: String, _ defaultValue: Int?, _ range: ClosedRange<Int>, _ summary: String) -> ParameterSpec {
    ParameterSpec(name, .integer(range), default: defaultValue.map { .integer($0) }, summary)
  }
  public static func boolean(_ name: String, _ defaultValue: Bool, _ summary: String) -> ParameterSpec {
    ParameterSpec(name, .boolean, default: .boolean(defaultValue), summary)
  }

  public var defaultDescription: String {
    if let defaultValue { return defaultValue.description }
    return required ? "required" : "—"
  }

  /// Decodes and range-checks one JSON value for this parameter.
  public func decode(_ value: JSONValue, at path: String) throws(Diagnostic) -> ParameterValue {
    func got(_ v: JSONValue) -> String { v.unexpectedDescription }
    func number(_ v: JSONValue, _ range: NumericRange, at path: String) throws(Diagnostic) -> Double {
      guard case .number(let x) = v else { throw .expected("a number", got: got(v), at: path) }
      guard x.isFinite, range.contains(x) else { throw .expected(range.phrase.isEmpty ? "a finite number" : "a number \(range.phrase)", got: got(v), at: path) }
      return x
    }
    func integer(_ v: JSONValue, _ range: ClosedRange<Int>, at path: String) throws(Diagnostic) -> Int {
      // One message for a fraction, a string and a number out of range (1e20 too): each is told the range.
      guard case .number(let x) = v, x == x.rounded(), abs(x) < ParameterKind.integerLimit, range.contains(Int(x)) else {
        throw .expected("an integer \(ParameterKind.describe(range))", got: got(v), at: path)
      }
      return Int(x)
    }
    switch kind {
    case .real(let range):
      return .real(try number(value, range, at: path))
    case .integer(let range):
      return .integer(try integer(value, range, at: path))
    case .boolean:
      guard case .bool(let b) = value else { throw .expected("true or false", got: got(value), at: path) }
      return .boolean(b)
    case .pair(let range):
      guard case .array(let items) = value, items.count == 2 else {
        throw .expected(kind.description, got: got(value), at: path)
      }
      return .vector([try number(items[0], range, at: path.index(0)), try number(items[1], range, at: path.index(1))])
    case .vector(let range):
      guard case .array(let items) = value, !items.isEmpty else {
        throw .expected("a non-empty array of numbers", got: got(value), at: path)
      }
      var result: [Double] = []
      for (i, item) in items.enumerated() { result.append(try number(item, range, at: path.index(i))) }
      return .vector(result)
    case .matrix:
      guard case .array(let rows) = value, !rows.isEmpty else {
        throw .expected("a non-empty array of rows", got: got(value), at: path)
      }
      var result: [[Double]] = []
      for (i, row) in rows.enumerated() {
        guard case .array(let items) = row, items.count == rows.count else {
          throw .expected("a row of \(rows.count) numbers (the matrix must be square)", got: got(row), at: path.index(i))
        }
        var r: [Double] = []
        for (j, item) in items.enumerated() { r.append(try number(item, .finite, at: path.index(i).index(j))) }
        result.append(r)
      }
      return .matrix(result)
    case .integers(let range):
      guard case .array(let items) = value else { throw .expected("an array of integers", got: got(value), at: path) }
      var result: [Int] = []
      for (i, item) in items.enumerated() { result.append(try integer(item, range, at: path.index(i))) }
      return .integers(result)
    }
  }
}

/// Decoded parameter values, defaults filled in. Accessors trap only on programmer error (a name
/// missing from the spec); user input has been validated by the time a `Parameters` exists.
public struct Parameters: Sendable, Hashable {
  public private(set) var values: [String: ParameterValue]

  public init(_ values: [String: ParameterValue] = [:]) {
    self.values = values
  }

  public subscript(name: String) -> ParameterValue? {
    get { values[name] }
    set { values[name] = newValue }
  }


  public func real(_ name: String) -> Double {
    switch values[name] {
    case .real(let x): x
    case .integer(let n): Double(n)
    default: preconditionFailure("parameter '\(name)' is not a real number")
    }
  }
  public func optionalReal(_ name: String) -> Double? { values[name] == nil ? nil : real(name) }

  public func integer(_ name: String) -> Int {
    guard case .integer(let n) = values[name] else { preconditionFailure("parameter '\(name)' is not an integer") }
    return n
  }
  public func optionalInteger(_ name: String) -> Int? { values[name] == nil ? nil : integer(name) }

  public func boolean(_ name: String) -> Bool {
    guard case .boolean(let b) = values[name] else { preconditionFailure("parameter '\(name)' is not a boolean") }
    return b
  }
  public func vector(_ name: String) -> [Double]? {
    guard let v = values[name] else { return nil }
    guard case .vector(let x) = v else { preconditionFailure("parameter '\(name)' is not a vector") }
    return x
  }
  public func pair(_ name: String) -> (Double, Double) {
    let v = vector(name)!
    return (v[0], v[1])
  }
  public func matrix(_ name: String) -> [[Double]]? {
    guard let v = values[name] else { return nil }
    guard case .matrix(let m) = v else { preconditionFailure("parameter '\(name)' is not a matrix") }
    return m
  }
  public func integers(_ name: String) -> [Int]? {
    guard let v = values[name] else { return nil }
    guard case .integers(let m) = v else { preconditionFailure("parameter '\(name)' is not a list of integers") }
    return m
  }

  /// The values as a JSON object with sorted keys, for summaries and stable hashing.
  public var json: JSONValue {
    var object = JSONObject()
    for key in values.keys.sorted() { object[key] = values[key]!.json }
    return .object(object)
  }
}

extension Array where Element == ParameterSpec {
  public var names: [String] { map(\.name) }

  public subscript(name: String) -> ParameterSpec? { first { $0.name == name } }

  /// Decodes the parameters of one JSON object, filling in defaults.
  ///
  /// Keys in `reserved` belong to the caller (`name`, `label`, `schedule`, …) and are skipped; any
  /// other key not in the spec is reported with a suggestion. All problems are reported, not just the first.
  public func decode(_ object: JSONObject, at path: String, reserved: [String] = [], diagnostics: inout Diagnostics) -> Parameters? {
    var values: [String: ParameterValue] = [:]
    var ok = true
    for (key, value) in object.pairs {
      if reserved.contains(key) { continue }
      guard let spec = self[key] else {
        // Callers may reserve a key twice (the catalogue's "name" and an experiment's own list).
        var listed = Set<String>()
        diagnostics.report(.unknown("key", key, among: (names + reserved).filter { listed.insert($0).inserted }, at: path.key(key)))
        ok = false
        continue
      }
      do {
        values[key] = try spec.decode(value, at: path.key(key))
      } catch {
        diagnostics.report(error)
        ok = false
      }
    }
    for spec in self where values[spec.name] == nil && object[spec.name] == nil {
      if let d = spec.defaultValue {
        values[spec.name] = d
      } else if spec.required {
        diagnostics.report(path.key(spec.name), "missing required key '\(spec.name)' (\(spec.kind))")
        ok = false
      }
    }
    return ok ? Parameters(values) : nil
  }
}
