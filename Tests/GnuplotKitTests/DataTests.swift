import Foundation
import GnuplotKit
import Testing

/// SplitMix64: a small seeded generator, so a failing value can be reproduced from the printed seed.
private struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Doubles that stress decimal formatting: awkward fractions, extremes, subnormals, negative zero, and random bit
/// patterns (finite ones only) across the whole exponent range.
private func awkwardDoubles(seed: UInt64, randomCount: Int) -> [Double] {
  var generator = SplitMix64(state: seed)
  var values: [Double] = [
    0, -0.0, 1, -1, 0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 1e-5, 123456789.123456789, 1e16, 1e22,
    9007199254740992.0.nextUp, .pi, -.pi, .ulpOfOne, .leastNonzeroMagnitude, .leastNormalMagnitude,
    -.leastNormalMagnitude, 1e300, -1e300, 3 * .leastNonzeroMagnitude, Double.leastNormalMagnitude.nextDown,
  ]
  while values.count < 24 + randomCount {
    let value = Double(bitPattern: generator.next())
    if value.isFinite && value.magnitude < 1e300 { values.append(value) }
  }
  return values
}

/// A gnuplot loop that prints each value of column `column` of `source`, one per line, with 17 significant digits
/// (enough to identify any Double), by running `stats` on one record at a time.
private func printEachValue(of source: String, column: Int, count: Int) -> String {
  """
  set print "-"
  do for [i=0:\(count - 1)] {
    stats \(source) every ::i::i using \(column) nooutput
    print sprintf("%.17g", STATS_max)
  }

  """
}

@Suite("Data passed to the real gnuplot", .enabled(if: realGnuplotIsInstalled, "gnuplot is not on PATH"))
struct DataRoundTripTests {
  @Test("Datablock numbers read back bit for bit", arguments: [1 as UInt64, 2, 3])
  func datablockRoundTrip(seed: UInt64) throws {
    let directory = try TemporaryDirectory()
    let values = awkwardDoubles(seed: seed, randomCount: 100)
    var script = GnuplotScript()
    let block = script.appendDatablock(named: "values", rows: values.map { [$0] })
    script.append(printEachValue(of: block, column: 1, count: values.count))

    let printed = try realGnuplot(in: directory).run(script).standardOutputText.split(separator: "\n")
    try #require(printed.count == values.count, "seed \(seed)")
    for (value, text) in zip(values, printed) {
      let readBack = try #require(Double(String(text)), "seed \(seed): gnuplot printed \(text)")
      #expect(readBack.bitPattern == value.bitPattern, "seed \(seed): wrote \(value), gnuplot read \(text)")
    }
  }

  @Test("NaN is an invalid point, infinities are read as infinities")
  func nonFinite() throws {
    let directory = try TemporaryDirectory()
    var script = GnuplotScript()
    let block = script.appendDatablock(named: "d", columns: [[1, .nan, .infinity, -.infinity, 2]])
    script.append("set print \"-\"")
    script.append("stats \(block) using 1 nooutput")
    script.append("print STATS_records, STATS_invalid")
    script.append("stats \(block) every ::2::3 using 1 nooutput")
    script.append("print sprintf(\"%g %g\", STATS_max, STATS_min)")
    let output = try realGnuplot(in: directory).run(script)
    #expect(output.standardOutputText == "4 1\ninf -inf\n")
  }

  @Test("Blank rows separate data sets that index selects")
  func dataSets() throws {
    let directory = try TemporaryDirectory()
    var script = GnuplotScript()
    let block = script.appendDatablock(named: "runs", rows: [[1, 10], [2, 20], [], [], [3, 300], [4, 400]])
    script.append("set print \"-\"")
    script.append("stats \(block) index 1 using 2 nooutput")
    script.append("print STATS_sum, STATS_records")
    let output = try realGnuplot(in: directory).run(script)
    #expect(output.standardOutputText == "700.0 2\n")
  }

  @Test("Binary float64 records read back bit for bit")
  func binaryRoundTrip() throws {
    let directory = try TemporaryDirectory()
    let values = awkwardDoubles(seed: 7, randomCount: 40)
    let indices = values.indices.map(Double.init)
    let records = try BinaryRecords.write(
      columns: [indices, values], to: directory.url.appendingPathComponent("values.bin"))
    #expect(records.recordCount == values.count)
    #expect(records.columnCount == 2)
    #expect(records.clause == "binary format='%float64%float64' record=\(values.count) endian=little")

    let script = "stats \(records.source) using 1 nooutput\nprint STATS_records, STATS_sum\n"
      + printEachValue(of: records.source, column: 2, count: values.count)
    let output = try realGnuplot(in: directory).run(script)
    let expectedSum = Double(values.count * (values.count - 1) / 2)
    #expect(output.standardError == "\(values.count) \(expectedSum)\n")
    let printed = output.standardOutputText.split(separator: "\n")
    try #require(printed.count == values.count)
    for (value, text) in zip(values, printed) {
      #expect(Double(String(text))?.bitPattern == value.bitPattern, "wrote \(value), gnuplot read \(text)")
    }
  }

  @Test("A binary file can be plotted to a picture")
  func binaryPlot() throws {
    let directory = try TemporaryDirectory()
    let xs = (0..<200).map { Double($0) / 20 }
    let records = try BinaryRecords.write(
      columns: [xs, xs.map { $0 * $0 }], to: directory.url.appendingPathComponent("path.bin"))
    let output = try realGnuplot(in: directory).run(
      "set terminal dumb size 50,15\nplot \(records.source) using 1:2 with lines title 'path'\n")
    #expect(output.standardOutputText.contains("path"))
    #expect(output.warnings.isEmpty)
  }
}

@Suite("Writing data")
struct DataFormattingTests {
  @Test("Numbers use the shortest round-trip text, with NaN, Inf and -Inf")
  func numbers() {
    #expect(GnuplotScript.number(0.1) == "0.1")
    #expect(GnuplotScript.number(-0.0) == "-0.0")
    #expect(GnuplotScript.number(1e-5) == "1e-05")
    #expect(GnuplotScript.number(.leastNonzeroMagnitude) == "5e-324")
    #expect(GnuplotScript.number(.nan) == "NaN")
    #expect(GnuplotScript.number(-.nan) == "NaN")
    #expect(GnuplotScript.number(.infinity) == "Inf")
    #expect(GnuplotScript.number(-.infinity) == "-Inf")
  }

  @Test("A datablock is written row by row between the markers")
  func datablockText() {
    var script = GnuplotScript("set terminal dumb\n")
    let reference = script.appendDatablock(named: "xy_2", columns: [[1, 2.5], [3, .nan]])
    script.appendDatablock(named: "sets", rows: [[1], [], [2, 3]])
    script.append("plot \(reference)")
    #expect(reference == "$xy_2")
    #expect(
      script.text == """
        set terminal dumb
        $xy_2 << EOD
        1.0 3.0
        2.5 NaN
        EOD
        $sets << EOD
        1.0

        2.0 3.0
        EOD
        plot $xy_2

        """)
  }

  @Test("Binary records are little-endian float64, record by record")
  func binaryBytes() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("r.bin")
    _ = try BinaryRecords.write(columns: [[1, 2], [-0.5, .infinity]], to: url)
    let bytes = Array(try Data(contentsOf: url))
    let expected = [1.0, -0.5, 2, .infinity].flatMap { value in
      withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
    }
    #expect(bytes == expected)
  }

  @Test("An unwritable binary file is reported, with exit code 73")
  func unwritable() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("missing/r.bin")
    let error = #expect(throws: GnuplotError.self) { try BinaryRecords.write(columns: [[1]], to: url) }
    guard case .cannotWrite(let path, _) = error else {
      Issue.record("expected cannotWrite, got \(String(describing: error))")
      return
    }
    #expect(path == url.path)
    #expect(error?.exitCode == 73)
  }
}
