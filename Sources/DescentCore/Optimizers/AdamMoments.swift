/// What Adam, AdamW, NAdam and RAdam share, as torch writes it for each: β₁ and β₂, eps, weight decay
/// added to the gradient or decoupled (AdamW's x ← x·(1 − lr·wd)), and the two moment updates
/// m ← m + (1−β₁)(g − m), v ← β₂v + (1−β₂)g². Each rule's own step is what it does with m and v.
struct AdamMoments: Sendable {
  let beta1: Double
  let beta2: Double
  let eps: Double
  let weightDecay: Double
  /// Weight decay as `x ← x·(1 − lr·wd)` before the step (AdamW, torch's `decoupled_weight_decay`) rather
  /// than added to the gradient.
  let decoupled: Bool

  init(_ p: Parameters, decoupled: Bool) {
    (beta1, beta2) = p.pair("betas")
    eps = p.real("eps")
    weightDecay = p.real("weight_decay")
    self.decoupled = decoupled
  }

  /// The gradient the moments see for coordinate `x` at this step: g + wd·x, or, decoupled, g itself
  /// after x is scaled by `decay` (1 − lr·wd).
  @inline(__always)
  func gradient(_ g: Double, _ x: inout Double, decay: Double) -> Double {
    guard weightDecay != 0 else { return g }
    if decoupled {
      x *= decay
      return g
    }
    return Torch.add(g, x, alpha: weightDecay)
  }

  /// Updates the first moment `m` and the second `v` with gradient `g`.
  @inline(__always)
  func update(_ m: inout Double, _ v: inout Double, _ g: Double) {
    m = Torch.lerp(m, g, weight: 1 - beta1)
    v = Torch.addcmul(v * beta2, g, g, value: 1 - beta2)
  }
}
