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

  @Test("JSON and the summary spell integers without a fraction, both writers alike; -0.0 keeps its sign")
  func summaryNumbers() {
    let cases: [(Double, String)] = [(0, "0"), (-0.0, "-0.0"), (3, "3"), (-3, "-3"), (0.5, "0.5"), (1e15, "1000000000000000.0"), (1e16, "1e+16"), (.nan, "null")]
    for (x, text) in cases {
      #expect(JSONValue.format(x) == text)
      var bytes = ByteText(capacity: 32)
      bytes.append(number: x)
      #expect(String(decoding: bytes.bytes, as: UTF8.self) == text, "\(x)")
    }
    // What a reader gets back is the same double, sign of zero included.
    #expect(Double(JSONValue.format(-0.0))!.sign == .minus)
    // What identifies a config or a setting does not see the sign: the hash and run ids stay as they were.
    let signed = try! JSONParser.parse(Array(#"{"lr": -0.0, "start": [-0.0, 1]}"#.utf8))
    let unsigned = try! JSONParser.parse(Array(#"{"lr": 0, "start": [0, 1]}"#.utf8))
    #expect(signed.serialized() != unsigned.serialized())
    #expect(Experiment.configHash(of: signed) == Experiment.configHash(of: unsigned))
    #expect(RunID.format(.number(-0.0)) == "0" && RunID.format(signed) == RunID.format(unsigned))
  }

  @Test("digit counts, and integers' text, at every power of ten and beside it")
  func integersAtPowersOfTen() {
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NumberText.maximumLength)
    defer { buffer.deallocate() }
    // The digit count comes from the bit length: each power of ten, and the numbers beside it, sit where a
    // wrong threshold or a wrong estimate from the bit length would show; so do the powers of two.
    var values: [UInt64] = [0, 1, 2, .max, .max - 1, UInt64(Int.max), UInt64(Int.max) - 1]
    var p: UInt64 = 1
    for _ in 0...19 {
      values += [p - 1, p, p + 1]
      if p > UInt64.max / 10 { break }
      p *= 10
    }
    for b in 0..<64 { values += [(1 << UInt64(b)) - 1, 1 << UInt64(b), (1 << UInt64(b)) | 1] }
    var rng = SplitMix64(seed: 3)
    for _ in 0..<20_000 { values.append(rng.next() >> (rng.next() % 64)) }
    for v in values {
      #expect(NumberText.digitCount(v) == String(v).count, "\(v)")
      guard v <= UInt64(Int.max) else { continue }
      let n = NumberText.write(Int(v), to: buffer)
      #expect(String(decoding: UnsafeBufferPointer(start: buffer, count: n), as: UTF8.self) == String(v))
    }
  }
}

@Suite("Reading numbers and trajectories")
struct ReadingTests {
  func bytesParse(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBufferPointer { NumberText.parse($0) }
  }

  @Test("a cell's bytes parse exactly as its text does, on what Descent writes and on what it does not")
  func bytesParseAsText() {
    var rng = SplitMix64(seed: 7)
    var texts = ["nan", "-nan", "inf", "-inf", "", " 1", "1 ", "\t2", "- 1", "1e5", "1E5", ".5", "5.", "-", "+1", "+", "e5",
                 "0x1p3", "1,2", "1\0", "\01", "infinity", "-Infinity", "NaN", "nan(1)", "1e999", "-1e-999", "00012",
                 String(repeating: "1", count: 63), String(repeating: "1", count: 64), "0." + String(repeating: "0", count: 80) + "1",
                 "1.5e+16", "-0.0", "1e-05", "٣"]
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NumberText.maximumLength)
    defer { buffer.deallocate() }
    for _ in 0..<20_000 {
      let x = Double(bitPattern: rng.next())
      texts.append(String(decoding: UnsafeBufferPointer(start: buffer, count: NumberText.write(x, to: buffer)), as: UTF8.self))
    }
    for text in texts {
      let expected = NumberText.parse(Substring(text))
      let got = bytesParse(text)
      #expect(got?.bitPattern == expected?.bitPattern || (got?.isNaN == true && expected?.isNaN == true), "\(text.debugDescription)")
    }
  }

  func read(_ text: String) -> Trajectory? { Array(text.utf8).withUnsafeBufferPointer(Trajectory.parseCSV) }

  @Test("a trajectory reads into whole rows, empty lines skipped, the last newline optional")
  func wellFormed() throws {
    let t = try #require(read("step,f,grad_norm,lr,x1\n0,1.5,2.0,0.1,-3.0\n\n1,nan,inf,0.1,1e-05"))
    #expect(t.columns == ["step", "f", "grad_norm", "lr", "x1"])
    #expect(t.rowCount == 2)
    #expect(t.column("step") == [0, 1])
    #expect(t.column("x1") == [-3.0, 1e-5])
    #expect(t[row: 1, column: 1].isNaN && t[row: 1, column: 2] == .infinity)
    #expect(t.rows[0] == [0, 1.5, 2.0, 0.1, -3.0])
    #expect(read("step,f,grad_norm,lr\n")?.rowCount == 0)
    #expect(read("\n\nstep,f,grad_norm,lr\n0,1,2,3\n")?.rowCount == 1, "empty lines before the header, as before")
  }

  @Test("a malformed trajectory is unreadable, not misread", arguments: [
    "", "step,f\n0,1", "step,f,grad_norm,lr\n0,1,2", "step,f,grad_norm,lr\n0,1,2,3,4", "step,f,grad_norm,lr\n0,1,2,3,",
    "step,f,grad_norm,lr\n0,1,,3", "step,f,grad_norm,lr\n0,one,2,3", "step,f,grad_norm,lr\n0,1,2,3\r\n", "step,f,grad_norm,lr\n,1,2,3",
    "step,f,grad_norm,lr\n0,1 ,2,3",
  ])
  func malformed(_ text: String) {
    #expect(read(text) == nil)
  }

  @Test("a CSV file, read a megabyte at a time, reads as its text parses: the same values to the bit, the same problem")
  func fileAsText() throws {
    let dir = temporaryDirectory()
    defer { cleanUp(dir) }
    // Over two 1 MB chunks of rows, so rows span chunk boundaries; then the damaged texts above.
    let long = "step,f,grad_norm,lr\n" + (0..<80_000).map { "\($0),\(Double($0) / 7),nan,1e-3" }.joined(separator: "\n") + "\n"
    #expect(long.utf8.count > 2 << 20)
    let texts = [long, long + "1,2,3\n", "\n\nstep,f,grad_norm,lr,x1\n0,1.5,2.0,0.1,-3.0\n\n1,nan,inf,0.1,1e-05", "", "\n\n",
                 "step,f\n0,1", "step,f,grad_norm,lr\n0,1,2,3,", "step,f,grad_norm,lr\n0,one,2,3", "step,f,grad_norm,lr\n0,1,2,3\r\n"]
    for (k, text) in texts.enumerated() {
      let path = dir + "/t\(k).csv"
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      var fromText: String?, fromFile: String?
      let parsed = Array(text.utf8).withUnsafeBufferPointer { Trajectory.parseCSV($0, problem: &fromText) }
      let read = Trajectory.read(path, problem: &fromFile)
      #expect(fromFile == fromText, "text \(k)")
      #expect(read?.columns == parsed?.columns, "text \(k)")
      #expect(read?.values.map(\.bitPattern) == parsed?.values.map(\.bitPattern), "text \(k)")
    }
    #expect(Trajectory.read(dir + "/t0.csv")?.rowCount == 80_000)
    var problem: String?
    #expect(Trajectory.read(dir + "/t1.csv", problem: &problem) == nil && problem == "line 80002: 3 cells where the header has 4")
  }

  @Test("an unreadable trajectory says where and why")
  func problems() {
    func problem(_ text: String) -> String? {
      var problem: String?
      _ = Array(text.utf8).withUnsafeBufferPointer { Trajectory.parseCSV($0, problem: &problem) }
      return problem
    }
    #expect(problem("step,f\n0,1") == "the header does not start with step,f,grad_norm,lr")
    #expect(problem("step,f,grad_norm,lr\n0,1,2,3\n\n0,1,2") == "line 4: 3 cells where the header has 4")
    #expect(problem("step,f,grad_norm,lr\n0,1,2,3,4") == "line 2: more than the header's 4 cells")
    #expect(problem("step,f,grad_norm,lr\n0,one,2,3") == #"line 2, column f: not a number: "one""#)
    #expect(problem("step,f,grad_norm,lr\n0,1,2,3") == nil)
  }
}
