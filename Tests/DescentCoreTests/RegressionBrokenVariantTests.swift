import Foundation
import Testing
@testable import DescentCore

/// The proof that `descent check` guards what it should: `Configs/ci.json` run in-process, against the
/// committed `Results/baselines/ci.json`, passes with the real optimizers and fails with deliberately
/// broken ones, blaming only the optimizers that were broken.
@Suite("Regression check catches broken optimizers on the CI suite", .serialized)
struct RegressionBrokenVariantTests {
  /// The optimizer name of a run id (`function__optimizer__seed=k`).
  static func optimizer(of subject: String) -> String {
    String(subject.components(separatedBy: "__")[1])
  }

  /// Checks that `report` fails because of runs of every one of the `broken` optimizers, and of no other.
  func expectCaught(_ report: CheckReport, broken: Set<String>, _ comment: Comment) {
    let exitCode = report.exitCode
    #expect(exitCode == 1, comment)
    let blamed = Set(report.failing.map { Self.optimizer(of: $0.subject) })
    #expect(blamed == broken, "\(comment): blamed \(blamed.sorted())")
    // Every untouched optimizer reproduces the baseline exactly: no finding at all, not even informational.
    let untouched = report.findings.filter { !broken.contains(Self.optimizer(of: $0.subject)) }
    #expect(untouched.isEmpty, "\(comment): \(untouched.map { "\($0.subject) \($0.line)" })")
  }

  @Test("the honest optimizers reproduce the committed baseline byte for byte, and pass")
  func honest() throws {
    var current = try CISuite.run()
    let committed = try String(contentsOfFile: CISuite.baselinePath, encoding: .utf8)
    current.descentVersion = try CISuite.committedBaseline().descentVersion  // a version bump alone changes no result
    #expect(current.text == committed, "Results/baselines/ci.json is stale: regenerate it (README, 'Using Descent in your CI')")
    let report = try RegressionCheck().compare(try CISuite.committedBaseline(), with: current, baselineFile: CISuite.baselinePath, resultsPath: "Results/ci")
    let (passed, findings, runCount) = (report.passed, report.findings.map { "\($0.subject) \($0.line)" }, report.runCount)
    #expect(passed)
    #expect(findings.isEmpty)
    // Every optimizer name on the three functions, each seed: a suite that lost runs is caught.
    #expect(runCount == Catalog.builtIn.optimizerNames.count * 3 * (try Experiment.load(CISuite.configPath)).seeds.count)
  }

  @Test("the suite covers every optimizer on quadratic, xcos and rosenbrock, with seeds and targets")
  func coverage() throws {
    let e = try Experiment.load(CISuite.configPath)
    #expect(Set(e.optimizers.map(\.name)) == Set(Catalog.builtIn.optimizerNames))
    #expect(e.functions.map(\.name) == ["quadratic", "xcos", "rosenbrock"])
    #expect(e.seeds.count >= 2 && !e.targets.isEmpty && e.record == RecordPolicy.none)
    let baseline = try CISuite.committedBaseline()
    #expect(baseline.configHash == e.configHash)
    // Learning rates that converge: nothing diverges, every run reaches the loosest target, most converge
    // outright. They are also near each optimizer's best, so that a learning rate 10× off either way is worse.
    let runs = Array(baseline.runs.values)
    #expect(runs.allSatisfy { $0.status != .diverged && $0.stepsToTarget[0].isFinite })
    #expect(runs.count { $0.status == .converged } >= runs.count / 2)
  }

  @Test("rounding-level noise in every optimizer (lr × (1 + 2⁻⁵²)) passes: the suite is not chaotic")
  func roundingNoise() throws {
    let names = Set(Catalog.builtIn.optimizerNames)
    let current = try CISuite.run(catalog: CISuite.catalog(replacing: names) { scaled($0, by: OneULP.self) })
    let committed = try CISuite.committedBaseline()
    #expect(current.text != committed.text, "the noise should change some bits")
    let report = try RegressionCheck().compare(committed, with: current, baselineFile: CISuite.baselinePath, resultsPath: "Results/ci")
    let (passed, failing) = (report.passed, report.failing.map { "\($0.subject) \($0.line)" })
    #expect(passed, "\(failing)")
  }

  @Test("Adam without bias correction fails (adam, amsgrad and adamw share the step)")
  func adamWithoutBiasCorrection() throws {
    var catalog = CISuite.catalog(replacing: ["adam", "amsgrad"]) { _ in BrokenAdam.self }
    catalog = Self.replacing(catalog, "adamw", BrokenAdamW.self)
    expectCaught(try CISuite.check(catalog: catalog), broken: ["adam", "amsgrad", "adamw"], "Adam without bias correction")
  }

  @Test("momentum with its sign flipped fails (momentum and nesterov); plain SGD is untouched and passes")
  func momentumSignFlipped() throws {
    let catalog = CISuite.catalog(replacing: ["sgd", "gd", "momentum", "nesterov"]) { _ in SignFlippedMomentumSGD.self }
    expectCaught(try CISuite.check(catalog: catalog), broken: ["momentum", "nesterov"], "momentum sign flipped")
  }

  @Test("a learning rate 10× too large fails, for every optimizer", arguments: try CISuite.optimizerNames())
  func learningRateTenTimes(name: String) throws {
    let catalog = CISuite.catalog(replacing: [name]) { scaled($0, by: TenTimes.self) }
    expectCaught(try CISuite.check(catalog: catalog), broken: [name], "\(name) with lr × 10")
  }

  @Test("a learning rate 10× too small fails, for every optimizer", arguments: try CISuite.optimizerNames())
  func learningRateTenth(name: String) throws {
    let catalog = CISuite.catalog(replacing: [name]) { scaled($0, by: OneTenth.self) }
    expectCaught(try CISuite.check(catalog: catalog), broken: [name], "\(name) with lr × 0.1")
  }

  static func replacing(_ catalog: Catalog, _ name: String, _ type: any Optimizer.Type) -> Catalog {
    var catalog = catalog
    catalog.optimizers = catalog.optimizers.map { entry in
      entry.name == name ? OptimizerEntry(name: entry.name, type: type, aliasOf: entry.aliasOf, parameters: entry.parameters) : entry
    }
    return catalog
  }
}
