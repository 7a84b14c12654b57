import Foundation

/// `manifest.json`: what produced a results directory, and whether it is complete.
public struct Manifest: Sendable {
  public var name: String
  public var configHash: String
  public var version: String = DescentVersion.string
  public var gitCommit: String? = Manifest.currentGitCommit()
  public var started: Date
  public var finished: Date?
  public var jobs: Int
  public var runCount: Int
  public var runsHere: Int
  public var shard: Shard?
  /// `running`, `complete` or `interrupted`.
  public var status: String

  public init(name: String, configHash: String, started: Date, jobs: Int, runCount: Int, runsHere: Int, shard: Shard?, status: String) {
    self.name = name
    self.configHash = configHash
    self.started = started
    self.jobs = jobs
    self.runCount = runCount
    self.runsHere = runsHere
    self.shard = shard
    self.status = status
  }

  public var json: JSONValue {
    var o = JSONObject()
    o["name"] = .string(name)
    o["config_sha256"] = .string(configHash)
    o["descent_version"] = .string(version)
    o["git_commit"] = gitCommit.map { .string($0) } ?? .null
    o["started"] = .string(Self.timestamp(started))
    o["finished"] = finished.map { .string(Self.timestamp($0)) } ?? .null
    o["jobs"] = .number(Double(jobs))
    o["run_count"] = .number(Double(runCount))
    o["runs_in_directory"] = .number(Double(runsHere))
    o["shard"] = shard.map { .string($0.description) } ?? .null
    o["status"] = .string(status)
    o["host"] = .object(Self.host)
    return .object(o)
  }

  /// The machine, asked once: the manifest is written when a sweep starts and again when it ends, and
  /// Foundation reads `/etc/os-release` and the cgroup files each time it is asked.
  static let host: JSONObject = {
    var host = JSONObject()
    host["name"] = .string(ProcessInfo.processInfo.hostName)
    host["os"] = .string(ProcessInfo.processInfo.operatingSystemVersionString)
    host["active_cores"] = .number(Double(ProcessInfo.processInfo.activeProcessorCount))
    host["memory_bytes"] = .number(Double(ProcessInfo.processInfo.physicalMemory))
    return host
  }()

  public func write(to directory: ResultsDirectory) throws(OutputError) {
    try directory.write(json.prettyPrinted(), to: "manifest.json")
  }

  /// Reads the fields that merging needs; `nil` if the file is missing or malformed.
  /// A `shard` that is neither null nor `K/N` makes the manifest unreadable: taking it for an unsharded
  /// run made merge blame the other shards.
  public static func read(_ directory: ResultsDirectory) -> (configHash: String, shard: Shard?, status: String)? {
    try? readExplaining(directory)
  }

  /// `read`, saying why a manifest cannot be read: missing, not JSON (with the line and column), or a
  /// field missing or malformed.
  public static func readExplaining(_ directory: ResultsDirectory) throws(ManifestProblem) -> (configHash: String, shard: Shard?, status: String) {
    let path = directory.file("manifest.json")
    guard FileIO.exists(path) else { throw ManifestProblem("manifest.json is missing") }
    guard let bytes = FileIO.read(path, limit: 1 << 20) else {
      throw ManifestProblem("manifest.json cannot be read (not a regular file, unreadable, or over 1 MB)")
    }
    let value: JSONValue
    do { value = try JSONParser.parse(bytes) } catch {
      throw ManifestProblem("manifest.json is not JSON: line \(error.line), column \(error.column): \(error.reason)")
    }
    guard case .object(let o) = value else { throw ManifestProblem("manifest.json is not a JSON object") }
    guard let hash = o["config_sha256"]?.stringValue else { throw ManifestProblem("manifest.json: config_sha256: expected a string") }
    guard let status = o["status"]?.stringValue else { throw ManifestProblem("manifest.json: status: expected a string") }
    switch o["shard"] {
    case nil, .null?: return (hash, nil, status)
    case .string(let text)?:
      guard let shard = Shard(text) else {
        throw ManifestProblem("manifest.json: shard: expected \"K/N\" with 1 ≤ K ≤ N ≤ 100000, got \(JSONValue.string(text).serialized())")
      }
      return (hash, shard, status)
    default: throw ManifestProblem("manifest.json: shard: expected \"K/N\" or null")
    }
  }

  /// `2026-11-23T18:40:36.123Z`: UTC, milliseconds truncated, the text of
  /// `Date.ISO8601FormatStyle(includingFractionalSeconds: true)` (a test compares the two). Spelled out
  /// here because the format style's first use sets up a calendar and ICU's time zone, about a millisecond
  /// of the serial time before the first run.
  static func timestamp(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970
    var whole = time_t(seconds.rounded(.down))
    let milliseconds = Int32(((seconds - Double(whole)) * 1000).rounded(.down))
    var t = tm()
    gmtime_r(&whole, &t)
    func digits(_ value: Int32, _ count: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, count - text.count)) + text
    }
    return digits(t.tm_year + 1900, 4) + "-" + digits(t.tm_mon + 1, 2) + "-" + digits(t.tm_mday, 2) + "T"
      + digits(t.tm_hour, 2) + ":" + digits(t.tm_min, 2) + ":" + digits(t.tm_sec, 2) + "." + digits(milliseconds, 3) + "Z"
  }

  /// The commit of the git checkout in the working directory, read from `.git` without running git.
  static func currentGitCommit() -> String? {
    // Trimmed by hand: `trimmingCharacters(in:)` builds a `CharacterSet`, a few hundred microseconds of
    // the serial time before the first run.
    func trimmed(_ text: String) -> String {
      var s = Substring(text)
      while s.last?.isWhitespace == true { s.removeLast() }
      while s.first?.isWhitespace == true { s.removeFirst() }
      return String(s)
    }
    guard let head = (try? String(contentsOfFile: ".git/HEAD", encoding: .utf8)).map(trimmed) else { return nil }
    guard head.hasPrefix("ref: ") else { return head.count == 40 ? head : nil }
    let ref = String(head.dropFirst(5))
    if let commit = try? String(contentsOfFile: ".git/" + ref, encoding: .utf8) { return trimmed(commit) }
    if let packed = try? String(contentsOfFile: ".git/packed-refs", encoding: .utf8) {
      for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) { return String(line.prefix(40)) }
    }
    return nil
  }
}

/// Why a manifest cannot be read.
public struct ManifestProblem: Error, Sendable, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
