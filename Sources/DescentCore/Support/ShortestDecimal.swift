/// The shortest decimal that reads back as a given positive finite double, and of those the closest to it:
/// `significand × 10^exponent`, the significand without trailing zeros. These are the digits of
/// `Double.description`.
///
/// Schubfach (Giulietti, "The Schubfach way to render doubles", 2020; the algorithm of Java 19's
/// `Double.toString`, without Java's rule of at least two digits): the double's rounding interval is scaled
/// by a power of ten chosen so that it holds one or two integers, the three scaled points are computed with
/// a 64 × 128-bit multiplication each, rounded to odd (which keeps "exactly an integer" apart from "just
/// above it"), and the shortest integer inside wins. A bound of the interval counts as inside when the
/// double's significand is even, as round-half-to-even parsing then reads it back to the same double.
///
/// The standard library's formatter computes the same digits with software 128-bit arithmetic at about
/// 540 instructions a number; this takes about a third of that, which is most of what a CSV trajectory
/// costs to write. `NumberTextTests` compares the two over a million doubles of every kind.
struct ShortestDecimal: Equatable {
  var significand: UInt64
  var exponent: Int

  init(significand: UInt64, exponent: Int) {
    self.significand = significand
    self.exponent = exponent
  }

  /// `x` must be finite and greater than zero.
  @inline(__always)
  init(_ x: Double) {
    let fraction = x.significandBitPattern
    let biased = Int(x.exponentBitPattern)
    let c: UInt64
    let q: Int
    if biased != 0 {
      c = fraction | (1 << 52)
      q = biased - 1075
      // An integer below 2^53: its own digits are the answer, once its trailing zeros are gone.
      if q <= 0, q > -53, c & ((1 &<< UInt64(-q)) &- 1) == 0 {
        self.init(trimming: c &>> UInt64(-q), exponent: 0)
        return
      }
    } else {
      c = fraction
      q = -1074
    }
    let even = c & 1 == 0
    // At a power of two the double below is half as far away as the one above.
    let lowerIsCloser = fraction == 0 && biased > 1
    let cb = c &<< 2
    let cbl = cb &- 2 &+ (lowerIsCloser ? 1 : 0)
    let cbr = cb &+ 2
    // k = floor(log10(2^q)), or floor(log10(3/4 · 2^q)) when the lower bound is closer; exact over the
    // doubles' exponents (the constants are 2^22 log10 2 and 2^22 log10 4/3, rounded).
    let k = (q &* 1_262_611 &- (lowerIsCloser ? 524_031 : 0)) &>> 22
    // floor(log2(10^-k)) by the same device (2^19 log2 10); the shift h puts the scaled points at 2 bits
    // below the units digit: vb ≈ 4 · x / 10^k.
    let h = UInt64(truncatingIfNeeded: q &+ ((0 &- k &* 1_741_647) &>> 19) &+ 1)
    let index = 2 &* (0 &- k &- Self.minimumPowerOfTen)
    let (gHigh, gLow) = Self.powersOfTen.withUnsafeBufferPointer { ($0[index], $0[index + 1]) }
    let vb = Self.roundToOdd(gHigh, gLow, cb &<< h)
    let vbl = Self.roundToOdd(gHigh, gLow, cbl &<< h)
    let vbr = Self.roundToOdd(gHigh, gLow, cbr &<< h)
    let lower = vbl &+ (even ? 0 : 1)
    let upper = vbr &- (even ? 0 : 1)

    let s = vb &>> 2
    // One digit fewer: the interval is narrower than 10 · 10^k, so at most one of its two candidates is inside.
    if s >= 10 {
      let sp = s / 10
      let upInside = lower <= 40 &* sp
      let wpInside = 40 &* sp &+ 40 <= upper
      if upInside != wpInside {
        self.init(trimming: sp &+ (wpInside ? 1 : 0), exponent: k &+ 1)
        return
      }
    }
    // As many digits as s: at least one of s and s + 1 is inside; of two, the closer, and at a tie the even one.
    let uInside = lower <= 4 &* s
    let wInside = 4 &* s &+ 4 <= upper
    if uInside != wInside {
      self.init(trimming: s &+ (wInside ? 1 : 0), exponent: k)
      return
    }
    let middle = 4 &* s &+ 2
    let roundUp = vb > middle || (vb == middle && s & 1 != 0)
    self.init(trimming: s &+ (roundUp ? 1 : 0), exponent: k)
  }

  @inline(__always)
  init(trimming significand: UInt64, exponent: Int) {
    var s = significand
    var e = exponent
    while s % 10 == 0 {
      s /= 10
      e &+= 1
    }
    self.init(significand: s, exponent: e)
  }

  /// The integer part of `g · cp / 2^128`, its lowest bit set when the fraction is not zero. g overestimates
  /// the power of ten by less than one unit, which can only add a little to the fraction's top 64 bits: a
  /// fraction counts as nonzero from 2 there (Giulietti's rop).
  @inline(__always)
  static func roundToOdd(_ gHigh: UInt64, _ gLow: UInt64, _ cp: UInt64) -> UInt64 {
    let x = gLow.multipliedFullWidth(by: cp)
    let y = gHigh.multipliedFullWidth(by: cp)
    let (z, carry) = y.low.addingReportingOverflow(x.high)
    let integer = y.high &+ (carry ? 1 : 0)
    return integer | (z > 1 ? 1 : 0)
  }
}
