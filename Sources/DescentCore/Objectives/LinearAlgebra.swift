import Foundation

/// Small dense linear algebra for exact solves at construction time (never in the step loop).
enum LinearAlgebra {
  /// The lower-triangular Cholesky factor of a symmetric matrix, or `nil` if it is not positive definite.
  static func cholesky(_ a: [[Double]]) -> [[Double]]? {
    let n = a.count
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for j in 0..<n {
      var s = a[j][j]
      for k in 0..<j { s -= l[j][k] * l[j][k] }
      guard s > 0, s.isFinite else { return nil }
      l[j][j] = s.squareRoot()
      for i in (j + 1)..<n {
        var t = a[i][j]
        for k in 0..<j { t -= l[i][k] * l[j][k] }
        l[i][j] = t / l[j][j]
      }
    }
    return l
  }

  /// Solves L Lᵀ x = b given the Cholesky factor L.
  static func choleskySolve(_ l: [[Double]], _ b: [Double]) -> [Double] {
    let n = b.count
    var y = b
    for i in 0..<n {
      for k in 0..<i { y[i] -= l[i][k] * y[k] }
      y[i] /= l[i][i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for k in (i + 1)..<n { y[i] -= l[k][i] * y[k] }
      y[i] /= l[i][i]
    }
    return y
  }

  /// Solves A x = b by Gaussian elimination with partial pivoting; `nil` if A is singular.
  static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
    let n = b.count
    var m = a
    var x = b
    for col in 0..<n {
      let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
      guard m[pivot][col] != 0 else { return nil }
      m.swapAt(col, pivot)
      x.swapAt(col, pivot)
      for row in (col + 1)..<n {
        let factor = m[row][col] / m[col][col]
        for k in col..<n { m[row][k] -= factor * m[col][k] }
        x[row] -= factor * x[col]
      }
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for k in (i + 1)..<n { x[i] -= m[i][k] * x[k] }
      x[i] /= m[i][i]
    }
    return x
  }

  /// A random orthogonal matrix (QR of a Gaussian matrix by modified Gram–Schmidt, signs fixed so the
  /// distribution is Haar), drawn from a seeded generator.
  static func randomOrthogonal(dimension n: Int, seed: UInt64) -> [[Double]] {
    var rng = SplitMix64(seed: seed)
    var columns = (0..<n).map { _ in (0..<n).map { _ in rng.normal() } }
    for j in 0..<n {
      for _ in 0..<2 {  // re-orthogonalise once for accuracy
        for k in 0..<j {
          var dot = 0.0
          for i in 0..<n { dot += columns[k][i] * columns[j][i] }
          for i in 0..<n { columns[j][i] -= dot * columns[k][i] }
        }
      }
      var norm = 0.0
      for i in 0..<n { norm += columns[j][i] * columns[j][i] }
      norm = norm.squareRoot()
      for i in 0..<n { columns[j][i] /= norm }
    }
    // q[i][j] = columns[j][i]
    return (0..<n).map { i in (0..<n).map { j in columns[j][i] } }
  }

  /// Refines a stationary point of `objective` near `start` by Newton's method on the analytic gradient,
  /// with a central-difference Hessian of that gradient. Used once, at construction, to give known
  /// minima to full precision.
  static func refineStationaryPoint<F: Objective>(of objective: F, from start: [Double], iterations: Int = 60) -> [Double] {
    var x = start
    let n = x.count
    for _ in 0..<iterations {
      let g = objective.evaluate(x).gradient
      var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
      for j in 0..<n {
        let h = 1e-5 * max(1, abs(x[j]))
        var xp = x, xm = x
        xp[j] += h
        xm[j] -= h
        let gp = objective.evaluate(xp).gradient, gm = objective.evaluate(xm).gradient
        for i in 0..<n { hessian[i][j] = (gp[i] - gm[i]) / (2 * h) }
      }
      for i in 0..<n { for j in 0..<i { let s = 0.5 * (hessian[i][j] + hessian[j][i]); hessian[i][j] = s; hessian[j][i] = s } }
      guard let step = solve(hessian, g) else { break }
      var moved = 0.0
      for i in 0..<n {
        x[i] -= step[i]
        moved = max(moved, abs(step[i]) / max(1, abs(x[i])))
      }
      if moved < 1e-17 { break }
    }
    return x
  }

  /// Newton's method with backtracking, to machine precision: from `start`, with the Hessian from
  /// `hessian` (which must be symmetric). Near the optimum, where f is flat to rounding, a step that
  /// shrinks ‖∇f‖ is accepted. Stops when no step helps any more, or the Hessian cannot be factored; gives
  /// the point, its value and the largest entry of its gradient, by which a caller judges whether it is a
  /// minimiser (`newtonConverged`).
  static func newtonMinimize(
    start: [Double], evaluate: ([Double]) -> (value: Double, gradient: [Double]), hessian: ([Double]) -> [[Double]]
  ) -> (point: [Double], value: Double, gradient: Double) {
    func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
    var w = start
    var (f, g) = evaluate(w)
    for _ in 0..<200 {
      guard let factor = cholesky(hessian(w)) else { break }
      let step = choleskySolve(factor, g)
      var t = 1.0
      var accepted: (w: [Double], value: Double, gradient: [Double])?
      while t > 1e-10 {
        let candidate = zip(w, step).map { $0 - t * $1 }
        let next = evaluate(candidate)
        if next.value < f || (next.value <= f + 4 * f.ulp && maxAbs(next.gradient) < maxAbs(g)) {
          accepted = (candidate, next.value, next.gradient)
          break
        }
        t /= 2
      }
      guard let accepted else { break }
      (w, f, g) = (accepted.w, accepted.value, accepted.gradient)
      if maxAbs(g) == 0 { break }
    }
    return (w, f, maxAbs(g))
  }

  /// The largest gradient entry at which a point Newton's method stopped at counts as a minimiser: where it
  /// converges it ends at rounding level, 1e-16 or so; where the Hessian is singular to rounding (a penalty
  /// far below its other eigenvalues) it stops where it started.
  static let newtonConverged = 1e-9
}
