import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing to a pipe whose reader has exited raises SIGPIPE, which would kill this whole process when gnuplot
/// stops reading a script early. Ignoring it once, process-wide, turns that into an EPIPE write error instead.
private let brokenPipeSignalIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// One run of gnuplot: start it, feed it the script, collect its output, and classify how it ended.
///
/// The script is written and both output pipes are read on threads of their own, so a gnuplot that prints a lot
/// while the script is still being written cannot deadlock on a full pipe, and a gnuplot that hangs without
/// reading cannot block the timeout.
struct ScriptRun {
  let gnuplot: Gnuplot
  let script: [UInt8]

  /// How long a stopped gnuplot gets between SIGTERM and SIGKILL.
  static let terminationGrace: Duration = .seconds(2)
  /// How long to keep reading output after gnuplot has exited. Only a process gnuplot started and left running
  /// can hold the pipes open past that; its output is then cut short rather than waited for.
  static let drainGrace: Duration = .seconds(5)

  func execute() throws(GnuplotError) -> GnuplotOutput {
    _ = brokenPipeSignalIgnored

    let process = Process()
    process.executableURL = gnuplot.executable
    process.arguments = ["--default-settings", "/dev/stdin"]
    process.environment = gnuplot.environment
    process.currentDirectoryURL = gnuplot.workingDirectory
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }

    do {
      try Self.withNoSignalsBlocked { try process.run() }
    } catch {
      throw .launchFailed(executable: gnuplot.executable.path, reason: error.localizedDescription)
    }
    let standardOutput = PipeDrain(takingOver: output.fileHandleForReading)
    let standardError = PipeDrain(takingOver: errors.fileHandleForReading)
    let writer = ScriptWriter(takingOver: input.fileHandleForWriting, script: script)

    if exited.wait(timeout: .now() + Self.interval(gnuplot.timeout)) == .timedOut {
      Self.signal(SIGTERM, to: process.processIdentifier)
      if exited.wait(timeout: .now() + Self.interval(Self.terminationGrace)) == .timedOut {
        Self.signal(SIGKILL, to: process.processIdentifier)
        exited.wait()
      }
      throw .timedOut(after: gnuplot.timeout, standardError: standardError.text(within: Self.drainGrace))
    }

    let outputBytes = standardOutput.bytes(within: Self.drainGrace)
    let errorText = standardError.text(within: Self.drainGrace)
    let written = writer.result(within: Self.drainGrace)
    let status = process.terminationStatus

    if process.terminationReason == .uncaughtSignal {
      throw .crashed(signal: status, standardError: errorText)
    }
    if status != 0 {
      throw .scriptFailed(
        GnuplotDiagnostic.error(in: errorText, exitStatus: status), exitStatus: status, standardError: errorText)
    }
    switch written {
    case .complete, nil:
      break
    case .brokenPipe:
      throw .exitedEarly(standardError: errorText)
    case .failed(let code):
      throw .launchFailed(
        executable: gnuplot.executable.path, reason: "writing the script failed: \(String(cString: strerror(code)))")
    }
    return GnuplotOutput(
      standardOutput: Data(outputBytes), standardError: errorText,
      warnings: GnuplotDiagnostic.warnings(in: errorText))
  }

  /// Runs `body` with this thread's signal mask emptied.
  ///
  /// A child inherits the signal mask of the thread that starts it, and Dispatch worker threads (where Swift
  /// concurrency and `concurrentPerform` run) block SIGTERM and SIGINT. Without this, gnuplot would ignore the
  /// timeout's SIGTERM and always need SIGKILL.
  private static func withNoSignalsBlocked<T>(_ body: () throws -> T) rethrows -> T {
    var unblocked = sigset_t()
    var previous = sigset_t()
    sigemptyset(&unblocked)
    pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try body()
  }

  /// Sends `signal` to gnuplot's process group (Foundation starts it in a group of its own, so this reaches
  /// anything it started too) and to gnuplot itself, for platforms where it shares ours.
  private static func signal(_ signal: Int32, to pid: Int32) {
    guard pid > 0 else { return }
    _ = kill(-pid, signal)
    _ = kill(pid, signal)
  }

  static func interval(_ duration: Duration) -> DispatchTimeInterval {
    let (seconds, attoseconds) = duration.components
    guard seconds < Int64(Int32.max) else { return .never }
    return .nanoseconds(Int(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
  }
}

/// Reads a pipe to its end on a thread of its own.
///
/// The thread owns a close-on-exec duplicate of the descriptor, so later children cannot inherit it and it stays
/// valid however long the `Pipe` object lives.
final class PipeDrain: Sendable {
  private let collected = Mutex<[UInt8]>([])
  private let finished = DispatchSemaphore(value: 0)

  init(takingOver handle: FileHandle) {
    let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
    try? handle.close()
    Thread { [self] in
      defer { finished.signal() }
      guard descriptor >= 0 else { return }
      defer { close(descriptor) }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
          collected.withLock { $0.append(contentsOf: buffer[..<count]) }
        } else if count == 0 || errno != EINTR {
          return
        }
      }
    }.start()
  }

  /// Everything read, once the pipe has closed or `grace` has passed.
  func bytes(within grace: Duration) -> [UInt8] {
    _ = finished.wait(timeout: .now() + ScriptRun.interval(grace))
    return collected.withLock { $0 }
  }

  /// `bytes(within:)` decoded as UTF-8.
  func text(within grace: Duration) -> String {
    String(decoding: bytes(within: grace), as: UTF8.self)
  }
}

/// Writes a script to gnuplot's standard input on a thread of its own, then closes it.
final class ScriptWriter: Sendable {
  enum Outcome: Equatable, Sendable {
    case complete
    /// gnuplot closed its standard input (by exiting) before reading everything.
    case brokenPipe
    case failed(errno: Int32)
  }

  private let outcome = Mutex<Outcome?>(nil)
  private let finished = DispatchSemaphore(value: 0)

  init(takingOver handle: FileHandle, script: [UInt8]) {
    let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
    try? handle.close()
    Thread { [self] in
      defer { finished.signal() }
      guard descriptor >= 0 else {
        outcome.withLock { $0 = .failed(errno: errno) }
        return
      }
      defer { close(descriptor) }
      var offset = 0
      while offset < script.count {
        let count = script.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if count >= 0 {
          offset += count
        } else if errno != EINTR {
          let code = errno
          outcome.withLock { $0 = code == EPIPE ? .brokenPipe : .failed(errno: code) }
          return
        }
      }
      outcome.withLock { $0 = .complete }
    }.start()
  }

  /// How writing ended, or `nil` if it had not ended within `grace`.
  func result(within grace: Duration) -> Outcome? {
    _ = finished.wait(timeout: .now() + ScriptRun.interval(grace))
    return outcome.withLock { $0 }
  }
}
