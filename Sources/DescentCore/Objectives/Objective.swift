/// A test function with an analytic gradient: one landscape an optimizer walks.
///
/// Conformers are immutable values, shared by every run on them. `evaluate` is the hot path: it writes
/// the gradient in place and allocates nothing. Everything a user may set comes in through `parameters`
/// (JSON names, defaults in exactly one place) and is validated in `init`, never trapped on.
///
/// See `docs/adding-a-test-function.md` for how to add one.
public protocol Objective: Sendable {
  /// The registry name used in configs and on the command line.
  static var name: String { get }
  /// The formula, one line.
  static var formula: String { get }
  /// Where the function comes from.
  static var reference: String { get }
  /// Fixed dimension, or "any d ≥ k" (then the `dim` parameter chooses it). Written as a computed property
  /// returning a literal, it is a constant in the step loop's specializations, which then know a fixed
  /// dimension (see `executeLanes`).
  static var dimensionRule: DimensionRule { get }
  /// Parameters with their defaults. For "any d ≥ k" functions this includes `dim`.
  static var parameters: [ParameterSpec] { get }
  /// Anything a user must know, such as "unbounded below outside the domain".
  static var notes: String? { get }

  /// Builds the function from validated parameter values; cross-parameter problems throw a diagnostic
  /// whose path is relative to the function entry (for example `"matrix"`).
  init(_ parameters: Parameters) throws(Diagnostic)

  var dimension: Int { get }
  /// The box used for random starts and plot ranges.
  var domain: Box { get }
  /// The global minimum value and minimisers, and known local minima.
  var minima: KnownMinima { get }

  /// Why new runs should not start on this function as built, if they should not: the landscape it could
  /// build is not the one its parameters describe (a rotated quadratic whose rounding changed its condition
  /// number). A diagnostic whose path is relative to the function entry. Configs are refused for it;
  /// results already made on such a function are still read. `nil` by default.
  var problemForNewRuns: Diagnostic? { get }

  /// Writes ∇f(x) into `gradient` and returns f(x). Both buffers have `dimension` elements; loops over the
  /// coordinates run to `x.count`, which the step loop's copy for d = 2 makes a constant (see `executeLanes`).
  func evaluate(_ x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double
}

extension Objective {
  public static var notes: String? { nil }
  public var problemForNewRuns: Diagnostic? { nil }
  public var name: String { Self.name }

  /// Convenience for tests and the `eval` command: f(x) and ∇f(x) as new arrays.
  public func evaluate(_ x: [Double]) -> (value: Double, gradient: [Double]) {
    precondition(x.count == dimension, "evaluate: expected \(dimension) coordinates")
    var gradient = [Double](repeating: 0, count: dimension)
    let value = x.withUnsafeBufferPointer { xp in
      gradient.withUnsafeMutableBufferPointer { gp in evaluate(xp, gradient: gp) }
    }
    return (value, gradient)
  }

  public func value(at x: [Double]) -> Double { evaluate(x).value }
}

/// Fixed dimension or "any d ≥ k".
public enum DimensionRule: Sendable, Equatable, CustomStringConvertible {
  case fixed(Int)
  case atLeast(Int)

  public var description: String {
    switch self {
    case .fixed(let d): "\(d)"
    case .atLeast(let k): "any d ≥ \(k)"
    }
  }

  /// The `dim` parameter spec for "any d ≥ k" functions.
  public static func dimParameter(minimum: Int, default d: Int) -> ParameterSpec {
    .integer("dim", d, minimum...1_000_000, "dimension d")
  }
}

/// An axis-aligned box: the domain of a function.
public struct Box: Sendable, Equatable {
  public var lower: [Double]
  public var upper: [Double]

  public init(lower: [Double], upper: [Double]) {
    precondition(lower.count == upper.count)
    self.lower = lower
    self.upper = upper
  }

  /// The same interval in every coordinate.
  public init(_ lower: Double, _ upper: Double, dimension: Int) {
    self.init(lower: Array(repeating: lower, count: dimension), upper: Array(repeating: upper, count: dimension))
  }

  public var dimension: Int { lower.count }

  public func contains(_ x: [Double]) -> Bool {
    x.count == dimension && x.indices.allSatisfy { lower[$0] <= x[$0] && x[$0] <= upper[$0] }
  }

  /// A uniform point in the box.
  public func sample(using rng: inout SplitMix64) -> [Double] {
    (0..<dimension).map { rng.uniform(lower[$0], upper[$0]) }
  }
}

/// A local or global minimiser and its value.
public struct Minimum: Sendable, Equatable {
  public var point: [Double]
  public var value: Double
  public init(point: [Double], value: Double) {
    self.point = point
    self.value = value
  }
}

/// What is known about a function's minima.
public struct KnownMinima: Sendable, Equatable {
  /// f*, or `nil` where there is none (unbounded below) or it is unknown.
  public var value: Double?
  /// Every global minimiser x*.
  public var global: [[Double]]
  /// Known local (non-global) minima.
  public var local: [Minimum]
  /// The function has no lower bound (it may still have a minimum inside its domain).
  public var unboundedBelow: Bool

  public init(value: Double?, global: [[Double]], local: [Minimum] = [], unboundedBelow: Bool = false) {
    self.value = value
    self.global = global
    self.local = local
    self.unboundedBelow = unboundedBelow
  }

  /// No minimum: the function falls without bound.
  public static let none = KnownMinima(value: nil, global: [], unboundedBelow: true)
  /// A function bounded below whose f* is not known (or, its infimum not attained, does not exist).
  public static let unknown = KnownMinima(value: nil, global: [])

  /// Where f* is the minimum on the domain of a function unbounded below (xcos), a value below it means the
  /// run has left that domain for a region where f falls without bound: such a run counts as diverged, not
  /// as converged or as having reached its targets. This is f* less a margin for rounding at x*; −∞ where
  /// f* bounds f everywhere (or is unknown).
  public var escapeBelow: Double {
    guard unboundedBelow, let value else { return -.infinity }
    return value - 1e-9 * max(1, abs(value))
  }

  /// Which known minimum `x` is closest to, if within `radius` (Euclidean): `global`, `local:1`, … or `none`.
  public func classify(_ x: [Double], radius: Double) -> String {
    var best: (label: String, distance: Double) = ("none", .infinity)
    for g in global {
      let d = distance(x, g)
      if d < best.distance { best = ("global", d) }
    }
    for (k, m) in local.enumerated() {
      let d = distance(x, m.point)
      if d < best.distance { best = ("local:\(k + 1)", d) }
    }
    return best.distance <= radius ? best.label : "none"
  }

  /// The distance from `x` to the nearest global minimiser, if any is known.
  public func distanceToMinimizer(_ x: [Double]) -> Double? {
    global.map { distance(x, $0) }.min()
  }
}

func distance(_ a: [Double], _ b: [Double]) -> Double {
  var s = 0.0
  for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
  return s.squareRoot()
}
