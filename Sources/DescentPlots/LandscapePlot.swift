import DescentCore
import Foundation

/// A 2-D function as a shaded map of its values with contour lines, the path of each optimizer setting (for one
/// seed) from start to end, and the known minima.
///
/// The map shows log10(f − f* + δ) where f* is known — the valleys where optimizers spend their time are then as
/// detailed as the walls — with δ a millionth of the spread of f − f* over the grid, so the minimum itself is finite.
/// Where f* is unknown the map shows f.
enum LandscapePlot {
  /// Grid points along each axis.
  static let resolution = 100

  static func draft(function: Int, context: PlotContext, traces: [Int: PlotContext.Trace]) -> PlotDraft {
    let experiment = context.experiment
    let variant = experiment.functions[function]
    let objective = variant.objective
    let seedPaths = context.seedPaths(function: function, traces: traces)
    var draft = PlotDraft(
      kind: .landscape2D, name: "landscape-" + variant.label,
      heading: "Landscape of \(variant.label) with the path of seed \(context.pathSeed) for each optimizer setting")

    // The paths, one per setting (nil where the seed's run is missing or has no iterates).
    let paths: [[[Double]]?] = seedPaths.traces.map { $0?.points }

    // The range: the domain, widened to take in every start, with a margin so markers on the edge show whole.
    var lower = objective.domain.lower, upper = objective.domain.upper
    for path in paths.compactMap({ $0 }) {
      for k in 0..<2 where path[0][k].isFinite {
        lower[k] = min(lower[k], path[0][k])
        upper[k] = max(upper[k], path[0][k])
      }
    }
    for k in 0..<2 {
      let margin = 0.03 * max(upper[k] - lower[k], 1e-9)
      lower[k] -= margin
      upper[k] += margin
    }
    let span = [upper[0] - lower[0], upper[1] - lower[1]]

    // The grid.
    let n = resolution
    let xs = (0..<n).map { lower[0] + span[0] * Double($0) / Double(n - 1) }
    let ys = (0..<n).map { lower[1] + span[1] * Double($0) / Double(n - 1) }
    var f = [Double](repeating: .nan, count: n * n)
    for i in 0..<n {
      for j in 0..<n { f[i * n + j] = objective.evaluate([xs[i], ys[j]]).value }
    }
    let fStar = objective.minima.value
    let finite = f.filter(\.isFinite)
    var z = f
    var zLabel = "f"
    if let fStar, let highest = finite.max() {
      let delta = max(1e-6 * (highest - fStar), 1e-300)
      z = f.map { $0.isFinite ? Foundation.log10(max($0 - fStar, 0) + delta) : .nan }
      zLabel = "log10(f - f* + \(shortNumber(delta)))"
    }
    let finiteZ = z.filter(\.isFinite).sorted()
    draft.hasData = !finiteZ.isEmpty
    var zMin = finiteZ.first ?? 0, zMax = finiteZ.last ?? 1
    if zMax <= zMin {
      zMin -= 1
      zMax += 1
    }
    // Contours from the 2nd percentile up: below it a grid this coarse only draws noise along a valley floor.
    let contourFirst = finiteZ.isEmpty ? zMin : Statistics.quantile(finiteZ, 0.02)
    let contourStep = max((zMax - contourFirst) / 12, 1e-12)

    draft.data.beginDataSet("grid: x1 x2 z")
    for i in 0..<n {
      if i > 0 { draft.data.scanBreak() }
      for j in 0..<n { draft.data.row(xs[i], ys[j], z[i * n + j]) }
    }
    draft.data.endDataSet(columns: 3)
    let minima = objective.minima
    draft.data.dataSet("global minimisers: x1 x2", columns: 2, rows: minima.global.filter { $0.count == 2 })
    draft.data.dataSet("local minimisers: x1 x2", columns: 2, rows: minima.local.map(\.point).filter { $0.count == 2 })

    draft.data.beginDataSet("start and end of each path: x1 x2 x1 x2")
    for path in paths {
      if let path, let start = path.first, let end = path.last(where: { $0.allSatisfy(\.isFinite) }) {
        draft.data.row(start[0], start[1], end[0], end[1])
      } else {
        draft.data.row(.nan, .nan, .nan, .nan)
      }
    }
    draft.data.endDataSet(columns: 4)
    let titles = seedPaths.titles
    for (k, path) in paths.enumerated() {
      let optimizer = seedPaths.choice.indices[k]
      draft.data.beginDataSet("path of optimizer setting \(optimizer + 1): x1 x2")
      if let path {
        for i in Thinning.path(path, scale: span) { draft.data.row(path[i]) }
      }
      draft.data.endDataSet(columns: 2)
    }

    // Room for the map and colour box (770 pixels), then the key: a sample, and up to about 9.5 pixels a character.
    let longest = (titles + ["global minimum"]).map(\.count).max() ?? 0
    draft.size = PlotSize(width: max(1100, 770 + 80 + Int(9.5 * Double(longest))), height: 720)
    draft.variables.set("canvas_width", Double(draft.size.width))
    draft.variables.set("series_count", titles.count)
    draft.variables.set("series_title", keyTitles: titles)
    draft.variables.set("x_min", lower[0])
    draft.variables.set("x_max", upper[0])
    draft.variables.set("y_min", lower[1])
    draft.variables.set("y_max", upper[1])
    draft.variables.set("z_min", zMin)
    draft.variables.set("z_max", zMax)
    draft.variables.set("z_label", text: zLabel)
    draft.variables.set("contour_first", contourFirst)
    draft.variables.set("contour_step", contourStep)
    draft.variables.set("contour_last", zMax)
    // Equal units on both axes show the geometry (steps across a valley, along the gradient) as it is, unless
    // the box is so elongated that the map would be a sliver.
    draft.variables.set("equal_aspect", (0.4...2.5).contains(span[1] / span[0]))
    draft.variables.set("global_count", minima.global.count)
    draft.variables.set("local_count", minima.local.count)

    draft.notes += seedPaths.notes(hasData: draft.hasData)
    return draft
  }

  /// A number in two significant digits, for labels.
  static func shortNumber(_ x: Double) -> String {
    String(format: "%.2g", x)
  }
}
