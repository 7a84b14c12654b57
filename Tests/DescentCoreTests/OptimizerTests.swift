import Foundation
import Testing
@testable import DescentCore

@Suite("Optimizers: protocol behaviour, validation and schedules")
struct OptimizerTests {
  static let names = Catalog.builtIn.optimizerNames

  /// A few hundred steps of `optimizer` on Rosenbrock from a fixed start.
  func trajectory(_ configured: ConfiguredOptimizer, steps: Int = 300, from start: [Double] = [-1.2, 1]) throws -> [[Double]] {
    let f = try makeObjective(#"{"name": "rosenbrock"}"#)
    var optimizer = configured.optimizer
    optimizer.reset(dimension: 2)
    var x = start
    var path = [x]
    for _ in 0..<steps {
      let g = f.evaluate(x).gradient
      optimizer.step(&x, gradient: g, learningRate: 1e-3)
      path.append(x)
    }
    return path
  }

  @Test("a run started from reset is reproducible bit for bit", arguments: names)
  func reproducible(_ name: String) throws {
    let configured = try makeOptimizer(#"{"name": "\#(name)"}"#)
    let first = try trajectory(configured)
    #expect(try trajectory(configured) == first)
    #expect(first.last != first.first, "\(name) did not move")
    // Resetting a used optimizer starts a fresh run.
    var used = configured
    used.optimizer.reset(dimension: 2)
    var x = [0.5, 0.5]
    used.optimizer.step(&x, gradient: [1, 1], learningRate: 0.1)
    #expect(try trajectory(used) == first)
  }

  @Test("two copies of an optimizer never share state", arguments: names)
  func copiesAreIndependent(_ name: String) throws {
    var a = try makeOptimizer(#"{"name": "\#(name)"}"#).optimizer
    a.reset(dimension: 2)
    var x = [1.0, -1.0]
    a.step(&x, gradient: [0.3, -0.7], learningRate: 0.01)
    var b = a  // fork after one step
    var xa = x, xb = x
    for _ in 0..<5 { a.step(&xa, gradient: [2.0, 1.0], learningRate: 0.01) }
    // b has not seen a's five steps: its next step from the fork equals a fresh fork's.
    var c = b
    var xc = x
    b.step(&xb, gradient: [0.1, 0.2], learningRate: 0.01)
    c.step(&xc, gradient: [0.1, 0.2], learningRate: 0.01)
    #expect(xb == xc)
    // And its state differs from a's: the same step from the same point moves differently.
    var ya = [0.0, 0.0], yb = [0.0, 0.0]
    a.step(&ya, gradient: [1, 1], learningRate: 0.01)
    var d = b
    d.step(&yb, gradient: [1, 1], learningRate: 0.01)
    if !["gd", "sgd", "lion"].contains(name) { #expect(ya != yb, "\(name): copies appear to share state") }
  }

  @Test("hyperparameters decode under PyTorch's names with PyTorch's defaults")
  func defaults() throws {
    let adam = try makeOptimizer(#"{"name": "adam"}"#).parameters
    #expect(adam.real("lr") == 1e-3)
    #expect(adam.vector("betas") == [0.9, 0.999])
    #expect(adam.real("eps") == 1e-8)
    #expect(adam.real("weight_decay") == 0)
    #expect(adam.boolean("amsgrad") == false)
    #expect(try makeOptimizer(#"{"name": "adamw"}"#).parameters.real("weight_decay") == 1e-2)
    #expect(try makeOptimizer(#"{"name": "nadam"}"#).parameters.real("lr") == 2e-3)
    #expect(try makeOptimizer(#"{"name": "nadam"}"#).parameters.real("momentum_decay") == 4e-3)
    #expect(try makeOptimizer(#"{"name": "adagrad"}"#).parameters.real("eps") == 1e-10)
    #expect(try makeOptimizer(#"{"name": "rmsprop"}"#).parameters.real("alpha") == 0.99)
    #expect(try makeOptimizer(#"{"name": "adadelta"}"#).parameters.real("lr") == 1.0)
    #expect(try makeOptimizer(#"{"name": "lion"}"#).parameters.vector("betas") == [0.9, 0.99])
    #expect(try makeOptimizer(#"{"name": "lion"}"#).parameters.real("lr") == 1e-4)
    #expect(try makeOptimizer(#"{"name": "momentum"}"#).parameters.real("momentum") == 0.9)
    let nesterov = try makeOptimizer(#"{"name": "nesterov"}"#).parameters
    #expect(nesterov.boolean("nesterov") && nesterov.real("momentum") == 0.9)
    #expect(try makeOptimizer(#"{"name": "amsgrad"}"#).parameters.boolean("amsgrad"))
  }

  @Test("Lion takes torch's sign: +0 for ±0 and for NaN, so a momentum of ∞ − ∞ after an overflowed gradient moves nothing")
  func lionSignOfNaN() throws {
    #expect(Torch.sign(.nan) == 0 && Torch.sign(-0.0).sign == .plus && Torch.sign(-2) == -1 && Torch.sign(3) == 1)
    var lion = try makeOptimizer(#"{"name": "lion"}"#).optimizer
    lion.reset(dimension: 1)
    var x = [1.0]
    lion.step(&x, gradient: [.infinity], learningRate: 0.1)  // c = +∞: x moves by −lr; the momentum becomes +∞
    #expect(x == [0.9])
    lion.step(&x, gradient: [-.infinity], learningRate: 0.1)  // c = 0.9·∞ + 0.1·(−∞) = NaN: sign 0 in torch
    #expect(x == [0.9])
  }

  @Test("aliases run exactly as their presets")
  func aliases() throws {
    #expect(try trajectory(makeOptimizer(#"{"name": "momentum", "lr": 0.01}"#)) == trajectory(makeOptimizer(#"{"name": "sgd", "lr": 0.01, "momentum": 0.9}"#)))
    #expect(try trajectory(makeOptimizer(#"{"name": "gd"}"#)) == trajectory(makeOptimizer(#"{"name": "sgd"}"#)))
    #expect(try trajectory(makeOptimizer(#"{"name": "amsgrad"}"#)) == trajectory(makeOptimizer(#"{"name": "adam", "amsgrad": true}"#)))
  }

  @Test("the seeds' two notations of momentum are torch's momentum: the EMA form with lr·(1 − α), the velocity form as it is")
  func seedsMomentumNotations() throws {
    let f = try makeObjective(#"{"name": "quadratic", "diag": [1, 10]}"#)
    let momentum = 0.9, learningRate = 0.05, start = [3.0, -2.0]
    /// torch's momentum α at a constant rate `lr`, with `dampening`.
    func torch(lr: Double, dampening: Double = 0) throws -> [[Double]] {
      var optimizer = try makeOptimizer(#"{"name": "sgd", "momentum": \#(momentum), "dampening": \#(dampening)}"#).optimizer
      optimizer.reset(dimension: 2)
      var x = start, path = [x]
      for _ in 0..<200 {
        optimizer.step(&x, gradient: f.evaluate(x).gradient, learningRate: lr)
        path.append(x)
      }
      return path
    }
    /// The seeds' forms, written as the notes write them, from v = 0.
    func seeds(ema: Bool) -> [[Double]] {
      var x = start, v = [0.0, 0.0], path = [x]
      for _ in 0..<200 {
        let g = f.evaluate(x).gradient
        for i in 0..<2 {
          if ema {  // v ← αv + (1 − α)g; θ ← θ − ηv
            v[i] = momentum * v[i] + (1 - momentum) * g[i]
            x[i] -= learningRate * v[i]
          } else {  // v ← μv − ηg; θ ← θ + v
            v[i] = momentum * v[i] - learningRate * g[i]
            x[i] += v[i]
          }
        }
        path.append(x)
      }
      return path
    }
    func gap(_ a: [[Double]], _ b: [[Double]]) -> Double {
      zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max()!
    }
    // The same iterates up to rounding (the runs move by about 3 and end near 0).
    #expect(gap(try torch(lr: learningRate * (1 - momentum)), seeds(ema: true)) < 1e-13)
    #expect(gap(try torch(lr: learningRate), seeds(ema: false)) < 1e-13)
    // torch's dampening = α is not the EMA form: its buffer starts at g, not (1 − α)g.
    let damped = try torch(lr: learningRate, dampening: momentum), ema = seeds(ema: true)
    #expect(abs(damped[1][0] - ema[1][0]) > 0.1)
    #expect(gap(damped, ema) > 0.1)
  }

  @Test("bad values name the field, the value and the accepted range", arguments: [
    (#"{"name": "adam", "betas": [0.9, 1]}"#, "o.betas[1]: expected a number in [0, 1), got 1"),
    (#"{"name": "adam", "betas": [-0.1, 0.9]}"#, "o.betas[0]: expected a number in [0, 1), got -0.1"),
    (#"{"name": "rmsprop", "alpha": 1.5}"#, "o.alpha: expected a number in [0, 1], got 1.5"),
    (#"{"name": "adagrad", "eps": -1}"#, "o.eps: expected a number ≥ 0, got -1"),
    (#"{"name": "sgd", "momentum": -0.5}"#, "o.momentum: expected a number ≥ 0, got -0.5"),
    (#"{"name": "sgd", "nesterov": "yes"}"#, "o.nesterov: expected true or false, got the string \"yes\""),
    (#"{"name": "adam", "weight_decay": -1e-4}"#, "o.weight_decay: expected a number ≥ 0, got -0.0001"),
    (#"{"name": "adam", "beta1": 0.9}"#, "o.beta1: unknown key 'beta1'; did you mean 'betas'?"),
    (#"{"name": "adam", "learning_rate": 0.1}"#, "o.learning_rate: unknown key 'learning_rate'; expected one of: lr, betas, eps, weight_decay, amsgrad, name"),
    (#"{"name": "rmsprop", "centred": true}"#, "o.centred: unknown key 'centred'; did you mean 'centered'?"),
    (#"{"name": "lion", "betas": [0.9, 0.99, 0.999]}"#, "o.betas: expected an array of two numbers in [0, 1), got an array of 3 items"),
  ])
  func validation(json: String, expected: String) throws {
    #expect(try optimizerProblems(json) == [expected])
  }

  @Test("the step allocates nothing: state buffers are reused")
  func stepReusesBuffers() throws {
    for name in Self.names {
      var o = try makeOptimizer(#"{"name": "\#(name)"}"#).optimizer
      o.reset(dimension: 3)
      var x = [1.0, 2.0, 3.0]
      o.step(&x, gradient: [0.1, 0.2, 0.3], learningRate: 0.01)
      let before = withUnsafeBytes(of: o) { Array($0) }  // the buffers' identities (pointers) live here
      for _ in 0..<10 { o.step(&x, gradient: [0.1, 0.2, 0.3], learningRate: 0.01) }
      let after = withUnsafeBytes(of: o) { Array($0) }
      // Stored pointers are unchanged; only inline scalars (step counters, products) may differ.
      let pointerWords = stride(from: 0, to: before.count - 7, by: 8).filter { i in
        let word = before[i..<i + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt.self) }
        return word > 0x1000_0000 && word & 0x7 == 0 && word < 0x8000_0000_0000
      }
      for i in pointerWords where !(Double(bitPattern: UInt64(before[i..<i + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt.self) })).isFinite) {
        #expect(before[i..<i + 8] == after[i..<i + 8], "\(name): a state buffer was reallocated during steps")
      }
    }
  }
}

@Suite("Learning-rate schedules")
struct ScheduleTests {
  func schedule(_ json: String) throws -> Schedule {
    var d = Diagnostics()
    let s = Schedule.decode(try JSONParser.parse(json), at: "schedule", diagnostics: &d)
    guard let s else { throw TestFailure(d.problems.map(\.description).joined(separator: "; ")) }
    return s
  }

  @Test("every schedule's rate at chosen steps")
  func values() throws {
    let lr = 0.1
    #expect(try schedule(#""constant""#).learningRate(base: lr, step: 12345) == 0.1)
    let step = try schedule(#"{"name": "step", "step_size": 10, "gamma": 0.5}"#)
    #expect([0, 9, 10, 19, 20, 35].map { step.learningRate(base: lr, step: $0) } == [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])
    let multi = try schedule(#"{"name": "multistep", "milestones": [3, 7], "gamma": 0.1}"#)
    #expect([0, 2, 3, 6, 7, 100].map { multi.learningRate(base: 1, step: $0) } == [1, 1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002])
    let exponential = try schedule(#"{"name": "exponential", "gamma": 0.5}"#)
    #expect([0, 1, 3].map { exponential.learningRate(base: 1, step: $0) } == [1, 0.5, 0.125])
    let cosine = try schedule(#"{"name": "cosine", "t_max": 100, "eta_min": 0.001}"#)
    #expect(cosine.learningRate(base: lr, step: 0) == 0.1)
    #expect(abs(cosine.learningRate(base: lr, step: 50) - 0.0505) < 1e-15)
    #expect(cosine.learningRate(base: lr, step: 100) == 0.001)
    // Past t_max it rises again, as torch's CosineAnnealingLR does (its closed form, period 2·t_max).
    #expect(abs(cosine.learningRate(base: lr, step: 150) - 0.0505) < 1e-15)
    #expect(abs(cosine.learningRate(base: lr, step: 200) - 0.1) < 1e-15)
    #expect(cosine.learningRate(base: lr, step: 5100) == cosine.learningRate(base: lr, step: 100))
    // torch.optim.lr_scheduler.PolynomialLR(total_iters=4, power=2): base_lr·(1 − min(t, 4)/4)²
    let poly = try schedule(#"{"name": "poly", "total_iters": 4, "power": 2}"#)
    #expect([0, 1, 2, 3, 4, 9].map { poly.learningRate(base: 0.8, step: $0) } == [0.8, 0.45, 0.2, 0.05, 0, 0])
    let polyDefaults = try schedule(#"{"name": "poly"}"#)  // total_iters 5, power 1
    #expect([0, 5].map { polyDefaults.learningRate(base: 1, step: $0) } == [1, 0])
    let polynomial = try schedule(#"{"name": "polynomial", "decay": 1, "power": 0.5}"#)
    #expect(polynomial.learningRate(base: 1, step: 3) == 0.5)
    #expect(polynomial.learningRate(base: 1, step: 0) == 1)
    let warm = try schedule(#"{"name": "exponential", "gamma": 0.5, "warmup_steps": 4}"#)
    #expect([0, 1, 2, 3, 4].map { warm.learningRate(base: 1, step: $0) } == [0.25, 0.25, 0.1875, 0.125, 0.0625])
    let warmConstant = try schedule(#"{"name": "constant", "warmup_steps": 2}"#)
    #expect([0, 1, 2].map { warmConstant.learningRate(base: 0.2, step: $0) } == [0.1, 0.2, 0.2])
  }

  @Test("schedule errors name the field")
  func errors() throws {
    var d = Diagnostics()
    _ = Schedule.decode(try JSONParser.parse(#"{"name": "step", "step_size": 0}"#), at: "s", diagnostics: &d)
    #expect(d.problems.map(\.description) == ["s.step_size: expected an integer ≥ 1 and below 1e15, got 0"])
  }
}
