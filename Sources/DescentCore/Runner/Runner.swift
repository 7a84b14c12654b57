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
  public var minimumRadius: Double

  public init(start: [Double], steps: Int, learningRate: Double, schedule: Schedule = .constant, stop: StopRules = StopRules(),
              targets: [Double] = [], record: RecordPolicy = .every, minimumRadius: Double = 1e-2,
              plannedSteps: [Int]?? = nil) {
    self.start = start
    self.steps = steps
    self.learningRate = learningRate
    self.schedule = schedule
    self.stop = stop
    self.targets = targets
    self.record = record
    self.plannedSteps = plannedSteps ?? record.plannedSteps(total: steps)
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
}

/// Runs one optimizer on one objective. Generic, so the step loop has no existential calls: callers
/// holding `any Objective` / `any Optimizer` open them once, by calling this.
///
/// Step t evaluates f and ∇f at x_t, records, checks the stop rules, then updates x_t → x_{t+1} with the
/// learning rate for step t. Row t is the state after t updates; a run of `steps` steps has rows 0…steps.
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
public func executeRun<F: Objective, O: Optimizer, R: TrajectoryRecorder>(
  _ objective: F, _ optimizer: O, _ setup: RunSetup, recorder: inout R
) -> RunOutcome {
  let d = objective.dimension
  precondition(setup.start.count == d, "start point has the wrong dimension")
  var optimizer = optimizer
  optimizer.reset(dimension: d)
  let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  defer {
    x.deallocate()
    g.deallocate()
  }
  _ = x.initialize(from: setup.start)
  g.initialize(repeating: 0)

  let fStar = objective.minima.value
  let divergence = setup.stop.divergence ?? .infinity
  let gradientStop = setup.stop.gradientNorm ?? -.infinity
  let suboptimalityStop = fStar != nil ? (setup.stop.suboptimality ?? -.infinity) : -.infinity
  let constantRate = setup.schedule.isConstant
  let targets = setup.targets
  var stepsToTarget = [Int?](repeating: nil, count: targets.count)
  var unreached = targets.count
  var best = Double.infinity
  var status = RunStatus.maxSteps
  var value = Double.nan
  var gradientNorm = Double.nan
  var nextPlanned = 0
  let planned = setup.plannedSteps ?? []
  let every: Int? = switch setup.record {
  case .every: 1
  case .everyK(let k): k
  case .log, .none: nil
  }
  let records = setup.record != .none

  let halts = setup.stop.haltOnDivergence
  var divergedAt: Int?
  var t = 0
  while true {
    value = objective.evaluate(UnsafeBufferPointer(x), gradient: g)
    gradientNorm = norm(g)
    let learningRate = constantRate ? setup.learningRate : setup.schedule.learningRate(base: setup.learningRate, step: t)
    let diverged = divergedAt != nil || !value.isFinite || !gradientNorm.isFinite || value > divergence
    if !diverged {
      if value < best { best = value }
      if unreached > 0, let fStar {
        let suboptimality = value - fStar
        for k in 0..<targets.count where stepsToTarget[k] == nil && suboptimality <= targets[k] {
          stepsToTarget[k] = t
          unreached -= 1
        }
      }
    } else if divergedAt == nil {
      divergedAt = t
    }
    let converged = !diverged && (gradientNorm <= gradientStop || (fStar.map { value - $0 <= suboptimalityStop } ?? false))
    let last = (diverged && halts) || converged || t == setup.steps
    if records {
      var keep = last
      if let every { keep = keep || t % every == 0 } else if nextPlanned < planned.count, planned[nextPlanned] == t {
        keep = true
        nextPlanned += 1
      }
      if keep { recorder.record(step: t, value: value, gradientNorm: gradientNorm, learningRate: learningRate, x: x) }
    }
    if last {
      status = diverged ? .diverged : (converged ? .converged : .maxSteps)
      break
    }
    optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: learningRate)
    t += 1
  }
  return RunOutcome(
    steps: t, status: status, finalX: Array(x), finalF: value, bestF: best, finalGradNorm: gradientNorm,
    stepsToTarget: stepsToTarget)
}

/// ‖g‖₂, without spurious overflow: |g| in one dimension, a rescaled sum only when squares overflow.
@inline(__always)
func norm(_ g: UnsafeMutableBufferPointer<Double>) -> Double {
  if g.count == 1 { return abs(g[0]) }
  var s = 0.0
  for i in 0..<g.count { s += g[i] * g[i] }
  if s.isFinite || s.isNaN { return s.squareRoot() }
  var scale = 0.0
  for i in 0..<g.count { scale = max(scale, abs(g[i])) }
  guard scale.isFinite else { return scale }
  var r = 0.0
  for i in 0..<g.count { r += (g[i] / scale) * (g[i] / scale) }
  return scale * r.squareRoot()
}
