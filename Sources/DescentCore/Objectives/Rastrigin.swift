import Foundation

/// Rastrigin's function: a bowl covered in a regular grid of local minima, in any dimension.
///
/// ```
/// f(x) = A·d + Σᵢ (xᵢ² − A·cos(2πxᵢ))
/// ```
/// Global minimum f* = 0 at the origin; local minima near every integer point (too many to list).
/// Domain [−5.12, 5.12]^d.
///
/// Reference: Rastrigin (1974); Mühlenbein et al. (1991).
public struct Rastrigin: Objective {
  public static let name = "rastrigin"
  public static let formula = "A·d + Σ (xᵢ² − A·cos(2πxᵢ))"
  public static let reference = "Rastrigin (1974); Mühlenbein et al. (1991)"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  public static let parameters: [ParameterSpec] = [
    DimensionRule.dimParameter(minimum: 1, default: 2),
    .real("a", 10, .nonNegative, "A: amplitude of the cosine ripples"),
  ]
  public static let notes: String? = "local minima near every integer point; not listed"

  public let dimension: Int
  let amplitude: Double
  public let domain: Box
  public let minima: KnownMinima

  public init(_ p: Parameters) throws(Diagnostic) {
    dimension = p.integer("dim")
    amplitude = p.real("a")
    domain = Box(-5.12, 5.12, dimension: dimension)
    minima = KnownMinima(value: 0, global: [[Double](repeating: 0, count: dimension)])
  }

  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let twoPi = 2 * Double.pi
    var f = amplitude * Double(x.count)
    for i in 0..<x.count {
      let (s, c) = sinCos(twoPi * x[i])
      f += x[i] * x[i] - amplitude * c
      g[i] = 2 * x[i] + amplitude * twoPi * s
    }
    return f
  }
}
