/// One run of an experiment: a function variant × an optimizer variant × a seed.
public struct RunSpec: Sendable, Equatable {
  /// Position in the experiment's canonical order (functions, then optimizers, then seeds).
  public var index: Int
  public var function: Int
  public var optimizer: Int
  public var seed: Int
  public var id: String
}

/// `--shard K/N`: the K-th (1-based) of N deterministic slices of an experiment's runs.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parses `K/N` with 1 ≤ K ≤ N.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, (1...n).contains(k) else { return nil }
    self.init(index: k, count: n)
  }

  public var description: String { "\(index)/\(count)" }
}

extension Experiment {
  /// Every run, in canonical order.
  public func plannedRuns() -> [RunSpec] {
    (0..<runCount).map(run(at:))
  }

  /// The run at `index` in canonical order (functions, then optimizers, then seeds), made without listing
  /// the runs before it.
  public func run(at index: Int) -> RunSpec {
    precondition((0..<runCount).contains(index), "run index \(index) outside 0..<\(runCount)")
    let s = index % seeds.count, o = index / seeds.count % optimizers.count, f = index / (seeds.count * optimizers.count)
    return RunSpec(index: index, function: f, optimizer: o, seed: seeds[s],
                   id: RunID.make(function: functions[f].label, optimizer: optimizers[o].label, seed: seeds[s]))
  }

  /// Finds planned runs by id in time independent of the run count: a results directory's `config.json`
  /// may claim tens of millions of runs while its journal holds a handful, and reading it back must cost
  /// what the journal holds, not what the config claims.
  public struct RunLookup: Sendable {
    let experiment: Experiment
    let functions: [String: Int]
    let optimizers: [String: Int]
    let seeds: [Int: Int]

    init(_ experiment: Experiment) {
      self.experiment = experiment
      functions = Dictionary(experiment.functions.enumerated().map { ($1.label, $0) }, uniquingKeysWith: { a, _ in a })
      optimizers = Dictionary(experiment.optimizers.enumerated().map { ($1.label, $0) }, uniquingKeysWith: { a, _ in a })
      seeds = Dictionary(experiment.seeds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The planned run with this id and seed, or `nil` if the experiment has none.
    ///
    /// An id is `function__optimizer__seed=N`. Labels never contain `__` but may begin or end with `_`, so the
    /// two meet at the id's first `__`, or one place later when the function's label ends with `_`: those two
    /// splits are tried, each hashing the id once (trying every `__` made a long id in a journal cost its length
    /// squared). Validation refuses configs in which two splits name planned runs, and the id is made again
    /// from the split to be sure.
    public func run(id: String, seed: Int) -> RunSpec? {
      guard let s = seeds[seed] else { return nil }
      let suffix = "__seed=\(seed)"
      guard id.hasSuffix(suffix) else { return nil }
      let labels = Array(id.utf8.dropLast(suffix.utf8.count))
      let underscore = UInt8(ascii: "_")
      guard let first = labels.indices.dropLast().first(where: { labels[$0] == underscore && labels[$0 + 1] == underscore })
      else { return nil }
      for i in [first, first + 1] where i + 1 < labels.count && labels[i + 1] == underscore {
        guard let f = functions[String(decoding: labels[..<i], as: UTF8.self)],
              let o = optimizers[String(decoding: labels[(i + 2)...], as: UTF8.self)] else { continue }
        var run = experiment.run(at: (f * experiment.optimizers.count + o) * experiment.seeds.count + s)
        guard run.id == id else { continue }
        // The caller's string, not the equal one made here: a sweep read back holds each id once, in its run
        // and its record alike.
        run.id = id
        return run
      }
      return nil
    }
  }

  /// Finds planned runs by id without listing them all.
  public var runLookup: RunLookup { RunLookup(self) }

  /// Estimated cost of a run, for balancing shards: steps × dimension.
  func cost(_ run: RunSpec) -> Int { steps * functions[run.function].objective.dimension }

  /// The shard each run belongs to (0-based), by index in canonical order, balancing estimated cost: longest
  /// runs first, each to the least-loaded shard (ties to the lowest shard). Deterministic, and every run is
  /// in exactly one shard.
  ///
  /// A run's cost (`cost`) depends on its function alone, so the runs need not be listed or sorted: the
  /// longest first, ties in canonical order, is the functions by cost (ties in config order), each one's
  /// runs in canonical order. Every run of an experiment takes the same steps, so the dimension alone
  /// stands for the cost (scaling every cost alike changes no choice), and the loads stay far from
  /// overflowing even for 10⁸ runs of dimension 10⁶ (steps × dimension could reach 10¹⁵ a run). The shards
  /// wait in a min-heap ordered by (load, shard), so the choice is the one a scan of every shard would make,
  /// at log(shards) a run: a scan made a manifest claiming 100,000 shards cost minutes. Four bytes a run:
  /// a shard of 10⁷ runs no longer lists all 10⁷ (1.3 GB) to find its own.
  public func shardAssignment(shards: Int) -> [UInt32] {
    precondition((1...Int(UInt32.max)).contains(shards), "at least one shard, and fewer than 2^32")
    var assignment = [UInt32](repeating: 0, count: runCount)
    guard shards > 1 else { return assignment }
    let perFunction = optimizers.count * seeds.count
    let dimensions = functions.map(\.objective.dimension)
    // heap[0] is the least-loaded shard; (load, shard) pairs compare lexicographically. Buffers, not arrays,
    // and no tuples compared: 10⁸ runs in a debug build (the tests') took 20 s through their generic code.
    var loads = [Int](repeating: 0, count: shards), order = Array(0..<shards)
    let byCost = functions.indices.sorted { (dimensions[$1], $0) < (dimensions[$0], $1) }
    loads.withUnsafeMutableBufferPointer { load in
      order.withUnsafeMutableBufferPointer { heap in
        assignment.withUnsafeMutableBufferPointer { assignment in
          func less(_ i: Int, _ j: Int) -> Bool { load[i] < load[j] || (load[i] == load[j] && heap[i] < heap[j]) }
          for f in byCost {
            let cost = dimensions[f]
            for i in f * perFunction ..< (f + 1) * perFunction {
              assignment[i] = UInt32(truncatingIfNeeded: heap[0])
              load[0] += cost
              // Sift the root down: only its load grew.
              var k = 0
              while true {
                let left = 2 * k + 1, right = left + 1
                var smallest = k
                if left < shards, less(left, smallest) { smallest = left }
                if right < shards, less(right, smallest) { smallest = right }
                if smallest == k { break }
                load.swapAt(k, smallest)
                heap.swapAt(k, smallest)
                k = smallest
              }
            }
          }
        }
      }
    }
    return assignment
  }

  /// The runs of one shard, in canonical order; only they are made.
  public func runs(in shard: Shard?) -> [RunSpec] {
    guard let shard else { return plannedRuns() }
    let assignment = shardAssignment(shards: shard.count)
    let mine = UInt32(shard.index - 1)
    return assignment.indices.filter { assignment[$0] == mine }.map(run(at:))
  }

  /// The start point of a run: fixed, or drawn from a generator seeded by the function's content and
  /// the seed, never by position or thread. Every optimizer on the same function and seed starts alike.
  public func startPoint(_ run: RunSpec) -> [Double] {
    let f = functions[run.function]
    func generator() -> SplitMix64 { SplitMix64(seed: stableHash(f.seedKey + "#start#seed=\(run.seed)")) }
    switch f.start {
    // A fixed point needs no generator: hashing the function's key cost about 2,500 instructions a run.
    case .point(let p): return p
    case .random:
      var rng = generator()
      return f.objective.domain.sample(using: &rng)
    case .box(let box):
      var rng = generator()
      return box.sample(using: &rng)
    }
  }

  /// A run's setup. `plannedSteps` is `record.plannedSteps(total: steps)`, which callers running many runs
  /// compute once and pass in.
  public func setup(_ run: RunSpec, plannedSteps: [Int]?? = nil) -> RunSetup {
    let o = optimizers[run.optimizer]
    return RunSetup(
      start: startPoint(run), steps: steps, learningRate: o.configured.learningRate, schedule: o.schedule, stop: stop,
      targets: targets, record: record, evaluate: evaluate, minimumRadius: minimumRadius, plannedSteps: plannedSteps)
  }

  /// Whether trajectories carry the `x` columns for this function.
  public func writesX(_ function: FunctionVariant) -> Bool {
    recordX ?? (function.objective.dimension <= 10)
  }
}
