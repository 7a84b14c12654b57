import Foundation

/// The seeds' non-convex example from d2l.ai §11.2.
///
/// ```
/// f(x) = x·cos(πx),   f′(x) = cos(πx) − πx·sin(πx)
/// ```
/// On its domain [−1, 2] it has a local minimum near x = −0.27385 (f ≈ −0.17860) and the global minimum
/// near x = 1.09041 (f ≈ −1.04672), both computed here to full precision by Newton's method.
/// **Unbounded below** outside the domain: |x·cos(πx)| grows without bound, so f* refers to the domain.
///
/// Reference: Zhang et al., *Dive into Deep Learning*, §11.2 (Convexity) and §12.1.
public struct XCos: Objective {
  public static let name = "xcos"
  public static let formula = "x·cos(πx)"
  public static let reference = "d2l.ai §11.2, §12.1"
  public static var dimensionRule: DimensionRule { .fixed(1) }
  public static let parameters: [ParameterSpec] = []
  public static let notes: String? = "unbounded below outside its domain [-1, 2]; f* is the minimum on the domain"

  public let dimension = 1
  public let domain = Box(-1, 2, dimension: 1)
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let global = LinearAlgebra.refineStationaryPoint(of: self, from: [1.09])
    let local = LinearAlgebra.refineStationaryPoint(of: self, from: [-0.27])
    minima = KnownMinima(
      value: value(at: global), global: [global], local: [Minimum(point: local, value: value(at: local))],
      unboundedBelow: true)
  }

  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let (s, c) = sinCos(Double.pi * x[0])
    g[0] = c - Double.pi * x[0] * s
    return x[0] * c
  }
}
