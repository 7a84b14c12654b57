/// Beale's function, a flat-bottomed 2-D valley with steep walls.
///
/// ```
/// f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
/// ```
/// Global minimum f* = 0 at (3, 0.5). Domain [−4.5, 4.5]².
///
/// Reference: Beale (1958); Jamil & Yang (2013), *A literature survey of benchmark functions*, #10.
public struct Beale: Objective {
  public static let name = "beale"
  public static let formula = "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
  public static let reference = "Beale (1958); Jamil & Yang (2013) #10"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-4.5, 4.5, dimension: 2)
  public let minima = KnownMinima(value: 0, global: [[3, 0.5]])

  public init(_ p: Parameters) throws(Diagnostic) {}

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    let y2 = y * y, y3 = y2 * y
    let t1 = 1.5 - x + x * y
    let t2 = 2.25 - x + x * y2
    let t3 = 2.625 - x + x * y3
    g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1)
    g[1] = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y2
    return t1 * t1 + t2 * t2 + t3 * t3
  }
}
