/// A strict RFC 8259 JSON parser that reports the line and column of the first syntax error.
public struct JSONParser {
  /// A syntax error at a 1-based line and column.
  public struct SyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var reason: String
  }

  /// Deeper nesting than this is rejected rather than risking the stack on hostile input.
  public static let maximumDepth = 256

  private let bytes: [UInt8]
  private var index = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
    var parser = JSONParser(bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      throw parser.error("the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", at: 0)
    }
    if let (bad, problem) = firstInvalidUTF8(bytes) { throw parser.error(problem, at: bad) }
    parser.skipWhitespace()
    if parser.index == bytes.count { throw parser.error("the file is empty; expected a JSON object", at: 0) }
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.index < bytes.count {
      throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON value")
    }
    return value
  }

  public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  // MARK: - Values

  private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
    guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
    skipWhitespace()
    guard index < bytes.count else { throw error("unexpected end of file; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    case UInt8(ascii: "N"), UInt8(ascii: "I"):
      throw error("\(describeWord()) is not valid JSON; only finite numbers are accepted")
    default:
      throw error("unexpected \(describeCurrent()); expected a value")
    }
  }

  private mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
    index += 1
    var object = JSONObject()
    skipWhitespace()
    if peek(UInt8(ascii: "}")) { index += 1; return .object(object) }
    while true {
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of file inside an object") }
      guard bytes[index] == UInt8(ascii: "\"") else {
        if bytes[index] == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
        throw error("unexpected \(describeCurrent()); expected a quoted key")
      }
      let keyStart = index
      let key = try parseString()
      if object[key] != nil { throw error("duplicate key \"\(key)\"", at: keyStart) }
      skipWhitespace()
      guard peek(UInt8(ascii: ":")) else { throw error("unexpected \(describeCurrent()); expected ':' after key \"\(key)\"") }
      index += 1
      object[key] = try parseValue(depth: depth + 1)
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of file inside an object; expected ',' or '}'") }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
      throw error("unexpected \(describeCurrent()); expected ',' or '}'")
    }
  }

  private mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
    index += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
    while true {
      skipWhitespace()
      if peek(UInt8(ascii: "]")) { throw error("trailing comma before ']'") }
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of file inside an array; expected ',' or ']'") }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
      throw error("unexpected \(describeCurrent()); expected ',' or ']'")
    }
  }

  private mutating func parseString() throws(SyntaxError) -> String {
    let start = index
    index += 1
    var scalars = String.UnicodeScalarView()
    var runStart = index
    func flush(_ parser: JSONParser, to scalars: inout String.UnicodeScalarView, from: Int) {
      if from < parser.index {
        scalars.append(contentsOf: String(decoding: parser.bytes[from..<parser.index], as: UTF8.self).unicodeScalars)
      }
    }
    while true {
      guard index < bytes.count else { throw error("unterminated string", at: start) }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        defer { index += 1 }
        // No escape: the bytes as they are (checked UTF-8 already), not a scalar at a time.
        if runStart == start + 1 { return String(decoding: bytes[runStart..<index], as: UTF8.self) }
        flush(self, to: &scalars, from: runStart)
        return String(scalars)
      }
      if byte < 0x20 { throw error("control character in a string (write it as an escape such as \\n)") }
      if byte == UInt8(ascii: "\\") {
        flush(self, to: &scalars, from: runStart)
        index += 1
        guard index < bytes.count else { throw error("unterminated string", at: start) }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
              throw error("unpaired UTF-16 surrogate in \\u escape")
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00..<0xE000).contains(code) {
            throw error("unpaired UTF-16 surrogate in \\u escape")
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
          scalars.append(scalar)
        default:
          index -= 1
          throw error("invalid escape '\\\(describeByte(escape))' in a string")
        }
        runStart = index
        continue
      }
      index += 1
    }
  }

  private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let digit: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }

  private mutating func parseNumber() throws(SyntaxError) -> Double {
    let start = index
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    if peek(UInt8(ascii: "-")) { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else {
      if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
        throw error("-Infinity is not valid JSON; only finite numbers are accepted")
      }
      throw error("invalid number: expected a digit")
    }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw error("invalid number: leading zeros are not allowed") }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if peek(UInt8(ascii: ".")) {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit after '.'") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit in the exponent") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(text), value.isFinite else {
      throw error("number \(text) is out of range for a 64-bit float", at: start)
    }
    // A number written as nonzero that rounds to 0 (1e-400) would be read as 0 without a word.
    if value == 0, text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
      throw error("number \(text) is too small for a 64-bit float (the smallest is about 4.9e-324) and would be read as 0", at: start)
    }
    return value
  }

  private mutating func expectLiteral(_ literal: String) throws(SyntaxError) {
    let utf8 = Array(literal.utf8)
    guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
      throw error("unexpected \(describeWord()); expected a value")
    }
    index += utf8.count
  }

  // MARK: - Helpers

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

  private func describeCurrent() -> String {
    index < bytes.count ? "'\(describeByte(bytes[index]))'" : "end of file"
  }

  private func describeByte(_ b: UInt8) -> String {
    (0x21..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
  }

  private func describeWord() -> String {
    var end = index
    while end < bytes.count, end - index < 20,
      (bytes[end] >= UInt8(ascii: "A") && bytes[end] <= UInt8(ascii: "Z"))
        || (bytes[end] >= UInt8(ascii: "a") && bytes[end] <= UInt8(ascii: "z"))
    {
      end += 1
    }
    if end == index { return describeCurrent() }
    return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
  }

  private func error(_ reason: String, at offset: Int? = nil) -> SyntaxError {
    let offset = min(offset ?? index, bytes.count)
    var line = 1
    var lineStart = 0
    // A line ends at LF, CRLF or a lone CR (old Mac files), as editors count them.
    for i in 0..<offset where bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
      line += 1
      lineStart = i + 1
    }
    // Columns count characters, not bytes, so they match what an editor shows.
    let column = 1 + bytes[lineStart..<offset].reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
    return SyntaxError(line: line, column: column, reason: reason)
  }

  /// Where the first byte that is not part of valid UTF-8 is, if any, and what is wrong there: a byte no
  /// sequence starts with, a sequence cut short (named by its first byte, not by the byte that cut it), or one
  /// that encodes no scalar (overlong, a surrogate, past U+10FFFF).
  private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, String)? {
    var i = 0
    let n = bytes.count
    func hex(_ b: UInt8) -> String { "0x" + String(b, radix: 16, uppercase: true) }
    while i < n {
      let b = bytes[i]
      if b < 0x80 { i += 1; continue }
      let length: Int
      let minimum: UInt32
      switch b {
      case 0xC2...0xDF: length = 2; minimum = 0x80
      case 0xE0...0xEF: length = 3; minimum = 0x800
      case 0xF0...0xF4: length = 4; minimum = 0x10000
      default: return (i, b & 0xC0 == 0x80 ? "invalid UTF-8: continuation byte \(hex(b)) with no start byte" : "invalid UTF-8 byte \(hex(b))")
      }
      let cutShort = (i, "invalid UTF-8: the \(length)-byte sequence starting with byte \(hex(b)) is cut short")
      guard i + length <= n else { return cutShort }
      var code = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for k in 1..<length {
        let c = bytes[i + k]
        guard c & 0xC0 == 0x80 else { return cutShort }
        code = code << 6 | UInt32(c & 0x3F)
      }
      if code < minimum || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) {
        return (i, "invalid UTF-8: the sequence starting with byte \(hex(b)) encodes no character (overlong, a surrogate or past U+10FFFF)")
      }
      i += length
    }
    return nil
  }
}
