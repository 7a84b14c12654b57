import Foundation

/// Expands grid axes inside a config entry into concrete entries.
///
/// Any number or boolean in a function or optimizer entry may instead be an axis:
/// `{"grid": [..]}`, `{"logspace": [lo_exp, hi_exp, n]}` or `{"linspace": [lo, hi, n]}`. The runs are the
/// cartesian product of every axis; the first axis varies slowest.
public struct GridExpansion {
  /// One concrete entry and the axis values that produced it, in axis order.
  public struct Variant: Sendable {
    public var entry: JSONObject
    /// `(label key, value)` for each axis, such as `("lr", 0.01)` or `("betas.1", 0.99)`.
    public var choices: [(key: String, value: JSONValue)]
    /// Where each substituted value came from, for error paths: concrete path → source path.
    public var sources: [String: String]
  }

  struct Axis {
    var path: [PathComponent]
    var key: String
    var values: [JSONValue]
    var sourcePaths: [String]
  }

  enum PathComponent: Equatable {
    case key(String)
    case index(Int)
  }

  static let axisKinds = ["grid", "logspace", "linspace"]

  /// Finds the axes of `entry` (skipping `skip` keys at the top level) and expands them.
  /// Malformed axes are reported and the entry is not expanded.
  public static func expand(_ entry: JSONObject, at path: String, skipping skip: Set<String>, diagnostics: inout Diagnostics) -> [Variant] {
    var axes: [Axis] = []
    var ok = true
    for (key, value) in entry.pairs where !skip.contains(key) {
      collect(value, path: [.key(key)], jsonPath: path.key(key), axes: &axes, ok: &ok, diagnostics: &diagnostics)
    }
    guard ok else { return [] }
    var variants = [Variant(entry: entry, choices: [], sources: [:])]
    for axis in axes {
      var next: [Variant] = []
      next.reserveCapacity(variants.count * axis.values.count)
      for variant in variants {
        for (value, source) in zip(axis.values, axis.sourcePaths) {
          var v = variant
          v.entry = replacing(v.entry, at: axis.path, with: value)
          v.choices.append((axis.key, value))
          v.sources[render(axis.path, base: path)] = source
          next.append(v)
        }
      }
      variants = next
    }
    return variants
  }

  /// The number of variants `expand` would produce, without building them.
  public static func count(_ entry: JSONObject, skipping skip: Set<String>) -> Int {
    var axes: [Axis] = []
    var ok = true
    var scratch = Diagnostics()
    for (key, value) in entry.pairs where !skip.contains(key) {
      collect(value, path: [.key(key)], jsonPath: key, axes: &axes, ok: &ok, diagnostics: &scratch)
    }
    return axes.reduce(1) { product, axis in
      let (result, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
      return overflow ? Int.max : result
    }
  }

  private static func collect(_ value: JSONValue, path: [PathComponent], jsonPath: String, axes: inout [Axis], ok: inout Bool, diagnostics: inout Diagnostics) {
    switch value {
    case .object(let object):
      let expected = #"a grid axis, {"grid": […]}, {"logspace": [lo_exp, hi_exp, n]} or {"linspace": [lo, hi, n]}"#
      switch object.soleKey(among: axisKinds, expected: expected, required: false, at: jsonPath, diagnostics: &diagnostics) {
      case .found(let kind, let spec):
        if let axis = decodeAxis(kind: kind, spec, path: path, jsonPath: jsonPath.key(kind), diagnostics: &diagnostics) {
          axes.append(axis)
        } else {
          ok = false
        }
        return
      case .reported:
        ok = false
        return
      case .absent:
        break
      }
      for (key, inner) in object.pairs {
        collect(inner, path: path + [.key(key)], jsonPath: jsonPath.key(key), axes: &axes, ok: &ok, diagnostics: &diagnostics)
      }
    case .array(let items):
      for (i, inner) in items.enumerated() {
        collect(inner, path: path + [.index(i)], jsonPath: jsonPath.index(i), axes: &axes, ok: &ok, diagnostics: &diagnostics)
      }
    default:
      return
    }
  }

  private static func decodeAxis(kind: String, _ spec: JSONValue, path: [PathComponent], jsonPath: String, diagnostics: inout Diagnostics) -> Axis? {
    let key = path.map { component -> String in
      switch component {
      case .key(let k): k
      case .index(let i): String(i)
      }
    }.joined(separator: ".")
    if kind == "grid" {
      guard case .array(let values) = spec else {
        diagnostics.report(.expected("an array of values", got: spec.kindDescription, at: jsonPath))
        return nil
      }
      guard !values.isEmpty else {
        diagnostics.report(jsonPath, "an empty grid expands to zero runs; give at least one value")
        return nil
      }
      for (i, v) in values.enumerated() {
        switch v {
        case .number, .bool: continue
        default:
          // A schedule is an object, and an object cannot be a grid value: say where a schedule's variants go.
          let schedule = path.last.map { if case .key("schedule") = $0 { true } else { false } } ?? false
          diagnostics.report(.expected("a number or a boolean" + (schedule ? " (a schedule is not a grid axis: give each schedule its own optimizer entry, or grid a schedule's numbers, e.g. {\"name\": \"step\", \"step_size\": 100, \"gamma\": {\"grid\": [0.1, 0.5]}})" : ""),
                                      got: v.kindDescription, at: jsonPath.index(i)))
          return nil
        }
      }
      return Axis(path: path, key: key, values: values, sourcePaths: values.indices.map { jsonPath.index($0) })
    }
    let shape = "[\(kind == "logspace" ? "lo_exponent, hi_exponent" : "lo, hi"), count]"
    guard case .array(let items) = spec, items.count == 3 else {
      diagnostics.report(.expected(shape, got: spec.unexpectedDescription, at: jsonPath))
      return nil
    }
    // Three items, one of them not a number: named, with what it is.
    if let k = items.firstIndex(where: { $0.numberValue == nil }) {
      let role = kind == "logspace" ? ["lo_exponent", "hi_exponent", "count"][k] : ["lo", "hi", "count"][k]
      diagnostics.report(.expected("a number (\(role) of \(shape))", got: items[k].unexpectedDescription, at: jsonPath.index(k)))
      return nil
    }
    let (lo, hi, n) = (items[0].numberValue!, items[1].numberValue!, items[2].numberValue!)
    guard n == n.rounded(), n >= 1, n <= 1_000_000 else {
      diagnostics.report(.expected("a whole number of points between 1 and 1000000", got: JSONValue.format(n), at: jsonPath.index(2)))
      return nil
    }
    if kind == "logspace", abs(lo) > 300 || abs(hi) > 300 {
      diagnostics.report(jsonPath, "exponents must lie in [-300, 300] so that 10^exponent is a finite number")
      return nil
    }
    let points = linspace(lo, hi, Int(n))
    let values = kind == "logspace" ? points.map { pow(10, $0) } : points
    return Axis(path: path, key: key, values: values.map { .number($0) }, sourcePaths: values.map { _ in jsonPath })
  }

  /// numpy's `linspace`: start + i·step, with the last point exactly `stop`, so `logspace` lists match numpy's bits.
  public static func linspace(_ start: Double, _ stop: Double, _ n: Int) -> [Double] {
    guard n > 1 else { return [start] }
    let step = (stop - start) / Double(n - 1)
    var values = (0..<n).map { Double($0) * step + start }
    values[n - 1] = stop
    return values
  }

  /// numpy's `logspace` with base 10.
  public static func logspace(_ start: Double, _ stop: Double, _ n: Int) -> [Double] {
    linspace(start, stop, n).map { pow(10, $0) }
  }

  private static func replacing(_ object: JSONObject, at path: [PathComponent], with value: JSONValue) -> JSONObject {
    guard case .object(let result) = replacing(.object(object), at: path[...], with: value) else { return object }
    return result
  }

  private static func replacing(_ node: JSONValue, at path: ArraySlice<PathComponent>, with value: JSONValue) -> JSONValue {
    guard let first = path.first else { return value }
    switch (first, node) {
    case (.key(let k), .object(var object)):
      object[k] = replacing(object[k] ?? .null, at: path.dropFirst(), with: value)
      return .object(object)
    case (.index(let i), .array(var items)):
      items[i] = replacing(items[i], at: path.dropFirst(), with: value)
      return .array(items)
    default:
      return node
    }
  }

  private static func render(_ path: [PathComponent], base: String) -> String {
    path.reduce(base) { result, component in
      switch component {
      case .key(let k): result.key(k)
      case .index(let i): result.index(i)
      }
    }
  }
}
