/// The Goldstein–Price function: a steep landscape with several local minima.
///
/// ```
/// f(x, y) = [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
///         · [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]
/// ```
/// Global minimum f* = 3 at (0, −1); local minima near (−0.6, −0.4) (f = 30), (1.8, 0.2) (f = 84) and
/// (1.2, 0.8) (f = 840). Domain [−2, 2]².
///
/// Reference: Goldstein & Price (1971), *Mathematics of Computation* 25; Jamil & Yang (2013) #58.
public struct GoldsteinPrice: Objective {
  public static let name = "goldstein-price"
  public static let formula = "[1 + (x+y+1)²(19−14x+3x²−14y+6xy+3y²)]·[30 + (2x−3y)²(18−32x+12x²+48y−36xy+27y²)]"
  public static let reference = "Goldstein & Price (1971); Jamil & Yang (2013) #58"
  public static var dimensionRule: DimensionRule { .fixed(2) }
  public static let parameters: [ParameterSpec] = []

  public let dimension = 2
  public let domain = Box(-2, 2, dimension: 2)
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let local = [[-0.6, -0.4], [1.8, 0.2], [1.2, 0.8]].map {
      let point = LinearAlgebra.refineStationaryPoint(of: self, from: $0)
      return Minimum(point: point, value: value(at: point))
    }
    minima = KnownMinima(value: 3, global: [[0, -1]], local: local)
  }

  public func evaluate(_ p: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let x = p[0], y = p[1]
    let s = x + y + 1
    let poly1 = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y
    let a = 1 + s * s * poly1
    let dPoly1 = -14 + 6 * x + 6 * y  // ∂/∂x and ∂/∂y of poly1 coincide
    let daSame = 2 * s * poly1 + s * s * dPoly1

    let t = 2 * x - 3 * y
    let poly2 = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y
    let b = 30 + t * t * poly2
    let dbdx = 4 * t * poly2 + t * t * (-32 + 24 * x - 36 * y)
    let dbdy = -6 * t * poly2 + t * t * (48 - 36 * x + 54 * y)

    g[0] = daSame * b + a * dbdx
    g[1] = daSame * b + a * dbdy
    return a * b
  }
}
