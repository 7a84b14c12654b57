import Foundation

/// The built `descent` binary, next to the test bundle (or `$DESCENT_BIN`).
let descentBinary: String = {
  if let override = ProcessInfo.processInfo.environment["DESCENT_BIN"] { return override }
  var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for _ in 0..<4 {
    let candidate = dir.appendingPathComponent("descent").path
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("descent").path
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

struct CommandResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs `descent` with `arguments` in `directory`, and waits.
@discardableResult
func descent(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil) throws -> CommandResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: descentBinary)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  if let environment { process.environment = environment }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read both pipes concurrently so neither can fill up and block the child.
  nonisolated(unsafe) var errData = Data()
  let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
  errReader.start()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  while !errReader.isFinished { usleep(1000) }
  return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
}

func temporaryDirectory() -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-cli-\(getpid())-\(UUID().uuidString.prefix(8))").path
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

func write(_ text: String, to path: String) {
  let made = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
  precondition(made, "cannot write \(path)")
}

/// Every file under `path`, relative.
func filesUnder(_ path: String) -> [String] {
  (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
}
