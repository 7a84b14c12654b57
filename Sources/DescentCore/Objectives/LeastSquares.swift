import Foundation

/// Linear least squares on generated data, optionally ridge-regularised: a finite sum.
///
/// ```
/// f(w) = (1/n)·½‖Xw − y‖² + (λ/2)‖w‖² = (1/n) Σᵢ ½(xᵢ·w − yᵢ)² + (λ/2)‖w‖²
/// ∇f(w) = (1/n) Xᵀ(Xw − y) + λw
/// ```
/// X has Gaussian features scaled so that XᵀX/n has condition number ≈ `condition`; y = Xw₀ + σε with a
/// planted w₀. The squared error is the negative log-likelihood of Gaussian noise, and the ridge term an
/// L2 penalty (the seeds' ‖Wx − b‖² + λ‖x‖²). w* and f* come from the exact normal-equation solve:
/// Cholesky on XᵀX/n + λI.
///
/// Reference: Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning* (2009), §3.2 and §3.4.1.
public struct LeastSquares: FiniteSumObjective {
  public static let name = "least-squares"
  public static let formula = "(1/2n)‖Xw − y‖² + (λ/2)‖w‖²"
  public static let reference = "Hastie, Tibshirani & Friedman (2009) §3.2, §3.4.1"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  public static let parameters: [ParameterSpec] = [
    .samples(1000),
    .integer("dim", 10, 1...2000, "d, the number of features"),
    .real("noise", 0.1, .nonNegative, "σ, the standard deviation of the label noise"),
    .real("condition", 1, .atLeast(1), "κ, the condition number of the design XᵀX/n (no effect at dim 1)"),
    .real("ridge", 0, .nonNegative, "λ, the ridge (L2) penalty"),
    .dataSeed(),
  ]
  public static let notes: String? = "finite sum: takes batch_size and sampling"

  public let dimension: Int
  public let sampleCount: Int
  let data: SyntheticData
  let targets: [Double]
  let ridge: Double
  public let domain: Box
  public private(set) var minima = KnownMinima.unknown  // until init sets it

  public init(_ p: Parameters) throws(Diagnostic) {
    let n = p.integer("samples"), d = p.integer("dim")
    var rng: SplitMix64
    (data, rng) = try SyntheticData.design(for: Self.name, p)
    let planted = (0..<d).map { _ in rng.normal() }
    let sigma = p.real("noise")
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var s = 0.0
      for j in 0..<d { s += data.features[i * d + j] * planted[j] }
      y[i] = s + sigma * rng.normal()
    }
    targets = y
    ridge = p.real("ridge")
    dimension = d
    sampleCount = n

    // Normal equations: (XᵀX/n + λI) w = Xᵀy/n.
    var gram = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    var rhs = [Double](repeating: 0, count: d)
    for i in 0..<n {
      let row = i * d
      for j in 0..<d {
        let xj = data.features[row + j]
        rhs[j] += xj * y[i]
        for k in 0...j { gram[j][k] += xj * data.features[row + k] }
      }
    }
    for j in 0..<d {
      rhs[j] /= Double(n)
      for k in 0...j {
        gram[j][k] /= Double(n)
        gram[k][j] = gram[j][k]
      }
      gram[j][j] += ridge
    }
    // Fewer samples than dimensions: XᵀX/n has rank n < d and the minimisers form a subspace. Its Cholesky
    // factorisation can still pass on pivots that are only rounding error, and give an arbitrary w* of them.
    if ridge == 0, n < d {
      throw Diagnostic(path: "samples", "with \(n) samples in \(d) dimensions and no ridge penalty the least-squares minimiser is not unique (XᵀX/n is singular); use at least as many samples as dimensions, or a ridge penalty")
    }
    guard let factor = LinearAlgebra.cholesky(gram) else {
      throw Diagnostic(path: "samples", "XᵀX/n + λI is singular; use more samples than dimensions, or a ridge penalty")
    }
    let wStar = LinearAlgebra.choleskySolve(factor, rhs)
    domain = boxAround(wStar, dimension: d)
    minima = KnownMinima(value: 0, global: [wStar])
    minima.value = value(at: wStar)
    // Labels near the float64 range (σ of 1e154 and more) leave the squared residuals, and so f, infinite
    // or NaN: there is no minimum to report, nor a run to measure against it.
    guard minima.value!.isFinite, wStar.allSatisfy(\.isFinite) else {
      throw Diagnostic(path: "noise", "with label noise σ = \(NumberText.readable(sigma)) the squared residuals overflow float64, so f (\(NumberText.readable(minima.value!)) at the minimiser) cannot be evaluated; use a smaller noise")
    }
  }

  public func evaluate(_ w: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let n = sampleCount, d = dimension
    for j in 0..<d { g[j] = 0 }
    var sum = 0.0
    data.features.withUnsafeBufferPointer { x in
      for i in 0..<n {
        let row = i * d
        var r = -targets[i]
        for j in 0..<d { r += x[row + j] * w[j] }
        sum += r * r
        for j in 0..<d { g[j] += r * x[row + j] }
      }
    }
    var penalty = 0.0
    for j in 0..<d {
      g[j] = g[j] / Double(n) + ridge * w[j]
      penalty += w[j] * w[j]
    }
    return 0.5 * sum / Double(n) + 0.5 * ridge * penalty
  }

  public func batchGradient(_ w: UnsafeBufferPointer<Double>, batch: UnsafeBufferPointer<Int>, gradient g: UnsafeMutableBufferPointer<Double>) {
    let d = dimension
    for j in 0..<d { g[j] = 0 }
    data.features.withUnsafeBufferPointer { x in
      for i in batch {
        let row = i * d
        var r = -targets[i]
        for j in 0..<d { r += x[row + j] * w[j] }
        for j in 0..<d { g[j] += r * x[row + j] }
      }
    }
    let b = Double(batch.count)
    for j in 0..<d { g[j] = g[j] / b + ridge * w[j] }
  }
}
