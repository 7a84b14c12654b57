import Foundation

extension SettingsReport {
  /// A table per function setting, for a terminal or a CI log:
  ///
  /// ```
  /// rosenbrock (f* = 0): 4 settings, 8 runs each
  ///   #  setting     runs  diverged  aRT to 1e-8  aRT to 1e-4  median final f-f*
  ///   1  adam-lr=0.1    8         0    912 (8/8)    301 (8/8)            2.1e-12
  /// ```
  public var text: String {
    var out = headline + "\n" + introduction.joined(separator: "\n") + "\n"
    for table in tables { out += "\n" + table.heading + "\n" + Self.aligned(table.lines, leftAligned: [1]) }
    return out
  }

  /// The same as Markdown, for a CI job's summary (`>> "$GITHUB_STEP_SUMMARY"`): a heading per function setting
  /// and a table under it.
  public var markdown: String {
    var out = "## " + Markdown.escaped(headline) + "\n\n" + introduction.map(Markdown.escaped).joined(separator: "\n") + "\n"
    for table in tables {
      out += "\n### " + Markdown.escaped(table.heading) + "\n\n"
      for (i, cells) in table.lines.enumerated() {
        out += "| " + cells.map(Markdown.escaped).joined(separator: " | ") + " |\n"
        if i == 0 { out += "|" + cells.indices.map { $0 == 1 ? " --- |" : " ---: |" }.joined() + "\n" }
      }
    }
    return out
  }

  private var headline: String {
    let missing = completed < plannedHere ? " (\(plannedHere - completed) not complete, left out)" : ""
    guard let shard else { return "\(experiment.name): \(completed) of \(planned) runs" + missing }
    return "\(experiment.name), shard \(shard): \(completed) of its \(plannedHere) runs\(missing); the sweep's other \(planned - plannedHere) are the other shards'"
  }

  private var introduction: [String] {
    experiment.targets.isEmpty || sections.allSatisfy({ $0.fStar == nil })
      ? ["\(experiment.targets.isEmpty ? "The config sets no targets" : "No function here has a known f*"): settings are ranked by median final f - f* (f where f* is unknown)."]
      : ["aRT: steps spent by all runs per run that reached the target (COCO's average running time; ∞: none did); (k/n): k of n runs reached it.",
         "Settings are ranked by aRT on the smallest target first, then by median final f - f*."]
  }

  /// Each section's heading and its lines of cells, the header first.
  private var tables: [(heading: String, lines: [[String]])] {
    let order = Self.hardestFirst(experiment.targets)
    return sections.map { section in
      let known = section.fStar != nil
      let settings = section.rows.count, seeds = Set(section.rows.map(\.runs))
      let withoutRuns = experiment.optimizers.count - settings
      let heading = "\(section.label) (f* = \(section.fStar.map(JSONValue.format) ?? "unknown: ranked by median final f")): "
        + "\(settings) setting\(settings == 1 ? "" : "s"), "
        + (seeds.count == 1 ? "\(seeds.first!) run\(seeds.first! == 1 ? "" : "s") each" : "\(seeds.min()!) to \(seeds.max()!) runs each")
        + (withoutRuns > 0 ? "; \(withoutRuns) other setting\(withoutRuns == 1 ? "" : "s") without a completed run, not listed" : "")
      var header = ["#", "setting", "runs", "diverged"]
      if known { header += order.map { "aRT to " + NumberText.target(experiment.targets[$0]) } }
      header.append(known ? "median final f-f*" : "median final f")
      var lines = [header]
      let medians = Self.medianTexts(section.rows)
      let art = Self.artTexts(section.rows, order: order)
      for (rank, row) in section.rows.enumerated() {
        var cells = ["\(rank + 1)", row.label, "\(row.runs)", "\(row.diverged)"]
        if known {
          cells += order.map { k in art[rank][k] + " (\(row.solved[k])/\(row.runs))" }
        }
        cells.append(medians[rank])
        lines.append(cells)
      }
      return (heading, lines)
    }
  }

  /// Each row's aRT for each target (indexed as the experiment's targets): in whole steps, or with as many
  /// decimals as it takes to read differently from a neighbour whose place that target's aRT decided (the
  /// harder targets' aRT equal, this one's not), so that the ranking shows why. `∞` where no run reached it.
  static func artTexts(_ rows: [Row], order: [Int]) -> [[String]] {
    func text(_ x: Double, decimals: Int) -> String {
      decimals == 0 ? String(Int(x.rounded())) : String(format: "%.\(decimals)f", x)
    }
    var decided = [[(Double, Double)]](repeating: [], count: rows.first?.averageRunningTime.count ?? 0)
    for (above, below) in zip(rows, rows.dropFirst()).map({ ($0.averageRunningTime, $1.averageRunningTime) }) {
      guard let t = order.first(where: { above[$0] != below[$0] }), let a = above[t], let b = below[t] else { continue }
      decided[t].append((a, b))
    }
    let decimals = decided.map { precisions(telling: $0, from: 0, to: 17) { text($0, decimals: $1) } }
    return rows.map { row in
      row.averageRunningTime.enumerated().map { t, art in art.map { text($0, decimals: decimals[t][$0] ?? 0) } ?? "∞" }
    }
  }

  /// Each row's median final value in 3 significant digits, or in as many more (up to 17, which tells any
  /// two doubles apart) as it takes to read differently from a neighbour whose place the medians decided
  /// (every aRT equal, the medians not): the ranking then shows why. Elsewhere 3 digits, however close the
  /// medians (runs that stall in one local minimum end a few ulps apart). `∞` for +∞.
  static func medianTexts(_ rows: [Row]) -> [String] {
    let decided = zip(rows, rows.dropFirst()).compactMap { above, below -> (Double, Double)? in
      above.averageRunningTime == below.averageRunningTime && above.medianFinal.isFinite && below.medianFinal.isFinite
        ? (above.medianFinal, below.medianFinal) : nil
    }
    let digits = precisions(telling: decided, from: 3, to: 17) { format($0, digits: $1) }
    return rows.map { row in
      let x = row.medianFinal
      if x.isNaN { return "nan" }
      if x.isInfinite { return x > 0 ? "∞" : "-∞" }
      return format(x, digits: digits[x] ?? 3)
    }
  }

  /// The precision of each value of a column (`nil`: `least`) such that the two values of every pair in
  /// `decided` read differently, as far as `most` allows, and equal values read alike wherever they stand.
  /// A pair that reads alike raises both its values' precision, until none does: one more digit can make
  /// two numbers read alike again (1.23451 and 1.23549 at 3 digits and at 4), so pairs are looked at again.
  static func precisions(telling decided: [(Double, Double)], from least: Int, to most: Int,
                         _ text: (Double, Int) -> String) -> [Double: Int] {
    var precision: [Double: Int] = [:]
    var changed = true
    while changed {
      changed = false
      for (a, b) in decided where a != b {
        while case let (p, q) = (precision[a] ?? least, precision[b] ?? least), max(p, q) < most,
              text(a, p) == text(b, q) {
          precision[a] = max(p, q) + 1
          precision[b] = max(p, q) + 1
          changed = true
        }
      }
    }
    return precision
  }

  /// `x` in `digits` significant digits (`0`, not `-0`, for either zero: they rank as equal).
  private static func format(_ x: Double, digits: Int) -> String {
    String(format: "%.\(digits)g", x == 0 ? 0 : x)
  }

  /// `lines` as columns two spaces apart, indented by two: right-aligned, but the columns in `leftAligned`.
  static func aligned(_ lines: [[String]], leftAligned: Set<Int>) -> String {
    let widths = lines[0].indices.map { c in lines.map { $0[c].count }.max()! }
    return lines.map { cells in
      "  " + cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return leftAligned.contains(c) ? cell + pad : pad + cell
      }.joined(separator: "  ") + "\n"
    }.joined()
  }

  /// The report as JSON: `{"experiment", "completed_runs", "planned_runs", "shard", "planned_runs_here", "targets",
  /// "functions": [{"function", "f_star", "settings_without_runs", "settings": [{"rank", "setting", "optimizer", "runs", "diverged", "solved": {target: k},
  /// "art": {target: steps or null}, "median_final_suboptimality"}]}]}`, settings best first; where f* is unknown
  /// `"median_final_f"` instead; either is `"inf"` where the median run diverged.
  public var json: JSONValue {
    var root = JSONObject()
    root["experiment"] = .string(experiment.name)
    root["completed_runs"] = .number(Double(completed))
    root["planned_runs"] = .number(Double(planned))
    root["shard"] = shard.map { .string($0.description) } ?? .null
    root["planned_runs_here"] = .number(Double(plannedHere))
    root["targets"] = .array(experiment.targets.map { .number($0) })
    root["functions"] = .array(sections.map { section in
      var s = JSONObject()
      s["function"] = .string(section.label)
      s["f_star"] = section.fStar.map { .number($0) } ?? .null
      s["settings_without_runs"] = .number(Double(experiment.optimizers.count - section.rows.count))
      s["settings"] = .array(section.rows.enumerated().map { rank, row in
        var o = JSONObject()
        o["rank"] = .number(Double(rank + 1))
        o["setting"] = .string(experiment.optimizers[row.optimizer].label)
        o["optimizer"] = .string(experiment.optimizers[row.optimizer].name)
        o["runs"] = .number(Double(row.runs))
        o["diverged"] = .number(Double(row.diverged))
        var solved = JSONObject(), art = JSONObject()
        for (k, target) in experiment.targets.enumerated() {
          solved[NumberText.target(target)] = .number(Double(row.solved[k]))
          art[NumberText.target(target)] = row.averageRunningTime[k].map { .number($0) } ?? .null
        }
        o["solved"] = .object(solved)
        o["art"] = .object(art)
        o[section.fStar != nil ? "median_final_suboptimality" : "median_final_f"] = NumberText.json(row.medianFinal)
        return .object(o)
      })
      return .object(s)
    })
    return .object(root)
  }
}
