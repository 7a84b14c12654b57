import Foundation

/// How a run's gradients are computed: exactly, from minibatches of a finite sum, or with added noise.
///
/// Config keys on a function entry: `batch_size` (`"full"`, the default; 1 for SGD; b for minibatch SGD),
/// `sampling` (`"with_replacement"`, the default, or `"epoch"`: a shuffled pass without replacement,
/// reshuffled each epoch) and `gradient_noise` (σ of Gaussian noise added to every gradient coordinate).
public struct GradientOracle: Sendable, Equatable {
  public enum Sampling: String, Sendable, CaseIterable {
    case withReplacement = "with_replacement"
    case epoch
  }

  /// Samples per minibatch, or `nil` for the full gradient.
  public var batchSize: Int?
  public var sampling: Sampling
  public var gradientNoise: Double

  public init(batchSize: Int? = nil, sampling: Sampling = .withReplacement, gradientNoise: Double = 0) {
    self.batchSize = batchSize
    self.sampling = sampling
    self.gradientNoise = gradientNoise
  }

  public static let exact = GradientOracle()
  public var isExact: Bool { batchSize == nil && gradientNoise == 0 }

  public static let keys = ["batch_size", "sampling", "gradient_noise"]

  /// Decodes the oracle keys of a function entry for `objective`.
  static func decode(_ entry: JSONObject, for objective: any Objective, at path: String, diagnostics: inout Diagnostics) -> GradientOracle? {
    var oracle = GradientOracle()
    let finiteSum = objective as? any FiniteSumObjective
    var ok = true
    if let value = entry["batch_size"] {
      switch value {
      case .string("full"): break
      case .number(let b) where b == b.rounded() && b >= 1:
        guard let finiteSum else {
          diagnostics.report(path.key("batch_size"), "'\(objective.name)' is not a finite sum, so it has no samples to batch; use \"gradient_noise\" to emulate stochastic gradients")
          return nil
        }
        guard b <= Double(finiteSum.sampleCount) else {
          diagnostics.report(.expected("a batch size between 1 and the \(finiteSum.sampleCount) samples, or \"full\"", got: JSONValue.format(b), at: path.key("batch_size")))
          return nil
        }
        oracle.batchSize = Int(b)
      default:
        diagnostics.report(.expected(#"a whole number ≥ 1 or "full""#, got: value.unexpectedDescription, at: path.key("batch_size")))
        ok = false
      }
    }
    if let value = entry["sampling"] {
      if case .string(let s) = value, let sampling = Sampling(rawValue: s) {
        oracle.sampling = sampling
        // How minibatches are drawn means something only where they are: accepted silently, it promised an
        // epoch order that no step would follow.
        if oracle.batchSize == nil, ok {
          let given = entry["batch_size"] == nil ? "no \"batch_size\"" : "\"batch_size\": \"full\""
          let why = finiteSum.map { "every step uses all \($0.sampleCount) samples (\(given)); give a numeric \"batch_size\" or leave \"sampling\" out" }
            ?? "'\(objective.name)' is not a finite sum, so nothing is sampled; leave \"sampling\" out"
          diagnostics.report(path.key("sampling"), why)
          ok = false
        }
      } else {
        diagnostics.report(.expected(#""with_replacement" or "epoch""#, got: value.quotedOrKind, at: path.key("sampling")))
        ok = false
      }
    }
    if let value = entry["gradient_noise"] {
      if case .number(let sigma) = value, sigma >= 0 { oracle.gradientNoise = sigma } else {
        diagnostics.report(.expected("a number ≥ 0", got: value.unexpectedDescription, at: path.key("gradient_noise")))
        ok = false
      }
    }
    return ok ? oracle : nil
  }

  /// Samples (single ℓᵢ gradients) per step: b, or n for the full gradient of a finite sum; `nil` for
  /// functions that are not finite sums.
  public func samplesPerStep(_ objective: any Objective) -> Int? {
    guard let finiteSum = objective as? any FiniteSumObjective else { return nil }
    return batchSize ?? finiteSum.sampleCount
  }
}

/// Produces the gradient an optimizer sees at each step.
public protocol GradientSource {
  mutating func gradient(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>)
}

/// Minibatches of a finite sum, drawn from the run's own seeded generator.
public struct MinibatchGradient<F: FiniteSumObjective>: GradientSource {
  let objective: F
  let sampling: GradientOracle.Sampling
  var rng: SplitMix64
  /// The current batch's sample indices.
  var batch: [Int]
  /// The current epoch's permutation and how far into it we are (sampling "epoch").
  var permutation: [Int] = []
  var cursor = 0
  /// The noise added to each coordinate after averaging (0 for none).
  let noise: Double

  public init(_ objective: F, batchSize: Int, sampling: GradientOracle.Sampling, noise: Double, seed: UInt64) {
    self.objective = objective
    self.sampling = sampling
    self.noise = noise
    rng = SplitMix64(seed: seed)
    batch = [Int](repeating: 0, count: batchSize)
    if sampling == .epoch {
      permutation = Array(0..<objective.sampleCount)
      cursor = objective.sampleCount  // shuffle before the first batch
    }
  }

  /// The next batch's indices: uniform with replacement, or the next slice of the epoch's permutation
  /// (a new Fisher–Yates shuffle whenever one is used up, so each epoch touches every sample once).
  public mutating func nextBatch() -> [Int] {
    let n = objective.sampleCount
    for k in 0..<batch.count {
      switch sampling {
      case .withReplacement:
        batch[k] = Int(rng.next() % UInt64(n))
      case .epoch:
        if cursor == n {
          for i in stride(from: n - 1, to: 0, by: -1) { permutation.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
          cursor = 0
        }
        batch[k] = permutation[cursor]
        cursor += 1
      }
    }
    return batch
  }

  public mutating func gradient(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
    _ = nextBatch()
    batch.withUnsafeBufferPointer { objective.batchGradient(x, batch: $0, gradient: g) }
    if noise > 0 { for i in 0..<g.count { g[i] += noise * rng.normal() } }
  }
}

/// The exact gradient plus seeded Gaussian noise: the standard emulation of stochastic gradients on
/// analytic test functions.
public struct NoisyGradient<F: Objective>: GradientSource {
  let objective: F
  let noise: Double
  var rng: SplitMix64

  public init(_ objective: F, noise: Double, seed: UInt64) {
    self.objective = objective
    self.noise = noise
    rng = SplitMix64(seed: seed)
  }

  public mutating func gradient(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
    _ = objective.evaluate(x, gradient: g)
    for i in 0..<g.count { g[i] += noise * rng.normal() }
  }
}

/// A run with stochastic gradients. f and ‖∇f‖ are always the **full** objective's. Each costs O(n), so they
/// are computed only where the summary needs them, at the `evaluate` steps (every step by default), and where
/// the trajectory keeps a row (`record`), plus the first and last step. The summary (targets, best f, stop
/// rules) sees the evaluated steps alone, so what `record` keeps never changes it. Divergence of the
/// stochastic gradient itself is checked every step.
public func executeStochasticRun<F: Objective, O: Optimizer, G: GradientSource, R: TrajectoryRecorder>(
  _ objective: F, _ optimizer: O, _ setup: RunSetup, source: inout G, recorder: inout R
) -> RunOutcome {
  let d = objective.dimension
  var optimizer = optimizer
  optimizer.reset(dimension: d)
  let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  let full = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  defer {
    x.deallocate()
    full.deallocate()
    g.deallocate()
  }
  _ = x.initialize(from: setup.start)
  full.initialize(repeating: 0)
  g.initialize(repeating: 0)

  let fStar = objective.minima.value
  let divergence = setup.stop.divergence ?? .infinity
  let escape = objective.minima.escapeBelow
  var stepsToTarget = [Int?](repeating: nil, count: setup.targets.count)
  var best = Double.infinity
  var value = Double.nan
  var gradientNorm = Double.nan
  var status = RunStatus.maxSteps
  var recording = StepClock(setup.record, planned: setup.plannedSteps)
  var evaluation = StepClock(setup.evaluate, planned: setup.plannedEvaluations)
  let records = setup.record != .none
  var t = 0
  var gradientDiverged = false
  // Once diverged, a run that keeps stepping (halt_on_divergence false) stays diverged, as in `executeLanes`:
  // no later step counts for best f, targets or convergence.
  var divergedAt: Int?
  var lastRecorded = -1
  while true {
    let always = t == 0 || t == setup.steps || gradientDiverged
    let evaluated = always || evaluation.isDue(t)
    let recorded = records && (always || recording.isDue(t))
    let learningRate = setup.schedule.learningRate(base: setup.learningRate, step: t)
    if evaluated || recorded {
      value = objective.evaluate(UnsafeBufferPointer(x), gradient: full)
      gradientNorm = norm(full)
    }
    var stops = false
    if evaluated {
      let diverged = divergedAt != nil || gradientDiverged || !value.isFinite || !gradientNorm.isFinite || value > divergence || value < escape
      if diverged && divergedAt == nil { divergedAt = t }
      if !diverged {
        best = min(best, value)
        if let fStar {
          for k in setup.targets.indices where stepsToTarget[k] == nil && value - fStar <= setup.targets[k] { stepsToTarget[k] = t }
        }
      }
      let converged = !diverged && (gradientNorm <= (setup.stop.gradientNorm ?? -.infinity)
        || (fStar.map { value - $0 <= (setup.stop.suboptimality ?? -.infinity) } ?? false))
      stops = (diverged && setup.stop.haltOnDivergence) || converged || t == setup.steps
      if stops { status = diverged ? .diverged : (converged ? .converged : .maxSteps) }
    }
    // The step a run ends at is always kept, and a step revisited after a non-finite gradient keeps its one row.
    if records && lastRecorded != t && (recorded || stops) {
      recorder.record(step: t, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: x)
      lastRecorded = t
    }
    if stops { break }
    source.gradient(UnsafeBufferPointer(x), into: g)
    if !gradientDiverged, (0..<d).contains(where: { !g[$0].isFinite }) {
      gradientDiverged = true
      continue  // evaluate, record and stop at this step
    }
    optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: learningRate)
    t += 1
  }
  return RunOutcome(steps: t, status: status, finalX: Array(x), finalF: value, bestF: best, finalGradNorm: gradientNorm,
                    stepsToTarget: stepsToTarget, divergedAt: divergedAt)
}
