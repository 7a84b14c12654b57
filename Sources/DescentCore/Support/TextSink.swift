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

  mutating func append(_ text: ArraySlice<UInt8>) { bytes.append(contentsOf: text) }

  /// `text` as one CSV field: in double quotes, with each of its double quotes doubled.
  mutating func append(csvQuoted text: ArraySlice<UInt8>) {
    bytes.append(UInt8(ascii: "\""))
    for byte in text {
      bytes.append(byte)
      if byte == UInt8(ascii: "\"") { bytes.append(byte) }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// A number as JSON and the summary table spell it (`JSONValue.format`): an integer below 10¹⁵ without
  /// a fraction, any other finite number (-0.0 included) in its shortest round-trip form, `null` for the others.
  mutating func append(number x: Double) {
    guard x.isFinite else { return append("null") }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NumberText.maximumLength) { buffer in
      var count = 0
      if x == x.rounded(), abs(x) < 1e15, x != 0 || x.sign == .plus {
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

extension String {
  /// Whether some byte of the string's UTF-8 satisfies `predicate`; a native string's bytes are scanned in
  /// place, without going through `String.UTF8View`'s index arithmetic.
  @inline(__always)
  func containsUTF8(where predicate: (UInt8) -> Bool) -> Bool {
    if let found = utf8.withContiguousStorageIfAvailable({ $0.contains(where: predicate) }) { return found }
    return utf8.contains(where: predicate)
  }
}
