import Foundation
import Synchronization

/// How trajectories are stored.
public enum TrajectoryFormat: String, Sendable, CaseIterable {
  /// `runs/<run_id>.csv`: text, shortest round-trip numbers.
  case csv
  /// `runs/<run_id>.f64`: little-endian float64 rows, with a JSON sidecar `runs/<run_id>.f64.json` naming
  /// the columns (and giving gnuplot's `binary` clause to plot the file directly).
  case binary
  /// `runs/<function>.pack.f64`: the float64 rows of a function's runs in one file, each run in a slot of
  /// its own, with an index `runs/<function>.pack.f64.json` (see `TrajectoryPack`).
  case packed

  /// A run's own file's extension (a packed run has no file of its own; its pack is `.pack.f64`).
  public var fileExtension: String { self == .csv ? "csv" : "f64" }
}

/// A run's place in a pack (`TrajectoryPack`): the pack's descriptor, shared with the other writers, and
/// the slot's offset and size in bytes.
public struct PackSlot: Sendable {
  public var fd: Int32
  public var offset: Int
  public var bytes: Int
  /// The pack's path, for messages.
  public var path: String
}

/// Streams one run's trajectory to `runs/<run_id>.csv` (or `.f64`) as a `PendingFile`, put in place when the
/// run completes, or with `"format": "packed"` into the run's slot of its function's pack. Rows are formatted straight into a fixed buffer (no allocation per row
/// or number) that is flushed when full, so memory stays bounded whatever the run length. The sweep lends
/// each writer a part of its worker's buffer, touched once per worker rather than once per run.
///
/// Columns: `step,f,grad_norm,lr,x1,…,xd` (the `x` columns when `writesX`). A binary file of a run whose
/// learning rate is the same at every step leaves the `lr` column out and gives the rate once, in its
/// sidecar's `constants`: 18 % of sweep-2d's bytes, and the rows are the workload's own
/// `(t, f, ‖g‖, x1, x2)`. Reading it back (`Trajectory.read`) puts the column back. A pack does the same
/// when all its experiment's rates are constant.
public struct TrajectoryWriter: TrajectoryRecorder {
  let format: TrajectoryFormat
  let path: String
  /// The run's own file, or `nil` when its rows go to `slot`.
  let file: PendingFile?
  /// The run's slot in a pack, with `"format": "packed"`.
  let slot: PackSlot?
  /// Where a binary file's sidecar may be linked from rather than written (`nil`: always written).
  let sidecars: SidecarLinks?
  /// The file's columns: `columns(…)`, less `lr` in a binary file of a constant rate (or a pack that leaves it out).
  let columns: [String]
  /// The learning rate a binary file gives in its sidecar (a pack in its index) instead of a column, or `nil`.
  let constantRate: Double?
  /// Where a binary row's `samples_seen` or first x is stored: after the `lr` column, or in its place.
  let afterRate: Int
  /// With a finite sum: the `samples_seen` column is step × this.
  let samplesPerStep: Int?
  let buffer: UnsafeMutablePointer<UInt8>
  /// Whether `buffer` was allocated here (and is freed here) rather than lent.
  let ownsBuffer: Bool
  var count = 0
  /// Bytes already handed to the file (a binary file's rows are these over `rowBytes`).
  var flushed = 0
  /// Disk reserved for the file up front (`PendingFile.reserve`), given back past `flushed` when it is done.
  var reserved = 0
  /// A binary row's bytes.
  let rowBytes: Int
  /// `record`'s inline case, a binary row without `samples_seen`, in one comparison: the largest `count` at
  /// which such a row still fits in the buffer, or -1 for writers whose rows are never stored inline.
  let inlineLimit: Int
  /// The x coordinates a row holds: the dimension with `writesX`, else 0.
  let storedX: Int
  /// The learning rate's text in the CSV row before, while that row is still in `buffer`: without a
  /// schedule it is the same row after row, and is copied rather than formatted again.
  var rateBits: UInt64 = 0
  var rateStart = -1
  var rateLength = 0
  /// The first write error, reported by `finish`.
  var failure: OutputError?
  /// Set by `finish` or `abandon`: the file is closed and the buffer freed.
  var closed = false

  /// A trajectory's columns: `step,f,grad_norm,lr`, then `samples_seen` with a finite sum, then `x1,…,xd`.
  public static func columns(dimension: Int, writesX: Bool, samplesPerStep: Int?) -> [String] {
    ["step", "f", "grad_norm", "lr"] + (samplesPerStep != nil ? ["samples_seen"] : []) + (writesX ? (1...dimension).map { "x\($0)" } : [])
  }

  /// Whether a constant rate can be given once in JSON (a sidecar's or an index's `constants`) instead of in a
  /// column: not -0.0, which `JSONValue.format` gives as `0`, so that it would read back as +0.0, not the
  /// rows' (and the CSV's) -0.0.
  static func canLeaveOut(_ rate: Double) -> Bool { !(rate == 0 && rate.sign == .minus) }

  /// Bytes buffered before a write.
  let capacity: Int
  /// A worker's buffer, shared by the runs it steps side by side: 256 KB a lane at 16 lanes, which
  /// writes a binary trajectory of sweep-2d in two calls.
  public static let defaultCapacity = 4 << 20
  /// The smallest binary file whose disk is reserved up front: below it, the reservation's system call and
  /// the release of what a run that stopped early did not use cost about what they save.
  public static let reserveThreshold = 64 << 10

  /// Rows are buffered in `buffer` when one is lent (the writer never frees it), otherwise in `capacity`
  /// bytes of its own; either is replaced by a buffer of its own when it cannot hold a few rows.
  /// `constantRate`: the run's learning rate when it is the same at every step (no schedule); a binary
  /// file then leaves its column out, and every row's `learningRate` must be it. A packed run is given it
  /// only when its pack leaves the column out (`TrajectoryPack.constantRate(of:)`). `expectedRows`: at most how
  /// many rows the run records, when known; a binary file of at least `reserveThreshold` bytes reserves its
  /// disk up front. `slot`: with `.packed`, the run's slot in its pack, which the rows go to (and `path` is
  /// then the run's id, for messages).
  public init(path: String, format: TrajectoryFormat, dimension: Int, writesX: Bool, samplesPerStep: Int? = nil,
              constantRate: Double? = nil, expectedRows: Int? = nil, buffer lent: UnsafeMutableBufferPointer<UInt8>? = nil,
              capacity: Int = TrajectoryWriter.defaultCapacity, sidecars: SidecarLinks? = nil, slot: PackSlot? = nil) throws(OutputError) {
    precondition((format == .packed) == (slot != nil), "a packed trajectory, and only one, is written to a slot")
    self.format = format
    self.path = path
    self.sidecars = sidecars
    self.slot = slot
    file = slot == nil ? try PendingFile(path: path) : nil
    self.samplesPerStep = samplesPerStep
    let rate = format != .csv ? constantRate.flatMap { Self.canLeaveOut($0) ? $0 : nil } : nil
    self.constantRate = rate
    columns = Self.columns(dimension: dimension, writesX: writesX, samplesPerStep: samplesPerStep).filter { $0 != "lr" || rate == nil }
    afterRate = rate == nil ? 32 : 24
    rowBytes = 8 * columns.count
    if format == .binary, let file, let expectedRows, case let (bytes, overflow) = expectedRows.multipliedReportingOverflow(by: rowBytes),
       !overflow, bytes >= Self.reserveThreshold {
      file.reserve(bytes)
      reserved = bytes
    }
    storedX = writesX ? dimension : 0
    let least = 4 * columns.count * (NumberText.maximumLength + 1)
    if let lent, lent.count >= least {
      self.capacity = lent.count
      buffer = lent.baseAddress!
      ownsBuffer = false
    } else {
      self.capacity = max(capacity, least)
      buffer = .allocate(capacity: self.capacity)
      ownsBuffer = true
    }
    inlineLimit = format != .csv && samplesPerStep == nil ? self.capacity - rowBytes : -1
    if format == .csv {
      for byte in (columns.joined(separator: ",") + "\n").utf8 {
        buffer[count] = byte
        count += 1
      }
    }
  }

  /// A binary row without a `samples_seen` column, while the buffer has room, is a few stores inlined
  /// into the step loop; any other row goes through `recordRow`, kept out of line. `_fastPath` (the
  /// standard library's branch hint) lets the register allocator put the spills around that call on its
  /// side of the branch: 4 instructions a binary row fewer, and the log sweep 0.7 % fewer in all (a CSV
  /// row, about a thousand instructions out of line, pays them instead).
  @inline(__always)
  public mutating func record(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>) {
    if _fastPath(count <= inlineLimit) {
      storeRow(step: step, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: x, samples: false)
      return
    }
    recordRow(step: step, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: x)
  }

  /// Stores a binary row at `count`, which has room for it; `samples`: with the `samples_seen` column (a
  /// constant where inlined, so the step loop's copy has no branch for it).
  @inline(__always)
  mutating func storeRow(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>,
                         samples: Bool) {
    let row = UnsafeMutableRawPointer(buffer + count)
    row.storeBytes(of: Double(step).bitPattern.littleEndian, toByteOffset: 0, as: UInt64.self)
    row.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 8, as: UInt64.self)
    row.storeBytes(of: gradientNorm.bitPattern.littleEndian, toByteOffset: 16, as: UInt64.self)
    assert(constantRate == nil || learningRate.bitPattern == constantRate!.bitPattern, "a constant rate's rows have it")
    if constantRate == nil { row.storeBytes(of: learningRate.bitPattern.littleEndian, toByteOffset: 24, as: UInt64.self) }
    var offset = afterRate
    if samples, let samplesPerStep {
      row.storeBytes(of: Double(step * samplesPerStep).bitPattern.littleEndian, toByteOffset: offset, as: UInt64.self)
      offset &+= 8
    }
    // Looped over `x.count`, not `storedX`: in the step loop's copy for a constant dimension the count is
    // that constant and the stores unroll. A switch on `storedX` with the 1-D and 2-D cases spelled out
    // cost 21 instructions a row more (callgrind, Rosenbrock × SGD at d = 2), with its spills.
    assert(storedX == 0 || x.count == storedX, "a row's x has the writer's dimension")
    if storedX != 0 {
      for i in 0..<x.count { row.storeBytes(of: x[i].bitPattern.littleEndian, toByteOffset: offset &+ 8 &* i, as: UInt64.self) }
    }
    count &+= rowBytes
  }

  @inline(never)
  mutating func recordRow(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>) {
    let width = columns.count
    switch format {
    case .csv:
      // Room for the whole row: every number takes at most `maximumLength` bytes plus a separator.
      if count + width * (NumberText.maximumLength + 1) > capacity { flush() }
      count += NumberText.write(step, to: buffer + count)
      append(value)
      append(gradientNorm)
      buffer[count] = UInt8(ascii: ",")
      count += 1
      if rateStart >= 0, learningRate.bitPattern == rateBits {
        (buffer + count).update(from: buffer + rateStart, count: rateLength)
      } else {
        rateBits = learningRate.bitPattern
        rateLength = NumberText.write(learningRate, to: buffer + count)
      }
      rateStart = count
      count += rateLength
      if let samplesPerStep {
        buffer[count] = UInt8(ascii: ",")
        count += 1 + NumberText.write(step * samplesPerStep, to: buffer + count + 1)
      }
      for i in 0..<storedX { append(x[i]) }
      buffer[count] = UInt8(ascii: "\n")
      count += 1
    case .binary, .packed:
      if count + rowBytes > capacity { flush() }
      storeRow(step: step, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: x, samples: samplesPerStep != nil)
    }
  }

  @inline(__always)
  mutating func append(_ v: Double) {
    buffer[count] = UInt8(ascii: ",")
    count += 1 + NumberText.write(v, to: buffer + count + 1)
  }

  mutating func flush() {
    if failure == nil, count > 0 {
      let bytes = UnsafeBufferPointer(start: buffer, count: count)
      do throws(OutputError) {
        if let slot {
          // The slot holds the most rows the run can record; more would write into the next run's.
          guard flushed + count <= slot.bytes else {
            throw OutputError("\(slot.path): run \(path) recorded more rows than its slot at offset \(slot.offset) holds (\(slot.bytes / rowBytes))")
          }
          try FileIO.writeAll(slot.fd, bytes, at: slot.offset + flushed, path: slot.path)
        } else {
          try file!.write(bytes)
        }
      } catch { failure = error }
    }
    flushed += count
    count = 0
    rateStart = -1
  }

  /// Flushes the file and puts it in place (the sidecar first, for binary files).
  public mutating func finish() throws(OutputError) {
    precondition(!closed, "finish called twice")
    flush()
    if ownsBuffer { buffer.deallocate() }
    closed = true
    guard let file else {
      if let failure { throw failure }
      return
    }
    if let failure {
      file.discard()
      throw failure
    }
    if reserved > flushed { file.release(beyond: flushed) }
    if format == .binary {
      do {
        let text = Self.sidecarText(columns: columns, rows: flushed / rowBytes, constantRate: constantRate)
        if let sidecars { try sidecars.place(text, at: path + ".json") } else { try FileIO.writeAtomically(text: text, to: path + ".json") }
      } catch {
        file.discard()
        throw error
      }
    }
    try file.commit()
  }

  /// A binary file's sidecar: its columns, rows, the values of the columns it leaves out (`constants`, with
  /// a constant learning rate), element type and byte order, and the `binary` clause that lets gnuplot plot
  /// it directly. The text is what `JSONValue.prettyPrinted` makes of that object, written directly: going
  /// through the general writer cost about 33,000 instructions more a file.
  static func sidecarText(columns: [String], rows: Int, constantRate: Double? = nil) -> String {
    var names = ""
    for (k, name) in columns.enumerated() {
      if k > 0 { names += ", " }
      JSONValue.writeString(name, to: &names)
    }
    var constants = ""
    if let constantRate {
      constants = ",\n  \"constants\": {\n    \"lr\": "
      constants.append(number: constantRate)
      constants += "\n  }"
    }
    return "{\n  \"columns\": [" + names + "],\n  \"rows\": " + String(rows) + constants
      + ",\n  \"dtype\": \"float64\",\n  \"endian\": \"little\",\n  \"gnuplot\": \"binary format='"
      + String(repeating: "%float64", count: columns.count) + "' endian=little\"\n}\n"
  }

  /// Closes and removes the file of a writer that will not be finished; nothing if it was.
  public mutating func abandon() {
    guard !closed else { return }
    file?.discard()
    if ownsBuffer { buffer.deallocate() }
    closed = true
  }
}

/// The binary sidecars of one sweep, by text: the runs of a sweep mostly share columns and row count, so
/// most sidecars are the same bytes, and a sidecar already written is hard-linked under the next run's
/// name instead of being written again. A link is one new directory entry; a file is an inode, a page of
/// page cache and an entry (on this VM's ext4 about 11 against 27 µs of kernel time each, 2,304 sidecars
/// from Python). The files read the same; what they share is their inode, as `merge`'s links share a
/// shard's. Where a link cannot be made (no hard links on this file system, a sidecar left in the way
/// by an interrupted run, the source removed or at the file system's limit of links), the sidecar is
/// written as before and becomes the source for the texts after it.
public final class SidecarLinks: Sendable {
  /// The file each text was last written to.
  private let sources = Mutex<[String: String]>([:])
  /// How many texts are kept: runs that stop early may each have a row count of their own, and a million
  /// of them must not hold a million texts (about 400 bytes each). Texts past these are written.
  let capacity: Int

  public init(capacity: Int = 4096) { self.capacity = capacity }

  /// Puts a sidecar of `text` at `path`: linked from an earlier one with the same text, or written.
  public func place(_ text: String, at path: String) throws(OutputError) {
    try place(text, at: path, link: { Foundation.link($0, $1) })
  }

  /// `place`, with the call that makes a hard link given (tests make it fail).
  func place(_ text: String, at path: String, link: (String, String) -> Int32) throws(OutputError) {
    if let source = sources.withLock({ $0[text] }), link(source, path) == 0 { return }
    try FileIO.writeAtomically(text: text, to: path)
    sources.withLock { if $0.count < capacity || $0[text] != nil { $0[text] = path } }
  }
}
