import DescentShims

extension NumberText {
  /// The longest text `write` produces (`-2.2250738585072014e-308` is 24 bytes).
  public static let maximumLength = 32

  /// Writes the shortest round-trip text of `x` (exactly `format(x)`) at `destination`, which must have
  /// room for `maximumLength` bytes, and returns the number of bytes written. Allocates nothing.
  @inline(__always)
  public static func write(_ x: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    if x.isNaN {
      destination[0] = UInt8(ascii: "n"); destination[1] = UInt8(ascii: "a"); destination[2] = UInt8(ascii: "n")
      return 3
    }
    // The runtime's formatter leaves the padding zeros of numbers such as 100.0 to the caller's buffer,
    // which the standard library pre-fills with "0"; do the same.
    destination.update(repeating: UInt8(ascii: "0"), count: maximumLength)
    return destination.withMemoryRebound(to: CChar.self, capacity: maximumLength) {
      Int(swift_float64ToString($0, maximumLength, x, false))
    }
  }

  /// Writes a non-negative integer's decimal digits; returns the number of bytes written.
  @inline(__always)
  public static func write(_ n: Int, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    var value = UInt(n)
    var digits = 0
    repeat {
      digits += 1
      value /= 10
    } while value > 0
    value = UInt(n)
    for i in stride(from: digits - 1, through: 0, by: -1) {
      destination[i] = UInt8(ascii: "0") + UInt8(value % 10)
      value /= 10
    }
    return digits
  }
}
