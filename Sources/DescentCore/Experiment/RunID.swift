/// Run ids: stable, readable and safe as file names, such as `rosenbrock__adam-lr=0.001__seed=3`.
public enum RunID {
  /// Characters allowed in names and labels from configs.
  static func isSafe(_ c: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-"
  }

  /// Why `name` cannot be used as a name or label, or `nil` if it can.
  public static func problem(with name: String) -> String? {
    if name.isEmpty { return "must not be empty" }
    if name.count > 100 { return "must be at most 100 characters" }
    if name.hasPrefix(".") || name.contains("..") { return "'\(name)' must not start with '.' or contain '..'" }
    if name.contains("__") { return "'\(name)' must not contain '__' (it separates the parts of run ids)" }
    if let bad = name.unicodeScalars.first(where: { !isSafe($0) }) {
      return "'\(name)' contains '\(bad.escaped(asASCII: true))'; use only letters, digits, '.', '_' and '-' (names become file names)"
    }
    return nil
  }

  /// `label` followed by `key=value` for each axis value.
  public static func component(_ label: String, _ choices: [(key: String, value: JSONValue)]) -> String {
    ([label] + choices.map { "\($0.key)=\(format($0.value))" }).joined(separator: "-")
  }

  public static func make(function: String, optimizer: String, seed: Int) -> String {
    "\(function)__\(optimizer)__seed=\(seed)"
  }

  static func format(_ value: JSONValue) -> String {
    switch value {
    case .number(let x): JSONValue.format(x == 0 ? 0 : x)  // −0.0 names the setting 0 names
    case .bool(let b): b ? "true" : "false"
    default: value.unsignedZeros.serialized()
    }
  }
}
