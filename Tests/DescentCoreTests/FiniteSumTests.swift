import Foundation
import Testing
@testable import DescentCore

@Suite("Finite sums and gradient oracles")
struct FiniteSumTests {
  func finiteSum(_ json: String) throws -> any FiniteSumObjective {
    try #require(try makeObjective(json) as? any FiniteSumObjective)
  }

  @Test("least squares: w* and f* agree with an independent solve of the normal equations")
  func leastSquaresOptimum() throws {
    let f = try makeObjective(#"{"name": "least-squares", "samples": 400, "dim": 6, "condition": 100, "ridge": 0.05, "data_seed": 3}"#) as! LeastSquares
    let n = f.sampleCount, d = f.dimension
    // Independent route: Gaussian elimination on (XᵀX/n + λI) w = Xᵀy/n, summed in a different order.
    var a = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    var b = [Double](repeating: 0, count: d)
    for j in 0..<d {
      for k in 0..<d { a[j][k] = (0..<n).reduce(0.0) { $0 + f.data.features[$1 * d + j] * f.data.features[$1 * d + k] } / Double(n) }
      a[j][j] += 0.05
      b[j] = (0..<n).reduce(0.0) { $0 + f.data.features[$1 * d + j] * f.targets[$1] } / Double(n)
    }
    let w = try #require(LinearAlgebra.solve(a, b))
    let wStar = f.minima.global[0]
    #expect(zip(w, wStar).allSatisfy { abs($0 - $1) <= 1e-10 * max(1, abs($1)) }, "\(w) vs \(wStar)")
    #expect(abs(f.value(at: w) - f.minima.value!) <= 1e-13 * max(1, abs(f.minima.value!)))
    #expect(maxAbs(f.evaluate(wStar).gradient) <= 1e-12)
    // The design's condition number is about κ: the diagonal of XᵀX/n spans about 100×.
    #expect((40...250).contains(a[0][0] / (a[d - 1][d - 1] - 0.05)))
  }

  @Test("logistic with an L2 penalty: Newton's w* is stationary to machine precision")
  func logisticOptimum() throws {
    let f = try makeObjective(#"{"name": "logistic", "samples": 500, "dim": 5, "l2": 0.001, "label_noise": 0.05}"#) as! Logistic
    let wStar = try #require(f.minima.global.first)
    #expect(maxAbs(f.evaluate(wStar).gradient) <= 1e-12)
    // Any perturbation increases f: it is a minimum.
    var rng = SplitMix64(seed: 5)
    for _ in 0..<20 {
      let w = wStar.map { $0 + 1e-3 * rng.normal() }
      #expect(f.value(at: w) > f.minima.value!)
    }
    #expect(f.optimumNote == nil)
  }

  @Test("softmax with an L2 penalty: Newton's W* is stationary, and every perturbation increases f")
  func softmaxOptimum() throws {
    let f = try makeObjective(#"{"name": "softmax", "samples": 300, "dim": 3, "classes": 3, "l2": 0.01, "label_noise": 0.1}"#) as! Softmax
    #expect(f.dimension == 9)
    let wStar = try #require(f.minima.global.first)
    #expect(maxAbs(f.evaluate(wStar).gradient) <= 1e-12)
    var rng = SplitMix64(seed: 9)
    for _ in 0..<20 {
      #expect(f.value(at: wStar.map { $0 + 1e-3 * rng.normal() }) > f.minima.value!)
    }
    let unpenalised = try makeObjective(#"{"name": "softmax", "samples": 50, "dim": 2, "classes": 3}"#) as! Softmax
    #expect(unpenalised.minima.value == nil)
    #expect(!unpenalised.minima.unboundedBelow, "cross-entropy is never negative: f* is unknown, not absent")
    #expect(unpenalised.optimumNote?.contains("not unique") == true)
    // A penalty lost to rounding beside the data's curvature: Newton's method cannot factor the Hessian
    // and stops where it started (W = 0, f = log 3), which is not the minimum: f* is unknown, said why.
    for l2 in ["1e-20", "1e-16"] {
      let tiny = try makeObjective(#"{"name": "softmax", "l2": \#(l2)}"#) as! Softmax
      #expect(tiny.minima.value == nil, "l2 = \(l2)")
      #expect(tiny.optimumNote?.contains("did not converge") == true, "l2 = \(l2)")
    }
    let small = try makeObjective(#"{"name": "softmax", "l2": 1e-8}"#) as! Softmax
    #expect(maxAbs(small.evaluate(try #require(small.minima.global.first)).gradient) <= 1e-12)
    // The minibatch gradient over every sample once is the full gradient.
    let x = (0..<9).map { Double($0) / 10 - 0.4 }
    var g = [Double](repeating: 0, count: 9)
    let all = Array(0..<300)
    x.withUnsafeBufferPointer { xp in all.withUnsafeBufferPointer { b in g.withUnsafeMutableBufferPointer { f.batchGradient(xp, batch: b, gradient: $0) } } }
    let full = f.evaluate(x).gradient
    #expect(zip(g, full).allSatisfy { abs($0 - $1) <= 1e-14 * max(1, abs($1)) })
  }

  @Test("logistic on separable data without a penalty reports f* as unknown, and says why")
  func separable() throws {
    let f = try makeObjective(#"{"name": "logistic", "samples": 20, "dim": 5, "label_noise": 0}"#) as! Logistic
    #expect(f.minima.value == nil)
    #expect(f.optimumNote?.contains("separable") == true)
  }

  @Test("the minibatch gradient is unbiased: its mean over many draws approaches the full gradient")
  func unbiased() throws {
    let f = try finiteSum(#"{"name": "least-squares", "samples": 100, "dim": 4}"#)
    try check(f, batchSize: 8, sampling: .withReplacement)
    try check(f, batchSize: 1, sampling: .epoch)
    func check<F: FiniteSumObjective>(_ f: F, batchSize: Int, sampling: GradientOracle.Sampling) throws {
      let x = [0.3, -0.2, 0.5, 1.0]
      let exact = f.evaluate(x).gradient
      var source = MinibatchGradient(f, batchSize: batchSize, sampling: sampling, noise: 0, seed: 11)
      var mean = [Double](repeating: 0, count: 4)
      var g = [Double](repeating: 0, count: 4)
      let draws = 20_000
      for _ in 0..<draws {
        x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { source.gradient(xp, into: $0) } }
        for j in 0..<4 { mean[j] += g[j] / Double(draws) }
      }
      // With 20,000 draws the standard error of each coordinate is well under 2 % of ‖∇f‖ here.
      let error = maxAbs(zip(mean, exact).map { $0 - $1 })
      #expect(error <= 0.02 * max(1, maxAbs(exact)), "\(sampling) b=\(batchSize): mean \(mean) vs \(exact)")
    }
  }

  @Test("an epoch touches every sample exactly once, and the next epoch is a new shuffle")
  func epochPass() throws {
    let f = try finiteSum(#"{"name": "least-squares", "samples": 97, "dim": 2}"#)
    func epochs<F: FiniteSumObjective>(_ f: F) -> [[Int]] {
      var source = MinibatchGradient(f, batchSize: 1, sampling: .epoch, noise: 0, seed: 1)
      return (0..<2).map { _ in (0..<97).map { _ in source.nextBatch()[0] } }
    }
    let (first, second) = { let e = epochs(f); return (e[0], e[1]) }()
    #expect(first.sorted() == Array(0..<97))
    #expect(second.sorted() == Array(0..<97))
    #expect(first != second)
    #expect(first != Array(0..<97))
  }

  @Test("SGD runs report the full objective, samples seen, and are reproducible bit for bit")
  func stochasticRuns() throws {
    let config = """
      {"name": "sgd", "steps": 400, "seeds": 2, "record": {"every": 50}, "targets": [1e-1],
       "functions": [
         {"name": "least-squares", "label": "ls-full", "samples": 300, "dim": 5, "start": "random"},
         {"name": "least-squares", "label": "ls-sgd", "samples": 300, "dim": 5, "batch_size": 1, "start": "random"},
         {"name": "least-squares", "label": "ls-mb", "samples": 300, "dim": 5, "batch_size": {"grid": [8, 32]}, "sampling": "epoch", "start": "random"},
         {"name": "rosenbrock", "gradient_noise": 0.5, "start": [-1, 1]}],
       "optimizers": [{"name": "sgd", "lr": 0.05}, {"name": "adam", "lr": 0.01}]}
      """
    let e = try decodeExperiment(config)
    #expect(e.functions.map(\.label) == ["ls-full", "ls-sgd", "ls-mb-batch_size=8", "ls-mb-batch_size=32", "rosenbrock"])
    let one = temporaryDirectory(), two = temporaryDirectory()
    defer { [one, two].forEach(cleanUp) }
    let result = try runExperiment(e, configText: config, into: one, jobs: 1)
    try runExperiment(e, configText: config, into: two, jobs: 2)
    #expect(try summaryWithoutTiming(one) == summaryWithoutTiming(two))
    #expect(try trajectories(one) == trajectories(two))
    #expect(try String(contentsOfFile: one + "/summary.csv", encoding: .utf8).split(separator: "\n")[0].hasSuffix("steps_to_1e-1,samples_seen,diverged_at,wall_seconds"))
    for (run, s) in result.summaries {
      let f = e.functions[run.function]
      let t = try #require(Trajectory.read(one + "/runs/\(run.id).csv"))
      let expectedSteps = stride(from: 0, through: s.steps, by: 50).map(Double.init) + (s.steps % 50 == 0 ? [] : [Double(s.steps)])
      #expect(t.column("step") == expectedSteps)
      if f.name == "least-squares" { #expect(s.status == .maxSteps && s.steps == 400) }
      if let perStep = f.samplesPerStep {
        #expect(s.samplesSeen == s.steps * perStep)
        #expect(t.column("samples_seen") == t.column("step")!.map { $0 * Double(perStep) })
        // The reported f is the full objective at the recorded x.
        let k = 4
        let x = Array(t.rows[k][5...])
        #expect(f.objective.value(at: x) == t.rows[k][1])
      } else {
        #expect(s.samplesSeen == nil)
        #expect(t.column("samples_seen") == nil)
      }
    }
    let full = result.summaries.first { $0.0.id == "ls-full__sgd__seed=0" }!.1
    #expect(full.samplesSeen == 400 * 300)
  }

  @Test("a stochastic run's summary is measured at its evaluate steps, whatever record keeps")
  func evaluationIndependentOfRecording() throws {
    func config(record: String, evaluate: String? = nil) -> String {
      """
      {"name": "eval", "steps": 400, "seeds": 2, "record": \(record), \(evaluate.map { "\"evaluate\": \($0), " } ?? "")"targets": [1e-1, 1e-2, 1e-3],
       "functions": [
         {"name": "least-squares", "label": "ls-sgd", "samples": 300, "dim": 5, "batch_size": 1, "start": "random"},
         {"name": "rosenbrock", "gradient_noise": 0.05, "start": [-1, 1]}],
       "optimizers": [{"name": "sgd", "lr": 0.01}, {"name": "adam", "lr": 0.02}]}
      """
    }
    func summary(_ text: String) throws -> (String, [String: [Int?]]) {
      let e = try decodeExperiment(text)
      let tmp = temporaryDirectory()
      defer { cleanUp(tmp) }
      let result = try runExperiment(e, configText: text, into: tmp, jobs: 1)
      return (try summaryWithoutTiming(tmp), Dictionary(uniqueKeysWithValues: result.summaries.map { ($0.0.id, $0.1.stepsToTarget) }))
    }
    let records = [#""every""#, #"{"every": 50}"#, #"{"log": 20}"#, #""none""#]
    // By default every step is evaluated: the summary is the same as with every step recorded.
    let (reference, steps) = try summary(config(record: records[0]))
    for record in records.dropFirst() { #expect(try summary(config(record: record)).0 == reference, "record \(record)") }
    // ... and its steps to target are the first rows of the full trajectory to reach each target.
    let e = try decodeExperiment(config(record: records[0]))
    let tmp = temporaryDirectory()
    defer { cleanUp(tmp) }
    try runExperiment(e, configText: config(record: records[0]), into: tmp, jobs: 1)
    var reached = 0
    for run in e.plannedRuns() {
      let t = try #require(Trajectory.read(tmp + "/runs/\(run.id).csv"))
      let fStar = try #require(e.functions[run.function].objective.minima.value)
      let firsts = e.targets.map { target in t.rows.first { $0[1] - fStar <= target }.map { Int($0[0]) } }
      #expect(steps[run.id] == firsts, "\(run.id)")
      reached += firsts.count { $0 != nil }
    }
    #expect(reached >= 8)  // the check above compared steps, not only nils
    // Every 25th step evaluated: the summary says so, and still does not depend on record.
    let (coarse, coarseSteps) = try summary(config(record: records[0], evaluate: #"{"every": 25}"#))
    #expect(coarse != reference)
    for record in records.dropFirst() { #expect(try summary(config(record: record, evaluate: #"{"every": 25}"#)).0 == coarse, "record \(record)") }
    for (id, fine) in steps {
      for (a, b) in zip(fine, coarseSteps[id]!) {
        // The first evaluated step at or after the exact one (or the last step).
        if let a { #expect(b == min(400, (a + 24) / 25 * 25) || b == nil, "\(id)") } else { #expect(b == nil) }
      }
    }
  }

  @Test("oracle keys are validated with their paths")
  func oracleValidation() {
    func problems(_ function: String) -> [String] {
      configProblems(#"{"name": "o", "steps": 5, "functions": [\#(function)], "optimizers": [{"name": "sgd"}]}"#)
    }
    #expect(problems(#"{"name": "rosenbrock", "batch_size": 4}"#) == [
      #"functions[0].batch_size: 'rosenbrock' is not a finite sum, so it has no samples to batch; use "gradient_noise" to emulate stochastic gradients"#])
    #expect(problems(#"{"name": "least-squares", "samples": 10, "batch_size": 11}"#) == [
      #"functions[0].batch_size: expected a batch size between 1 and the 10 samples, or "full", got 11"#])
    #expect(problems(#"{"name": "least-squares", "batch_size": "half"}"#) == [
      #"functions[0].batch_size: expected a whole number ≥ 1 or "full", got the string "half""#])
    #expect(problems(#"{"name": "least-squares", "sampling": "shuffle"}"#) == [
      #"functions[0].sampling: expected "with_replacement" or "epoch", got "shuffle""#])
    // Sampling without minibatches: nothing would be sampled.
    #expect(problems(#"{"name": "least-squares", "samples": 50, "sampling": "epoch"}"#) == [
      #"functions[0].sampling: every step uses all 50 samples (no "batch_size"); give a numeric "batch_size" or leave "sampling" out"#])
    #expect(problems(#"{"name": "least-squares", "samples": 50, "batch_size": "full", "sampling": "epoch"}"#) == [
      #"functions[0].sampling: every step uses all 50 samples ("batch_size": "full"); give a numeric "batch_size" or leave "sampling" out"#])
    #expect(problems(#"{"name": "booth", "sampling": "epoch"}"#) == [
      #"functions[0].sampling: 'booth' is not a finite sum, so nothing is sampled; leave "sampling" out"#])
    #expect(problems(#"{"name": "least-squares", "samples": 50, "batch_size": {"grid": [8, 16]}, "sampling": "epoch"}"#) == [])
    #expect(problems(#"{"name": "booth", "gradient_noise": -1}"#) == ["functions[0].gradient_noise: expected a number ≥ 0, got -1"])
    // Fewer samples than dimensions: refused without a ridge whatever the data (Cholesky passed on rounding
    // error for some seeds), taken with one.
    for seed in 0..<4 {
      #expect(problems(#"{"name": "least-squares", "samples": 3, "dim": 4, "data_seed": \#(seed)}"#) == [
        "functions[0].samples: with 3 samples in 4 dimensions and no ridge penalty the least-squares minimiser is not unique (XᵀX/n is singular); use at least as many samples as dimensions, or a ridge penalty"])
    }
    #expect(problems(#"{"name": "least-squares", "samples": 3, "dim": 4, "ridge": 0.1}"#) == [])
    // Labels so large that f overflows: no minimum to report, refused; large but finite, taken.
    #expect(problems(#"{"name": "least-squares", "noise": 1e200}"#) == [
      "functions[0].noise: with label noise σ = 1e+200 the squared residuals overflow float64, so f (nan at the minimiser) cannot be evaluated; use a smaller noise"])
    #expect(problems(#"{"name": "least-squares", "noise": 1e100}"#) == [])
    // A sweep over the dimension may include 1, where a condition number has no effect: taken, not refused.
    for name in ["least-squares", "logistic", "softmax", "quadratic"] {
      #expect(problems(#"{"name": "\#(name)", "dim": {"grid": [1, 3]}, "condition": 10}"#) == [], "\(name)")
    }
    #expect(problems(#"{"name": "least-squares", "samples": 100000, "dim": 1000}"#) == [
      "functions[0].samples: samples × dim must be at most 50,000,000 (the data are held in memory), got 100000 × 1000"])
  }
}
