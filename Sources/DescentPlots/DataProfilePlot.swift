import DescentCore

/// The data profile of COCO (Moré & Wild, 2009; Hansen et al., 2021): for each optimizer setting, the fraction
/// of (run, target) pairs solved by each step, over every function with a known f*, every seed and every target.
/// A pair is solved at the first step where f − f* ≤ target (`steps_to_<target>` in the summary). Functions with no
/// known f* have no targets to reach and are left out.
///
/// See also: Hansen et al., *COCO: a platform for comparing continuous optimizers in a black-box setting* (2021).
enum DataProfilePlot {
  static func draft(context: PlotContext) -> PlotDraft {
    let experiment = context.experiment
    let functions = experiment.functions.indices.filter { experiment.functions[$0].objective.minima.value != nil }
    let targets = experiment.targets
    let seedCount = experiment.seeds.count
    let targetList = targets.map(NumberText.target).joined(separator: ", ")
    var draft = PlotDraft(
      kind: .dataProfile, name: "data-profile",
      heading: "Data profile over \(functions.count) function"
        + "\(functions.count == 1 ? "" : "s") x \(seedCount) seed\(seedCount == 1 ? "" : "s") x "
        + "\(targets.count) target\(targets.count == 1 ? "" : "s")" + (targets.isEmpty ? "" : " (\(targetList))"))

    var titles: [String] = []
    var pairs = 0
    // Functions without completed runs add nothing but to the heading's count.
    let withRuns = functions.filter { !context.runs[$0].isEmpty }
    let choice = context.drawnInProfile
    if let note = choice.note { draft.notes.append(note) }
    for optimizer in choice.indices {
      let runs = withRuns.flatMap { context.runs[$0][optimizer] }
      titles.append(context.settingTitle(optimizer, runs: runs, planned: withRuns.count * context.experiment.seeds.count))
      let total = runs.count * targets.count
      pairs += total
      draft.data.beginDataSet("optimizer setting \(optimizer + 1): step fraction")
      if total > 0 {
        // A target met at step 0 is drawn at step 1, where the log axis begins.
        let solved = runs.flatMap { $0.summary.stepsToTarget.compactMap { $0 } }.map { max($0, 1) }.sorted()
        draft.data.row(1, Double(solved.count { $0 <= 1 }) / Double(total))
        var count = 0
        for (i, step) in solved.enumerated() {
          count += 1
          if i + 1 < solved.count && solved[i + 1] == step { continue }
          if step > 1 { draft.data.row(Double(step), Double(count) / Double(total)) }
        }
        draft.data.row(Double(max(1, experiment.steps)), Double(count) / Double(total))
      }
      draft.data.endDataSet(columns: 2)
    }

    draft.variables.set("series_count", titles.count)
    draft.variables.set("series_title", keyTitles: titles)
    draft.variables.set("x_max", Double(max(1, experiment.steps)))
    draft.hasData = pairs > 0
    if targets.isEmpty {
      draft.notes.append("the experiment sets no targets")
    } else if functions.isEmpty {
      draft.notes.append("no function has a known f*")
    } else if functions.count < experiment.functions.count {
      // Their targets are suboptimalities that cannot be measured: the count in the heading leaves them out.
      let unknown = experiment.functions.count - functions.count
      draft.notes.append("\(unknown) function setting\(unknown == 1 ? "" : "s") with f* unknown left out")
    }
    if !targets.isEmpty, !functions.isEmpty, let note = PlotContext.runNote(withRuns.flatMap { f in context.runs[f].joined().map(\.summary) }) {
      draft.notes.append(note)
    }
    return draft
  }
}
