/// The accepted values of a real hyperparameter, printed the way the docs and errors show it: `[0, 1)`.
public struct NumericRange: Sendable, Equatable, CustomStringConvertible {
  public var lower: Double
  public var lowerInclusive: Bool
  public var upper: Double
  public var upperInclusive: Bool

  public init(lower: Double, lowerInclusive: Bool = true, upper: Double, upperInclusive: Bool = true) {
    self.lower = lower
    self.lowerInclusive = lowerInclusive
    self.upper = upper
    self.upperInclusive = upperInclusive
  }

  /// Any finite number.
  public static let finite = NumericRange(lower: -.infinity, lowerInclusive: false, upper: .infinity, upperInclusive: false)
  /// x ≥ 0.
  public static let nonNegative = NumericRange(lower: 0, upper: .infinity, upperInclusive: false)
  /// x > 0.
  public static let positive = NumericRange(lower: 0, lowerInclusive: false, upper: .infinity, upperInclusive: false)
  /// 0 ≤ x < 1, as for betas.
  public static let unitHalfOpen = NumericRange(lower: 0, upper: 1, upperInclusive: false)
  /// 0 ≤ x ≤ 1.
  public static let unit = NumericRange(lower: 0, upper: 1)

  public static func atLeast(_ value: Double) -> NumericRange { NumericRange(lower: value, upper: .infinity, upperInclusive: false) }
  public static func above(_ value: Double) -> NumericRange {
    NumericRange(lower: value, lowerInclusive: false, upper: .infinity, upperInclusive: false)
  }

  public func contains(_ x: Double) -> Bool {
    guard x.isFinite else { return false }
    let aboveLower = lowerInclusive ? x >= lower : x > lower
    let belowUpper = upperInclusive ? x <= upper : x < upper
    return aboveLower && belowUpper
  }

  /// "in [0, 1)", "> 0", "≥ 0" or "" (any finite number), to follow "a number".
  public var phrase: String {
    if !lower.isFinite && !upper.isFinite { return "" }
    if lower.isFinite && upper.isFinite { return "in " + description }
    return description
  }

  public var description: String {
    switch (lower.isFinite, upper.isFinite) {
    case (false, false): return "any finite number"
    case (true, false): return (lowerInclusive ? "≥ " : "> ") + JSONValue.format(lower)
    case (false, true): return (upperInclusive ? "≤ " : "< ") + JSONValue.format(upper)
    case (true, true):
      return (lowerInclusive ? "[" : "(") + JSONValue.format(lower) + ", " + JSONValue.format(upper) + (upperInclusive ? "]" : ")")
    }
  }
}
