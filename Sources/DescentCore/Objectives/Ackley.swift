import Foundation

/// Ackley's function: a nearly flat outer region with a deep hole at the origin, in any dimension.
///
/// ```
/// f(x) = −a·exp(−b·√(Σxᵢ²/d)) − exp(Σcos(c·xᵢ)/d) + a + e
/// ```
/// Defaults a = 20, b = 0.2, c = 2π. Global minimum f* = 0 at the origin, where the first term is not
/// differentiable; ∇f(0) is defined as 0. Domain [−32.768, 32.768]^d.
///
/// Reference: Ackley (1987), *A Connectionist Machine for Genetic Hillclimbing*.
public struct Ackley: Objective {
  public static let name = "ackley"
  public static let formula = "−a·exp(−b·√(Σxᵢ²/d)) − exp(Σcos(c·xᵢ)/d) + a + e"
  public static let reference = "Ackley (1987)"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  public static let parameters: [ParameterSpec] = [
    DimensionRule.dimParameter(minimum: 1, default: 2),
    .real("a", 20, .nonNegative, "a: depth of the outer term (f* = 0 at the origin needs a ≥ 0)"),
    .real("b", 0.2, .positive, "b: decay of the outer term"),
    .real("c", 2 * Double.pi, .finite, "c: frequency of the cosine term"),
  ]

  public let dimension: Int
  let a: Double, b: Double, c: Double
  public let domain: Box
  public let minima: KnownMinima

  public init(_ p: Parameters) throws(Diagnostic) {
    dimension = p.integer("dim")
    a = p.real("a")
    b = p.real("b")
    c = p.real("c")
    domain = Box(-32.768, 32.768, dimension: dimension)
    minima = KnownMinima(value: 0, global: [[Double](repeating: 0, count: dimension)])
  }

  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let d = Double(x.count)
    var squares = 0.0
    var cosines = 0.0
    for i in 0..<x.count {
      squares += x[i] * x[i]
      let (s, cosine) = sinCos(c * x[i])
      cosines += cosine
      g[i] = s  // sin(c·xᵢ), until the second pass
    }
    let r = (squares / d).squareRoot()
    let outer = exp(-b * r)
    let inner = exp(cosines / d)
    // d/dxᵢ of −a·exp(−b r) is a·b·exp(−b r)·xᵢ/(d·r); at r = 0 the limit along any ray differs, so 0 by definition.
    let radial = r > 0 ? a * b * outer / (d * r) : 0
    let angular = c / d * inner
    for i in 0..<x.count {
      g[i] = radial * x[i] + angular * g[i]
    }
    // Grouped so that the origin gives exactly 0 = f* (exp(0) is 1 and exp(1) is e, both exactly): written as
    // −a·outer − inner + a + e, the rounding left 4.4e-16 there, a floor no target below it could pass.
    return -a * expm1(-b * r) + (M_E - inner)
  }
}
