/// The checks a config gets across its settings, once each entry has decoded: run ids that would collide or
/// be too long for file names, starts from which every run would diverge at once, packs too large to plan.
/// Each reports into the config's diagnostics, with the path of the key to change.
extension Experiment {
  /// Reports the first run-id component of entry `path` that another entry already produced.
  static func checkCollisions(_ components: [String], of path: String, seen: inout [String: String], diagnostics: inout Diagnostics) {
    for component in components {
      if let other = seen[component] {
        if other == path {
          diagnostics.report(path, "its grid makes '\(component)' twice, so two settings' runs would share their ids: list each grid value once")
        } else {
          diagnostics.report(path.key("label"), "run ids would collide with \(other) ('\(component)'); give one of them a distinct \"label\"")
        }
        return
      }
      seen[component] = path
    }
  }

  /// Reports run ids that two different (function, optimizer) pairs would share. Labels never contain `__`,
  /// but they may end or begin with `_`: function `a_` with optimizer `b` and function `a` with optimizer
  /// `_b` both make `a___b__seed=N`. That is the only way two pairs meet (the id's first `__` starts at the
  /// function label's end, or one before it when that label ends with `_`), so it is checked in linear time.
  static func checkCrossCollisions(_ functions: [FunctionVariant], _ optimizers: [OptimizerVariant], diagnostics: inout Diagnostics) {
    var functionEntry: [String: Int] = [:], optimizerEntry: [String: Int] = [:]
    for f in functions where functionEntry[f.label] == nil { functionEntry[f.label] = f.entryIndex }
    for o in optimizers where optimizerEntry[o.label] == nil { optimizerEntry[o.label] = o.entryIndex }
    // The first function label `X_` whose `X` is also a function label, and likewise `_Y` and `Y`.
    guard let f = functions.first(where: { $0.label.hasSuffix("_") && functionEntry[String($0.label.dropLast())] != nil }),
          let o = optimizers.first(where: { $0.label.hasPrefix("_") && optimizerEntry[String($0.label.dropFirst())] != nil })
    else { return }
    let x = String(f.label.dropLast()), y = String(o.label.dropFirst())
    let id = RunID.make(function: f.label, optimizer: y, seed: 0).replacingOccurrences(of: "__seed=0", with: "__seed=N")
    diagnostics.report(
      "functions[\(f.entryIndex)].label",
      "run ids would collide: function '\(f.label)' with optimizer '\(y)' (optimizers[\(optimizerEntry[y]!)]) and function '\(x)' (functions[\(functionEntry[x]!)]) with optimizer '\(o.label)' (optimizers[\(o.entryIndex)]) both make '\(id)'; give one of them a distinct \"label\"")
  }

  /// Reports function settings every run of which would stop diverged at step 0: f not finite at a fixed
  /// start (at the entry's `start`), or f above the `stop.divergence` limit there (for a random start: the
  /// limit at or below f*, so that f exceeds it almost everywhere). At most three settings named, then a
  /// count. Where f is not finite at a start nothing is said of the limit.
  static func checkStarts(_ functions: [FunctionVariant], divergence limit: Double?, diagnostics: inout Diagnostics) {
    var over: [String] = []
    var notFinite: [Int: [String]] = [:]
    for f in functions {
      if let x0 = f.start.point {
        let f0 = f.objective.value(at: x0)
        if !f0.isFinite {
          notFinite[f.entryIndex, default: []].append("\(f.label) (f = \(NumberText.readable(f0)))")
        } else if let limit, f0 > limit {
          over.append("\(f.label) (f = \(NumberText.readable(f0)) at its start)")
        }
      } else if let limit, let fStar = f.objective.minima.value, limit <= fStar {
        over.append("\(f.label) (f* = \(NumberText.readable(fStar)))")
      }
    }
    func named(_ settings: [String]) -> String {
      settings.prefix(3).joined(separator: ", ") + (settings.count > 3 ? " and \(settings.count - 3) more" : "")
    }
    for (entry, settings) in notFinite.sorted(by: { $0.key < $1.key }) {
      diagnostics.report("functions".index(entry).key("start"), "f is not finite at the start of \(named(settings)): every run would stop diverged at step 0; start where f is finite")
    }
    guard let limit, !over.isEmpty else { return }
    diagnostics.report("stop.divergence", "\(NumberText.readable(limit)) is exceeded at step 0 by every run of \(named(over)): they would all stop diverged before their first step. A run is diverged when f exceeds this limit: give one above f at the starts, or remove it")
  }

  /// The longest run id a file name can hold in `format`: ids name trajectory files (`<id>.csv`, or
  /// `<id>.f64` and `<id>.f64.json`), written first as `.<name>.tmp-<pid>` (a pid has up to 7 digits), and
  /// a name has up to 255 bytes. `nil` for packs, whose files are named by function.
  static func maximumIDBytes(_ format: TrajectoryFormat) -> Int? {
    let longest: String
    switch format {
    case .csv: longest = ".csv"
    case .binary: longest = ".f64.json"
    case .packed: return nil
    }
    return 255 - longest.utf8.count - ".".utf8.count - ".tmp-".utf8.count - 7
  }

  /// Reports run ids too long to name their files, at the label of the longer part: checked before the
  /// run, not found when a file cannot be created part-way through the sweep.
  static func checkIDLength(_ functions: [FunctionVariant], _ optimizers: [OptimizerVariant], seeds: [Int], limit maximumIDBytes: Int,
                            diagnostics: inout Diagnostics) {
    guard let f = functions.max(by: { $0.label.utf8.count < $1.label.utf8.count }),
          let o = optimizers.max(by: { $0.label.utf8.count < $1.label.utf8.count }),
          let seed = seeds.max(by: { String($0).count < String($1).count }) else { return }
    let id = RunID.make(function: f.label, optimizer: o.label, seed: seed)
    guard id.utf8.count > maximumIDBytes else { return }
    let (path, kind, part) = f.label.utf8.count >= o.label.utf8.count
      ? ("functions[\(f.entryIndex)].label", "function", f.label) : ("optimizers[\(o.entryIndex)].label", "optimizer", o.label)
    diagnostics.report(path, "run ids would be up to \(id.utf8.count) bytes long (the \(kind) setting '\(part)' makes \(part.utf8.count) of them), more than the \(maximumIDBytes) that trajectory file names allow; give a shorter \"label\" (a setting's grid values are part of its id too)")
  }

  /// The largest pack `"format": "packed"` may plan: ext4's largest file.
  static let maximumPackBytes = 1 << 44

  /// Why the packed layout cannot hold these runs, if it cannot: a function's pack, a slot of the most rows
  /// a run records for each of its runs, would be larger than `maximumPackBytes` (counted with every
  /// coordinate's column, whether or not `record_x` keeps them).
  static func packSizeProblem(_ functions: [FunctionVariant], runsPerFunction: Int, steps: Int, record: RecordPolicy) -> String? {
    let rows = record.rows(stoppedAt: steps, planned: record.plannedSteps(total: steps))
    for f in functions {
      let (row, o1) = (5 + f.objective.dimension).multipliedReportingOverflow(by: 8)
      let (slot, o2) = row.multipliedReportingOverflow(by: rows)
      let (pack, o3) = slot.multipliedReportingOverflow(by: runsPerFunction)
      if o1 || o2 || o3 || pack > maximumPackBytes {
        return "\"packed\" would give \(f.label)'s pack a slot of \(rows) rows for each of its \(runsPerFunction) runs, more than \(maximumPackBytes >> 40) TiB; record fewer steps or use \"binary\""
      }
    }
    return nil
  }
}
