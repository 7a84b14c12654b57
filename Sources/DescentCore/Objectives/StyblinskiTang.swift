/// The Styblinski–Tang function, separable with 2^d minima, in any dimension.
///
/// ```
/// f(x) = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ)
/// ```
/// Global minimum f* ≈ −39.16616570377142·d at xᵢ ≈ −2.903534027771177. Each coordinate also has a
/// local minimum near 2.7468; every other sign pattern is a local minimum (listed for d ≤ 3).
/// Domain [−5, 5]^d.
///
/// Reference: Styblinski & Tang (1990), *Neural Networks* 3(4).
public struct StyblinskiTang: Objective {
  public static let name = "styblinski-tang"
  public static let formula = "½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)"
  public static let reference = "Styblinski & Tang (1990)"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  public static let parameters: [ParameterSpec] = [DimensionRule.dimParameter(minimum: 1, default: 2)]

  public let dimension: Int
  public let domain: Box
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  /// The roots of 2x³ − 16x + 2.5 that are minima of the one-dimensional term.
  static let coordinateMinima: (global: Double, local: Double) = (newton(-2.9), newton(2.75))

  static func newton(_ start: Double) -> Double {
    var x = start
    for _ in 0..<100 {
      let step = (2 * x * x * x - 16 * x + 2.5) / (6 * x * x - 16)
      x -= step
      if step == 0 { break }
    }
    return x
  }

  public init(_ p: Parameters) throws(Diagnostic) {
    let n = p.integer("dim")
    dimension = n
    domain = Box(-5, 5, dimension: n)
    let (low, high) = Self.coordinateMinima
    let term = 0.5 * (low * low * low * low - 16 * low * low + 5 * low)
    var local: [Minimum] = []
    if n <= 3 {
      for mask in 1..<(1 << n) {
        let point = (0..<n).map { mask & (1 << $0) != 0 ? high : low }
        local.append(Minimum(point: point, value: 0))
      }
    }
    var minima = KnownMinima(value: term * Double(n), global: [[Double](repeating: low, count: n)], local: local)
    self.minima = minima
    // Values as this function computes them at the minimisers: d times the one-coordinate term differs from
    // the sum in the last bits (−2.5e-10 at d = 1000), which would put x* below f*.
    minima.value = value(at: minima.global[0])
    for k in minima.local.indices { minima.local[k].value = value(at: minima.local[k].point) }
    self.minima = minima
  }

  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    var f = 0.0
    for i in 0..<x.count {
      let xi = x[i], x2 = xi * xi
      f += x2 * x2 - 16 * x2 + 5 * xi
      g[i] = 2 * x2 * xi - 16 * xi + 2.5
    }
    return 0.5 * f
  }
}
