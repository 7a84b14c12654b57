import Foundation
import Testing
@testable import DescentCore

@Suite("Number text")
struct NumberTextTests {
  @Test("the allocation-free writer gives Double.description's shortest round-trip text")
  func writerMatchesDescription() {
    var rng = SplitMix64(seed: 42)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NumberText.maximumLength)
    defer { buffer.deallocate() }
    var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 100, 1e16, 1e300, -2.2250738585072014e-308, .leastNonzeroMagnitude,
                            .greatestFiniteMagnitude, .infinity, -.infinity, .nan, 0.020000000000000004, 2.0 / 3.0, 1000, 123000, 1e15, 9007199254740992, 1.5e10, 12345678.0]
    for k in 0..<2000 { values.append(Double(k) * 10) }
    for _ in 0..<100_000 { values.append(Double(bitPattern: rng.next())) }
    for _ in 0..<100_000 { values.append(rng.uniform(-10, 10)) }
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
