/// One metric of one run (or one median across seeds) that changed beyond its tolerance.
public struct Finding: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case regression, improvement
  }

  /// What was compared: a single run, or the median across the seeds of a configuration.
  public enum Level: String, Sendable {
    case run, median
  }

  public var kind: Kind
  public var level: Level
  /// A run id, or for a median the run id without its `__seed=N` part.
  public var subject: String
  /// `status`, `steps`, `steps_to_<target>`, `final_suboptimality`, `best_suboptimality` or `minimum`.
  public var metric: String
  /// The baseline's value and the new value, as text.
  public var baseline: String
  public var current: String
  /// How it changed: `+40 (+12.5 %)`, `×35`, `worse`, …
  public var change: String
  /// Whether this level decides the verdict (see `DecisionRule`); otherwise it is informational.
  public var decides: Bool

  public init(kind: Kind, level: Level, subject: String, metric: String, baseline: String, current: String, change: String, decides: Bool) {
    self.kind = kind
    self.level = level
    self.subject = subject
    self.metric = metric
    self.baseline = baseline
    self.current = current
    self.change = change
    self.decides = decides
  }

  /// Whether this finding fails the check.
  public func fails(failOnImprovement: Bool) -> Bool {
    decides && (kind == .regression || failOnImprovement)
  }

  /// `metric: baseline → current (change)`.
  public var line: String {
    "\(metric): \(baseline) → \(current)" + (change.isEmpty ? "" : " (\(change))")
  }
}
