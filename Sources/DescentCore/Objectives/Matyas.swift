/// The Matyas function: a flat, convex, correlated bowl.
///
/// ```
/// f(x, y) = 0.26(x² + y²) − 0.48xy
/// ```
/// Global minimum f* = 0 at (0, 0). Domain [−10, 10]².
///
/// Reference: Jamil & Yang (2013), *A literature survey of benchmark functions*, #71.
public struct Matyas: Objective {
  public static let name = "matyas"
  public static let formula = "0.26(x² + y²) − 0.48xy"
  public static let reference = "Jamil & Yang (2013) #71"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-10, 10, dimension: 2)
  public let minima = KnownMinima(value: 0, global: [[0, 0]])

  public init(_ p: Parameters) throws(Diagnostic) {}

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    g[0] = 0.52 * x - 0.48 * y
    g[1] = 0.52 * y - 0.48 * x
    return 0.26 * (x * x + y * y) - 0.48 * x * y
  }
}
