/// Rosenbrock's banana valley, chained form, in any dimension d ≥ 2.
///
/// ```
/// f(x) = Σᵢ₌₁^{d−1} b·(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)²
/// ```
/// Defaults a = 1, b = 100. For d = 2, x* = (a, a²) and f* = 0. For d > 2 with a = 1, x* = (1, …, 1);
/// for d > 2 with a ≠ 1 the minimum has no closed form and f* is reported as unknown.
/// For 4 ≤ d ≤ 7 (a = 1, b = 100) there is a second, local minimum near (−1, 1, …, 1) (for d = 4 it sits
/// at about (−0.776, 0.613, 0.382, 0.146)), refined here by Newton's method.
///
/// Reference: Rosenbrock (1960), *The Computer Journal* 3(3); chained form and local minima:
/// Shang & Qiu (2006), *Evolutionary Computation* 14(1).
public struct Rosenbrock: Objective {
  public static let name = "rosenbrock"
  public static let formula = "Σ b(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)²"
  public static let reference = "Rosenbrock (1960); Shang & Qiu (2006)"
  public static var dimensionRule: DimensionRule { .atLeast(2) }
  public static let parameters: [ParameterSpec] = [
    DimensionRule.dimParameter(minimum: 2, default: 2),
    .real("a", 1, .finite, "a: the valley floor passes through (a, a²)"),
    .real("b", 100, .positive, "b: steepness of the valley walls"),
  ]

  public let dimension: Int
  let a: Double
  let twoB: Double
  let fourB: Double
  let b: Double
  public let domain: Box
  public private(set) var minima = KnownMinima.none

  public init(_ p: Parameters) throws(Diagnostic) {
    dimension = p.integer("dim")
    a = p.real("a")
    b = p.real("b")
    twoB = 2 * b
    fourB = 4 * b
    // The usual [−2, 3]^d, widened where a moves the minimum outside it.
    let reach = max(abs(a), a * a) + 1
    domain = Box(lower: [Double](repeating: min(-2, -reach), count: dimension), upper: [Double](repeating: max(3, reach), count: dimension))
    if dimension == 2 {
      minima = KnownMinima(value: 0, global: [[a, a * a]])
    } else if a == 1 {
      var local: [Minimum] = []
      if (4...7).contains(dimension), b == 100 {
        let start = [-1.0] + [Double](repeating: 1, count: dimension - 1)
        let point = LinearAlgebra.refineStationaryPoint(of: self, from: start)
        local.append(Minimum(point: point, value: value(at: point)))
      }
      minima = KnownMinima(value: 0, global: [[Double](repeating: 1, count: dimension)], local: local)
    } else {
      minima = KnownMinima(value: nil, global: [])
    }
  }

  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    // For d = 2 this is exactly the sweep-2d workload's operation order:
    // a=1-x; u=y-x*x; f=a*a+100*u*u; gx=-2*a-400*x*u; gy=200*u.
    var f = 0.0
    var carry = 0.0  // b-term gradient owed to coordinate i by term i−1
    let n = x.count
    for i in 0..<(n - 1) {
      let am = a - x[i]
      let u = x[i + 1] - x[i] * x[i]
      f += am * am + b * u * u
      g[i] = carry + (-2.0 * am - fourB * x[i] * u)
      carry = twoB * u
    }
    g[n - 1] = carry
    return f
  }
}
