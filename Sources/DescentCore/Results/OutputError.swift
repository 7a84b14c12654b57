/// A problem with the output directory or writing to it.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  /// sysexits: 73 (can't create) for I/O failures, 64 for an existing directory without --resume/--force.
  public var exitCode: Int32

  public init(_ message: String, exitCode: Int32 = 73) {
    self.message = message
    self.exitCode = exitCode
  }

  public var description: String { message }
}
