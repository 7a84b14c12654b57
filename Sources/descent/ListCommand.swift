import ArgumentParser
import DescentCore

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the test functions, optimizers or learning-rate schedules.")

  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case functions, optimizers, schedules
  }

  @Argument(help: "What to list: functions, optimizers or schedules.")
  var kind: Kind

  @Flag(help: "Print JSON for machines instead of a table.")
  var json = false

  func run() throws {
    let catalog = Catalog.builtIn
    switch kind {
    case .functions:
      if json { return printJSON(catalog.describeObjectives()) }
      var table = TextTable(["name", "dimension", "f*", "parameters (defaults)", "formula"])
      for type in catalog.objectives {
        let instance = catalog.defaultInstance(of: type)
        let fStar: String
        if let instance {
          fStar = instance.minima.value.map { "\($0)" + (type.dimensionRule == .fixed(instance.dimension) ? "" : " (d=\(instance.dimension))") } ?? (instance.minima.unboundedBelow ? "none" : "unknown")
        } else {
          fStar = "from parameters"
        }
        table.add([type.name, type.dimensionRule.description, fStar, parameterSummary(type.parameters), type.formula])
        if let notes = type.notes { table.add(["", "", "", "note: " + notes, ""]) }
      }
      print(table.render())
    case .optimizers:
      if json { return printJSON(catalog.describeOptimizers()) }
      var table = TextTable(["name", "hyperparameters (defaults, ranges)", "update rule"])
      for entry in catalog.optimizers {
        let name = entry.aliasOf.map { "\(entry.name) → \($0)" } ?? entry.name
        let specs = entry.parameters.map { "\($0.name)=\($0.defaultDescription) \($0.kind.rangeDescription)" }
        table.add([name, specs.joined(separator: ", "), entry.aliasOf == nil ? entry.type.rule : "(preset of \(entry.aliasOf!))"])
      }
      print(table.render())
    case .schedules:
      if json { return printJSON(Catalog.describeSchedules()) }
      var table = TextTable(["name", "parameters (defaults)", "learning rate at step t"])
      for s in Schedule.catalog {
        table.add([s.name, parameterSummary(s.parameters), s.formula])
      }
      print(table.render())
      print("\nt counts updates from 0. warmup_steps w (any schedule): the rate × (t+1)/w while t < w, multiplying the")
      print("schedule's own rate. Rates are torch's closed forms, computed for each step directly.")
    }
  }

  private func parameterSummary(_ specs: [ParameterSpec]) -> String {
    specs.isEmpty ? "—" : specs.map { "\($0.name)=\($0.defaultDescription)" }.joined(separator: ", ")
  }
}

/// A plain left-aligned text table.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  init(_ header: [String]) { self.header = header }

  mutating func add(_ row: [String]) { rows.append(row) }

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ row: [String]) -> String {
      row.enumerated().map { c, cell in
        c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
      }.joined(separator: "  ")
    }
    return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
  }
}
