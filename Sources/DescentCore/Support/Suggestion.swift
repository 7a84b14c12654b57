/// "Did you mean …?" suggestions by edit distance, as swift-argument-parser does for options.
public enum Suggestion {
  /// The candidate closest to `name`, if it is close enough to be a plausible typo.
  public static func closest(to name: String, in candidates: [String]) -> String? {
    let lowered = name.lowercased()
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let d = distance(lowered, candidate.lowercased())
      if d < (best?.distance ?? .max) { best = (candidate, d) }
    }
    guard let best else { return nil }
    let allowed = max(2, min(lowered.count, best.name.count) / 3)
    return best.distance <= allowed ? best.name : nil
  }

  /// Levenshtein distance over Unicode scalars.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
