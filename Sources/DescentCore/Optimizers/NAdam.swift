import Foundation

/// NAdam: Adam with Nesterov momentum and a momentum-decay schedule.
///
/// ```
/// g ← ∇f(x) + wd·x   (with decoupled_weight_decay instead x ← x·(1 − lr·wd), as AdamW)
/// μₜ = β₁(1 − ½·0.96^(t·ψ)),   Πμ ← Πμ·μₜ
/// m ← m + (1−β₁)(g − m),   v ← β₂v + (1−β₂)g²,   denom = √(v / (1−β₂ᵗ)) + eps
/// x ← x − lr(1−μₜ)/(1−Πμ) · g/denom − lr·μₜ₊₁/(1 − Πμ·μₜ₊₁) · m/denom
/// ```
/// Reference: `torch.optim.NAdam`; Dozat (2016), *Incorporating Nesterov Momentum into Adam*, ICLR workshop.
public struct NAdam: Optimizer {
  public static let name = "nadam"
  public static let isCoordinatewise = true
  public static let rule = "x ← x − lr(1−μₜ)/(1−Πμ)·g/denom − lr·μₜ₊₁/(1−Πμ·μₜ₊₁)·m/denom, μₜ = β₁(1 − ½·0.96^(tψ))"
  public static let reference = "torch.optim.NAdam; Dozat (2016)"
  public static let parameters: [ParameterSpec] = [
    .lr(2e-3), .betas(0.9, 0.999), .eps(1e-8), .weightDecay(),
    .real("momentum_decay", 4e-3, .nonNegative, "ψ: momentum decay"),
    .decoupledWeightDecay,
  ]

  let moments: AdamMoments
  let momentumDecay: Double
  /// Slots: m, then v.
  private var state: [Double] = []
  private var muProduct = 1.0
  private var t = 0

  public init(_ p: Parameters) throws(Diagnostic) {
    moments = AdamMoments(p, decoupled: p.boolean("decoupled_weight_decay"))
    momentumDecay = p.real("momentum_decay")
  }

  public mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: 2 * dimension)
    muProduct = 1
    t = 0
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let n = x.count
    let step = Double(t)
    let moments = self.moments, beta1 = moments.beta1
    let biasCorrection2 = 1 - pow(moments.beta2, step)
    let mu = beta1 * (1.0 - 0.5 * pow(0.96, step * momentumDecay))
    let muNext = beta1 * (1.0 - 0.5 * pow(0.96, (step + 1) * momentumDecay))
    muProduct *= mu
    let muProductNext = muProduct * muNext
    let gradientWeight = -lr * (1.0 - mu) / (1.0 - muProduct)
    let momentumWeight = -lr * muNext / (1.0 - muProductNext)
    let eps = moments.eps, decay = 1 - lr * moments.weightDecay
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        let g = moments.gradient(gradient[i], &x[i], decay: decay)
        moments.update(&s[i], &s[n + i], g)
        let denom = (s[n + i] / biasCorrection2).squareRoot() + eps
        x[i] = Torch.addcdiv(x[i], g, denom, value: gradientWeight)
        x[i] = Torch.addcdiv(x[i], s[i], denom, value: momentumWeight)
      }
    }
  }
}
