/// A pure saddle: unbounded below, no minimum.
///
/// ```
/// f(x, y) = x² − y²
/// ```
/// The origin is a stationary point but not a minimum. A deliberate test of saddle escape (a start with
/// y = 0 stays on the stable manifold) and of divergence handling (f → −∞). f* does not exist.
///
/// Reference: Dauphin et al. (2014), *Identifying and attacking the saddle point problem*, NeurIPS.
public struct Saddle: Objective {
  public static let name = "saddle"
  public static let formula = "x² − y²"
  public static let reference = "Dauphin et al. (2014)"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []
  public static let notes: String? = "unbounded below, no minimum: f* does not exist"

  public let dimension = 2
  public let domain = Box(-2, 2, dimension: 2)
  public let minima = KnownMinima.none

  public init(_ p: Parameters) throws(Diagnostic) {}

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    g[0] = 2 * p[0]
    g[1] = -2 * p[1]
    return p[0] * p[0] - p[1] * p[1]
  }
}
