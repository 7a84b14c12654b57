/// Himmelblau's function: four global minima of equal value.
///
/// ```
/// f(x, y) = (x² + y − 11)² + (x + y² − 7)²
/// ```
/// Global minimum f* = 0 at (3, 2) and at three irrational points near (−2.805, 3.131),
/// (−3.779, −3.283) and (3.584, −1.848), refined here to full precision. Domain [−5, 5]².
///
/// Reference: Himmelblau (1972), *Applied Nonlinear Programming*.
public struct Himmelblau: Objective {
  public static let name = "himmelblau"
  public static let formula = "(x² + y − 11)² + (x + y² − 7)²"
  public static let reference = "Himmelblau (1972)"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-5, 5, dimension: 2)
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let approximate: [[Double]] = [[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    minima = KnownMinima(value: 0, global: approximate.map { LinearAlgebra.refineStationaryPoint(of: self, from: $0) })
  }

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    let u = x * x + y - 11
    let v = x + y * y - 7
    g[0] = 4 * x * u + 2 * v
    g[1] = 2 * u + 4 * y * v
    return u * u + v * v
  }
}
