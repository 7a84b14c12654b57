/// The numbers that define how one run converged, as a baseline keeps them: no timing, nothing that
/// varies between machines that compute the same bits.
///
/// Step counts are `Double` so that a median across seeds (the mean of the middle pair for an even
/// count) is a value of the same type; `.infinity` in `stepsToTarget` means "not reached".
public struct ConvergenceMetrics: Sendable, Equatable {
  public var status: RunStatus
  /// Updates performed; compared only when both sides converged (then it is the steps to converge).
  public var steps: Double
  /// Steps to reach f − f* ≤ target, aligned with the experiment's targets; `.infinity` if never.
  public var stepsToTarget: [Double]
  /// f − f* at the end; `nil` when the function has no known f*.
  public var finalSuboptimality: Double?
  /// The smallest f − f* seen; `nil` when the function has no known f*.
  public var bestSuboptimality: Double?
  /// `global`, `local:k` or `none` (a median has `local` without k).
  public var minimum: String
  /// f at the end and the smallest f seen, kept only where f* is unknown (the suboptimalities are `nil`), so
  /// that such a function's runs are still compared on something.
  public var finalF: Double?
  public var bestF: Double?

  public init(status: RunStatus, steps: Double, stepsToTarget: [Double], finalSuboptimality: Double?, bestSuboptimality: Double?, minimum: String,
              finalF: Double? = nil, bestF: Double? = nil) {
    self.status = status
    self.steps = steps
    self.stepsToTarget = stepsToTarget
    self.finalSuboptimality = finalSuboptimality
    self.bestSuboptimality = bestSuboptimality
    self.minimum = minimum
    self.finalF = finalF
    self.bestF = bestF
  }

  public init(_ summary: RunSummary) {
    let unknown = summary.finalSuboptimality == nil
    self.init(
      status: summary.status, steps: Double(summary.steps), stepsToTarget: summary.stepsToTarget.map { $0.map(Double.init) ?? .infinity },
      finalSuboptimality: summary.finalSuboptimality, bestSuboptimality: summary.bestSuboptimality, minimum: summary.minimum,
      finalF: unknown ? summary.finalF : nil, bestF: unknown ? summary.bestF : nil)
  }

  /// Order of statuses, worst first.
  static func rank(_ status: RunStatus) -> Int {
    switch status {
    case .diverged: 0
    case .maxSteps: 1
    case .converged: 2
    }
  }

  /// Order of minima, worst first: `none`, any local minimum, the global one.
  static func rank(minimum: String) -> Int {
    if minimum == "global" { return 2 }
    if minimum == "local" || minimum.hasPrefix("local:") { return 1 }
    return 0
  }

  /// The median across seeds of each metric separately. Statuses and minima are ordinal: their median is
  /// the lower (worse) middle one (a median "local" names no basin: `RegressionCheck` compares basins seed
  /// by seed). A suboptimality is `nil` if any run's is.
  public static func median(_ runs: [ConvergenceMetrics]) -> ConvergenceMetrics {
    precondition(!runs.isEmpty, "a median of no runs")
    func lowerMiddle(_ ranks: [Int]) -> Int { ranks.sorted()[(ranks.count - 1) / 2] }
    let statusRank = lowerMiddle(runs.map { rank($0.status) })
    let minimumRank = lowerMiddle(runs.map { rank(minimum: $0.minimum) })
    let targets = runs[0].stepsToTarget.count
    return ConvergenceMetrics(
      status: RunStatus.allCases.first { rank($0) == statusRank }!,
      steps: median(runs.map(\.steps)),
      stepsToTarget: (0..<targets).map { k in median(runs.map { $0.stepsToTarget[k] }) },
      finalSuboptimality: optionalMedian(runs.map(\.finalSuboptimality)),
      bestSuboptimality: optionalMedian(runs.map(\.bestSuboptimality)),
      minimum: ["none", "local", "global"][minimumRank],
      finalF: optionalMedian(runs.map(\.finalF)), bestF: optionalMedian(runs.map(\.bestF)))
  }

  /// The median of numbers, `nan` counting as `+inf`; the mean of the middle pair for an even count.
  static func median(_ values: [Double]) -> Double {
    let sorted = values.map { $0.isNaN ? .infinity : $0 }.sorted()
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
  }

  static func optionalMedian(_ values: [Double?]) -> Double? {
    let present = values.compactMap { $0 }
    return present.count == values.count ? median(present) : nil
  }
}
