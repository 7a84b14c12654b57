/// Order statistics over seeds.
enum Statistics {
  /// The `p`-quantile of `sorted` (ascending, not empty), interpolating linearly between order statistics
  /// (Hyndman & Fan's type 7, numpy's default). Infinities are allowed and propagate.
  static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty, "quantile of nothing")
    let h = Double(sorted.count - 1) * p
    let lower = Int(h.rounded(.down))
    let fraction = h - Double(lower)
    guard fraction > 0, lower + 1 < sorted.count, sorted[lower] != sorted[lower + 1] else { return sorted[lower] }
    return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
  }

  /// Median and quartiles of `values` (not empty), with NaN ordered as +∞.
  static func quartiles(_ values: [Double]) -> (median: Double, lower: Double, upper: Double) {
    let sorted = values.map { $0.isNaN ? .infinity : $0 }.sorted()
    return (quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75))
  }
}

/// Ways to keep long series small enough for a plot file without changing what the picture shows.
enum Thinning {
  /// At most about `2 * bins` of `count` rows of a curve plotted against a linear axis: the rows are cut into
  /// `bins` runs of consecutive rows, and each run keeps the rows where `value` is least and greatest, in order, so
  /// an oscillation between neighbouring steps keeps its envelope instead of being aliased away. The first and
  /// last rows are always kept. Returns the kept row indices, ascending.
  static func envelope(count: Int, bins: Int, value: (Int) -> Double) -> [Int] {
    guard count > 2 * bins, bins > 0 else { return Array(0..<count) }
    var kept = [0]
    let size = (count + bins - 1) / bins
    var start = 0
    while start < count {
      let end = min(count, start + size)
      var low = start, high = start
      for i in start..<end {
        if value(i) < value(low) { low = i }
        if value(i) > value(high) { high = i }
      }
      for i in Set([low, high]).sorted() where i > kept.last! { kept.append(i) }
      start = end
    }
    if kept.last! != count - 1 { kept.append(count - 1) }
    return kept
  }

  /// The points of a path worth drawing: a point closer than `tolerance` (in each coordinate, measured in units of
  /// `scale`) to the last kept one adds nothing visible and is skipped, so a run that has settled costs nothing.
  /// If more than `limit` points remain, every k-th is kept. The first and last points are always kept, and a
  /// point with a non-finite coordinate is kept (it breaks the line where the run left the finite numbers).
  static func path(_ points: [[Double]], scale: [Double], tolerance: Double = 1e-3, limit: Int = 2000) -> [Int] {
    guard points.count > 2 else { return Array(points.indices) }
    var kept = [0]
    for i in 1..<points.count - 1 {
      let last = points[kept.last!]
      let point = points[i]
      let visible = point.indices.contains { k in
        !(point[k].isFinite && last[k].isFinite) || abs(point[k] - last[k]) > tolerance * scale[k]
      }
      if visible { kept.append(i) }
    }
    kept.append(points.count - 1)
    guard kept.count > limit else { return kept }
    let stride = (kept.count + limit - 1) / limit
    var strided = Swift.stride(from: 0, to: kept.count - 1, by: stride).map { kept[$0] }
    strided.append(kept.last!)
    return strided
  }
}
