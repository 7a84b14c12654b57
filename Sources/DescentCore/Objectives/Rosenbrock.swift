/// Rosenbrock's banana valley, chained form, in any dimension d ≥ 2.
///
/// ```
/// f(x) = Σᵢ₌₁^{d−1} b·(xᵢ₊₁ − xᵢ²)² + (a − xᵢ)²
/// ```
/// Defaults a = 1, b = 100. For d = 2, x* = (a, a²) and f* = 0. For d > 2 with a = 1, x* = (1, …, 1);
/// for d > 2 with a ≠ 1 the minimum has no closed form and f* is reported as unknown.
/// For d ≥ 4 (a = 1, b = 100) there is a second, local minimum near (−1, 1, …, 1) (for d = 4 it sits at
/// about (−0.776, 0.613, 0.382, 0.146)): Shang & Qiu show it for 4 ≤ d ≤ 30, and Kok & Sandrock found these two
/// minima, and no other, up to d = 100. It is found here by Newton's method on the exact (tridiagonal) Hessian, O(d) a step, and listed
/// where Newton verifies it: the gradient zero to rounding and the Hessian positive definite there.
///
/// Reference: Rosenbrock (1960), *The Computer Journal* 3(3); chained form and local minima:
/// Shang & Qiu (2006), *Evolutionary Computation* 14(1); Kok & Sandrock (2009), *Evolutionary Computation* 17(3).
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
  public private(set) var minima = KnownMinima.unknown  // until init sets it

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
      if dimension >= 4, b == 100, let point = localMinimum() {
        local.append(Minimum(point: point, value: value(at: point)))
      }
      minima = KnownMinima(value: 0, global: [[Double](repeating: 1, count: dimension)], local: local)
    } else {
      minima = KnownMinima(value: nil, global: [])
    }
  }

  /// The local minimum near (−1, 1, …, 1), by Newton's method from there; `nil` unless it converges to a
  /// point with ∇f = 0 to rounding and a positive definite Hessian (its LDLᵀ pivots all > 0).
  func localMinimum() -> [Double]? {
    let n = dimension
    var x = [-1.0] + [Double](repeating: 1, count: n - 1)
    var diagonal = [Double](repeating: 0, count: n), offDiagonal = [Double](repeating: 0, count: n - 1)
    func hessian() {
      // ∂²f/∂xᵢ² = 2 − 4b(xᵢ₊₁ − 3xᵢ²) (as the first of a pair) + 2b (as the second); ∂²f/∂xᵢ∂xᵢ₊₁ = −4b·xᵢ.
      for i in 0..<n { diagonal[i] = i > 0 ? twoB : 0 }
      for i in 0..<(n - 1) {
        diagonal[i] += 2 - fourB * (x[i + 1] - 3 * x[i] * x[i])
        offDiagonal[i] = -fourB * x[i]
      }
    }
    /// Solves H·s = r in place (LDLᵀ of the tridiagonal H); `false` at a pivot that is not positive.
    func solve(_ r: inout [Double]) -> Bool {
      var pivots = diagonal, factors = offDiagonal
      for i in 1..<n {
        guard pivots[i - 1] > 0 else { return false }
        factors[i - 1] = offDiagonal[i - 1] / pivots[i - 1]
        pivots[i] -= factors[i - 1] * offDiagonal[i - 1]
        r[i] -= factors[i - 1] * r[i - 1]
      }
      guard pivots[n - 1] > 0 else { return false }
      r[n - 1] /= pivots[n - 1]
      for i in stride(from: n - 2, through: 0, by: -1) { r[i] = r[i] / pivots[i] - factors[i] * r[i + 1] }
      return true
    }
    for _ in 0..<100 {
      hessian()
      var step = evaluate(x).gradient
      guard solve(&step) else { return nil }
      var moved = 0.0
      for i in 0..<n {
        x[i] -= step[i]
        moved = max(moved, abs(step[i]) / max(1, abs(x[i])))
      }
      if moved < 1e-15 { break }
    }
    hessian()
    var check = evaluate(x).gradient
    let stationary = check.allSatisfy { abs($0) <= 1e-9 }
    guard stationary, solve(&check), x.contains(where: { abs($0 - 1) > 0.1 }) else { return nil }
    return x
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
