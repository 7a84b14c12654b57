import Foundation
import Testing
@testable import DescentCore

/// Every catalogue entry, in the configurations the tests exercise (variable-dimension functions at
/// several d, quadratics in each of their three forms).
let objectiveConfigurations: [String] = [
  #"{"name": "quadratic", "diag": [0.2, 4]}"#,
  #"{"name": "quadratic", "diag": [1, 2, 3], "b": [1, -2, 0.5], "c": 3}"#,
  #"{"name": "quadratic", "matrix": [[4, 1], [1, 3]], "b": [1, 2]}"#,
  #"{"name": "quadratic", "condition": 100, "dim": 6, "rotate": true, "seed": 7, "b": [1, 0, -1, 2, 0.5, 3]}"#,
  #"{"name": "xcos"}"#,
  #"{"name": "rosenbrock"}"#,
  #"{"name": "rosenbrock", "dim": 4}"#,
  #"{"name": "rosenbrock", "dim": 5}"#,
  #"{"name": "rosenbrock", "dim": 7}"#,
  #"{"name": "rosenbrock", "dim": 8}"#,
  #"{"name": "rosenbrock", "dim": 30}"#,
  #"{"name": "rosenbrock", "a": 2, "b": 50}"#,
  #"{"name": "beale"}"#,
  #"{"name": "booth"}"#,
  #"{"name": "himmelblau"}"#,
  #"{"name": "six-hump-camel"}"#,
  #"{"name": "three-hump-camel"}"#,
  #"{"name": "goldstein-price"}"#,
  #"{"name": "matyas"}"#,
  #"{"name": "saddle"}"#,
  #"{"name": "rastrigin", "dim": 3}"#,
  #"{"name": "ackley", "dim": 4}"#,
  #"{"name": "ackley", "dim": 1}"#,
  #"{"name": "styblinski-tang", "dim": 3}"#,
  #"{"name": "styblinski-tang", "dim": 8}"#,
  #"{"name": "styblinski-tang", "dim": 1000}"#,
  #"{"name": "least-squares", "samples": 200, "dim": 5, "condition": 10, "ridge": 0.1}"#,
  #"{"name": "least-squares", "samples": 50, "dim": 3}"#,
  #"{"name": "logistic", "samples": 200, "dim": 4, "l2": 0.01}"#,
  #"{"name": "logistic", "samples": 300, "dim": 3, "label_noise": 0.2}"#,
  #"{"name": "softmax", "samples": 200, "dim": 3, "classes": 4, "l2": 0.01}"#,
  #"{"name": "softmax", "samples": 100, "dim": 2, "classes": 3}"#,
]

@Suite("Test-function catalogue")
struct ObjectiveTests {
  @Test("every registered function is exercised by these tests")
  func everyEntryCovered() throws {
    let covered = Set(try objectiveConfigurations.map { try makeObjective($0).name })
    #expect(covered == Set(Catalog.builtIn.objectiveNames))
  }

  @Test("analytic gradient agrees with central differences at 100 seeded points", arguments: objectiveConfigurations)
  func gradientMatchesFiniteDifferences(_ config: String) throws {
    let f = try makeObjective(config)
    var rng = SplitMix64(seed: stableHash(config))
    for trial in 0..<100 {
      let x = f.domain.sample(using: &rng)
      let (value, gradient) = f.evaluate(x)
      #expect(value.isFinite)
      var numeric = [Double](repeating: 0, count: f.dimension)
      for i in 0..<f.dimension {
        let h = 1e-6 * max(1, abs(x[i]))
        var xp = x, xm = x
        xp[i] += h
        xm[i] -= h
        numeric[i] = (f.value(at: xp) - f.value(at: xm)) / (xp[i] - xm[i])
      }
      let error = maxAbs(zip(numeric, gradient).map { $0 - $1 })
      // Relative to the gradient's size, plus the rounding floor of the difference quotient itself.
      let roundingFloor = 8 * abs(value).ulp / (1e-6 * max(1, maxAbs(x)))
      #expect(error <= 1e-6 * max(1, maxAbs(gradient)) + roundingFloor, "\(config) trial \(trial) at \(x): analytic \(gradient) vs numeric \(numeric)")
    }
  }

  @Test("f(x*) = f* and ∇f(x*) = 0 at every global minimiser", arguments: objectiveConfigurations)
  func globalMinima(_ config: String) throws {
    let f = try makeObjective(config)
    guard let fStar = f.minima.value else {
      #expect(f.minima.global.isEmpty || f.name == "rosenbrock", "\(config): minimisers listed without f*")
      return
    }
    #expect(!f.minima.global.isEmpty)
    for xStar in f.minima.global {
      let (value, gradient) = f.evaluate(xStar)
      // Never below f*: a run that reaches x* exactly has suboptimality ≥ 0 there, and reaches any target.
      #expect(value >= fStar && value - fStar <= 1e-12 * max(1, abs(fStar)), "\(config): f(x*) = \(value), f* = \(fStar)")
      #expect(maxAbs(gradient) <= 1e-9 * max(1, abs(fStar)), "\(config): ∇f(x*) = \(gradient)")
      #expect(f.domain.contains(xStar))
    }
  }

  @Test("every listed local minimum is stationary, and a minimum", arguments: objectiveConfigurations)
  func localMinima(_ config: String) throws {
    let f = try makeObjective(config)
    for m in f.minima.local {
      let (value, gradient) = f.evaluate(m.point)
      #expect(value == m.value)
      #expect(maxAbs(gradient) <= 1e-9 * max(1, abs(value)), "\(config): ∇f at local minimum \(m.point) = \(gradient)")
      // Positive definite Hessian (central differences of the gradient) distinguishes a minimum from a saddle.
      let n = f.dimension
      var hessian = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
      for j in 0..<n {
        var xp = m.point, xm = m.point
        xp[j] += 1e-5
        xm[j] -= 1e-5
        let gp = f.evaluate(xp).gradient, gm = f.evaluate(xm).gradient
        for i in 0..<n { hessian[i][j] = (gp[i] - gm[i]) / 2e-5 }
      }
      let symmetric = (0..<n).map { i in (0..<n).map { j in (hessian[i][j] + hessian[j][i]) / 2 } }
      #expect(LinearAlgebra.cholesky(symmetric) != nil, "\(config): Hessian at \(m.point) is not positive definite")
      if let fStar = f.minima.value { #expect(value > fStar) }
    }
  }

  @Test("xcos has the minima d2l describes, to the digits given")
  func xcosMinima() throws {
    let f = try makeObjective(#"{"name": "xcos"}"#)
    #expect(abs(f.minima.global[0][0] - 1.09041) < 5e-6)
    #expect(abs(f.minima.value! - -1.04672) < 5e-6)
    #expect(f.minima.local.count == 1)
    #expect(abs(f.minima.local[0].point[0] - -0.27385) < 5e-6)
    #expect(abs(f.minima.local[0].value - -0.17860) < 5e-6)
    #expect(f.minima.unboundedBelow)
  }

  @Test("literature values: six-hump camel, Styblinski–Tang, Himmelblau")
  func literatureValues() throws {
    let camel = try makeObjective(#"{"name": "six-hump-camel"}"#)
    #expect(camel.minima.global.count == 2)
    #expect(camel.minima.local.count == 4)
    #expect(abs(camel.value(at: camel.minima.global[0]) - -1.0316284535) < 1e-10)
    for d in [1, 2, 5] {
      let st = try makeObjective(#"{"name": "styblinski-tang", "dim": \#(d)}"#)
      #expect(abs(st.minima.value! - -39.16616570377142 * Double(d)) <= 1e-12 * 39.2 * Double(d))
      #expect(abs(st.minima.global[0][0] - -2.903534027771177) < 1e-14)
    }
    let h = try makeObjective(#"{"name": "himmelblau"}"#)
    #expect(h.minima.global.count == 4)
    #expect(Set(h.minima.global.map { "\(($0[0] * 1000).rounded()),\(($0[1] * 1000).rounded())" }).count == 4)
  }

  @Test("Rosenbrock lists the local minimum near (−1, 1, …, 1) for every d ≥ 4 (Shang & Qiu to d = 30, Kok & Sandrock to 100)")
  func rosenbrockLocalMinimum() throws {
    for d in Array(2...40) + [100, 1000, 100_000] {
      let f = try makeObjective(#"{"name": "rosenbrock", "dim": \#(d)}"#)
      #expect(f.minima.local.count == (d >= 4 ? 1 : 0), "d = \(d)")
      if let m = f.minima.local.first {
        #expect(m.point[0] < -0.7 && m.point.dropFirst().allSatisfy { $0 > 0 }, "d = \(d)")
        // Values from an independent Newton in numpy (dense Hessian, numpy.linalg.solve; its smallest
        // eigenvalue 0.38–0.60 there): f → 3.98662385430 from d = 30 on.
        let reference: [Int: Double] = [4: 3.7014286104300176, 5: 3.930839434133028, 7: 3.983600536424854, 8: 3.9858877695994903, 10: 3.9865791123471386, 20: 3.986623854261198]
        if let expected = reference[d] ?? (d >= 30 ? 3.9866238543009 : nil) {
          #expect(abs(m.value - expected) <= 1e-12, "d = \(d): \(m.value)")
        }
      }
    }
    // Shang & Qiu's point at d = 4 (and numpy's).
    let four = try makeObjective(#"{"name": "rosenbrock", "dim": 4}"#).minima.local[0].point
    #expect(zip(four, [-0.77565923, 0.61309337, 0.38206285, 0.14597202]).allSatisfy { abs($0 - $1) < 1e-8 }, "\(four)")
    #expect(try makeObjective(#"{"name": "rosenbrock", "dim": 8, "b": 50}"#).minima.local.isEmpty)
    let shifted = try makeObjective(#"{"name": "rosenbrock", "a": 2}"#)
    #expect(shifted.minima.global == [[2, 4]])
    let unknown = try makeObjective(#"{"name": "rosenbrock", "dim": 3, "a": 2}"#)
    #expect(unknown.minima.value == nil)
  }

  @Test("rotated quadratic: f* agrees with an independent solve")
  func rotatedQuadratic() throws {
    let f = try makeObjective(#"{"name": "quadratic", "condition": 1000, "dim": 8, "rotate": true, "seed": 3, "b": [1, 2, 3, 4, -1, -2, -3, -4], "c": 0.5}"#)
    let q = f as! Quadratic
    let n = 8
    let a = (0..<n).map { i in (0..<n).map { j in q.matrix![i * n + j] } }
    // Independent route: Gaussian elimination rather than Cholesky, and f evaluated directly.
    let x = LinearAlgebra.solve(a, q.linear.map { -$0 })!
    #expect(abs(f.value(at: x) - f.minima.value!) <= 1e-12 * max(1, abs(f.minima.value!)))
    // Eigenvalues log-spaced from 1 to κ: trace and determinant are rotation invariant.
    let trace = (0..<n).reduce(0.0) { $0 + a[$1][$1] }
    let expectedTrace = (0..<n).reduce(0.0) { $0 + pow(1000, Double($1) / 7) }
    #expect(abs(trace - expectedTrace) < 1e-9 * expectedTrace)
    // A different seed gives a different rotation with the same f* structure.
    let other = try makeObjective(#"{"name": "quadratic", "condition": 1000, "dim": 8, "rotate": true, "seed": 4}"#) as! Quadratic
    #expect(other.matrix! != q.matrix!)
  }

  @Test("a quadratic that cannot be built is refused at the key to change, not crashed on or run as NaN", arguments: [
    // Past 1e14 a rotation's rounding changes the condition number; where the rounded matrix is not even
    // positive definite (1e18 at d = 2) the function cannot be built at all, and says why.
    (#"{"name": "quadratic", "condition": 1e18, "dim": 2, "rotate": true}"#, "f.condition: a rotated quadratic's condition number must be at most 1e14, not 1e+18"),
    (#"{"name": "quadratic", "diag": [1, 2], "rotate": true}"#, "f.rotate: 'rotate' applies only to a quadratic built from 'condition'"),
    (#"{"name": "quadratic", "matrix": [[2, 0], [0, 1]], "rotate": true}"#, "f.rotate: 'rotate' applies only"),
    (#"{"name": "quadratic", "diag": [1, 2], "seed": 7}"#, "f.seed: 'seed' seeds the rotation"),
    (#"{"name": "quadratic", "condition": 10, "dim": 3, "seed": 7}"#, "f.seed: 'seed' seeds the rotation"),
    (#"{"name": "quadratic", "diag": [1e-300, 1], "b": [1e10, 0]}"#, "f.b: the minimiser −A⁻¹b or the minimum is not a finite number"),
  ])
  func unbuildableQuadratic(_ config: String, _ expected: String) throws {
    let error = #expect(throws: TestFailure.self) { try makeObjective(config) }
    #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
  }

  @Test("a rotated quadratic refuses new runs past condition number 1e14, where rounding changes it; unrotated, any condition number")
  func largestRotatedCondition() throws {
    for dim in [2, 10, 50] {
      #expect(try makeObjective(#"{"name": "quadratic", "condition": 1e14, "dim": \#(dim), "rotate": true}"#).problemForNewRuns == nil)
    }
    // Built (the rounded matrix is positive definite), but no new runs: a config is refused at the key.
    for (condition, dim) in [(1e20, 2), (1.5e14, 10)] {
      let config = #"{"name": "quadratic", "condition": \#(condition), "dim": \#(dim), "rotate": true}"#
      let expected = "condition: a rotated quadratic's condition number must be at most 1e14, not " + String(format: "%g", condition)
      #expect(try makeObjective(config).problemForNewRuns?.description.hasPrefix(expected) == true)
    }
    let problems = configProblems(config(functions: #"[{"name": "quadratic", "condition": {"grid": [10, 1e20]}, "dim": 2, "rotate": true}]"#))
    #expect(problems.count == 1 && problems[0].hasPrefix("functions[0].condition.grid[1]: a rotated quadratic's condition number must be at most 1e14, not 1e+20"), "\(problems)")
    let diagonal = try makeObjective(#"{"name": "quadratic", "condition": 1e20, "dim": 3}"#) as! Quadratic
    #expect(diagonal.diagonal == [1, 1e10, 1e20])
  }

  @Test("the seeds' quadratic evaluates exactly as 0.1·x₁² + 2·x₂²")
  func seedsQuadratic() throws {
    let f = try makeObjective(#"{"name": "quadratic", "diag": [0.2, 4]}"#)
    for x in [[-5.0, -2.0], [1.5, 0.25], [3.3, -1.7]] {
      let (value, gradient) = f.evaluate(x)
      #expect(value == 0.1 * x[0] * x[0] + 2 * x[1] * x[1])
      #expect(gradient == [0.2 * x[0], 4 * x[1]])
    }
  }

  @Test("Rosenbrock d = 2 matches the sweep-2d workload's operation order bit for bit")
  func rosenbrockOperationOrder() throws {
    let f = try makeObjective(#"{"name": "rosenbrock"}"#)
    var rng = SplitMix64(seed: 1)
    for _ in 0..<100 {
      let x = f.domain.sample(using: &rng)
      let a = 1 - x[0], u = x[1] - x[0] * x[0]
      let (value, gradient) = f.evaluate(x)
      #expect(value == a * a + 100 * u * u)
      #expect(gradient == [-2 * a - 400 * x[0] * u, 200 * u])
    }
  }

  @Test("sinCos returns exactly the bits of sin and cos, across the whole range of doubles")
  func sinCosBits() {
    var rng = SplitMix64(seed: 11)
    var inputs: [Double] = [
      0, -0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
      .pi, -.pi / 2, .pi / 4, 1e22, 0x1p1023, 2.5e-16, 1.0000000000000002, 105414350,
    ]
    for k in 0..<200_000 {
      switch k % 4 {
      case 0: inputs.append(Double(bitPattern: rng.next()))  // every magnitude, subnormals and NaNs included
      case 1: inputs.append(rng.uniform(-10, 10))
      case 2: inputs.append(rng.uniform(-1e6, 1e6))
      default: inputs.append(Double(Int(rng.next() % 4001) - 2000) * .pi / 4 * (1 + rng.uniform(-1e-15, 1e-15)))
      }
    }
    var differing: [Double] = []
    for x in inputs {
      let (s, c) = sinCos(x)
      let same = (s.bitPattern == sin(x).bitPattern || (s.isNaN && sin(x).isNaN))
        && (c.bitPattern == cos(x).bitPattern || (c.isNaN && cos(x).isNaN))
      if !same { differing.append(x) }
    }
    #expect(differing.isEmpty, "sinCos differs from sin/cos at \(differing.prefix(5))")
  }

  @Test("xcos, Rastrigin and Ackley give the bits of their formulas written with separate sin and cos")
  func trigonometricLandscapesBitForBit() throws {
    var rng = SplitMix64(seed: 5)
    let xcos = try makeObjective(#"{"name": "xcos"}"#)
    for _ in 0..<1_000 {
      let x = [rng.uniform(-50, 50)]
      let (value, gradient) = xcos.evaluate(x)
      #expect(value == x[0] * cos(Double.pi * x[0]))
      #expect(gradient == [cos(Double.pi * x[0]) - Double.pi * x[0] * sin(Double.pi * x[0])])
    }
    let rastrigin = try makeObjective(#"{"name": "rastrigin", "dim": 3}"#)
    for _ in 0..<1_000 {
      let x = rastrigin.domain.sample(using: &rng)
      let w = x.map { 2 * Double.pi * $0 }
      var f = 10 * 3.0
      for i in 0..<3 { f += x[i] * x[i] - 10 * cos(w[i]) }
      let (value, gradient) = rastrigin.evaluate(x)
      #expect(value == f)
      #expect(gradient == (0..<3).map { 2 * x[$0] + 10 * (2 * Double.pi) * sin(w[$0]) })
    }
    let ackley = try makeObjective(#"{"name": "ackley", "dim": 4}"#)
    #expect(ackley.value(at: [0, 0, 0, 0]) == 0, "f(0) is f* = 0 exactly")
    let (a, b, c, d) = (20.0, 0.2, 2 * Double.pi, 4.0)
    for _ in 0..<1_000 {
      let x = ackley.domain.sample(using: &rng)
      var squares = 0.0, cosines = 0.0
      for i in 0..<4 {
        squares += x[i] * x[i]
        cosines += cos(c * x[i])
      }
      let r = (squares / d).squareRoot()
      let outer = exp(-b * r), inner = exp(cosines / d)
      let radial = a * b * outer / (d * r), angular = c / d * inner
      let (value, gradient) = ackley.evaluate(x)
      #expect(value == -a * expm1(-b * r) + (M_E - inner))
      // And the textbook formula, to rounding (the grouping above differs from it in the last bits only).
      #expect(abs(value - (-a * outer - inner + a + M_E)) <= 1e-13)
      #expect(gradient == (0..<4).map { radial * x[$0] + angular * sin(c * x[$0]) })
    }
  }

  @Test("invalid quadratics are rejected with a clear message")
  func invalidQuadratics() throws {
    #expect(try objectiveProblems(#"{"name": "quadratic", "matrix": [[1, 2], [3, 4]]}"#) == [
      "f.matrix[1][0]: the matrix must be symmetric: A[1][0] = 3.0 but A[0][1] = 2.0"
    ])
    #expect(try objectiveProblems(#"{"name": "quadratic", "matrix": [[1, 2], [2, 1]]}"#) == [
      "f.matrix: the matrix must be positive definite (its Cholesky factorisation failed)"
    ])
    #expect(try objectiveProblems(#"{"name": "quadratic", "matrix": [[1, 2]]}"#).first?.contains("square") == true)
    #expect(try objectiveProblems(#"{"name": "quadratic"}"#).first?.contains("exactly one of") == true)
    #expect(try objectiveProblems(#"{"name": "quadratic", "diag": [1, 2], "condition": 3}"#).first?.contains("only one") == true)
    #expect(try objectiveProblems(#"{"name": "quadratic", "condition": 10}"#) == ["f.dim: 'condition' needs 'dim', the dimension"])
    #expect(try objectiveProblems(#"{"name": "quadratic", "diag": [1, 2], "b": [1]}"#) == ["f.b: expected 2 numbers to match A, got 1"])
    #expect(try objectiveProblems(#"{"name": "quadratic", "diag": [1, -2]}"#) == ["f.diag[1]: expected a number > 0, got -2"])
  }

  @Test("unknown names and keys get a suggestion")
  func suggestions() throws {
    #expect(try objectiveProblems(#"{"name": "rosenbrok"}"#) == ["f.name: unknown function 'rosenbrok'; did you mean 'rosenbrock'?"])
    #expect(try objectiveProblems(#"{"name": "rosenbrock", "dims": 3}"#) == ["f.dims: unknown key 'dims'; did you mean 'dim'?"])
    #expect(try objectiveProblems(#"{"name": "rosenbrock", "dim": 1}"#) == ["f.dim: expected an integer in [2, 1000000], got 1"])
  }
}
