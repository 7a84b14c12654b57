@testable import DescentCore

/// Builds a catalogue function from JSON text, failing the test on any diagnostic.
func makeObjective(_ json: String) throws -> any Objective {
  guard case .object(let entry) = try JSONParser.parse(json) else { throw TestFailure("not an object: \(json)") }
  var diagnostics = Diagnostics()
  guard let f = Catalog.builtIn.makeObjective(entry, at: "f", diagnostics: &diagnostics) else {
    throw TestFailure(diagnostics.problems.map(\.description).joined(separator: "; "))
  }
  return f
}

/// Builds an optimizer from JSON text.
func makeOptimizer(_ json: String) throws -> ConfiguredOptimizer {
  guard case .object(let entry) = try JSONParser.parse(json) else { throw TestFailure("not an object: \(json)") }
  var diagnostics = Diagnostics()
  guard let o = Catalog.builtIn.makeOptimizer(entry, at: "o", diagnostics: &diagnostics) else {
    throw TestFailure(diagnostics.problems.map(\.description).joined(separator: "; "))
  }
  return o
}

/// The diagnostics produced by decoding an optimizer entry that should fail.
func optimizerProblems(_ json: String) throws -> [String] {
  guard case .object(let entry) = try JSONParser.parse(json) else { throw TestFailure("not an object: \(json)") }
  var diagnostics = Diagnostics()
  _ = Catalog.builtIn.makeOptimizer(entry, at: "o", diagnostics: &diagnostics)
  return diagnostics.problems.map(\.description)
}

func objectiveProblems(_ json: String) throws -> [String] {
  guard case .object(let entry) = try JSONParser.parse(json) else { throw TestFailure("not an object: \(json)") }
  var diagnostics = Diagnostics()
  _ = Catalog.builtIn.makeObjective(entry, at: "f", diagnostics: &diagnostics)
  return diagnostics.problems.map(\.description)
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

func maxAbs(_ v: [Double]) -> Double { v.map { abs($0) }.max() ?? 0 }
