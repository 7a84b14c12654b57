import Foundation
import Testing
@testable import DescentCore

@Suite("Number text")
struct NumberTextTests {
  @Test("the allocation-free writer (Schubfach) gives Double.description's shortest round-trip text")
  func writerMatchesDescription() {
    var rng = SplitMix64(seed: 42)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NumberText.maximumLength)
    defer { buffer.deallocate() }
    var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 100, 1e16, 1e300, -2.2250738585072014e-308, .leastNonzeroMagnitude,
                            .greatestFiniteMagnitude, .infinity, -.infinity, .nan, 0.020000000000000004, 2.0 / 3.0, 1000, 123000, 1e15, 9007199254740992, 1.5e10, 12345678.0]
    for k in 0..<2000 { values.append(Double(k) * 10) }
    for _ in 0..<100_000 { values.append(Double(bitPattern: rng.next())) }
    for _ in 0..<100_000 { values.append(rng.uniform(-10, 10)) }
    // Decimals of 1 to 17 digits at every exponent, and the doubles beside them: random bit patterns
    // almost never have a shortest form under 16 digits, and these exercise each way of finding it.
    for _ in 0..<40_000 {
      let digits = Int(rng.next() % 17) + 1
      let significand = rng.next() % (0..<digits).reduce(UInt64(1)) { p, _ in p * 10 }
      guard let v = Double("\(significand)e\(Int(rng.next() % 640) - 330)") else { continue }
      values += [v, v.nextUp, v.nextDown, -v]
    }
    // Subnormals, powers of two (whose lower neighbour is half as far away) and their neighbours.
    for b in 1..<UInt64(2000) { values.append(Double(bitPattern: b)) }
    for _ in 0..<10_000 { values.append(Double(bitPattern: rng.next() % (1 << 52))) }
    for e in -1074...1023 {
      let p = Double(sign: .plus, exponent: e, significand: 1)
      values += [p, p.nextUp, p.nextDown]
    }
    // Where the layout changes: 1e-4 (positional below it turns exponential) and 2^53.
    for edge in [1e-4, 0x1p53, 1e-5, 1e16] {
      var up = edge, down = edge
      for _ in 0..<50 {
        values += [up, down]
        up = up.nextUp
        down = down.nextDown
      }
    }
    for x in values {
      let n = NumberText.write(x, to: buffer)
      let text = String(decoding: UnsafeBufferPointer(start: buffer, count: n), as: UTF8.self)
      #expect(text == NumberText.format(x))
      let back = NumberText.parse(Substring(text))!
      #expect(back.bitPattern == x.bitPattern || (x.isNaN && back.isNaN))
    }
    for k in [0, 7, 10, 99, 12345, Int(Int32.max)] {
      let n = NumberText.write(k, to: buffer)
      #expect(String(decoding: UnsafeBufferPointer(start: buffer, count: n), as: UTF8.self) == String(k))
    }
  }
}
