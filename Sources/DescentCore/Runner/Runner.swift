import Foundation

/// Receives the recorded rows of one run.
public protocol TrajectoryRecorder {
  /// Row `step`: the state after `step` updates, and the learning rate of the next update.
  mutating func record(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>)
}

/// Records nothing (`"record": "none"`).
public struct DiscardingRecorder: TrajectoryRecorder {
  public init() {}
  @inline(__always)
  public mutating func record(step: Int, value: Double, gradientNorm: Double, learningRate: Double, x: UnsafeMutableBufferPointer<Double>) {}
}

/// Everything one run needs besides the objective and optimizer.
public struct RunSetup: Sendable {
  public var start: [Double]
  public var steps: Int
  public var learningRate: Double
  public var schedule: Schedule
  public var stop: StopRules
  public var targets: [Double]
  public var record: RecordPolicy
  /// Steps to record for sparse policies (sorted), from `RecordPolicy.plannedSteps`.
  public var plannedSteps: [Int]?
  /// Where a run with stochastic gradients evaluates the full objective for its summary (`Experiment.evaluate`).
  public var evaluate: RecordPolicy
  /// `evaluate.plannedSteps(total: steps)`.
  public var plannedEvaluations: [Int]?
  public var minimumRadius: Double

  public init(start: [Double], steps: Int, learningRate: Double, schedule: Schedule = .constant, stop: StopRules = StopRules(),
              targets: [Double] = [], record: RecordPolicy = .every, evaluate: RecordPolicy = .every, minimumRadius: Double = 1e-2,
              plannedSteps: [Int]?? = nil) {
    self.start = start
    self.steps = steps
    self.learningRate = learningRate
    self.schedule = schedule
    self.stop = stop
    self.targets = targets
    self.record = record
    self.plannedSteps = plannedSteps ?? record.plannedSteps(total: steps)
    self.evaluate = evaluate
    plannedEvaluations = evaluate.plannedSteps(total: steps)
    self.minimumRadius = minimumRadius
  }
}

/// What a run ends with, before it is named and timed.
public struct RunOutcome: Sendable {
  public var steps: Int
  public var status: RunStatus
  public var finalX: [Double]
  public var finalF: Double
  public var bestF: Double
  public var finalGradNorm: Double
  public var stepsToTarget: [Int?]
  /// The step at which the run was first found diverged: its last step where it halted there; earlier
  /// with `halt_on_divergence: false`. `nil` for a run that did not diverge.
  public var divergedAt: Int?
}

/// Runs one optimizer on one objective. Step t evaluates f and ∇f at x_t, records, checks the stop rules,
/// then updates x_t → x_{t+1} with the learning rate for step t. Row t is the state after t updates; a run
/// of `steps` steps has rows 0…steps.
///
/// Generic, so the step loop has no existential calls: callers holding `any Objective` / `any Optimizer`
/// open them once, by calling this. It is `executeLanes` with a single lane.
public func executeRun<F: Objective, O: Optimizer, R: TrajectoryRecorder>(
  _ objective: F, _ optimizer: O, _ setup: RunSetup, recorder: inout R
) -> RunOutcome {
  var recorders = [recorder]
  let outcome = executeLanes(objective, optimizer, setup, starts: [setup.start], recorders: &recorders)[0]
  recorder = recorders[0]
  return outcome
}

/// Runs several runs that differ only in their start point in lockstep, as lanes of one vector: lane l
/// owns coordinates `l·d ..< (l+1)·d` of x, ∇f and the optimizer state, and one `step` call updates all
/// lanes. Only for coordinate-wise optimizers (`O.isCoordinatewise`), whose update of a coordinate reads
/// nothing but that coordinate and scalars shared by every lane (step count, learning rate), so each lane
/// computes exactly the bits it would alone. Per step, the shared work (the call, the schedule, Adam's
/// bias corrections) is paid once for all lanes.
///
/// Every lane has its own stop rules, targets and recorder (`recorders[l]`, `starts[l]`). A lane that stops
/// is frozen: its outcome is taken then, it records nothing more, and its coordinates keep being stepped
/// with a zero gradient until the last lane stops, which no other lane can see.
// BEGIN GENERATED SPECIALIZATIONS (tools/specializations.py)
@_specialize(where F == Quadratic, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Quadratic, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Quadratic, O == Lion, R == TrajectoryWriter)
@_specialize(where F == XCos, O == SGD, R == DiscardingRecorder)
@_specialize(where F == XCos, O == SGD, R == TrajectoryWriter)
@_specialize(where F == XCos, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == XCos, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == XCos, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == XCos, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == XCos, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == XCos, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == XCos, O == Adam, R == DiscardingRecorder)
@_specialize(where F == XCos, O == Adam, R == TrajectoryWriter)
@_specialize(where F == XCos, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == XCos, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == XCos, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == XCos, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == XCos, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == XCos, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == XCos, O == Lion, R == DiscardingRecorder)
@_specialize(where F == XCos, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Rosenbrock, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Rosenbrock, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Beale, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Beale, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Beale, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Beale, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Beale, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Beale, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Beale, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Beale, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Beale, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Beale, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Beale, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Beale, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Beale, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Beale, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Beale, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Beale, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Beale, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Beale, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Booth, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Booth, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Booth, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Booth, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Booth, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Booth, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Booth, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Booth, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Booth, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Booth, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Booth, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Booth, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Booth, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Booth, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Booth, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Booth, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Booth, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Booth, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Himmelblau, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Himmelblau, O == Lion, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == SGD, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == SGD, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == Adam, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == Adam, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == SixHumpCamel, O == Lion, R == DiscardingRecorder)
@_specialize(where F == SixHumpCamel, O == Lion, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == SGD, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == SGD, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == Adam, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == Adam, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == ThreeHumpCamel, O == Lion, R == DiscardingRecorder)
@_specialize(where F == ThreeHumpCamel, O == Lion, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == SGD, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == SGD, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == Adam, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == Adam, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == GoldsteinPrice, O == Lion, R == DiscardingRecorder)
@_specialize(where F == GoldsteinPrice, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Matyas, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Matyas, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Saddle, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Saddle, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Rastrigin, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Rastrigin, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Ackley, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Ackley, O == Lion, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == SGD, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == SGD, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == Adam, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == Adam, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == StyblinskiTang, O == Lion, R == DiscardingRecorder)
@_specialize(where F == StyblinskiTang, O == Lion, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == SGD, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == SGD, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == Adam, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == Adam, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == LeastSquares, O == Lion, R == DiscardingRecorder)
@_specialize(where F == LeastSquares, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Logistic, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Logistic, O == Lion, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == SGD, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == SGD, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == Adagrad, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == Adagrad, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == RMSprop, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == RMSprop, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == Adadelta, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == Adadelta, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == Adam, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == Adam, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == AdamW, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == AdamW, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == NAdam, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == NAdam, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == RAdam, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == RAdam, R == TrajectoryWriter)
@_specialize(where F == Softmax, O == Lion, R == DiscardingRecorder)
@_specialize(where F == Softmax, O == Lion, R == TrajectoryWriter)
// END GENERATED SPECIALIZATIONS
public func executeLanes<F: Objective, O: Optimizer, R: TrajectoryRecorder>(
  _ objective: F, _ optimizer: O, _ setup: RunSetup, starts: [[Double]], recorders: inout [R]
) -> [RunOutcome] {
  // The loop is compiled with the lanes' dimension as a constant where it can be: a lane's slices then
  // have a constant count, and the objective's and the norm's loops over them unroll (objectives loop over
  // `x.count` for this). A fixed-dimension objective has one copy, for its dimension (`dimensionRule` is a
  // constant in each specialization); any other has two, for d = 2, the classic landscapes, and for any d.
  // Unrolling changes no operation's order: the bits are the same.
  switch F.dimensionRule {
  case .fixed(let d):
    precondition(objective.dimension == d, "\(F.name): dimension \(objective.dimension), its rule says \(d)")
    return stepLanes(objective, optimizer, setup, starts: starts, recorders: &recorders, dimension: d)
  case .atLeast:
    let d = objective.dimension
    if d == 2 { return stepLanes(objective, optimizer, setup, starts: starts, recorders: &recorders, dimension: 2) }
    return stepLanes(objective, optimizer, setup, starts: starts, recorders: &recorders, dimension: d)
  }
}

/// `executeLanes` for lanes of `d` coordinates (`objective.dimension`).
@inline(__always)
func stepLanes<F: Objective, O: Optimizer, R: TrajectoryRecorder>(
  _ objective: F, _ optimizer: O, _ setup: RunSetup, starts: [[Double]], recorders: inout [R], dimension d: Int
) -> [RunOutcome] {
  let lanes = starts.count
  precondition(lanes >= 1 && recorders.count == lanes, "one recorder per lane")
  precondition(lanes == 1 || O.isCoordinatewise, "\(O.name) is not coordinate-wise: its runs cannot share a step")
  var optimizer = optimizer
  optimizer.reset(dimension: lanes * d)
  let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes * d)
  let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes * d)
  let lane = UnsafeMutableBufferPointer<LaneState>.allocate(capacity: lanes)
  let targets = setup.targets
  let reachedAt = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, lanes * targets.count))
  // The recorders, moved out of the array for the loop: a lane's row is then stored without the array's
  // uniqueness and bounds checks.
  let recorder = UnsafeMutableBufferPointer<R>.allocate(capacity: lanes)
  _ = recorder.initialize(from: recorders)
  recorders.removeAll()
  defer {
    recorders.append(contentsOf: recorder)
    recorder.deinitialize()
    recorder.deallocate()
    x.deallocate()
    g.deallocate()
    lane.deallocate()
    reachedAt.deallocate()
  }
  for (l, start) in starts.enumerated() {
    precondition(start.count == d, "start point has the wrong dimension")
    for i in 0..<d { (x.baseAddress! + l * d + i).initialize(to: start[i]) }
  }
  g.initialize(repeating: 0)
  lane.initialize(repeating: LaneState(unreached: targets.count))
  reachedAt.initialize(repeating: -1)
  var outcomes = [RunOutcome?](repeating: nil, count: lanes)
  /// Lane l's d coordinates of `buffer` (x or ∇f).
  @inline(__always) func laneSlice(_ buffer: UnsafeMutableBufferPointer<Double>, _ l: Int) -> UnsafeMutableBufferPointer<Double> {
    UnsafeMutableBufferPointer(start: buffer.baseAddress! + l &* d, count: d)  // l < lanes: no overflow
  }

  let fStar = objective.minima.value
  let divergence = setup.stop.divergence ?? .infinity
  let escape = objective.minima.escapeBelow
  let gradientStop = setup.stop.gradientNorm ?? -.infinity
  let suboptimalityStop = fStar != nil ? (setup.stop.suboptimality ?? -.infinity) : -.infinity
  let constantRate = setup.schedule.isConstant
  let halts = setup.stop.haltOnDivergence
  let planned = setup.plannedSteps ?? []
  var nextPlanned = 0
  let every: Int? = switch setup.record {
  case .every: 1
  case .everyK(let k): k
  case .log, .none: nil
  }
  let records = setup.record != .none
  var running = lanes
  var t = 0
  while true {
    let learningRate = constantRate ? setup.learningRate : setup.schedule.learningRate(base: setup.learningRate, step: t)
    var scheduled = false
    if records {
      if let every { scheduled = t % every == 0 } else if nextPlanned < planned.count, planned[nextPlanned] == t {
        scheduled = true
        nextPlanned += 1
      }
    }
    // The lane loop, as two copies: one for the steps that record a row (every step of "every"), and one
    // without the recorder's call for the steps that do not (most steps of a sparse policy, every step of
    // "none"); a lane that stops in such a step has its last row recorded after the loop, from its outcome,
    // while x still holds the point it was evaluated at.
    // Returns how many lanes stopped in this step. The step and what it changes besides the lanes' buffers
    // are passed in: a captured variable that the loop mutates costs a dynamic exclusivity check every step.
    @inline(__always) func stepAll(recording: Bool, step t: Int, _ outcomes: inout [RunOutcome?]) -> Int {
      var stoppedNow = 0
      for l in 0..<lanes where !lane[l].stopped {
        let xl = laneSlice(x, l), gl = laneSlice(g, l)
        let value = objective.evaluate(UnsafeBufferPointer(xl), gradient: gl)
        let gradientNorm = norm(gl)
        var s = lane[l]
        let diverged = s.diverged || !value.isFinite || !gradientNorm.isFinite || value > divergence || value < escape
        if !diverged {
          if value < s.best { s.best = value }
          if s.unreached > 0, let fStar {
            let suboptimality = value - fStar
            for k in 0..<targets.count where reachedAt[l * targets.count + k] < 0 && suboptimality <= targets[k] {
              reachedAt[l * targets.count + k] = t
              s.unreached -= 1
            }
          }
        } else if !s.diverged {
          s.divergedAt = t
        }
        let converged = !diverged && (gradientNorm <= gradientStop || (fStar.map { value - $0 <= suboptimalityStop } ?? false))
        let last = (diverged && halts) || converged || t == setup.steps
        if recording {
          recorder[l].record(step: t, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: xl)
        }
        // A lane stops once: marked cold, the outcome's allocations and calls keep their spills to
        // themselves (callgrind, --jobs 1: the compute sweep 0.7 % fewer instructions, the binary 3.6 %).
        if _slowPath(last) {
          s.stopped = true
          stoppedNow += 1
          gl.update(repeating: 0)
          outcomes[l] = RunOutcome(
            steps: t, status: diverged ? .diverged : (converged ? .converged : .maxSteps), finalX: Array(xl), finalF: value,
            bestF: s.best, finalGradNorm: gradientNorm,
            stepsToTarget: (0..<targets.count).map { k in reachedAt[l * targets.count + k] < 0 ? nil : reachedAt[l * targets.count + k] },
            divergedAt: diverged ? s.divergedAt : nil)
        }
        lane[l] = s
      }
      return stoppedNow
    }
    if scheduled {
      running -= stepAll(recording: true, step: t, &outcomes)
    } else {
      let stoppedNow = stepAll(recording: false, step: t, &outcomes)
      running -= stoppedNow
      if records && stoppedNow > 0 {
        for l in 0..<lanes {
          guard let outcome = outcomes[l], outcome.steps == t else { continue }
          recorder[l].record(step: t, value: outcome.finalF, gradientNorm: outcome.finalGradNorm, learningRate: learningRate,
                             x: laneSlice(x, l))
        }
      }
    }
    if running == 0 { break }
    optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: learningRate)
    t += 1
  }
  return outcomes.map { $0! }
}

/// What `executeLanes` tracks for each lane between steps.
struct LaneState {
  var best = Double.infinity
  /// The step at which a value was first not finite or beyond the divergence threshold, or −1: from then on
  /// the lane stays diverged.
  var divergedAt = -1
  var diverged: Bool { divergedAt >= 0 }
  /// Targets not yet reached.
  var unreached: Int
  var stopped = false
}

/// ‖g‖₂, without spurious overflow: |g| in one dimension, a rescaled sum only when squares overflow.
@inline(__always)
func norm(_ g: UnsafeMutableBufferPointer<Double>) -> Double {
  if g.count == 1 { return abs(g[0]) }
  var s = 0.0
  for i in 0..<g.count { s += g[i] * g[i] }
  if s.isNaN { return s }  // what sqrt returns, without the C library call Swift makes for NaN arguments
  if s.isFinite { return s.squareRoot() }
  var scale = 0.0
  for i in 0..<g.count { scale = max(scale, abs(g[i])) }
  guard scale.isFinite else { return scale }
  var r = 0.0
  for i in 0..<g.count { r += (g[i] / scale) * (g[i] / scale) }
  return scale * r.squareRoot()
}
