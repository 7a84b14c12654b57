import Foundation
@testable import DescentCore

// MARK: - Constructed metrics

/// Metrics for a run, with defaults for a healthy one (targets 1e-2 and 1e-8).
func metrics(
  _ status: RunStatus = .converged, steps: Double = 200, toTarget: [Double] = [50, 150], final: Double? = 1e-14, best: Double? = 1e-14,
  minimum: String = "global"
) -> ConvergenceMetrics {
  ConvergenceMetrics(status: status, steps: steps, stepsToTarget: toTarget, finalSuboptimality: final, bestSuboptimality: best, minimum: minimum)
}

/// A baseline of constructed metrics.
func makeBaseline(_ runs: [String: ConvergenceMetrics], hash: String = "0123456789abcdef", targets: [Double] = [1e-2, 1e-8]) -> Baseline {
  Baseline(experiment: "t", configHash: hash, descentVersion: "0.1.0", steps: 1000, seeds: [0, 1, 2], targets: targets, runs: runs)
}

/// `f__o__seed=k` for each seed.
func seedIDs(_ configuration: String = "quadratic__adam", seeds: Int) -> [String] {
  (0..<seeds).map { "\(configuration)__seed=\($0)" }
}

extension RegressionCheck {
  /// Compares constructed baselines, with placeholder file names.
  func compare(_ old: [String: ConvergenceMetrics], _ new: [String: ConvergenceMetrics]) throws -> CheckReport {
    try compare(makeBaseline(old), with: makeBaseline(new), baselineFile: "baseline.json", resultsPath: "Results/t")
  }
}

// MARK: - The CI suite, run in-process

/// `Configs/ci.json` and its committed baseline `Results/baselines/ci.json`, run in-process under any catalogue.
enum CISuite {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static let configPath = root + "/Configs/ci.json"
  static let baselinePath = root + "/Results/baselines/ci.json"

  static func configText() throws -> String { try String(contentsOfFile: configPath, encoding: .utf8) }

  static func committedBaseline() throws -> Baseline { try Baseline.read(baselinePath) }

  /// Runs the suite as `descent run` does, with optimizers looked up in `catalog`, and reads it back as a baseline.
  static func run(catalog: Catalog = .builtIn) throws -> Baseline {
    let text = try configText()
    let experiment = try Experiment.decode(Array(text.utf8), file: configPath, catalog: catalog)
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    let path = tmp + "/ci"
    let directory = try ResultsDirectory.prepare(path, for: experiment, mode: .fresh)
    try directory.write(text, to: "config.json")
    let jobs = max(2, ProcessInfo.processInfo.activeProcessorCount)
    try Manifest(name: experiment.name, configHash: experiment.configHash, started: Date(), jobs: jobs, runCount: experiment.runCount,
                 runsHere: experiment.runCount, shard: nil, status: "complete").write(to: directory)
    let result = try Sweep(experiment: experiment, directory: directory, jobs: jobs).execute(experiment.plannedRuns())
    try SummaryTable(experiment).write(result.summaries, to: directory)
    return Baseline(try LoadedResults.load(path))
  }

  /// Runs the suite under `catalog` and checks it against the committed baseline with default settings.
  static func check(catalog: Catalog = .builtIn) throws -> CheckReport {
    try RegressionCheck().compare(try committedBaseline(), with: try run(catalog: catalog), baselineFile: baselinePath, resultsPath: "Results/ci")
  }

  /// The built-in catalogue with each entry whose name is in `names` rebuilt by `replace` (same name,
  /// alias and parameter defaults, another type).
  static func catalog(replacing names: Set<String>, with replace: (any Optimizer.Type) -> any Optimizer.Type) -> Catalog {
    var catalog = Catalog.builtIn
    catalog.optimizers = catalog.optimizers.map { entry in
      guard names.contains(entry.name) else { return entry }
      return OptimizerEntry(name: entry.name, type: replace(entry.type), aliasOf: entry.aliasOf, parameters: entry.parameters)
    }
    return catalog
  }

  /// The optimizer names of the suite.
  static func optimizerNames() throws -> [String] {
    try Experiment.decode(Array(configText().utf8), file: configPath).optimizers.map(\.name)
  }
}

// MARK: - Deliberately broken optimizers

/// Adam as `Adam.swift` has it, minus bias correction: x ← x − lr · m / (√v + eps).
/// Early steps are ~3× too large (m₁ = 0.1g, √v₁ ≈ 0.03|g|) and v lags for ~1/(1−β₂) steps.
struct BrokenAdam: Optimizer {
  static let name = "adam"
  static let rule = "Adam without bias correction"
  static let parameters = Adam.parameters

  let beta1: Double, beta2: Double, eps: Double, weightDecay: Double, amsgrad: Bool
  let decoupled: Bool
  private var state: [Double] = []

  init(_ p: Parameters) throws(Diagnostic) {
    (beta1, beta2) = p.pair("betas")
    eps = p.real("eps")
    weightDecay = p.real("weight_decay")
    amsgrad = p.boolean("amsgrad")
    decoupled = false
  }

  init(_ p: Parameters, decoupled: Bool) {
    (beta1, beta2) = p.pair("betas")
    eps = p.real("eps")
    weightDecay = p.real("weight_decay")
    amsgrad = p.boolean("amsgrad")
    self.decoupled = decoupled
  }

  mutating func reset(dimension: Int) {
    state = [Double](repeating: 0, count: (amsgrad ? 3 : 2) * dimension)
  }

  mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    let n = x.count
    let (beta1, beta2, eps, weightDecay, amsgrad, decoupled) = (self.beta1, self.beta2, self.eps, self.weightDecay, self.amsgrad, self.decoupled)
    state.withUnsafeMutableBufferPointer { s in
      for i in 0..<n {
        var g = gradient[i]
        if weightDecay != 0 {
          if decoupled { x[i] *= 1 - lr * weightDecay } else { g = Torch.add(g, x[i], alpha: weightDecay) }
        }
        s[i] = Torch.lerp(s[i], g, weight: 1 - beta1)
        s[n + i] = Torch.addcmul(s[n + i] * beta2, g, g, value: 1 - beta2)
        var second = s[n + i]
        if amsgrad {
          s[2 * n + i] = Torch.maximum(s[2 * n + i], s[n + i])
          second = s[2 * n + i]
        }
        x[i] = Torch.addcdiv(x[i], s[i], second.squareRoot() + eps, value: -lr)
      }
    }
  }
}

/// AdamW on `BrokenAdam`: the same bug reaches every optimizer built on Adam's step.
struct BrokenAdamW: Optimizer {
  static let name = "adamw"
  static let rule = "AdamW without bias correction"
  static let parameters = AdamW.parameters
  private var adam: BrokenAdam

  init(_ p: Parameters) throws(Diagnostic) { adam = BrokenAdam(p, decoupled: true) }
  mutating func reset(dimension: Int) { adam.reset(dimension: dimension) }
  mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate: Double) {
    adam.step(x, gradient: gradient, learningRate: learningRate)
  }
}

/// SGD as `SGD.swift` has it, with the momentum term's sign flipped: buf ← −μ·buf + (1 − τ)·g.
/// Plain SGD (μ = 0) is untouched, so `sgd` and `gd` must still pass.
struct SignFlippedMomentumSGD: Optimizer {
  static let name = "sgd"
  static let rule = "SGD with the momentum sign flipped"
  static let parameters = SGD.parameters

  let momentum: Double, dampening: Double, nesterov: Bool, weightDecay: Double
  private var buffer: [Double] = []
  private var t = 0

  init(_ p: Parameters) throws(Diagnostic) {
    momentum = p.real("momentum")
    dampening = p.real("dampening")
    nesterov = p.boolean("nesterov")
    weightDecay = p.real("weight_decay")
  }

  mutating func reset(dimension: Int) {
    buffer = [Double](repeating: 0, count: dimension)
    t = 0
  }

  mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
    t += 1
    let first = t == 1
    let (momentum, dampening, nesterov, weightDecay) = (self.momentum, self.dampening, self.nesterov, self.weightDecay)
    buffer.withUnsafeMutableBufferPointer { buf in
      for i in 0..<x.count {
        var g = gradient[i]
        if weightDecay != 0 { g = Torch.add(g, x[i], alpha: weightDecay) }
        if momentum == 0 {
          x[i] = Torch.add(x[i], g, alpha: -lr)
          continue
        }
        buf[i] = first ? g : Torch.add(-buf[i] * momentum, g, alpha: 1 - dampening)
        let direction = nesterov ? Torch.add(g, buf[i], alpha: momentum) : buf[i]
        x[i] = Torch.add(x[i], direction, alpha: -lr)
      }
    }
  }
}

/// A learning-rate scale applied inside `step`, as a bug that multiplies the rate twice or converts units would.
protocol LearningRateScale: Sendable {
  static var factor: Double { get }
}

enum TenTimes: LearningRateScale { static let factor = 10.0 }
enum OneTenth: LearningRateScale { static let factor = 0.1 }
/// One ulp: rounding-level noise, as another libm or instruction order would make.
enum OneULP: LearningRateScale { static let factor = 1.0.nextUp }

/// Any optimizer with its learning rate off by `Scale.factor`.
struct ScaledLearningRate<Base: Optimizer, Scale: LearningRateScale>: Optimizer {
  static var name: String { Base.name }
  static var rule: String { Base.rule + " (lr × \(Scale.factor))" }
  static var parameters: [ParameterSpec] { Base.parameters }
  private var base: Base

  init(_ p: Parameters) throws(Diagnostic) { base = try Base(p) }
  mutating func reset(dimension: Int) { base.reset(dimension: dimension) }
  mutating func step(_ x: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>, learningRate: Double) {
    base.step(x, gradient: gradient, learningRate: learningRate * Scale.factor)
  }
}

func scaled<Scale: LearningRateScale>(_ type: any Optimizer.Type, by scale: Scale.Type) -> any Optimizer.Type {
  func open<O: Optimizer>(_ base: O.Type) -> any Optimizer.Type { ScaledLearningRate<O, Scale>.self }
  return open(type)
}
