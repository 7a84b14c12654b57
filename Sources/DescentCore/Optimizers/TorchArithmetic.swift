/// The elementwise operations of torch's CPU kernels, with torch's rounding.
///
/// torch fuses `add_(t, alpha)`, `addcmul_` and `lerp_` into one fused multiply-add on float64 CPU
/// tensors; `addcdiv_` and everything else round after every operation. Swift never contracts `a*b + c`
/// on its own, so the fused places are written out here and nowhere else.
enum Torch {
  /// `self.add_(other, alpha=alpha)`: self + alpha·other, one rounding.
  @inline(__always) static func add(_ base: Double, _ other: Double, alpha: Double) -> Double {
    base.addingProduct(alpha, other)
  }

  /// `self.addcmul_(t1, t2, value=value)`: self + (value·t1)·t2, the last two fused.
  @inline(__always) static func addcmul(_ base: Double, _ t1: Double, _ t2: Double, value: Double) -> Double {
    base.addingProduct(value * t1, t2)
  }

  /// `self.addcdiv_(t1, t2, value=value)`: self + (value·t1)/t2, every operation rounded.
  @inline(__always) static func addcdiv(_ base: Double, _ t1: Double, _ t2: Double, value: Double) -> Double {
    base + value * t1 / t2
  }

  /// `self.lerp_(end, weight)`: torch switches formula at weight 0.5 for accuracy, fused either way.
  @inline(__always) static func lerp(_ base: Double, _ end: Double, weight: Double) -> Double {
    let difference = end - base
    return abs(weight) < 0.5 ? base.addingProduct(weight, difference) : end.addingProduct(weight - 1, difference)
  }

  /// `torch.maximum`: NaN if either argument is NaN.
  @inline(__always) static func maximum(_ a: Double, _ b: Double) -> Double {
    a.isNaN || b.isNaN ? .nan : (a > b ? a : b)
  }

  /// `torch.sign` (and `sgn` on reals) as ATen's CPU kernel computes it, `(0 < x) − (x < 0)`: −1 or 1, and +0 for
  /// ±0 and for NaN (both comparisons false), so a NaN momentum (∞ − ∞ after the gradient overflowed) moves
  /// nothing, as in torch, rather than making x NaN.
  @inline(__always) static func sign(_ x: Double) -> Double {
    x > 0 ? 1 : (x < 0 ? -1 : 0)
  }
}
