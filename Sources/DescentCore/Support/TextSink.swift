/// Where JSON text is written: a `String`, or `ByteText` for text built as bytes. One writer
/// (`JSONValue.write`) serves both, so the two spellings cannot drift apart.
protocol TextSink {
  mutating func append(_ s: String)
  /// `n` as `JSONValue.format` spells it.
  mutating func append(number n: Double)
}

extension String: TextSink {
  mutating func append(number n: Double) { self += JSONValue.format(n) }
}

/// Text built as bytes, numbers formatted in place without a `String` each.
struct ByteText: TextSink {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  mutating func append(_ byte: UInt8) { bytes.append(byte) }
  mutating func append(_ s: String) {
    // A native string's UTF-8 is contiguous: copy it whole rather than byte by byte.
    if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: s.utf8) }
  }

  /// A number as JSON and the summary table spell it (`JSONValue.format`): an integer below 10¹⁵ without
  /// a fraction, any other finite number in its shortest round-trip form, `null` for the others.
  mutating func append(number x: Double) {
    guard x.isFinite else { return append("null") }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NumberText.maximumLength) { buffer in
      var count = 0
      if x == x.rounded(), abs(x) < 1e15 {
        if x < 0 {
          buffer[0] = UInt8(ascii: "-")
          count = 1
        }
        count += NumberText.write(Int(abs(x)), to: buffer.baseAddress! + count)
      } else {
        count = NumberText.write(x, to: buffer.baseAddress!)
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
  }
}
