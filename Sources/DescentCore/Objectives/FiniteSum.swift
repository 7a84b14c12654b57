import Foundation

/// An objective that is an average of per-sample losses, f(x) = (1/n) Σᵢ ℓᵢ(x) + r(x), so that a gradient
/// oracle can sample: SGD uses one ℓᵢ, minibatch SGD averages b of them (an unbiased estimate of ∇f).
///
/// `evaluate` is always the **full** objective, so curves from different batch sizes are comparable.
public protocol FiniteSumObjective: Objective {
  /// n, the number of per-sample losses.
  var sampleCount: Int { get }
  /// Writes (1/b) Σ_{i ∈ batch} ∇ℓᵢ(x) + ∇r(x) into `gradient`, b = `batch.count`. O(b·d); allocates nothing.
  func batchGradient(_ x: UnsafeBufferPointer<Double>, batch: UnsafeBufferPointer<Int>, gradient: UnsafeMutableBufferPointer<Double>)
  /// A note for `descent list` and summaries when f* could not be determined (separable data).
  var optimumNote: String? { get }
}

extension FiniteSumObjective {
  public var optimumNote: String? { nil }
}

/// Synthetic data, generated deterministically from `data_seed` so that no files need shipping.
struct SyntheticData {
  /// Features, row-major n × d.
  var features: [Double]
  var samples: Int
  var dimension: Int

  /// Gaussian features, column j scaled by κ^(−j/(2(d−1))) so that XᵀX/n has condition number ≈ κ.
  static func gaussian(samples n: Int, dimension d: Int, condition: Double, rng: inout SplitMix64) -> SyntheticData {
    let scales = (0..<d).map { j in d == 1 ? 1.0 : pow(condition, -Double(j) / Double(2 * (d - 1))) }
    var features = [Double](repeating: 0, count: n * d)
    for i in 0..<n { for j in 0..<d { features[i * d + j] = rng.normal() * scales[j] } }
    return SyntheticData(features: features, samples: n, dimension: d)
  }

  static func generator(_ name: String, seed: Int) -> SplitMix64 {
    SplitMix64(seed: stableHash("\(name)#data_seed=\(seed)"))
  }

  /// The design of a finite-sum objective from its `samples`, `dim`, `condition` and `data_seed`
  /// parameters, and the generator, positioned after it, that draws the rest of its data.
  static func design(for name: String, _ p: Parameters) throws(Diagnostic) -> (SyntheticData, SplitMix64) {
    let n = p.integer("samples"), d = p.integer("dim")
    guard n.multipliedReportingOverflow(by: d).partialValue <= 50_000_000 else {
      throw Diagnostic(path: "samples", "samples × dim must be at most 50,000,000 (the data are held in memory), got \(n) × \(d)")
    }
    var rng = generator(name, seed: p.integer("data_seed"))
    let data = gaussian(samples: n, dimension: d, condition: p.real("condition"), rng: &rng)
    return (data, rng)
  }
}

/// A box for random starts: [−5, 5]^d widened to hold the minimiser with a margin.
func boxAround(_ point: [Double]?, dimension: Int) -> Box {
  guard let point else { return Box(-5, 5, dimension: dimension) }
  return Box(lower: point.map { min(-5, $0 - 1) }, upper: point.map { max(5, $0 + 1) })
}

extension ParameterSpec {
  static func samples(_ n: Int) -> ParameterSpec { .integer("samples", n, 1...10_000_000, "n, the number of samples") }
  static func dataSeed() -> ParameterSpec { .integer("data_seed", 0, 0...Int(Int32.max), "seed of the generated data") }
}
