/// Booth's function, a convex 2-D quadratic with correlated coordinates.
///
/// ```
/// f(x, y) = (x + 2y − 7)² + (2x + y − 5)²
/// ```
/// Global minimum f* = 0 at (1, 3). Domain [−10, 10]².
///
/// Reference: Jamil & Yang (2013), *A literature survey of benchmark functions*, #17.
public struct Booth: Objective {
  public static let name = "booth"
  public static let formula = "(x + 2y − 7)² + (2x + y − 5)²"
  public static let reference = "Jamil & Yang (2013) #17"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-10, 10, dimension: 2)
  public let minima = KnownMinima(value: 0, global: [[1, 3]])

  public init(_ p: Parameters) throws(Diagnostic) {}

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let u = p[0] + 2 * p[1] - 7
    let v = 2 * p[0] + p[1] - 5
    g[0] = 2 * u + 4 * v
    g[1] = 4 * u + 2 * v
    return u * u + v * v
  }
}
