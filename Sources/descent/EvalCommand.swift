import ArgumentParser
import Foundation
import DescentCore

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Print f(x) and ∇f(x) of a test function at a point, at full precision.",
    discussion: "Example: descent eval rosenbrock --at -1.5,2 --json")

  @Argument(help: "The function's registry name (see 'descent list functions').")
  var name: String

  @Option(parsing: .unconditional, help: "The point, as comma-separated coordinates: --at -1.5,2")
  var at: String

  @Option(parsing: .unconditional, help: "The dimension, for functions of any dimension.")
  var dim: Int?

  @Option(name: .customLong("param"), parsing: .unconditionalSingleValue, help: "A parameter as KEY=VALUE (VALUE in JSON: 0.5, true, [0.2,4]). Repeatable.")
  var params: [String] = []

  @Flag(help: "Print JSON.")
  var json = false

  /// A bad argument, with eval's usage line.
  private func usage(_ message: String) -> ExitCode { Failure.usage(message, of: Self.self) }

  func run() throws {
    var given: [(key: String, value: JSONValue)] = []
    for param in params {
      guard let eq = param.firstIndex(of: "="), eq != param.startIndex else { throw usage("--param expects KEY=VALUE, got '\(param)'") }
      let key = String(param[..<eq]), text = String(param[param.index(after: eq)...])
      guard let value = try? JSONParser.parse(text) else {
        throw usage("--param \(key): '\(text)' is not a JSON value (a number, true/false, or an array like [0.2,4])")
      }
      guard !given.contains(where: { $0.key == key }) else { throw usage("--param \(key): given twice") }
      if key == "dim" && dim != nil { throw usage("--param dim: given by --dim too") }
      given.append((key, value))
    }
    // What the config reader would say about these is phrased for the command line here.
    let registered = Catalog.builtIn.objective(named: name)
    let names = registered?.parameters.map(\.name)
    if let registered, let names {
      if let dim, !names.contains("dim"), registered.dimensionRule != .fixed(dim) {
        let what = switch registered.dimensionRule {
        case .fixed(let d): "is \(d)-dimensional"
        case .atLeast: "sets its dimension by its parameters"
        }
        throw usage("--dim: '\(name)' \(what); --dim chooses the dimension of functions of any dimension")
      }
      if let unknown = given.first(where: { !names.contains($0.key) })?.key {
        let known = names.isEmpty ? "it has none" : "its parameters are " + names.joined(separator: ", ")
        throw usage("--param \(unknown): '\(name)' has no parameter '\(unknown)'; \(known) (see 'descent list functions')")
      }
    }
    var entry = JSONObject()
    entry["name"] = .string(name)
    if let dim, names?.contains("dim") ?? true { entry["dim"] = .number(Double(dim)) }
    for (key, value) in given { entry[key] = value }
    var diagnostics = Diagnostics()
    guard let objective = Catalog.builtIn.makeObjective(entry, at: "", diagnostics: &diagnostics) else {
      throw usage(diagnostics.problems.map(\.description).joined(separator: "\n"))
    }
    // Evaluated all the same (f is what it is), but said: a config asking for it is refused.
    if let problem = objective.problemForNewRuns {
      Failure.note("warning: a config with these parameters is refused for new runs: \(problem.description)")
    }
    var x: [Double] = []
    for part in at.split(separator: ",", omittingEmptySubsequences: false) {
      let text = String(part).trimmingCharacters(in: .whitespaces)
      // As a config writes numbers (JSON's grammar): not hex, not '+1', not 'inf'.
      guard case .number(let value)? = try? JSONParser.parse(text) else {
        let word = text.lowercased()
        if ["inf", "+inf", "-inf", "infinity", "-infinity", "nan", "-nan"].contains(word) {
          throw usage("--at: coordinates must be finite, got '\(text)'")
        }
        // A number too large or too small for a Double is a number: said as the config reader says it.
        if case .failure(let error) = Result(catching: { () throws(JSONParser.SyntaxError) in try JSONParser.parse(text) }),
           error.reason.hasPrefix("number ") {
          throw usage("--at: \(error.reason)")
        }
        throw usage("--at: '\(text)' is not a number as JSON writes one (e.g. -1.5 or 2e-3)")
      }
      x.append(value)
    }
    guard x.count == objective.dimension else {
      let fixed = type(of: objective).dimensionRule == .fixed(objective.dimension)
      let coordinates = "\(objective.dimension) coordinate\(objective.dimension == 1 ? "" : "s")"
      throw usage(fixed ? "--at: \(name) takes \(coordinates), got \(x.count)"
        : entry["dim"] == nil && given.isEmpty ? "--at: \(name) takes \(coordinates) by default, got \(x.count) (set the dimension with --dim)"
        : "--at: \(name) takes \(coordinates) with these parameters, got \(x.count)")
    }
    let (value, gradient) = objective.evaluate(x)
    if json {
      var o = JSONObject()
      o["function"] = .string(name)
      o["x"] = .array(x.map { .number($0) })
      // Non-finite as the result files spell them: `nan`, never the sign of a NaN (`-nan`).
      o["value"] = value.isFinite ? .number(value) : .string(NumberText.format(value))
      o["gradient"] = .array(gradient.map { $0.isFinite ? .number($0) : .string(NumberText.format($0)) })
      print(JSONValue.object(o).serialized())
    } else {
      // Non-finite values as the result files spell them (`nan`, not `-nan`).
      func text(_ v: Double) -> String { v.isFinite ? "\(v)" : NumberText.format(v) }
      print("f(x)  = \(text(value))")
      print("∇f(x) = [" + gradient.map(text).joined(separator: ", ") + "]")
    }
  }
}
