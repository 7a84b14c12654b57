import Foundation

/// A convex quadratic in any dimension.
///
/// ```
/// f(x) = ½ xᵀAx + bᵀx + c,   ∇f(x) = Ax + b,   x* = −A⁻¹b,   f* = c + ½ bᵀx*
/// ```
/// A is given by exactly one of:
/// - `diag`: the diagonal of a diagonal A (`diag: [0.2, 4]` is the seeds' 0.1·x₁² + 2·x₂²);
/// - `matrix`: a full symmetric positive-definite A (checked by Cholesky);
/// - `condition` with `dim`: eigenvalues log-spaced from 1 to κ, optionally rotated by a seeded random
///   orthogonal matrix (`rotate: true`, `seed`).
///
/// Reference: Nocedal & Wright, *Numerical Optimization* (2006), ch. 3; d2l.ai §12.3 for the seeds' example.
/// See also: `Rosenbrock` for an ill-conditioned non-convex valley.
public struct Quadratic: Objective {
  public static let name = "quadratic"
  public static let formula = "½ xᵀAx + bᵀx + c"
  public static let reference = "Nocedal & Wright (2006), ch. 3"
  public static var dimensionRule: DimensionRule { .atLeast(1) }
  /// The largest condition number a rotated quadratic keeps to within a few percent (see `init`).
  static let maximumRotatedCondition = 1e14
  public static let parameters: [ParameterSpec] = [
    ParameterSpec("diag", .vector(.positive), "diagonal of A (one of diag, matrix, condition)"),
    ParameterSpec("matrix", .matrix, "full symmetric positive-definite A, as rows"),
    .real("condition", nil, .atLeast(1), "κ: eigenvalues log-spaced from 1 to κ (needs dim; no effect at dim 1, where the one eigenvalue is 1)"),
    .integer("dim", nil, 1...1_000_000, "dimension d (with condition; else implied by diag/matrix)"),
    .boolean("rotate", false, "with condition: rotate by a seeded random orthogonal matrix"),
    .integer("seed", 0, 0...Int.max, "seed of the rotation"),
    ParameterSpec("b", .vector(.finite), "linear term b (default 0)"),
    .real("c", 0, .finite, "constant term c"),
  ]

  /// Dense matrices beyond this size are rejected: d² doubles must fit comfortably in memory.
  public static let maximumDenseDimension = 2000

  public let dimension: Int
  /// A, row-major, when it is not diagonal.
  let matrix: [Double]?
  /// The diagonal of A.
  let diagonal: [Double]
  /// ½·diag(A), precomputed so that diag [0.2, 4] evaluates 0.1·x² exactly as written.
  let halfDiagonal: [Double]
  let linear: [Double]
  let hasLinear: Bool
  let constant: Double
  public let domain: Box
  public private(set) var minima: KnownMinima
  /// Refuses new runs on a rotated quadratic past `maximumRotatedCondition` (see `init`).
  public let problemForNewRuns: Diagnostic?

  public init(_ p: Parameters) throws(Diagnostic) {
    let given = ["diag", "matrix", "condition"].filter { p[$0] != nil }
    guard given.count == 1 else {
      throw Diagnostic(path: given.count > 1 ? given[1] : "",
        given.isEmpty ? "quadratic needs exactly one of 'diag', 'matrix' or 'condition' (with 'dim')"
          : "give only one of 'diag', 'matrix' and 'condition', not \(given.map { "'\($0)'" }.joined(separator: " and "))")
    }
    // 'rotate' shapes only the matrix that 'condition' builds, and 'seed' only its rotation: anywhere else
    // they would make settings that differ in name alone.
    if given[0] != "condition", p.boolean("rotate") {
      throw Diagnostic(path: "rotate", "'rotate' applies only to a quadratic built from 'condition' (with 'dim'), not to one given by '\(given[0])'")
    }
    if p.integer("seed") != 0, !p.boolean("rotate") {
      throw Diagnostic(path: "seed", "'seed' seeds the rotation of 'rotate': true (with 'condition'), which this quadratic does not have")
    }
    var rows: [[Double]]?
    var factor: [[Double]]?
    var tooIllConditioned: Diagnostic?
    if let d = p.vector("diag") {
      diagonal = d
    } else if let m = p.matrix("matrix") {
      for i in m.indices {
        for j in 0..<i where m[i][j] != m[j][i] {
          throw Diagnostic(path: "matrix".index(i).index(j), "the matrix must be symmetric: A[\(i)][\(j)] = \(m[i][j]) but A[\(j)][\(i)] = \(m[j][i])")
        }
      }
      factor = LinearAlgebra.cholesky(m)
      guard factor != nil else {
        throw Diagnostic(path: "matrix", "the matrix must be positive definite (its Cholesky factorisation failed)")
      }
      rows = m
      diagonal = m.indices.map { m[$0][$0] }
    } else {
      guard let n = p.optionalInteger("dim") else {
        throw Diagnostic(path: "dim", "'condition' needs 'dim', the dimension")
      }
      if p.boolean("rotate"), n > Self.maximumDenseDimension {
        throw Diagnostic(path: "dim", "a rotated quadratic stores a dense d×d matrix; d must be at most \(Self.maximumDenseDimension), got \(n)")
      }
      let kappa = p.real("condition")
      let eigenvalues = (0..<n).map { i in n == 1 ? 1.0 : pow(kappa, Double(i) / Double(n - 1)) }
      if p.boolean("rotate") {
        // QΛQᵀ is rounded in each entry by about κ·2⁻⁵³, which moves the smallest eigenvalue, 1, by as much:
        // by 1–2 % at κ = 1e14 (measured over random rotations, d = 2…50), by 10–25 % at 1e15, beyond
        // recognition at 1e16. Past 1e14 the landscape would not have the condition number its runs are
        // labelled with, nor f* and x* their stated accuracy: new runs are refused (`problemForNewRuns`),
        // but results made before the limit are still read.
        if n > 1, kappa > Self.maximumRotatedCondition {
          tooIllConditioned = Diagnostic(path: "condition", "a rotated quadratic's condition number must be at most 1e14, not \(String(format: "%g", kappa)): rounding in each entry of QΛQᵀ, about κ·2⁻⁵³, would move its smallest eigenvalue (1) by more than a few percent, so the landscape would not have the condition number asked for. Without 'rotate' (a diagonal matrix) any condition number is exact")
        }
        let q = LinearAlgebra.randomOrthogonal(dimension: n, seed: UInt64(p.integer("seed")))
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
          for j in 0...i {
            var s = 0.0
            for k in 0..<n { s += q[i][k] * eigenvalues[k] * q[j][k] }
            a[i][j] = s
            a[j][i] = s
          }
        }
        // QΛQᵀ in floating point: beyond κ ≈ 1e16 its smallest eigenvalues are lost to rounding.
        factor = LinearAlgebra.cholesky(a)
        guard factor != nil else {
          throw tooIllConditioned ?? Diagnostic(path: "condition", "a rotated quadratic of condition number \(String(format: "%g", kappa)) at d = \(n) (rotation seed \(p.integer("seed"))) is not positive definite in floating point (its Cholesky factorisation failed); use a smaller condition number")
        }
        rows = a
        diagonal = (0..<n).map { a[$0][$0] }
      } else {
        diagonal = eigenvalues
      }
    }
    let n = diagonal.count
    if let dim = p.optionalInteger("dim"), dim != n {
      throw Diagnostic(path: "dim", "'dim' is \(dim) but A is \(n)×\(n)")
    }
    let b = p.vector("b") ?? [Double](repeating: 0, count: n)
    guard b.count == n else { throw Diagnostic(path: "b", "expected \(n) numbers to match A, got \(b.count)") }
    dimension = n
    problemForNewRuns = tooIllConditioned
    matrix = rows.map { $0.flatMap { $0 } }
    halfDiagonal = diagonal.map { 0.5 * $0 }
    linear = b
    hasLinear = b.contains { $0 != 0 }
    constant = p.real("c")

    let xStar: [Double]
    if let factor {
      xStar = LinearAlgebra.choleskySolve(factor, b.map { -$0 })
    } else {
      let d = diagonal
      xStar = (0..<n).map { -b[$0] / d[$0] }
    }
    var bx = 0.0
    for i in 0..<n { bx += b[i] * xStar[i] }
    guard xStar.allSatisfy(\.isFinite), (constant + 0.5 * bx).isFinite else {
      throw Diagnostic(path: "b", "the minimiser −A⁻¹b or the minimum is not a finite number for this A and b (A too near singular for b)")
    }
    minima = KnownMinima(value: constant + 0.5 * bx, global: [xStar])
    domain = Box(lower: xStar.map { $0 - 5 }, upper: xStar.map { $0 + 5 })
    // f* as this function computes it at x*, where c + ½bᵀx* can differ in the last bits: a run that reaches
    // x* has suboptimality 0 there, never below.
    minima.value = value(at: xStar)
  }

  // Inlined into the step loop (the diagonal form is a few operations a coordinate, less than a call
  // costs); the dense form stays out of line.
  @inline(__always)
  public func evaluate(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    let n = x.count
    var f = 0.0
    if let matrix {
      f = Self.denseQuadraticForm(matrix, n, x, gradient: g)
    } else {
      halfDiagonal.withUnsafeBufferPointer { h in
        diagonal.withUnsafeBufferPointer { d in
          for i in 0..<n {
            f += h[i] * x[i] * x[i]
            g[i] = d[i] * x[i]
          }
        }
      }
    }
    if hasLinear {
      for i in 0..<n {
        f += linear[i] * x[i]
        g[i] += linear[i]
      }
    }
    return f + constant
  }

  /// ½xᵀAx for the n × n row-major `matrix`, with Ax written to `g`.
  @inline(never)
  static func denseQuadraticForm(_ matrix: [Double], _ n: Int, _ x: UnsafeBufferPointer<Double>,
                                 gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
    matrix.withUnsafeBufferPointer { a in
      for i in 0..<n {
        var s = 0.0
        let row = i * n
        for j in 0..<n { s += a[row + j] * x[j] }
        g[i] = s
      }
    }
    var f = 0.0
    for i in 0..<n { f += 0.5 * x[i] * g[i] }
    return f
  }
}
