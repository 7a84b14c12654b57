import Foundation
import Testing
@testable import DescentCore

/// Seeded random mutations of the shipped configs: the decoder must answer every input with a value or a
/// `ConfigError`, never a crash or a hang.
@Suite("Fuzzing the config decoder")
struct FuzzTests {
  static let seeds: [[UInt8]] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("Configs").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    // Configs with finite sums are left out: generating their data (10,000 × 50 Gaussians and a solve)
    // would dominate the time per input; FiniteSumTests covers their decoding.
    return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { FileManager.default.contents(atPath: dir + "/" + $0).map { [UInt8]($0) } }
      .filter { !String(decoding: $0, as: UTF8.self).contains("least-squares") }
  }()

  /// Tokens worth splicing in: structure, extreme numbers, types, known keys.
  static let tokens: [String] = [
    "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "-", "0", "1e308", "1e-320", "-1", "1e999", "NaN",
    "\"grid\"", "{\"grid\": [1, 2]}", "{\"logspace\": [-3, 0, 1000]}", "{\"linspace\": [0, 1, 100000]}", "\"name\"",
    "\"rosenbrock\"", "\"adam\"", "\"dim\"", "1000000", "\"start\"", "{\"points\": []}", "\"seeds\"", "\"\\u0000\"",
    "\u{FEFF}", "\u{FF}", "\"..\"", "\"a/b\"", "[[[[[[[[", "\"steps\": 0", "\"betas\": [1, 1]",
  ]

  static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    for _ in 0..<(1 + Int(rng.next() % 4)) {
      let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
      switch rng.next() % 6 {
      case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())  // flip a byte
      case 1 where !bytes.isEmpty: bytes.remove(at: position)  // delete a byte
      case 2: bytes.insert(contentsOf: Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8), at: position)
      case 3: bytes = Array(bytes.prefix(position))  // truncate
      case 4 where bytes.count > 2:  // delete a span
        let end = min(bytes.count, position + Int(rng.next() % 40))
        bytes.removeSubrange(position..<end)
      default:  // duplicate a span elsewhere
        let end = min(bytes.count, position + Int(rng.next() % 40))
        let span = Array(bytes[position..<end])
        bytes.insert(contentsOf: span, at: bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count)))
      }
    }
    return bytes
  }

  @Test("100,000 mutated configs each decode or fail with a ConfigError")
  func configs() {
    #expect(Self.seeds.count >= 5)
    var rng = SplitMix64(seed: 20261123)
    var valid = 0, malformed = 0, invalid = 0
    for i in 0..<100_000 {
      let input = Self.mutate(Self.seeds[i % Self.seeds.count], &rng)
      do {
        let e = try Experiment.decode(input, file: "fuzz.json", runCap: 10_000)
        #expect(e.runCount > 0 && e.runCount <= 10_000)
        valid += 1
      } catch {
        switch error {
        case .malformed: malformed += 1
        case .invalid(_, let problems):
          #expect(!problems.isEmpty)
          invalid += 1
        case .unreadable: Issue.record("bytes in memory cannot be unreadable")
        }
        #expect(error.exitCode == 65)
      }
    }
    // The mutations reach past the parser into validation, and some stay valid.
    #expect(valid > 1000 && malformed > 1000 && invalid > 1000, "valid \(valid), malformed \(malformed), invalid \(invalid)")
  }

  @Test("deep nesting is rejected, not a stack overflow")
  func deepNesting() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: ConfigError.self) { try Experiment.decode(Array(deep.utf8), file: "deep.json") }
  }

  @Test("grid axes that would expand past the limit are rejected before expanding")
  func hugeGrid() {
    let text = #"{"name": "g", "steps": 1, "functions": [{"name": "booth"}], "optimizers": [{"name": "adam", "lr": {"linspace": [0, 1, 1000000]}, "eps": {"logspace": [-10, -1, 1000000]}}]}"#
    let problems = configProblems(text)
    #expect(problems == ["optimizers[0]: the grid axes of this entry expand to 1000000000000 settings, more than 100000"])
  }
}

/// The baseline reader answers every mutation of the committed baseline with a value or a `ConfigError`.
@Suite("Fuzzing the baseline reader")
struct BaselineFuzzTests {
  @Test("100,000 mutated baselines each decode or fail with a ConfigError (exit 65)")
  func baselines() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let committed = try #require(FileManager.default.contents(atPath: root.path + "/Results/baselines/ci.json"))
    // The committed baseline is large; fuzz a prefix of its runs so each input stays small.
    let seed = [UInt8](committed.prefix(1200)) + Array("\n}}".utf8)
    var rng = SplitMix64(seed: 7)
    var decoded = 0, rejected = 0
    for _ in 0..<100_000 {
      let input = FuzzTests.mutate(rng.next() % 200 == 0 ? [UInt8](committed) : seed, &rng)
      do {
        _ = try Baseline.decode(input, file: "baseline.json")
        decoded += 1
      } catch {
        #expect(error.exitCode == 65)
        rejected += 1
      }
    }
    #expect(rejected > 1000, "decoded \(decoded), rejected \(rejected)")
  }
}
