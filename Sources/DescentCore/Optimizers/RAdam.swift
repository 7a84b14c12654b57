import Foundation

/// RAdam: Adam whose adaptive step is switched on only once the variance of v is tractable.
///
/// ```
/// g ← ∇f(x) + wd·x   (with decoupled_weight_decay instead x ← x·(1 − lr·wd), as AdamW)
/// m ← m + (1−β₁)(g − m),   v ← β₂v + (1−β₂)g²,   m̂ = m / (1−β₁ᵗ)
/// ρ∞ = 2/(1−β₂) − 1,   ρₜ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ)
/// ρₜ > 5:  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),  x ← x − m̂·lr·√(1−β₂ᵗ)/(√v + eps)·r
/// else:    x ← x − m̂·lr
/// ```
/// Reference: `torch.optim.RAdam`; Liu et al. (2020), *On the Variance of the Adaptive Learning Rate*, ICLR.
public struct RAdam: Optimizer {
  public static let name = "radam"
  public static let isCoordinatewise = true
  public static let rule = "ρₜ > 5: x ← x − lr·m̂·√(1−β₂ᵗ)/(√v + eps)·r(ρₜ); else x ← x − lr·m̂"
  public static let reference = "torch.optim.RAdam; Liu et al. (2020)"
  public static let parameters: [ParameterSpec] = [.lr(1e-3), .betas(0.9, 0.999), .eps(1e-8), .weightDecay(), .decoupledWeightDecay]

  let moments: AdamMoments
  /// Slots: m, then v.
  private var state: [Double] = []
  private var t = 0

  public init(_ p: Parameters) throws(Diagnostic) {
    moments = AdamMoments(p, decoupled: p.boolean("decoupled_weight_decay"))
  }

  public mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: 2 * dimension)
    t = 0
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let n = x.count
    let step = Double(t)
    let moments = self.moments, beta2 = moments.beta2
    let biasCorrection1 = 1 - pow(moments.beta1, step)
    let beta2Power = pow(beta2, step)
    let biasCorrection2 = 1 - beta2Power
    let rhoInfinity = 2 / (1 - beta2) - 1
    let rhoT = rhoInfinity - 2 * step * beta2Power / biasCorrection2
    let rectified = rhoT > 5
    let rectification = rectified
      ? pow((rhoT - 4) * (rhoT - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rhoT), 0.5) : 0
    let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
    let eps = moments.eps, decay = 1 - lr * moments.weightDecay
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        let g = moments.gradient(gradient[i], &x[i], decay: decay)
        moments.update(&s[i], &s[n + i], g)
        let corrected = s[i] / biasCorrection1
        let update: Double
        if rectified {
          // torch evaluates `c / tensor` as reciprocal(tensor) * c: two roundings, not one division.
          let adaptive = (1 / (s[n + i].squareRoot() + eps)) * biasCorrection2Sqrt
          update = corrected * lr * adaptive * rectification
        } else {
          update = corrected * lr
        }
        x[i] = Torch.add(x[i], update, alpha: -1)
      }
    }
  }
}
