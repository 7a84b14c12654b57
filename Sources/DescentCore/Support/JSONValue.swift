/// A parsed JSON document that remembers key order, so configs can be echoed and hashed stably.
///
/// Descent parses JSON itself rather than through `JSONSerialization` because error messages must name
/// the line and column of a syntax error, and because configs are untrusted input: duplicate keys,
/// a byte-order mark, invalid UTF-8 or absurd nesting are all reported, never guessed around.
public indirect enum JSONValue: Sendable, Equatable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// What an "expected …, got …" message shows of a value it did not expect: a number or a string as written,
  /// an array with its length, an object with its keys, and for an object of one key, how a grid axis is spelled
  /// (a misspelt `{"gird": […]}` is the likely mistake).
  /// A string as a message shows it, quoted (`echo`), else what kind of value it is: for "got …" where a
  /// string was expected and the words offered are strings.
  public var quotedOrKind: String { stringValue.map { "\"" + Self.echo($0) + "\"" } ?? kindDescription }

  /// A string from the input as a message shows it: at most 60 characters (then "…"), and control and
  /// invisible format characters (zero-width, bidirectional overrides) as `\u{…}`, so that a megabyte of
  /// text or a right-to-left override in a config cannot flood or disguise the message.
  public static func echo(_ s: String) -> String {
    var shown = ""
    for (k, scalar) in s.unicodeScalars.enumerated() {
      if k == 60 { return shown + "…" }
      if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.generalCategory == .format {
        shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return shown
  }

  public var unexpectedDescription: String {
    switch self {
    case .number(let x): return JSONValue.format(x)
    case .string(let s): return "the string \"\(Self.echo(s))\""
    case .array(let items): return "an array of \(items.count) item\(items.count == 1 ? "" : "s")"
    case .object(let o):
      let keys = o.keys.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (o.count > 5 ? ", …" : "")
      let axis = o.count == 1 ? #" (a grid axis is {"grid": […]}, {"logspace": [lo_exp, hi_exp, n]} or {"linspace": [lo, hi, n]})"# : ""
      return o.count == 0 ? "an empty object" : "an object with key\(o.count == 1 ? "" : "s") \(keys)\(axis)"
    default: return kindDescription
    }
  }

  /// A short name for the kind of value, as used in "expected …, got …" messages.
  public var kindDescription: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }

  public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }

  /// The same value with every −0.0 as 0: what identifies a config or a setting (its hash, run ids, the key
  /// random starts are drawn from) is written as it was before −0.0 kept its sign in output.
  public var unsignedZeros: JSONValue {
    switch self {
    case .number(let x) where x == 0: .number(0)
    case .array(let items): .array(items.map(\.unsignedZeros))
    case .object(let o):
      .object(o.pairs.reduce(into: JSONObject()) { result, pair in result[pair.key] = pair.value.unsignedZeros })
    default: self
    }
  }
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
  public var numberValue: Double? { if case .number(let n) = self { n } else { nil } }
  public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
  public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
}

/// A JSON object with its keys in document order.
public struct JSONObject: Sendable, Equatable, Hashable {
  public private(set) var keys: [String] = []
  private var storage: [String: JSONValue] = [:]

  public init() {}
  public init(_ pairs: KeyValuePairs<String, JSONValue>) {
    for (k, v) in pairs { self[k] = v }
  }

  public subscript(key: String) -> JSONValue? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  public var count: Int { keys.count }
  public var pairs: [(key: String, value: JSONValue)] { keys.map { ($0, storage[$0]!) } }

  public static func == (a: JSONObject, b: JSONObject) -> Bool {
    a.storage == b.storage
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage)
  }
}

extension JSONValue {
  /// Compact JSON text. With `sortedKeys`, the text is canonical: equal values give equal text.
  public func serialized(sortedKeys: Bool = false) -> String {
    var out = ""
    write(to: &out, sortedKeys: sortedKeys, indent: nil, level: 0)
    return out
  }

  /// Appends the compact text (as `serialized()`) to `out`.
  func write<Sink: TextSink>(to out: inout Sink) {
    write(to: &out, sortedKeys: false, indent: nil, level: 0)
  }

  /// Indented JSON text for files people read and diff.
  public func prettyPrinted(sortedKeys: Bool = false) -> String {
    prettyPrinted(sortedKeys: sortedKeys, level: 0) + "\n"
  }

  /// The value as `prettyPrinted` writes it `level` deep in an enclosing value, without a final newline.
  func prettyPrinted(sortedKeys: Bool, level: Int) -> String {
    var out = ""
    write(to: &out, sortedKeys: sortedKeys, indent: "  ", level: level)
    return out
  }

  private func write<Sink: TextSink>(to out: inout Sink, sortedKeys: Bool, indent: String?, level: Int) {
    switch self {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .number(let n): out.append(number: n)
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty { out.append("[]"); return }
      let scalarOnly = items.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
      out.append("[")
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(indent == nil || scalarOnly ? (indent == nil ? "," : ", ") : ",") }
        if let indent, !scalarOnly { out.append("\n" + String(repeating: indent, count: level + 1)) }
        item.write(to: &out, sortedKeys: sortedKeys, indent: indent, level: level + 1)
      }
      if let indent, !scalarOnly { out.append("\n" + String(repeating: indent, count: level)) }
      out.append("]")
    case .object(let object):
      if object.count == 0 { out.append("{}"); return }
      out.append("{")
      let keys = sortedKeys ? object.keys.sorted() : object.keys
      for (i, key) in keys.enumerated() {
        if i > 0 { out.append(",") }
        if let indent { out.append("\n" + String(repeating: indent, count: level + 1)) }
        JSONValue.writeString(key, to: &out)
        out.append(indent == nil ? ":" : ": ")
        object[key]!.write(to: &out, sortedKeys: sortedKeys, indent: indent, level: level + 1)
      }
      if let indent { out.append("\n" + String(repeating: indent, count: level)) }
      out.append("}")
    }
  }

  /// Shortest round-trip text for a finite number; integers print without a fraction, but for -0.0, which
  /// keeps its sign and fraction (`-0` reads back as the integer 0 in many JSON readers).
  /// Non-finite values have no JSON spelling and print as `null`.
  public static func format(_ n: Double) -> String {
    guard n.isFinite else { return "null" }
    if n == n.rounded(), abs(n) < 1e15, n != 0 || n.sign == .plus { return String(Int64(n)) }
    return "\(n)"
  }

  static func writeString<Sink: TextSink>(_ s: String, to out: inout Sink) {
    // Most strings (names, ids, numbers as text) need no escaping: append them whole.
    if !s.containsUTF8(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      out.append("\"")
      out.append(s)
      out.append("\"")
      return
    }
    var escaped = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      case "\t": escaped += "\\t"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    out.append(escaped + "\"")
  }
}
