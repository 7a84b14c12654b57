import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fixed-constant generator.
///
/// Descent derives every run's randomness from the run's content through this generator, never from
/// `hashValue` (randomly seeded per process) or the system generator, so results are identical
/// whatever the thread count, shard or run order.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1) with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in [lower, upper].
  public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
    lower + (upper - lower) * nextUnit()
  }

  /// A standard normal deviate (Box–Muller, using both uniforms, discarding the second deviate so the
  /// stream position does not depend on caching).
  public mutating func normal() -> Double {
    var u = nextUnit()
    while u == 0 { u = nextUnit() }
    let v = nextUnit()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}

/// FNV-1a, 64-bit: a stable content hash for deriving seeds from text.
public func stableHash(_ text: String) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in text.utf8 {
    hash ^= UInt64(byte)
    hash = hash &* 0x0000_0100_0000_01B3
  }
  return hash
}
