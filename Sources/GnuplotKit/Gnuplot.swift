import Foundation

/// A gnuplot executable and how to run scripts with it.
///
/// Each `run` starts `gnuplot --default-settings /dev/stdin`, writes the script to its standard input, and waits.
/// Naming `/dev/stdin` as a script file makes gnuplot read it as a file (much faster for inline data than
/// interactive standard input), and `--default-settings` keeps a user's `~/.gnuplot` from changing the pictures.
///
/// ```swift
/// let gnuplot = try Gnuplot(workingDirectory: resultsDirectory)
/// let output = try gnuplot.run("set terminal dumb\nplot sin(x)\n")
/// print(output.standardOutputText)
/// ```
/// Runs are independent; one value may run scripts from many threads at once.
///
/// See also: `GnuplotScript`, `GnuplotString`, `GnuplotError`.
public struct Gnuplot: Sendable {
  /// How long a run may take before gnuplot is stopped, unless an initialiser is given another timeout.
  public static let defaultTimeout: Duration = .seconds(60)

  /// The gnuplot executable.
  public let executable: URL
  /// The environment gnuplot runs with.
  public let environment: [String: String]
  /// The directory gnuplot runs in, so relative file names in scripts resolve there; `nil` for this process's
  /// current directory.
  public var workingDirectory: URL?
  /// How long a run may take before gnuplot is stopped: SIGTERM, then SIGKILL if it is still running after a short
  /// grace period.
  public var timeout: Duration

  /// Finds gnuplot and prepares to run it.
  /// - Parameters:
  ///   - executable: the gnuplot to use; `nil` searches the `PATH` in `environment`.
  ///   - environment: where `PATH` is read from, and the environment gnuplot runs with.
  ///   - workingDirectory: the directory gnuplot runs in; `nil` for this process's current directory.
  ///   - timeout: how long a run may take; `defaultTimeout` unless given.
  /// - Throws: `GnuplotError.notFound` (exit code 69, with the install command in its message).
  public init(
    executable: URL? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: URL? = nil,
    timeout: Duration = Gnuplot.defaultTimeout
  ) throws(GnuplotError) {
    if let executable {
      guard Self.isExecutableFile(executable.path) else { throw .notFound(searched: executable.path) }
      self.executable = executable
    } else {
      guard let found = Self.locate(environment: environment) else {
        throw .notFound(searched: environment["PATH"] ?? "")
      }
      self.executable = found
    }
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.timeout = timeout
  }

  /// The first executable file named `gnuplot` in the directories of `environment["PATH"]`, searched in order.
  /// Empty entries (which a shell would read as the current directory) are skipped.
  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
    let directories = (environment["PATH"] ?? "").split(separator: ":", omittingEmptySubsequences: true)
    for directory in directories {
      let candidate = URL(fileURLWithPath: String(directory), isDirectory: true).appendingPathComponent("gnuplot")
      if isExecutableFile(candidate.path) { return candidate }
    }
    return nil
  }

  /// Runs `script` and returns what gnuplot printed.
  ///
  /// - Throws: `GnuplotError.scriptFailed` with gnuplot's message and line when the script has an error;
  ///   `.crashed`, `.timedOut`, `.exitedEarly` or `.launchFailed` when gnuplot itself misbehaves.
  public func run(_ script: String) throws(GnuplotError) -> GnuplotOutput {
    try ScriptRun(gnuplot: self, script: Array(script.utf8)).execute()
  }

  /// Runs `script.text`; see `run(_:)`.
  public func run(_ script: GnuplotScript) throws(GnuplotError) -> GnuplotOutput {
    try run(script.text)
  }

  static func isExecutableFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
      && FileManager.default.isExecutableFile(atPath: path)
  }
}
