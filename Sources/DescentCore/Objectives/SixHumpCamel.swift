/// The six-hump camel function: two global and four local minima.
///
/// ```
/// f(x, y) = (4 − 2.1x² + x⁴/3)·x² + xy + (−4 + 4y²)·y²
/// ```
/// Global minimum f* ≈ −1.0316284535 at ±(0.0898, −0.7127); local minima near ±(1.7036, −0.7961)
/// and ±(1.6071, 0.5687). Domain [−3, 3] × [−2, 2].
///
/// Reference: Dixon & Szegő (1978), *Towards Global Optimisation 2*; Jamil & Yang (2013) #158.
public struct SixHumpCamel: Objective {
  public static let name = "six-hump-camel"
  public static let formula = "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²"
  public static let reference = "Dixon & Szegő (1978); Jamil & Yang (2013) #158"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(lower: [-3, -2], upper: [3, 2])
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let global = [[0.0898, -0.7126], [-0.0898, 0.7126]].map { LinearAlgebra.refineStationaryPoint(of: self, from: $0) }
    let local = [[1.7036, -0.7961], [-1.7036, 0.7961], [1.6071, 0.5687], [-1.6071, -0.5687]].map {
      let point = LinearAlgebra.refineStationaryPoint(of: self, from: $0)
      return Minimum(point: point, value: value(at: point))
    }
    minima = KnownMinima(value: -1.0316284534898774, global: global, local: local)
  }

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    let x2 = x * x, y2 = y * y
    g[0] = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y
    g[1] = x - 8 * y + 16 * y2 * y
    return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2
  }
}
