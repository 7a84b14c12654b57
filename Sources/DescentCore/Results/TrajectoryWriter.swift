import Foundation

/// Streams one run's trajectory to `runs/<run_id>.csv` through a temporary file renamed into place when
/// the run completes. Rows are formatted into a buffer that is flushed every megabyte, so memory stays
/// bounded whatever the run length.
///
/// Columns: `step,f,grad_norm,lr,x1,…,xd` (the `x` columns when `writesX`).
public struct CSVTrajectoryWriter: TrajectoryRecorder {
  let path: String
  let temporary: String
  let fd: Int32
  let writesX: Bool
  var buffer: [UInt8] = []
  /// The first write error, reported by `finish`.
  var failure: OutputError?

  static let flushThreshold = 1 << 20

  public init(path: String, dimension: Int, writesX: Bool) throws(OutputError) {
    self.path = path
    temporary = FileIO.temporaryName(for: path)
    unlink(temporary)
    fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError("cannot create \(temporary): \(FileIO.errorText(errno))") }
    self.writesX = writesX
    buffer.reserveCapacity(Self.flushThreshold + 4096)
    var header = "step,f,grad_norm,lr"
    if writesX { for i in 1...dimension { header += ",x\(i)" } }
    buffer.append(contentsOf: header.utf8)
    buffer.append(UInt8(ascii: "\n"))
  }

  public mutating func record(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>) {
    buffer.append(contentsOf: String(step).utf8)
    append(value)
    append(gradientNorm)
    append(learningRate)
    if writesX { for i in 0..<x.count { append(x[i]) } }
    buffer.append(UInt8(ascii: "\n"))
    if buffer.count >= Self.flushThreshold { flush() }
  }

  @inline(__always)
  mutating func append(_ v: Double) {
    buffer.append(UInt8(ascii: ","))
    buffer.append(contentsOf: NumberText.format(v).utf8)
  }

  mutating func flush() {
    guard failure == nil, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
    do { try FileIO.writeAll(fd, buffer, path: temporary) } catch { failure = error }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, closes and renames the file into place.
  public mutating func finish() throws(OutputError) {
    flush()
    close(fd)
    if let failure {
      unlink(temporary)
      throw failure
    }
    try FileIO.commit(temporary, to: path)
  }

  /// Closes and removes the temporary file (an abandoned run).
  public mutating func abandon() {
    close(fd)
    unlink(temporary)
  }
}
