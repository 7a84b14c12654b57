import Foundation

/// Adam: bias-corrected moving averages of the gradient and its square, with optional AMSGrad.
///
/// ```
/// g ← ∇f(x) + wd·x
/// m ← m + (1−β₁)(g − m)
/// v ← β₂v + (1−β₂)g²
/// v̂ ← max(v̂, v)                                    (amsgrad; v̂ replaces v below)
/// x ← x − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps)
/// ```
/// β₁ᵗ and β₂ᵗ are computed with `pow` every step, as torch does; a running product drifts in the last bits.
///
/// Reference: `torch.optim.Adam`; Kingma & Ba (2015), ICLR; Reddi, Kale & Kumar (2018) for AMSGrad.
/// See also: `AdamW` (decoupled weight decay), `NAdam`, `RAdam`.
public struct Adam: Optimizer {
  public static let name = "adam"
  public static let isCoordinatewise = true
  public static let rule = "m ← m + (1−β₁)(g−m); v ← β₂v + (1−β₂)g²; x ← x − lr/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + eps)"
  public static let reference = "torch.optim.Adam; Kingma & Ba (2015); Reddi et al. (2018)"
  public static let parameters: [ParameterSpec] = hyperparameters(weightDecay: .weightDecay())

  static func hyperparameters(weightDecay: ParameterSpec) -> [ParameterSpec] {
    [.lr(1e-3), .betas(0.9, 0.999), .eps(1e-8), weightDecay, .boolean("amsgrad", false, "use the running maximum of v (AMSGrad)")]
  }

  let moments: AdamMoments
  let amsgrad: Bool
  /// Slots: m, v, then v̂ (amsgrad).
  private var state: [Double] = []
  private var t = 0

  public init(_ p: Parameters) throws(Diagnostic) {
    self.init(p, decoupled: false)
  }

  init(_ p: Parameters, decoupled: Bool) {
    moments = AdamMoments(p, decoupled: decoupled)
    amsgrad = p.boolean("amsgrad")
  }

  public mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: (amsgrad ? 3 : 2) * dimension)
    t = 0
  }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let n = x.count
    let step = Double(t)
    let (moments, amsgrad) = (self.moments, self.amsgrad)
    let biasCorrection1 = 1 - pow(moments.beta1, step)
    let biasCorrection2 = 1 - pow(moments.beta2, step)
    let stepSize = lr / biasCorrection1
    let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
    let eps = moments.eps, decay = 1 - lr * moments.weightDecay
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        let g = moments.gradient(gradient[i], &x[i], decay: decay)
        moments.update(&s[i], &s[n + i], g)
        let second: Double
        if amsgrad {
          s[2 * n + i] = Torch.maximum(s[2 * n + i], s[n + i])
          second = s[2 * n + i]
        } else {
          second = s[n + i]
        }
        let denom = second.squareRoot() / biasCorrection2Sqrt + eps
        x[i] = Torch.addcdiv(x[i], s[i], denom, value: -stepSize)
      }
    }
  }
}

/// AdamW: Adam with decoupled weight decay.
///
/// ```
/// x ← x·(1 − lr·wd)
/// then the Adam step on the plain gradient
/// ```
/// Reference: `torch.optim.AdamW`; Loshchilov & Hutter (2019), ICLR.
public struct AdamW: Optimizer {
  public static let name = "adamw"
  public static let isCoordinatewise = true
  public static let rule = "x ← x·(1 − lr·wd); then Adam on the plain gradient"
  public static let reference = "torch.optim.AdamW; Loshchilov & Hutter (2019)"
  public static let parameters: [ParameterSpec] = Adam.hyperparameters(weightDecay: .weightDecay(1e-2, decoupled: true))

  private var adam: Adam

  public init(_ p: Parameters) throws(Diagnostic) {
    adam = Adam(p, decoupled: true)
  }

  public mutating func reset(dimension: Int) { adam.reset(dimension: dimension) }

  public mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate: Double) {
    adam.step(x, gradient: gradient, learningRate: learningRate)
  }
}
