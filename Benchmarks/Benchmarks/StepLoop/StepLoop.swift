import Benchmark
import DescentCore

/// The step loop (gradient + optimizer step) of every optimizer on functions at d = 2, 100 and 10,000.
/// The threshold on `mallocCountTotal` is 0: the steady-state loop must not allocate.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal],
    maxDuration: .milliseconds(200),
    maxIterations: 1000,
    thresholds: [.mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0])])

  let catalog = Catalog.builtIn
  let functions: [(name: String, entry: (Int) -> String, dimensions: [Int])] = [
    ("rosenbrock", { #"{"name": "rosenbrock", "dim": \#($0)}"# }, [2, 100, 10_000]),
    ("quadratic", { #"{"name": "quadratic", "condition": 100, "dim": \#($0)}"# }, [2, 100, 10_000]),
    ("rastrigin", { #"{"name": "rastrigin", "dim": \#($0)}"# }, [2, 100, 10_000]),
    ("xcos", { _ in #"{"name": "xcos"}"# }, [1]),
    ("beale", { _ in #"{"name": "beale"}"# }, [2]),
  ]
  let optimizers = catalog.optimizers.filter { $0.aliasOf == nil }.map(\.name)
  // Every other catalogue function at its defaults, with SGD: a function added later is checked too.
  let others = catalog.objectiveNames.filter { name in !functions.contains { $0.name == name } }

  // Finite sums: a minibatch step costs O(b·d), a full-batch step O(n·d).
  for batch in [1, 32, 10_000] {
    Benchmark("sgd on least-squares n=10000 d=50 batch=\(batch)") { benchmark in
      var diagnostics = Diagnostics()
      guard case .object(let f)? = try? JSONParser.parse(#"{"name": "least-squares", "samples": 10000, "dim": 50}"#),
        let objective = catalog.makeObjective(f, at: "f", diagnostics: &diagnostics) as? LeastSquares,
        case .object(let o)? = try? JSONParser.parse(#"{"name": "sgd", "lr": 1e-3}"#),
        let configured = catalog.makeOptimizer(o, at: "o", diagnostics: &diagnostics)
      else { fatalError("cannot build the finite-sum benchmark: \(diagnostics.problems)") }
      minibatchLoop(objective, configured.optimizer, batch: batch, benchmark: benchmark)
    }
  }

  for name in others {
    Benchmark("sgd on \(name) (defaults)") { benchmark in
      var diagnostics = Diagnostics()
      guard case .object(let f)? = try? JSONParser.parse(#"{"name": "\#(name)"}"#),
        let objective = catalog.makeObjective(f, at: "f", diagnostics: &diagnostics),
        case .object(let o)? = try? JSONParser.parse(#"{"name": "sgd", "lr": 1e-4}"#),
        let configured = catalog.makeOptimizer(o, at: "o", diagnostics: &diagnostics)
      else { fatalError("cannot build sgd on \(name) at its defaults: \(diagnostics.problems)") }
      stepLoop(objective, configured.optimizer, dimension: objective.dimension, benchmark: benchmark)
    }
  }

  for function in functions {
    for d in function.dimensions {
      for name in optimizers {
        Benchmark("\(name) on \(function.name) d=\(d)") { benchmark in
          var diagnostics = Diagnostics()
          guard case .object(let f)? = try? JSONParser.parse(function.entry(d)),
            let objective = catalog.makeObjective(f, at: "f", diagnostics: &diagnostics),
            case .object(let o)? = try? JSONParser.parse(#"{"name": "\#(name)", "lr": 1e-4}"#),
            let configured = catalog.makeOptimizer(o, at: "o", diagnostics: &diagnostics)
          else { fatalError("cannot build \(name) on \(function.name): \(diagnostics.problems)") }
          stepLoop(objective, configured.optimizer, dimension: d, benchmark: benchmark)
        }
      }
    }
  }
}

/// Opens the existentials once, allocates the run's buffers, then measures only the steps.
func stepLoop<F: Objective, O: Optimizer>(_ objective: F, _ optimizer: O, dimension d: Int, benchmark: Benchmark) {
  var optimizer = optimizer
  optimizer.reset(dimension: d)
  let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  defer {
    x.deallocate()
    g.deallocate()
  }
  x.initialize(repeating: 0.5)
  g.initialize(repeating: 0)
  // One warm-up step outside the measurement (first-step state such as momentum buffers).
  _ = objective.evaluate(UnsafeBufferPointer(x), gradient: g)
  optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: 1e-4)
  benchmark.startMeasurement()
  for _ in benchmark.scaledIterations {
    blackHole(objective.evaluate(UnsafeBufferPointer(x), gradient: g))
    optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: 1e-4)
  }
  benchmark.stopMeasurement()
}

/// The stochastic step loop: a minibatch gradient (drawn with replacement) and an optimizer step.
func minibatchLoop<F: FiniteSumObjective, O: Optimizer>(_ objective: F, _ optimizer: O, batch: Int, benchmark: Benchmark) {
  var optimizer = optimizer
  let d = objective.dimension
  optimizer.reset(dimension: d)
  var source = MinibatchGradient(objective, batchSize: batch, sampling: .withReplacement, noise: 0, seed: 1)
  let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  let g = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
  defer {
    x.deallocate()
    g.deallocate()
  }
  x.initialize(repeating: 0.1)
  g.initialize(repeating: 0)
  source.gradient(UnsafeBufferPointer(x), into: g)
  optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: 1e-3)
  benchmark.startMeasurement()
  for _ in benchmark.scaledIterations {
    source.gradient(UnsafeBufferPointer(x), into: g)
    optimizer.step(x, gradient: UnsafeBufferPointer(g), learningRate: 1e-3)
  }
  benchmark.stopMeasurement()
}
