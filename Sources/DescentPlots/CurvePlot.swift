import DescentCore

/// A 1-D function: its curve, and in one panel per optimizer setting the iterates of one seed as points coloured
/// by step, with the start ringed and the known minima marked.
enum CurvePlot {
  /// Points on the curve.
  static let samples = 600

  static func draft(function: Int, context: PlotContext, traces: [Int: PlotContext.Trace]) -> PlotDraft {
    let experiment = context.experiment
    let variant = experiment.functions[function]
    let objective = variant.objective
    let paths = context.seedPaths(function: function, traces: traces)
    var draft = PlotDraft(
      kind: .landscape1D, name: "landscape-" + variant.label,
      heading: "Landscape of \(variant.label) with the iterates of seed \(context.pathSeed), coloured by step")

    // Iterates as (x, f, step) per setting.
    let iterates: [[[Double]]?] = paths.traces.map { trace in
      trace.flatMap { trace in trace.points.map { points in points.indices.map { [points[$0][0], trace.values[$0], trace.steps[$0]] } } }
    }

    // The range: the domain, widened to take in the iterates but by at most one domain width on either side (a
    // run that wandered far would otherwise flatten the curve), with a small margin.
    let domainLow = objective.domain.lower[0], domainHigh = objective.domain.upper[0]
    let width = max(domainHigh - domainLow, 1e-9)
    var low = domainLow, high = domainHigh
    for x in iterates.compactMap({ $0 }).joined().map({ $0[0] }) where x.isFinite {
      low = max(min(low, x), domainLow - width)
      high = min(max(high, x), domainHigh + width)
    }
    let margin = 0.03 * (high - low)
    low -= margin
    high += margin

    let curve = (0..<samples).map { i -> [Double] in
      let x = low + (high - low) * Double(i) / Double(samples - 1)
      return [x, objective.evaluate([x]).value]
    }
    let finiteF = curve.map { $0[1] }.filter(\.isFinite)
    draft.hasData = !finiteF.isEmpty
    var yLow = finiteF.min() ?? 0, yHigh = finiteF.max() ?? 1
    let pad = max(0.05 * (yHigh - yLow), 1e-9 * max(1, abs(yHigh)))
    yLow -= pad
    yHigh += pad

    draft.data.dataSet("the curve: x f", columns: 2, rows: curve)
    let minima = objective.minima
    draft.data.dataSet(
      "global minimisers: x f", columns: 2,
      rows: minima.global.filter { $0.count == 1 }.map { [$0[0], objective.evaluate($0).value] })
    draft.data.dataSet(
      "local minimisers: x f", columns: 2, rows: minima.local.filter { $0.point.count == 1 }.map { [$0.point[0], $0.value] })
    let titles = paths.titles
    for (k, points) in iterates.enumerated() {
      let optimizer = paths.choice.indices[k]
      draft.data.beginDataSet("iterates of optimizer setting \(optimizer + 1): x f step")
      if let points {
        let kept = Thinning.path(points.map { [$0[0], $0[1]] }, scale: [high - low, yHigh - yLow])
        for i in kept { draft.data.row(points[i]) }
      }
      draft.data.endDataSet(columns: 3)
    }

    let columns = max(1, Int(Double(titles.count).squareRoot().rounded(.up)))
    let rows = max(1, (titles.count + columns - 1) / columns)
    draft.size = PlotSize(width: min(2400, 120 + 420 * columns), height: min(2400, 80 + 320 * rows))
    draft.variables.set("series_count", titles.count)
    draft.variables.set("series_title", keyTitles: titles)
    draft.variables.set("panel_rows", rows)
    draft.variables.set("panel_columns", columns)
    draft.variables.set("x_min", low)
    draft.variables.set("x_max", high)
    draft.variables.set("y_min", yLow)
    draft.variables.set("y_max", yHigh)
    draft.variables.set("step_max", Double(max(1, experiment.steps)))
    draft.variables.set("global_count", minima.global.count)
    draft.variables.set("local_count", minima.local.count)

    draft.notes += paths.notes(hasData: draft.hasData)
    return draft
  }
}
