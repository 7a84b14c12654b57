import Foundation

/// Binary logistic regression on generated data, optionally L2-regularised: a finite sum.
///
/// ```
/// f(w) = (1/n) Σᵢ log(1 + exp(−sᵢ·xᵢ·w)) + (λ/2)‖w‖²,   sᵢ ∈ {−1, +1}
/// ∇f(w) = −(1/n) Σᵢ sᵢ·σ(−sᵢ·xᵢ·w)·xᵢ + λw
/// ```
/// The cross-entropy of a Bernoulli likelihood. Labels come from a planted w₀ (sᵢ = sign(xᵢ·w₀)), each
/// flipped with probability `label_noise`. f* and w* come from Newton's method run to machine precision at
/// construction. Without a penalty on separable data the infimum is 0 and not attained: f* is then
/// reported as unknown, and the function says so, rather than pretending.
///
/// Reference: Bishop, *Pattern Recognition and Machine Learning* (2006), §4.3.2–4.3.3.
public struct Logistic: FiniteSumObjective {
  public static let name = "logistic"
  public static let formula = "(1/n) Σ log(1 + exp(−sᵢ xᵢ·w)) + (λ/2)‖w‖²"
  public static let reference = "Bishop (2006) §4.3.2–4.3.3"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  public static let parameters: [ParameterSpec] = [
    .samples(1000),
    .integer("dim", 10, 1...2000, "d, the number of features"),
    .real("label_noise", 0.1, NumericRange(lower: 0, upper: 0.5), "probability that a label is flipped"),
    .real("condition", 1, .atLeast(1), "κ, the condition number of the feature covariance (no effect at dim 1)"),
    .real("l2", 0, .nonNegative, "λ, the L2 penalty"),
    .dataSeed(),
  ]
  public static let notes: String? = "finite sum: takes batch_size and sampling; f* unknown when l2 = 0 and the data are separable"

  public let dimension: Int
  public let sampleCount: Int
  let data: SyntheticData
  /// The labels sᵢ ∈ {−1, +1}.
  let labels: [Double]
  let l2: Double
  public private(set) var domain: Box
  public private(set) var minima = KnownMinima.unknown
  public private(set) var optimumNote: String?

  public init(_ p: Parameters) throws(Diagnostic) {
    let n = p.integer("samples"), d = p.integer("dim")
    var rng: SplitMix64
    (data, rng) = try SyntheticData.design(for: Self.name, p)
    let planted = (0..<d).map { _ in rng.normal() }
    let flip = p.real("label_noise")
    let features = data.features
    labels = (0..<n).map { i in
      var margin = 0.0
      for j in 0..<d { margin += features[i * d + j] * planted[j] }
      let s: Double = margin >= 0 ? 1 : -1
      return rng.nextUnit() < flip ? -s : s
    }
    l2 = p.real("l2")
    dimension = d
    sampleCount = n
    domain = Box(-5, 5, dimension: d)
    if let w = newtonMinimizer() {
      minima = KnownMinima(value: value(at: w), global: [w])
      domain = boxAround(w, dimension: d)
    } else {
      optimumNote = l2 == 0
        ? "the data are linearly separable and l2 = 0: the loss has no minimum (its infimum 0 is not attained), so f* is unknown"
        : "the exact Newton solve did not converge (l2 = \(NumberText.readable(l2)) is too small beside the data's curvature), so f* is unknown"
      minima = .unknown
    }
  }

  /// log(1 + exp(z)) without overflow.
  @inline(__always) static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }
  /// σ(z) = 1 / (1 + exp(−z)) without overflow.
  @inline(__always) static func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
  }

  public func evaluate(_ w: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let n = sampleCount, d = dimension
    for j in 0..<d { g[j] = 0 }
    var sum = 0.0
    data.features.withUnsafeBufferPointer { x in
      for i in 0..<n {
        let row = i * d
        var m = 0.0
        for j in 0..<d { m += x[row + j] * w[j] }
        let z = -labels[i] * m
        sum += Self.softplus(z)
        let c = -labels[i] * Self.sigmoid(z)
        for j in 0..<d { g[j] += c * x[row + j] }
      }
    }
    var penalty = 0.0
    for j in 0..<d {
      g[j] = g[j] / Double(n) + l2 * w[j]
      penalty += w[j] * w[j]
    }
    return sum / Double(n) + 0.5 * l2 * penalty
  }

  public func batchGradient(_ w: UnsafeBufferPointer<Double>, batch: UnsafeBufferPointer<Int>, gradient g: UnsafeMutableBufferPointer<Double>) {
    let d = dimension
    for j in 0..<d { g[j] = 0 }
    data.features.withUnsafeBufferPointer { x in
      for i in batch {
        let row = i * d
        var m = 0.0
        for j in 0..<d { m += x[row + j] * w[j] }
        let c = -labels[i] * Self.sigmoid(-labels[i] * m)
        for j in 0..<d { g[j] += c * x[row + j] }
      }
    }
    let b = Double(batch.count)
    for j in 0..<d { g[j] = g[j] / b + l2 * w[j] }
  }

  /// Newton's method from w = 0 to machine precision; `nil` when the loss has no minimum (without a
  /// penalty on separable data the loss tends to 0 as ‖w‖ grows).
  func newtonMinimizer() -> [Double]? {
    let n = sampleCount, d = dimension
    let result = LinearAlgebra.newtonMinimize(start: [Double](repeating: 0, count: d), evaluate: { evaluate($0) }) { w in
      var hessian = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
      for i in 0..<n {
        let row = i * d
        var m = 0.0
        for j in 0..<d { m += data.features[row + j] * w[j] }
        let s = Self.sigmoid(m)
        let weight = s * (1 - s) / Double(n)
        for j in 0..<d { for k in 0...j { hessian[j][k] += weight * data.features[row + j] * data.features[row + k] } }
      }
      for j in 0..<d {
        for k in 0..<j { hessian[k][j] = hessian[j][k] }
        hessian[j][j] += l2
      }
      return hessian
    }
    if l2 == 0, result.value <= 1e-9 || maxAbs(result.point) > 1e4 { return nil }  // separable: the infimum 0 is not attained
    return result.gradient <= LinearAlgebra.newtonConverged ? result.point : nil
  }

  func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
}
