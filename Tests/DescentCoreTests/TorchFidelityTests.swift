import Foundation
import Testing
@testable import DescentCore

/// The torch reference fixtures: trajectories written by `tools/torch_reference.py` from torch.optim
/// itself (float64, single-tensor path), never by the code under test.
struct TorchCase: Sendable, CustomTestStringConvertible {
  var id: String
  var optimizer: JSONObject
  var problem: String
  var steps: Int
  var every: Int
  var file: String
  var testDescription: String { id }

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torch").path

  static let manifest: JSONObject = {
    guard let bytes = FileManager.default.contents(atPath: directory + "/cases.json"),
      case .object(let o) = try? JSONParser.parse([UInt8](bytes))
    else { return JSONObject() }
    return o
  }()

  static let all: [TorchCase] = (manifest["cases"]?.arrayValue ?? []).compactMap { value in
    guard case .object(let c) = value, case .object(var hyper)? = c["hyperparameters"] else { return nil }
    hyper["name"] = c["optimizer"]
    return TorchCase(id: c["id"]!.stringValue!, optimizer: hyper, problem: c["problem"]!.stringValue!,
                     steps: Int(c["steps"]!.numberValue!), every: Int(c["every"]!.numberValue!), file: c["file"]!.stringValue!)
  }

  func objective() throws -> (any Objective, [Double]) {
    guard case .object(let problem)? = Self.manifest["problems"]?.objectValue?[problem] else { throw TestFailure("no problem \(problem)") }
    let start = problem["start"]!.arrayValue!.map { $0.numberValue! }
    switch self.problem {
    case "rosenbrock2": return (try makeObjective(#"{"name": "rosenbrock"}"#), start)
    case "quadratic20": return (try makeObjective(#"{"name": "quadratic", "diag": \#(problem["diag"]!.serialized())}"#), start)
    default: throw TestFailure("unknown problem \(self.problem)")
    }
  }

  /// Rows of x from the fixture, keyed by step.
  func expected() throws -> [(step: Int, x: [Double])] {
    let text = try String(contentsOfFile: Self.directory + "/" + file, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { line in
      let cells = line.split(separator: ",").map { Double($0)! }
      return (Int(cells[0]), Array(cells.dropFirst()))
    }
  }
}

@Suite("torch.optim fidelity")
struct TorchFidelityTests {
  @Test("the fixtures cover every optimizer on a 2-D and a 20-D problem")
  func coverage() {
    let types = Set(Catalog.builtIn.optimizers.filter { $0.aliasOf == nil }.map(\.name))
    #expect(Set(TorchCase.all.map { $0.optimizer["name"]!.stringValue! }) == types)
    #expect(Set(TorchCase.all.map(\.problem)) == ["rosenbrock2", "quadratic20"])
    #expect(TorchCase.all.allSatisfy { $0.steps >= 1000 })
  }

  /// Each fixture is reproduced to ≤ 1e-10 relative error at every recorded step (in practice bit for bit).
  @Test("Descent reproduces torch.optim's trajectory", arguments: TorchCase.all)
  func reproduces(_ fixture: TorchCase) throws {
    let (f, start) = try fixture.objective()
    let configured = try makeOptimizer(fixture.optimizer.serializedObject)
    var optimizer = configured.optimizer
    optimizer.reset(dimension: f.dimension)
    let expected = try fixture.expected()
    var x = start
    var worst = 0.0
    var exact = true
    var row = 0
    for step in 0...fixture.steps {
      if row < expected.count, expected[row].step == step {
        for (a, b) in zip(x, expected[row].x) {
          exact = exact && a == b
          let scale = max(abs(a), abs(b))
          if scale > 0 { worst = max(worst, abs(a - b) / scale) }
        }
        row += 1
      }
      if step == fixture.steps { break }
      let g = f.evaluate(x).gradient
      optimizer.step(&x, gradient: g, learningRate: configured.learningRate)
    }
    #expect(row == expected.count)
    #expect(worst <= 1e-10, "\(fixture.id): max relative error \(worst)")
    #expect(exact, "\(fixture.id): not bit-identical (max relative error \(worst))")
  }
}

extension JSONObject {
  var serializedObject: String { JSONValue.object(self).serialized() }
}
