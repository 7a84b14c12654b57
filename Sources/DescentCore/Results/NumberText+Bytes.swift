import DescentShims

extension NumberText {
  /// The longest text `write` produces (`-2.2250738585072014e-308` is 24 bytes).
  public static let maximumLength = 32

  /// Writes the shortest round-trip text of `x` (exactly `format(x)`, which is `Double.description`
  /// with `inf`, `-inf` and `nan`) at `destination`, which must have room for `maximumLength` bytes, and
  /// returns the number of bytes written. Allocates nothing.
  ///
  /// The digits are `ShortestDecimal`'s; the layout is the standard library's: positional from 10^-4 up
  /// to 2^53 (`0.0001`, `100.0`, `9007199254740992.0`), exponential outside it with at least two
  /// exponent digits (`1e-05`, `1.5e+16`). Not inlined: one copy serves every step loop that records.
  @inline(never)
  public static func write(_ x: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    if !x.isFinite { return writeNonFinite(x, to: destination) }
    var p = 0
    if x.sign == .minus {
      destination[0] = UInt8(ascii: "-")
      p = 1
    }
    let magnitude = x.magnitude
    if magnitude == 0 {
      destination[p] = UInt8(ascii: "0"); destination[p + 1] = UInt8(ascii: "."); destination[p + 2] = UInt8(ascii: "0")
      return p + 3
    }
    let decimal = ShortestDecimal(magnitude)
    let digits = digitCount(decimal.significand)
    // x = d.ddd × 10^scientific
    let scientific = decimal.exponent + digits - 1
    if scientific < -4 || magnitude > 0x1p53 {
      // d.ddde±XX: the digits one place right, then the first moved in front of the point.
      writeDigits(decimal.significand, count: digits, to: destination + p + 1)
      destination[p] = destination[p + 1]
      if digits > 1 {
        destination[p + 1] = UInt8(ascii: ".")
        p += digits + 1
      } else {
        p += 1
      }
      destination[p] = UInt8(ascii: "e")
      destination[p + 1] = scientific < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
      let e = scientific.magnitude
      if e < 10 {
        destination[p + 2] = UInt8(ascii: "0")
        destination[p + 3] = UInt8(ascii: "0") + UInt8(e)
        return p + 4
      }
      return p + 2 + write(Int(e), to: destination + p + 2)
    }
    if scientific < 0 {
      // 0.000ddd
      destination[p] = UInt8(ascii: "0")
      destination[p + 1] = UInt8(ascii: ".")
      let zeros = -scientific - 1
      for i in 0..<zeros { destination[p + 2 + i] = UInt8(ascii: "0") }
      writeDigits(decimal.significand, count: digits, to: destination + p + 2 + zeros)
      return p + 2 + zeros + digits
    }
    if digits <= scientific + 1 {
      // ddd000.0
      writeDigits(decimal.significand, count: digits, to: destination + p)
      p += digits
      for _ in 0..<(scientific + 1 - digits) {
        destination[p] = UInt8(ascii: "0")
        p += 1
      }
      destination[p] = UInt8(ascii: ".")
      destination[p + 1] = UInt8(ascii: "0")
      return p + 2
    }
    // ddd.ddd: the digits, then the fraction (1 to 16 digits, as 1 ≤ integerDigits < digits ≤ 17) moved
    // one place right as one or two 8-byte words, which stay inside the `maximumLength` bytes; the bytes
    // moved past the fraction's end are not part of the text.
    let integerDigits = scientific + 1
    writeDigits(decimal.significand, count: digits, to: destination + p)
    let point = UnsafeMutableRawPointer(destination + p + integerDigits)
    if digits - integerDigits <= 8 {
      let fraction = UnsafeRawPointer(point).loadUnaligned(as: UInt64.self)
      point.storeBytes(of: fraction, toByteOffset: 1, as: UInt64.self)
    } else {
      let head = UnsafeRawPointer(point).loadUnaligned(as: UInt64.self)
      let tail = UnsafeRawPointer(point).loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      point.storeBytes(of: head, toByteOffset: 1, as: UInt64.self)
      point.storeBytes(of: tail, toByteOffset: 9, as: UInt64.self)
    }
    point.storeBytes(of: UInt8(ascii: "."), as: UInt8.self)
    return p + digits + 1
  }

  static func writeNonFinite(_ x: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    var p = 0
    if x.isNaN {
      destination[0] = UInt8(ascii: "n"); destination[1] = UInt8(ascii: "a"); destination[2] = UInt8(ascii: "n")
      return 3
    }
    if x < 0 {
      destination[0] = UInt8(ascii: "-")
      p = 1
    }
    destination[p] = UInt8(ascii: "i"); destination[p + 1] = UInt8(ascii: "n"); destination[p + 2] = UInt8(ascii: "f")
    return p + 3
  }

  /// The number of decimal digits of `v` (1 for 0): from its bit length, n = floor(bits · log10 2)
  /// (`bits · 1233 / 4096` is exactly that for bits ≤ 64), plus one where v reaches 10^n.
  @inline(__always)
  static func digitCount(_ v: UInt64) -> Int {
    let w = v | 1  // the same digits as v, except that 0 has one
    let n = ((64 &- w.leadingZeroBitCount) &* 1233) &>> 12
    return powersOfTen.withUnsafeBufferPointer { n &+ (w >= $0[n] ? 1 : 0) }
  }

  /// 10^k for k = 0…19 (10^19 is the last below 2^64): `digitCount`'s thresholds. Integer literals only,
  /// so the optimizer lays the array out as static data, with no lazy initialisation to check on each use.
  static let powersOfTen: [UInt64] = [
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
    100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
    10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]

  /// "00" "01" … "99": a digit pair is one two-byte copy. A static string's bytes are constant data, with
  /// no lazy initialisation to check on every use.
  static let digitPairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  @inline(__always)
  static func writePair(_ pair: UInt32, to destination: UnsafeMutablePointer<UInt8>) {
    let bytes = UnsafeRawPointer(digitPairs.utf8Start + Int(2 * pair)).loadUnaligned(as: UInt16.self)
    UnsafeMutableRawPointer(destination).storeBytes(of: bytes, as: UInt16.self)
  }

  /// Writes exactly eight digits of `v` < 10^8, leading zeros included.
  @inline(__always)
  static func writeEight(_ v: UInt32, to destination: UnsafeMutablePointer<UInt8>) {
    let high = v / 10_000, low = v % 10_000
    writePair(high / 100, to: destination)
    writePair(high % 100, to: destination + 2)
    writePair(low / 100, to: destination + 4)
    writePair(low % 100, to: destination + 6)
  }

  /// Writes the `count` decimal digits of `v` (`count` ≥ its digit count; leading zeros fill the rest):
  /// eight at a time in 32-bit arithmetic from the last (a 16-digit significand is two such blocks), then
  /// pairs.
  @inline(__always)
  static func writeDigits(_ v: UInt64, count: Int, to destination: UnsafeMutablePointer<UInt8>) {
    var v = v
    var end = count
    while end >= 8 {
      writeEight(UInt32(truncatingIfNeeded: v % 100_000_000), to: destination + end - 8)
      v /= 100_000_000
      end -= 8
    }
    var r = UInt32(truncatingIfNeeded: v)
    while end >= 2 {
      writePair(r % 100, to: destination + end - 2)
      r /= 100
      end -= 2
    }
    if end == 1 { destination[0] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: r) }
  }

  /// Writes a non-negative integer's decimal digits; returns the number of bytes written.
  @inline(__always)
  public static func write(_ n: Int, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    let digits = digitCount(UInt64(n))
    writeDigits(UInt64(n), count: digits, to: destination)
    return digits
  }
  /// `parse` for the bytes of one cell, exactly `parse(Substring(decoding: cell, as: UTF8.self))`, without
  /// making a String: the number goes through a NUL-terminated copy on the stack to the reader that
  /// `Double(String)` calls, with that initializer's checks (no leading whitespace, the whole text used).
  public static func parse(_ cell: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = cell.count
    guard n > 0, n < 64, !cell.contains(0) else {
      return n == 0 ? nil : parse(Substring(decoding: cell, as: UTF8.self))
    }
    let first = cell[0] == UInt8(ascii: "-") && n > 1 ? cell[1] : cell[0]
    switch first {
    case 9...13, 32: return nil
    case UInt8(ascii: "n"), UInt8(ascii: "i"), UInt8(ascii: "N"), UInt8(ascii: "I"):
      return parse(Substring(decoding: cell, as: UTF8.self))  // the names: `nan` and `-nan` alike read as +NaN
    default: break
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text -> Double? in
      let base = text.baseAddress!
      UnsafeMutableRawPointer(base).copyMemory(from: cell.baseAddress!, byteCount: n)
      base[n] = 0
      var value = 0.0
      guard let end = _swift_stdlib_strtod_clocale(base, &value), end == UnsafePointer(base + n) else { return nil }
      return value
    }
  }
}
