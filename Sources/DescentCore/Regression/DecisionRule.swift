/// Which comparisons decide the verdict when a configuration has several seeds (run ids that differ
/// only in `__seed=N`). The other level is still computed and reported, marked informational.
public enum DecisionRule: String, Sendable, CaseIterable {
  /// Medians decide for configurations with at least `DecisionRule.medianSeeds` seeds, single runs below; a run
  /// that newly diverges decides whatever the median says (`RegressionCheck`).
  case auto
  /// Every run decides; medians are informational.
  case perRun = "per-run"
  /// Medians decide; single runs are informational (a configuration with one seed is its own median).
  case median
  /// Both decide.
  case both

  /// The fewest seeds for which `auto` lets the median decide: with two, the median is the mean of the
  /// pair and no more robust than the runs themselves.
  public static let medianSeeds = 3

  /// Whether single runs of a configuration with `seeds` seeds decide.
  public func runsDecide(seeds: Int) -> Bool {
    switch self {
    case .perRun, .both: true
    case .median: seeds < 2
    case .auto: seeds < Self.medianSeeds
    }
  }

  /// Whether the median of a configuration with `seeds` seeds decides (medians exist from two seeds).
  public func medianDecides(seeds: Int) -> Bool {
    guard seeds >= 2 else { return false }
    switch self {
    case .perRun: return false
    case .median, .both: return true
    case .auto: return seeds >= Self.medianSeeds
    }
  }

  /// One line for reports.
  public var summary: String {
    switch self {
    case .auto: "auto (medians decide for configurations with \(Self.medianSeeds) or more seeds, single runs below; a run that newly diverges always decides)"
    case .perRun: "per-run (every run decides; medians are informational)"
    case .median: "median (medians across seeds decide; single runs are informational)"
    case .both: "both (every run and every median across seeds decides)"
    }
  }
}
