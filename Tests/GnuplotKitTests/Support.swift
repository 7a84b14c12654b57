import Foundation
import GnuplotKit

/// Whether a real gnuplot is on this machine's PATH; tests that run it are skipped, and say so, when it is not.
let realGnuplotIsInstalled = Gnuplot.locate() != nil

/// The real gnuplot, with a working directory.
func realGnuplot(in directory: TemporaryDirectory, timeout: Duration = .seconds(60)) throws -> Gnuplot {
  try Gnuplot(workingDirectory: directory.url, timeout: timeout)
}

/// A fresh directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("GnuplotKitTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }

  func path(_ name: String) -> String {
    url.appendingPathComponent(name).path
  }

  func exists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: path(name))
  }

  /// Writes an executable shell script called `gnuplot` with `body` after the `#!/bin/sh` line, and returns the
  /// environment whose PATH is just this directory.
  func fakeGnuplot(_ body: String) throws -> [String: String] {
    let script = url.appendingPathComponent("gnuplot")
    try Data("#!/bin/sh\n\(body)\n".utf8).write(to: script)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    return ["PATH": url.path]
  }
}
