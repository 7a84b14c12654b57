/// The three-hump camel function: one global and two local minima.
///
/// ```
/// f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y²
/// ```
/// Global minimum f* = 0 at (0, 0); local minima near ±(1.7476, −0.8738) with f ≈ 0.2986.
/// Domain [−5, 5]².
///
/// Reference: Jamil & Yang (2013), *A literature survey of benchmark functions*, #29.
public struct ThreeHumpCamel: Objective {
  public static let name = "three-hump-camel"
  public static let formula = "2x² − 1.05x⁴ + x⁶/6 + xy + y²"
  public static let reference = "Jamil & Yang (2013) #29"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-5, 5, dimension: 2)
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let local = [[1.7476, -0.8738], [-1.7476, 0.8738]].map {
      let point = LinearAlgebra.refineStationaryPoint(of: self, from: $0)
      return Minimum(point: point, value: value(at: point))
    }
    minima = KnownMinima(value: 0, global: [[0, 0]], local: local)
  }

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    let x2 = x * x
    g[0] = 4 * x - 4.2 * x2 * x + x2 * x2 * x + y
    g[1] = x + 2 * y
    return 2 * x2 - 1.05 * x2 * x2 + x2 * x2 * x2 / 6 + x * y + y * y
  }
}
