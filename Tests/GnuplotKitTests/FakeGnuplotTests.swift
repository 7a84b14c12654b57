import Foundation
import GnuplotKit
import Testing

@Suite("Misbehaving gnuplots, faked with shell scripts on PATH")
struct FakeGnuplotTests {
  @Test("A gnuplot that exits 1 with a message reports the message")
  func exitsWithMessage() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("echo 'fake gnuplot: out of cheese' >&2\nexit 1")
    let gnuplot = try Gnuplot(environment: environment)
    #expect(gnuplot.executable.path == directory.path("gnuplot"))

    #expect(throws: GnuplotError.scriptFailed(
      GnuplotDiagnostic(line: nil, message: "fake gnuplot: out of cheese"), exitStatus: 1,
      standardError: "fake gnuplot: out of cheese\n")
    ) {
      try gnuplot.run("plot x\n")
    }
  }

  @Test("A silent non-zero exit still says what happened")
  func exitsSilently() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("exit 3")
    #expect(throws: GnuplotError.scriptFailed(
      GnuplotDiagnostic(line: nil, message: "gnuplot exited with status 3"), exitStatus: 3, standardError: "")
    ) {
      try Gnuplot(environment: environment).run("plot x\n")
    }
  }

  @Test("A gnuplot killed by a signal is a crash")
  func killedBySignal() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("echo 'about to die' >&2\nkill -9 $$")
    let error = #expect(throws: GnuplotError.self) { try Gnuplot(environment: environment).run("plot x\n") }
    #expect(error == .crashed(signal: 9, standardError: "about to die\n"))
  }

  @Test("A hung gnuplot is stopped at the timeout")
  func hangs() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("echo 'thinking' >&2\nexec /bin/sleep 1000")
    let gnuplot = try Gnuplot(environment: environment, timeout: .milliseconds(300))
    let clock = ContinuousClock()
    let start = clock.now
    let error = #expect(throws: GnuplotError.self) { try gnuplot.run("plot x\n") }
    let elapsed = clock.now - start
    #expect(error == .timedOut(after: .milliseconds(300), standardError: "thinking\n"))
    #expect(elapsed >= .milliseconds(300))
    #expect(elapsed < .seconds(2), "SIGTERM should have stopped it at once")
  }

  @Test("A hung gnuplot that ignores SIGTERM is killed")
  func hangsIgnoringTerm() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("trap '' TERM\nexec /bin/sleep 1000")
    let gnuplot = try Gnuplot(environment: environment, timeout: .milliseconds(200))
    let clock = ContinuousClock()
    let start = clock.now
    let error = #expect(throws: GnuplotError.self) { try gnuplot.run("plot x\n") }
    let elapsed = clock.now - start
    #expect(error == .timedOut(after: .milliseconds(200), standardError: ""))
    #expect(elapsed >= .seconds(2), "SIGKILL comes two seconds after SIGTERM")
    #expect(elapsed < .seconds(6))
  }

  @Test("A hung gnuplot that never reads a long script still times out")
  func hangsWithoutReading() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("exec /bin/sleep 1000")
    let gnuplot = try Gnuplot(environment: environment, timeout: .milliseconds(300))
    let script = String(repeating: "# more than a pipe buffer of script\n", count: 100_000)
    let error = #expect(throws: GnuplotError.self) { try gnuplot.run(script) }
    #expect(error == .timedOut(after: .milliseconds(300), standardError: ""))
  }

  @Test("gnuplot missing from PATH is 'unavailable' (69) with the install command")
  func missing() throws {
    let directory = try TemporaryDirectory()
    let error = #expect(throws: GnuplotError.self) { try Gnuplot(environment: ["PATH": directory.url.path]) }
    #expect(error == .notFound(searched: directory.url.path))
    #expect(error?.exitCode == 69)
    #expect(error?.description.contains("apt-get install -y --no-install-recommends gnuplot-nox") == true)
  }

  @Test("No PATH at all is also not found")
  func noPath() {
    #expect(throws: GnuplotError.notFound(searched: "")) { try Gnuplot(environment: [:]) }
  }

  @Test("An explicit executable that does not exist is not found")
  func explicitMissing() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path("not-gnuplot")
    #expect(throws: GnuplotError.notFound(searched: path)) {
      try Gnuplot(executable: URL(fileURLWithPath: path))
    }
  }

  @Test("PATH is searched in order, skipping directories and non-executables")
  func searchOrder() throws {
    let empty = try TemporaryDirectory()
    let notExecutable = try TemporaryDirectory()
    try Data("#!/bin/sh\n".utf8).write(to: notExecutable.url.appendingPathComponent("gnuplot"))
    let directoryNamedGnuplot = try TemporaryDirectory()
    try FileManager.default.createDirectory(
      at: directoryNamedGnuplot.url.appendingPathComponent("gnuplot"), withIntermediateDirectories: false)
    let first = try TemporaryDirectory()
    _ = try first.fakeGnuplot("exit 0")
    let second = try TemporaryDirectory()
    _ = try second.fakeGnuplot("exit 0")

    let path = [empty, notExecutable, directoryNamedGnuplot, first, second].map(\.url.path).joined(separator: ":")
    #expect(Gnuplot.locate(environment: ["PATH": "::" + path]) == first.url.appendingPathComponent("gnuplot"))
  }

  @Test("A gnuplot that cannot be started is a launch failure")
  func cannotLaunch() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("exit 0")
    let gnuplot = try Gnuplot(
      environment: environment, workingDirectory: directory.url.appendingPathComponent("missing-directory"))
    let error = #expect(throws: GnuplotError.self) { try gnuplot.run("plot x\n") }
    guard case .launchFailed(let executable, _) = error else {
      Issue.record("expected launchFailed, got \(String(describing: error))")
      return
    }
    #expect(executable == directory.path("gnuplot"))
    #expect(error?.exitCode == 69)
  }

  @Test("The script arrives on standard input, with the arguments gnuplot is given")
  func scriptOnStandardInput() throws {
    let directory = try TemporaryDirectory()
    let environment = try directory.fakeGnuplot("echo \"$@\"\n/bin/cat")
    let output = try Gnuplot(environment: environment).run("set terminal dumb\nplot x\n")
    #expect(output.standardOutputText == "--default-settings /dev/stdin\nset terminal dumb\nplot x\n")
  }
}
