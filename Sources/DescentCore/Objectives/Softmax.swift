import Foundation

/// Multinomial logistic (softmax) regression with k classes on generated data: a finite sum.
///
/// ```
/// f(W) = (1/n) Σᵢ [log Σ_c exp(zᵢ꜀) − zᵢ,yᵢ] + (λ/2)‖W‖²,   zᵢ = xᵢᵀW,  W ∈ ℝ^{d×k}
/// ∇f(W) = (1/n) Σᵢ xᵢ (softmax(zᵢ) − e_yᵢ)ᵀ + λW
/// ```
/// The cross-entropy of a categorical likelihood; the point has d·k coordinates, W's rows in order
/// (coordinate j·k + c is feature j of class c). Labels are the argmax class under planted weights, each
/// replaced with probability `label_noise` by a uniformly drawn other class. With λ > 0, W* and f* come from
/// Newton's method to machine precision at construction. Without a penalty the minimiser is not unique
/// (adding the same vector to every class's weights changes nothing), and on separable data there is no
/// minimum at all: f* is then reported as unknown.
///
/// Reference: Bishop, *Pattern Recognition and Machine Learning* (2006), §4.3.4.
public struct Softmax: FiniteSumObjective {
  public static let name = "softmax"
  public static let formula = "(1/n) Σ [logsumexp(xᵢᵀW) − (xᵢᵀW)_yᵢ] + (λ/2)‖W‖²"
  public static let reference = "Bishop (2006) §4.3.4"
  public static var dimensionRule: DimensionRule { .atLeast(2) }
  public static let parameters: [ParameterSpec] = [
    .samples(1000),
    .integer("dim", 5, 1...1000, "d, the number of features (the point has d × classes coordinates)"),
    .integer("classes", 3, 2...100, "k, the number of classes"),
    .real("label_noise", 0.1, NumericRange(lower: 0, upper: 1), "probability that a label is replaced by another class"),
    .real("condition", 1, .atLeast(1), "κ, the condition number of the feature covariance (no effect at dim 1)"),
    .real("l2", 0, .nonNegative, "λ, the L2 penalty (f* is computed when λ > 0, unless λ is too small for the exact solve, about 1e-14 and below)"),
    .dataSeed(),
  ]
  public static let notes: String? = "finite sum: takes batch_size and sampling; point = d × classes weights; f* known when l2 > 0 (not below about 1e-14, too small for the exact solve)"

  /// The exact solve costs n·(d·k)² per Newton iteration; above this f* is reported as unknown.
  static let newtonBudget = 2_000_000_000

  public let dimension: Int
  public let sampleCount: Int
  let features: Int
  let classes: Int
  let data: SyntheticData
  let labels: [Int]
  let l2: Double
  public private(set) var domain: Box
  public private(set) var minima = KnownMinima.unknown  // cross-entropy is never negative
  public private(set) var optimumNote: String?

  public init(_ p: Parameters) throws(Diagnostic) {
    let n = p.integer("samples"), d = p.integer("dim"), k = p.integer("classes")
    var rng: SplitMix64
    (data, rng) = try SyntheticData.design(for: Self.name, p)
    let planted = (0..<(d * k)).map { _ in rng.normal() }
    let noise = p.real("label_noise")
    let x = data.features
    labels = (0..<n).map { i in
      var best = 0, bestScore = -Double.infinity
      for c in 0..<k {
        var z = 0.0
        for j in 0..<d { z += x[i * d + j] * planted[j * k + c] }
        if z > bestScore { (best, bestScore) = (c, z) }
      }
      guard rng.nextUnit() < noise else { return best }
      return (best + 1 + Int(rng.next() % UInt64(k - 1))) % k
    }
    features = d
    classes = k
    l2 = p.real("l2")
    dimension = d * k
    sampleCount = n
    domain = Box(-5, 5, dimension: d * k)
    if l2 == 0 {
      optimumNote = "without l2 the minimiser is not unique (and on separable data there is none), so f* is unknown"
    } else if n.multipliedReportingOverflow(by: dimension * dimension).partialValue > Self.newtonBudget {
      optimumNote = "too large for the exact Newton solve (samples × (dim × classes)² > \(Self.newtonBudget)), so f* is unknown"
    } else {
      let result = LinearAlgebra.newtonMinimize(start: [Double](repeating: 0, count: dimension), evaluate: { evaluate($0) }, hessian: hessian)
      if result.gradient <= LinearAlgebra.newtonConverged {
        minima = KnownMinima(value: value(at: result.point), global: [result.point])
        domain = boxAround(result.point, dimension: dimension)
      } else {
        // Weights shifted alike for every class change no probability: along them only λ curves f, and a λ
        // lost to rounding beside the data's curvature leaves the Hessian singular.
        optimumNote = "the exact Newton solve did not converge (l2 = \(NumberText.readable(l2)) is too small beside the data's curvature: the Hessian is singular to rounding), so f* is unknown"
      }
    }
  }

  /// Class probabilities for sample i at W, into `p` (k entries); returns log Σ exp(z).
  @inline(__always)
  func probabilities(_ i: Int, _ w: UnsafeBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>, into p: UnsafeMutableBufferPointer<Double>) -> Double {
    let d = features, k = classes
    var top = -Double.infinity
    for c in 0..<k {
      var z = 0.0
      for j in 0..<d { z += x[i * d + j] * w[j * k + c] }
      p[c] = z
      top = max(top, z)
    }
    var total = 0.0
    for c in 0..<k {
      p[c] = exp(p[c] - top)
      total += p[c]
    }
    for c in 0..<k { p[c] /= total }
    return top + log(total)
  }

  /// Adds xᵢ(softmax(zᵢ) − e_yᵢ)ᵀ to g for each i in `samples`, and returns Σ loss.
  func accumulate<S: Sequence<Int>>(_ samples: S, _ w: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
    let d = features, k = classes
    var loss = 0.0
    withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { p in
      data.features.withUnsafeBufferPointer { x in
        for i in samples {
          let logNormalizer = probabilities(i, w, x, into: p)
          var zy = 0.0
          for j in 0..<d { zy += x[i * d + j] * w[j * k + labels[i]] }
          loss += logNormalizer - zy
          p[labels[i]] -= 1
          for j in 0..<d {
            let xij = x[i * d + j]
            for c in 0..<k { g[j * k + c] += xij * p[c] }
          }
        }
      }
    }
    return loss
  }

  public func evaluate(_ w: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    for j in 0..<dimension { g[j] = 0 }
    let loss = accumulate(0..<sampleCount, w, into: g)
    var penalty = 0.0
    for j in 0..<dimension {
      g[j] = g[j] / Double(sampleCount) + l2 * w[j]
      penalty += w[j] * w[j]
    }
    return loss / Double(sampleCount) + 0.5 * l2 * penalty
  }

  public func batchGradient(_ w: UnsafeBufferPointer<Double>, batch: UnsafeBufferPointer<Int>, gradient g: UnsafeMutableBufferPointer<Double>) {
    for j in 0..<dimension { g[j] = 0 }
    _ = accumulate(batch, w, into: g)
    let b = Double(batch.count)
    for j in 0..<dimension { g[j] = g[j] / b + l2 * w[j] }
  }

  /// (1/n) Σᵢ (diag(p) − ppᵀ) ⊗ xᵢxᵢᵀ + λI, indexed like the point.
  func hessian(_ w: [Double]) -> [[Double]] {
    let d = features, k = classes, m = dimension
    var h = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
    var p = [Double](repeating: 0, count: k)
    w.withUnsafeBufferPointer { wp in
      data.features.withUnsafeBufferPointer { x in
        p.withUnsafeMutableBufferPointer { pp in
          for i in 0..<sampleCount {
            _ = probabilities(i, wp, x, into: pp)
            for j in 0..<d {
              for l in 0...j {
                let xx = x[i * d + j] * x[i * d + l] / Double(sampleCount)
                for c in 0..<k {
                  for e in 0..<k {
                    h[j * k + c][l * k + e] += xx * ((c == e ? pp[c] : 0) - pp[c] * pp[e])
                  }
                }
              }
            }
          }
        }
      }
    }
    // Only feature blocks l ≤ j were filled; mirror them (diagonal blocks are already whole).
    for a in 0..<m {
      for b in 0..<m where b / k < a / k { h[b][a] = h[a][b] }
      h[a][a] += l2
    }
    return h
  }
}
