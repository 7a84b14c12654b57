import Foundation
import Testing
@testable import DescentCore

/// Keeps every recorded row as bit patterns, so comparisons are exact (NaN included).
struct CapturingRecorder: TrajectoryRecorder {
  var rows: [[UInt64]] = []
  mutating func record(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>) {
    rows.append([UInt64(step), value.bitPattern, gradientNorm.bitPattern, learningRate.bitPattern] + x.map(\.bitPattern))
  }
}

/// Runs stepped together as lanes (`executeLanes`, what the sweep does for runs that differ only in their
/// start point) must be the very runs that `executeRun` makes one at a time: same rows, same outcome, to
/// the last bit, even when lanes stop at different steps.
@Suite("Runs stepped as lanes")
struct LaneTests {
  static let optimizers = [
    #"{"name": "sgd", "lr": 0.01}"#,
    #"{"name": "sgd", "lr": 0.01, "weight_decay": 0.1}"#,
    #"{"name": "momentum", "lr": 0.01}"#,
    #"{"name": "sgd", "lr": 0.01, "momentum": 0.8, "dampening": 0.3}"#,
    #"{"name": "nesterov", "lr": 0.01, "weight_decay": 0.01}"#,
    #"{"name": "adagrad", "lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01}"#,
    #"{"name": "rmsprop", "lr": 0.01}"#,
    #"{"name": "rmsprop", "lr": 0.01, "centered": true, "momentum": 0.5, "weight_decay": 0.01}"#,
    #"{"name": "adadelta", "weight_decay": 0.01}"#,
    #"{"name": "adam", "lr": 0.05}"#,
    #"{"name": "amsgrad", "lr": 0.05, "weight_decay": 0.01}"#,
    #"{"name": "adamw", "lr": 0.05}"#,
    #"{"name": "nadam", "lr": 0.05}"#,
    #"{"name": "radam", "lr": 0.05}"#,
    #"{"name": "lion", "lr": 0.001, "weight_decay": 0.1}"#,
  ]

  static let functions = [
    #"{"name": "rosenbrock"}"#,
    #"{"name": "xcos"}"#,
    #"{"name": "rastrigin", "dim": 3}"#,
    #"{"name": "himmelblau"}"#,
  ]

  static let setups: [RunSetup] = [
    RunSetup(start: [], steps: 400, learningRate: 0, stop: StopRules(gradientNorm: 1e-6, divergence: 1e8),
             targets: [1e-1, 1e-4], record: .every),
    RunSetup(start: [], steps: 700, learningRate: 0, schedule: Schedule(.cosine(tMax: 500, etaMin: 0), warmupSteps: 20),
             stop: StopRules(suboptimality: 1e-9, haltOnDivergence: false), targets: [1e-2], record: .log(40)),
  ]

  @Test("every optimizer, on every kind of landscape, gives each lane the bits of its run alone", arguments: optimizers)
  func lanesMatchRunsAlone(_ optimizerJSON: String) throws {
    let configured = try makeOptimizer(optimizerJSON)
    #expect(configured.isCoordinatewise)
    for functionJSON in Self.functions {
      let objective = try makeObjective(functionJSON)
      // Random starts, plus a global minimiser (it converges, or is done, at step 0 while the others go
      // on) and a start far out that diverges at once: lanes stop at different steps.
      var rng = SplitMix64(seed: stableHash(functionJSON))
      var starts = (0..<7).map { _ in objective.domain.sample(using: &rng) }
      starts.insert(objective.minima.global[0], at: 3)
      starts.append([Double](repeating: 1e5, count: objective.dimension))
      for var setup in Self.setups {
        setup.learningRate = configured.learningRate
        var lanes = [CapturingRecorder](repeating: CapturingRecorder(), count: starts.count)
        let together = executeLanes(objective, configured.optimizer, setup, starts: starts, recorders: &lanes)
        var stepCounts = Set<Int>()
        for (l, start) in starts.enumerated() {
          var alone = CapturingRecorder()
          setup.start = start
          let outcome = executeRun(objective, configured.optimizer, setup, recorder: &alone)
          let context = "\(optimizerJSON) on \(functionJSON), lane \(l), record \(setup.record)"
          #expect(lanes[l].rows == alone.rows, "\(context): rows differ")
          #expect(together[l].steps == outcome.steps, "\(context)")
          #expect(together[l].status == outcome.status, "\(context)")
          #expect(together[l].finalX.map(\.bitPattern) == outcome.finalX.map(\.bitPattern), "\(context)")
          #expect(together[l].finalF.bitPattern == outcome.finalF.bitPattern, "\(context)")
          #expect(together[l].bestF.bitPattern == outcome.bestF.bitPattern, "\(context)")
          #expect(together[l].finalGradNorm.bitPattern == outcome.finalGradNorm.bitPattern, "\(context)")
          #expect(together[l].stepsToTarget == outcome.stepsToTarget, "\(context)")
          #expect(together[l].divergedAt == outcome.divergedAt, "\(context)")
          #expect(!alone.rows.isEmpty)
          stepCounts.insert(outcome.steps)
        }
        #expect(stepCounts.count > 1, "lanes of \(optimizerJSON) on \(functionJSON) all stopped at the same step")
      }
    }
  }

  @Test("a sparse policy records the dense run's rows at its steps, and each lane's stop step whenever it stops",
        arguments: [RecordPolicy.log(25), .everyK(7), .everyK(1000)])
  func sparseRowsAreDenseRows(_ policy: RecordPolicy) throws {
    let objective = try makeObjective(#"{"name": "quadratic", "diag": [0.2, 4]}"#)
    let configured = try makeOptimizer(#"{"name": "sgd", "lr": 0.1}"#)
    // The minimiser (done at step 0), a start that diverges at once, and lanes that converge at different
    // steps (the farther out, the later), mostly between recorded ones, or run to the end.
    let starts: [[Double]] = [[0, 0], [1e6, 1], [0.1, 0.1], [1, -1], [-10, 3], [100, 0], [-3e3, 1]]
    let stop = StopRules(gradientNorm: 1e-3, divergence: 1e8)
    let dense = RunSetup(start: [], steps: 600, learningRate: configured.learningRate, stop: stop, record: .every)
    let sparse = RunSetup(start: [], steps: 600, learningRate: configured.learningRate, stop: stop, record: policy)
    var every = [CapturingRecorder](repeating: CapturingRecorder(), count: starts.count)
    var few = every
    let outcomes = executeLanes(objective, configured.optimizer, dense, starts: starts, recorders: &every)
    let sparseOutcomes = executeLanes(objective, configured.optimizer, sparse, starts: starts, recorders: &few)
    let planned = Set(policy.plannedSteps(total: 600) ?? [])
    var stops = Set<Int>()
    for l in starts.indices {
      let end = outcomes[l].steps
      stops.insert(end)
      #expect(sparseOutcomes[l].steps == end && sparseOutcomes[l].status == outcomes[l].status)
      let kept = every[l].rows.filter { row in
        let step = Int(row[0])
        if case .everyK(let k) = policy { return step % k == 0 || step == end }
        return planned.contains(step) || step == end
      }
      #expect(few[l].rows == kept, "lane \(l), \(policy): stopped at \(end)")
      #expect(few[l].rows.last.map { Int($0[0]) } == end && few[l].rows.last?[1] == outcomes[l].finalF.bitPattern)
    }
    #expect(stops.count >= 4 && stops.contains(0) && stops.contains(600), "stop steps \(stops.sorted())")
    #expect(stops.contains { $0 > 0 && $0 < 600 && !planned.contains($0) }, "no lane stopped between recorded steps")
  }

  @Test("every registered optimizer that may be stepped as lanes is in the list above")
  func everyCoordinatewiseOptimizerIsCovered() throws {
    let covered = try Self.optimizers.map { "\(type(of: try makeOptimizer($0).optimizer))" }
    for entry in Catalog.builtIn.optimizers where entry.type.isCoordinatewise {
      #expect(covered.contains("\(entry.type)"), "\(entry.name) declares isCoordinatewise but LaneTests does not check it")
    }
  }

  @Test("a sweep that steps runs as lanes writes what running each run alone writes")
  func sweepMatchesRunsAlone() throws {
    let config = #"""
    {"name": "lanes", "steps": 300, "seeds": 12, "record": {"log": 30}, "targets": [1e-3],
     "stop": {"grad_norm": 1e-8},
     "functions": [{"name": "rosenbrock"}, {"name": "xcos", "start": {"points": [[0.1], [0.7], [1.3], [1.9]]}},
                   {"name": "least-squares", "samples": 40, "dim": 3}],
     "optimizers": [{"name": "adam", "lr": {"logspace": [-2, -1, 2]}}, {"name": "momentum", "lr": 0.001}]}
    """#
    let experiment = try decodeExperiment(config)
    let together = temporaryDirectory()
    let alone = temporaryDirectory()
    defer {
      cleanUp(together)
      cleanUp(alone)
    }
    for jobs in [1, 2] {
      let path = together + "/jobs\(jobs)"
      let scratch = try ResultsDirectory.prepare(together + "/units\(jobs)", for: experiment, mode: .fresh)
      let sweep = Sweep(experiment: experiment, directory: scratch, jobs: jobs)
      let units = sweep.workUnits(experiment.plannedRuns(), workers: jobs)
      #expect(units.contains { $0.count > 1 }, "nothing was stepped as lanes")
      #expect(units.flatMap { $0 }.map(\.index).sorted() == Array(0..<experiment.runCount))
      try runExperiment(experiment, configText: config, into: path, jobs: jobs)
    }
    // One run at a time, through the single-run path.
    let directory = try ResultsDirectory.prepare(alone, for: experiment, mode: .fresh)
    let sweep = Sweep(experiment: experiment, directory: directory, jobs: 1)
    let summaries = try experiment.plannedRuns().map { run throws(OutputError) in (run, try sweep.execute(run)) }
    try SummaryTable(experiment).write(summaries, to: directory)

    let expected = try trajectories(alone)
    #expect(expected.count == experiment.runCount)
    for jobs in [1, 2] {
      let path = together + "/jobs\(jobs)"
      #expect(try trajectories(path) == expected)
      #expect(try summaryWithoutTiming(path) == summaryWithoutTiming(alone))
    }
  }
  @Test("the units handed out last are split finer, and every run is still in exactly one unit")
  func finerTail() throws {
    let experiment = try decodeExperiment(#"{"name": "t", "steps": 10, "seeds": 64, "functions": [{"name": "rosenbrock", "start": "random"}], "optimizers": [{"name": "adam"}, {"name": "sgd"}]}"#)
    let sweep = Sweep(experiment: experiment, directory: ResultsDirectory(path: "/nonexistent"), jobs: 2)
    // 128 runs in two groups of 64: eight units of 16 lanes, of which the last four (2 × workers) go in fours.
    let units = sweep.workUnits(experiment.plannedRuns(), workers: 2)
    #expect(units.map(\.count) == Array(repeating: 16, count: 4) + Array(repeating: 4, count: 16))
    #expect(units.flatMap { $0 }.map(\.index).sorted() == Array(0..<128))
    #expect(units.allSatisfy { unit in unit.allSatisfy { $0.optimizer == unit[0].optimizer } })
    // One worker has no one to wait for: whole units.
    #expect(sweep.workUnits(experiment.plannedRuns(), workers: 1).map(\.count) == Array(repeating: 16, count: 8))
  }
}
