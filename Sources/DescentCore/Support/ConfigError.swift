/// One problem found in user input, located by its JSON path (`optimizers[2].betas[1]`).
public struct Diagnostic: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
  /// Where the problem is, as a JSON path; empty for the document itself.
  public var path: String
  /// What is wrong and what was expected.
  public var message: String
  /// The problem is the key at `path` itself (an unknown key), not the value there: a grid axis under an
  /// unknown key is named once, at the key, rather than once for each of its values.
  public var isAboutKey = false

  public init(path: String, _ message: String) {
    self.path = path
    self.message = message
  }

  /// The problem on one line, with any control character from the input (a key, a name, a value quoted back)
  /// escaped as `\u{1B}`: raw, an escape sequence could recolour or retitle the terminal, and a newline make
  /// the rest of the message read as a problem of its own.
  public var description: String { Self.printable(path.isEmpty ? message : "\(path): \(message)") }

  /// `text` with its control characters (C0, DEL, C1) escaped as `\u{…}`.
  static func printable(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if scalar.properties.generalCategory == .control {
        result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// "expected …, got …" for a value of the wrong kind or out of range.
  public static func expected(_ what: String, got: String, at path: String) -> Diagnostic {
    Diagnostic(path: path, "expected \(what), got \(got)")
  }

  /// An unknown name or key, with an edit-distance suggestion when one is close.
  public static func unknown(_ kind: String, _ name: String, among candidates: [String], at path: String) -> Diagnostic {
    var message = "unknown \(kind) '\(JSONValue.echo(name))'"
    if let suggestion = Suggestion.closest(to: name, in: candidates) {
      message += "; did you mean '\(suggestion)'?"
    } else if !candidates.isEmpty, candidates.count <= 12 {
      message += "; expected one of: " + candidates.joined(separator: ", ")
    }
    var diagnostic = Diagnostic(path: path, message)
    diagnostic.isAboutKey = kind == "key"
    return diagnostic
  }
}

/// Why a config (or any other JSON input Descent reads) was rejected.
///
/// Each case maps to one sysexits code, in one place (`exitCode`), so every command reports bad input alike.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read at all (missing, a directory, unreadable). Exit 66.
  case unreadable(file: String, reason: String)
  /// The file is not valid JSON. Exit 65.
  case malformed(file: String, line: Int, column: Int, reason: String)
  /// The JSON is well formed but describes something invalid; every problem found is listed. Exit 65.
  case invalid(file: String, problems: [Diagnostic])

  public var exitCode: Int32 {
    switch self {
    case .unreadable: 66
    case .malformed, .invalid: 65
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return Diagnostic.printable("\(file): cannot read: \(reason)")
    case .malformed(let file, let line, let column, let reason):
      return Diagnostic.printable("\(file):\(line):\(column): invalid JSON: \(reason)")
    case .invalid(let file, let problems):
      return problems.map { Diagnostic.printable(file) + ": \($0)" }.joined(separator: "\n")
    }
  }
}

/// Collects every problem found while decoding, so a user sees all of them at once.
public struct Diagnostics: Sendable {
  public private(set) var problems: [Diagnostic] = []
  private var seen: Set<Diagnostic> = []

  public init() {}

  public var isEmpty: Bool { problems.isEmpty }

  public mutating func report(_ problem: Diagnostic) {
    if seen.insert(problem).inserted { problems.append(problem) }
  }

  public mutating func report(_ path: String, _ message: String) {
    report(Diagnostic(path: path, message))
  }

  public mutating func merge(_ other: Diagnostics) {
    for p in other.problems { report(p) }
  }

  /// Runs `body`, recording its thrown diagnostic instead of propagating it.
  public mutating func capture<T>(_ body: () throws(Diagnostic) -> T) -> T? {
    do { return try body() } catch { report(error); return nil }
  }
}

/// JSON path building: `path.key("lr")`, `path.index(2)`.
extension String {
  public func key(_ key: String) -> String {
    let simple = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }
    let component = simple ? key : "[" + JSONValue.string(key).serialized() + "]"
    if isEmpty { return component }
    return simple ? self + "." + key : self + component
  }
  public func index(_ i: Int) -> String { self + "[\(i)]" }
  /// Joins a path relative to this one (`"matrix[1][0]"`) onto it.
  public func appending(path relative: String) -> String {
    if relative.isEmpty { return self }
    if isEmpty { return relative }
    return relative.hasPrefix("[") ? self + relative : self + "." + relative
  }
}

/// What an object that must hold exactly one of a few keys (`{"log": n}`, `{"box": …}`, a grid axis) holds.
enum SoleKey {
  /// Exactly one of the keys, and nothing else.
  case found(String, JSONValue)
  /// None of the keys at all: for a grid axis, an ordinary object; elsewhere already reported.
  case absent
  /// One of the keys beside another key, or two of them; reported, each key by name.
  case reported
}

extension JSONObject {
  /// The one key of `choices` this object holds, alone. Otherwise the problem is reported key by key (an
  /// unknown key with the closest choice; two choices at once), so `{"box": …, "bx": …}` names `bx` rather
  /// than "expected …, got an object". With `required: false`, an object holding none of the keys is not a
  /// problem (a grid axis is only recognised by its key); with `required: true` each of its keys is reported
  /// as unknown, or an empty object as `expected`.
  func soleKey(among choices: [String], expected: String, required: Bool, at path: String, diagnostics: inout Diagnostics) -> SoleKey {
    let chosen = keys.filter(choices.contains)
    if chosen.count == 1, count == 1 { return .found(chosen[0], self[chosen[0]]!) }
    if chosen.isEmpty, !required { return .absent }
    if count == 0 {
      diagnostics.report(.expected(expected, got: "an empty object", at: path))
      return .absent
    }
    if chosen.count > 1 {
      diagnostics.report(path, "expected \(expected), got \(chosen.map { "'\($0)'" }.joined(separator: " and ")) together; give one")
    }
    for key in keys where !choices.contains(key) {
      if chosen.count == 1 {
        diagnostics.report(path.key(key), "unexpected key '\(JSONValue.echo(key))' beside '\(chosen[0])': {\"\(chosen[0])\": …} takes no other key")
      } else {
        diagnostics.report(.unknown("key", key, among: choices, at: path.key(key)))
      }
    }
    return chosen.isEmpty ? .absent : .reported
  }
}
