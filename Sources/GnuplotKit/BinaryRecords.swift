import Foundation

/// A file of little-endian float64 records for gnuplot to read as binary data: exact, and faster to read than text
/// for long trajectories.
///
/// ```swift
/// let records = try BinaryRecords.write(columns: [xs, ys], to: directory.appending(path: "path.bin"))
/// script.append("plot \(records.source) using 1:2 with lines")
/// ```
/// Unlike an inline datablock, the file can be plotted any number of times (`replot`, several `plot` clauses).
public struct BinaryRecords: Equatable, Sendable {
  /// The file's path, as written.
  public let path: String
  /// Values per record (the number of columns).
  public let columnCount: Int
  /// Number of records (rows).
  public let recordCount: Int

  /// The binary-format clause for this file, for example
  /// `binary format='%float64%float64' record=100 endian=little`.
  public var clause: String {
    "binary format='\(String(repeating: "%float64", count: columnCount))' record=\(recordCount) endian=little"
  }

  /// The quoted file name followed by `clause`, ready to follow `plot`, `splot` or `stats`.
  public var source: String {
    "\(GnuplotString.path(path)) \(clause)"
  }

  /// Writes `columns` (all of the same length, at least one column) record by record to `url`, replacing any
  /// file there, and describes the result.
  public static func write(columns: [[Double]], to url: URL) throws(GnuplotError) -> BinaryRecords {
    precondition(!columns.isEmpty, "binary records need at least one column")
    let recordCount = columns[0].count
    precondition(columns.allSatisfy { $0.count == recordCount }, "binary record columns differ in length")
    var bytes = [UInt8]()
    bytes.reserveCapacity(recordCount * columns.count * MemoryLayout<UInt64>.size)
    for row in 0..<recordCount {
      for column in columns {
        withUnsafeBytes(of: column[row].bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    }
    do {
      try Data(bytes).write(to: url)
    } catch {
      throw .cannotWrite(path: url.path, reason: error.localizedDescription)
    }
    return BinaryRecords(path: url.path, columnCount: columns.count, recordCount: recordCount)
  }
}
