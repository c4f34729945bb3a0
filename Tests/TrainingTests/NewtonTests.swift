import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Newton's method: the dense solver, its errors, and the separable per-point mode
/// (DenseSolver.swift, TrainingGraph.swift and Newton.swift).
@Suite struct NewtonTests {
    @Test func denseSolverPivotsAndSolves() throws {
        // A zero in the corner needs a row swap. With x = (1, −2, 3):
        // 0·1 + 2·(−2) + 1·3 = −1;  1·1 + 1·(−2) + 1·3 = 2;  4·1 + 0·(−2) + 3·3 = 13 (det = −2).
        let x = try #require(DenseSolver.solve([[0, 2, 1], [1, 1, 1], [4, 0, 3]], [-1, 2, 13]))
        for (value, expected) in zip(x, [1.0, -2, 3]) { #expect(isClose(value, expected, 1e-15)) }
    }

    @Test(arguments: [[[1.0, 2], [2, 4]], [[0.0, 0], [0, 0]], [[1e-300, 0], [0, 1]], [[3.0, .nan], [1, 1]]])
    func denseSolverRefusesASingularMatrix(_ matrix: [[Double]]) {
        // Rows proportional; all zero; a pivot below n · ε · max|H| = 2 · 2.2e-16; not finite.
        #expect(DenseSolver.solve(matrix, [1, 1]) == nil)
    }

    static func run(_ source: String) throws -> CommandResult {
        let directory = try TemporaryDirectory()
        return InProcess.run(["run", try directory.write("test.graph", source), "--quiet"])
    }

    @Test(arguments: [
        // A linear function: H = 0 everywhere.
        "param x = 1\nparam y = 2\nf = 3*x + y\n",
        // x³ + x + y² at the origin: H = [[6x, 0], [0, 2]] = [[0, 0], [0, 2]], g = (1, 0).
        "param x = 0\nparam y = 0\nf = x^3 + x + y^2\n",
        // x² · 0 + y: the Hessian of y is zero whatever x's row says.
        "param x = 1\nparam y = 1\nf = x^2 * 0 + y\n",
        // One param whose second derivative vanishes at the start: f″(x) = 6x = 0.
        "param x = 0\nf = x^3 + x\n",
    ])
    func aSingularHessianStopsNewton(_ program: String) throws {
        let result = try Self.run(program + "minimize f by newton(steps: 5)\n")
        #expect(result.status == .programError)
        #expect(result.err.contains("error: newton stopped at step 0: the Hessian is singular, so the Newton step is undefined"),
                "\(result)")
    }

    @Test func newtonAtACriticalPointHasConvergedEvenWhereTheHessianIsSingular() throws {
        // f = ΣW⁴ + (ΣW)²: g = 4W³ + 2ΣW = 0 and H = diag(12W²) + 2·11ᵀ = 2·11ᵀ at W = 0, which
        // is singular. The gradient is exactly zero, so Newton has converged: no step, no error.
        let result = try Self.run("param W: [2] = 0\nf = sum(W^4) + sum(W)^2\nminimize f by newton(steps: 5)\n")
        #expect(result.status == .success, "\(result)")
        #expect(result.out.hasPrefix("minimize f by newton: 0 steps (converged: the gradient is zero), loss 0 -> 0\n"), "\(result)")
        #expect(result.err.isEmpty, "\(result)")
    }

    @Test func newtonReachingADegenerateMinimumReportsConvergence() throws {
        // From W = (1, 1) Newton converges to the same minimum, linearly along W₁ = −W₂ where
        // the curvature 12W² vanishes. H becomes singular to working precision while g is
        // ~1e-19, far under √ε · max|H| = 3e-8: converged, not "the Hessian is singular".
        let result = try Self.run("param W: [2] = 1\nf = sum(W^4) + sum(W)^2\nminimize f by newton(steps: 50)\n")
        #expect(result.status == .success, "\(result)")
        let summary = try #require(result.out.split(separator: "\n").first, "\(result)")
        #expect(summary.contains("(converged: the gradient is zero), loss 6 -> "), "\(result)")
        let loss = try #require(Double(summary.split(separator: " ").last ?? ""))
        #expect(loss < 1e-30)
    }

    @Test func separableNewtonLeavesPointsAtACriticalPointWhereTheyAre() throws {
        // The sauna T = 85 − uv/90 (u = x²(x − 6), v = y²(y − 6)) at (0, 0): g = 0 and the
        // block is all zero. That point stays; the others take their Newton steps. With every
        // point at (0, 0) the method has converged before its first step.
        let moving = try Self.run("""
            param x: [2] = [0, 4.5]
            param y: [2] = [0, 3.5]
            T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
            minimize sum(T) by newton(steps: 3)
            """)
        #expect(moving.status == .success, "\(moving)")
        #expect(moving.out.contains("by newton: 3 steps, "), "\(moving)")
        #expect(moving.out.contains("x = [0, "), "\(moving)")
        let still = try Self.run("""
            param x: [2] = [0, 0]
            param y: [2] = [0, 0]
            T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
            minimize sum(T) by newton(steps: 3)
            """)
        #expect(still.out.contains("by newton: 0 steps (converged: the gradient is zero)"), "\(still)")
    }

    @Test func aZeroGradientIsJudgedAgainstTheHessiansScale() {
        // Exactly zero always counts; a tiny gradient only beside a singular H, within √ε of
        // its scale (times the params' scale when they are larger than 1).
        #expect(Newton.isZero([0, 0], singular: false, hessianScale: 0, paramScale: 0))
        #expect(!Newton.isZero([1e-19, 0], singular: false, hessianScale: 2, paramScale: 0))
        #expect(Newton.isZero([1e-19, 0], singular: true, hessianScale: 2, paramScale: 0))
        #expect(!Newton.isZero([1e-7, 0], singular: true, hessianScale: 2, paramScale: 1))
        #expect(Newton.isZero([1e-7, 0], singular: true, hessianScale: 2, paramScale: 100))
        #expect(!Newton.isZero([1, 0], singular: true, hessianScale: 0, paramScale: 1))
    }

    @Test func aConstantGradientTrainsWithGD() throws {
        // f = 3x: the gradient 3 does not depend on x, so x only moves by −rate · 3 per step.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: "param x = 1\nf = 3*x\nminimize f by gd(rate: 0.1, steps: 2)\n", in: directory)
        #expect(isClose(try run.param("x"), 1 - 2 * 0.3, 1e-15))
    }

    @Test(arguments: [64, 65])
    func newtonAcceptsAtMost64ParamsOnACoupledProblem(_ count: Int) throws {
        // f = (Σw)² + Σw² couples every pair: H = 2·11ᵀ + 2I, invertible, minimum at w = 0.
        let result = try Self.run("param w: [\(count)] = 1\nf = sum(w)^2 + sum(w^2)\nminimize f by newton(steps: 2)\n")
        if count <= 64 {
            #expect(result.status == .success, "\(result)")
            // f(1, …, 1) = 64² + 64 = 4160. A quadratic: the first step lands on w = 0, where f = 0
            // (to rounding: the solve leaves |w| ~ 1e-46).
            let prefix = "minimize f by newton: 2 steps, loss 4160 -> "
            let summary = try #require(result.out.split(separator: "\n").first { $0.hasPrefix(prefix) }, "\(result)")
            #expect(try #require(Double(summary.dropFirst(prefix.count))) < 1e-40)
        } else {
            #expect(result.status == .programError)
            #expect(result.err.contains("error: newton needs the full Hessian: 65 scalar params is more than its limit of 64"),
                    "\(result)")
        }
    }

    @Test func newtonSolvesAMatrixParamsQuadraticInOneStep() throws {
        // f(W) = Σ(W − A)² + (ΣW)² with A = [[1, 2], [3, 4]]: ∂f/∂Wᵢⱼ = 2(Wᵢⱼ − Aᵢⱼ) + 2s, s = ΣW.
        // At the minimum W = A − s; summing, s = ΣA − 4s, so s = 10/5 = 2 and W = A − 2. Its
        // Hessian 2I + 2·11ᵀ couples all four elements, so this needs the full 4 × 4 solve.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: """
            param W: [2, 2] = 0
            f = sum((W - [[1, 2], [3, 4]])^2) + sum(W)^2
            minimize f by newton(steps: 1)
            """, in: directory)
        let w = try #require(run.params["W"])
        #expect(zip(w, [-1.0, 0, 1, 2]).allSatisfy { Swift.abs($0 - $1) < 1e-14 }, "W = \(w)")
    }

    /// An 8 × 8 grid of starting points in [3.2, 4.8)², as two vector params of 64 elements.
    static let grid: (x: [Double], y: [Double]) = {
        let values = (0..<8).map { 3.2 + 0.2 * Double($0) }
        return (values.flatMap { x in [Double](repeating: x, count: 8) }, Array((0..<8).map { _ in values }.joined()))
    }()

    static func saunaGrid(steps: Int, extra: String = "") -> String {
        """
        param x: [64] = [\(grid.x.map { "\($0)" }.joined(separator: ", "))]
        param y: [64] = [\(grid.y.map { "\($0)" }.joined(separator: ", "))]
        T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
        minimize sum(T)\(extra) by newton(steps: \(steps))
        """
    }

    /// Newton's method on the sauna at one point, by hand: with u = x²(x − 6), v = y²(y − 6),
    /// T = 85 − uv/90, so T_x = −u′v/90, T_y = −uv′/90, T_xx = −u″v/90, T_yy = −uv″/90,
    /// T_xy = −u′v′/90 (u′ = 3x² − 12x, u″ = 6x − 12), and by Cramer's rule
    /// Δx = (T_yy T_x − T_xy T_y)/det, Δy = (T_xx T_y − T_xy T_x)/det, det = T_xx T_yy − T_xy².
    static func saunaNewton(_ start: (Double, Double), steps: Int) -> (Double, Double) {
        var (x, y) = start
        for _ in 0..<steps {
            let u = x * x * (x - 6), du = 3 * x * x - 12 * x, ddu = 6 * x - 12
            let v = y * y * (y - 6), dv = 3 * y * y - 12 * y, ddv = 6 * y - 12
            let tx = -du * v / 90, ty = -u * dv / 90
            let txx = -ddu * v / 90, tyy = -u * ddv / 90, txy = -du * dv / 90
            let det = txx * tyy - txy * txy
            x -= (tyy * tx - txy * ty) / det
            y -= (txx * ty - txy * tx) / det
        }
        return (x, y)
    }

    @Test(arguments: [2, 20])
    func separableNewtonMatchesAPerPointLoop(_ steps: Int) throws {
        // 128 scalar params, over the limit of 64, but each point's gradient depends on that
        // point alone, so the Hessian is block-diagonal and each 2 × 2 block is solved on its own.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: Self.saunaGrid(steps: steps), in: directory)
        let x = try #require(run.params["x"]), y = try #require(run.params["y"])
        #expect(x.count == 64 && y.count == 64)
        for i in 0..<64 {
            let expected = Self.saunaNewton((Self.grid.x[i], Self.grid.y[i]), steps: steps)
            #expect(Swift.abs(x[i] - expected.0) <= 1e-12 && Swift.abs(y[i] - expected.1) <= 1e-12,
                    "point \(i) from (\(Self.grid.x[i]), \(Self.grid.y[i])): (\(x[i]), \(y[i])), expected \(expected)")
            if steps == 20 {
                #expect(Swift.abs(x[i] - 4) < 1e-12 && Swift.abs(y[i] - 4) < 1e-12, "point \(i) converges to (4, 4)")
            }
        }
    }

    @Test func aCoupledGridIsTooManyParamsForNewton() throws {
        // Adding (Σx)²/10⁶ couples the points: the full Hessian of 128 params is needed.
        let result = try Self.run(Self.saunaGrid(steps: 3, extra: " + sum(x)^2 / 1000000"))
        #expect(result.status == .programError)
        #expect(result.err.contains("128 scalar params is more than its limit of 64"), "\(result)")
    }

    @Test func aSingularBlockNamesItsPoint() throws {
        // At (6, 4), u = x²(x − 6) = 0, u′ = 36, u″ = 24 and v = −32, v′ = 0, v″ = 12, so
        // T_yy = −uv″/90 = 0 and T_xy = −u′v′/90 = 0: det = T_xx T_yy − T_xy² = 0, while the
        // gradient T_x = −u′v/90 = 12.8 is not zero. The block of point 1 is singular; points 0
        // and 2 are fine.
        let result = try Self.run("""
            param x: [3] = [3.5, 6, 4.5]
            param y: [3] = [4.5, 4, 3.5]
            T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
            minimize sum(T) by newton(steps: 5)
            """)
        #expect(result.status == .programError)
        #expect(result.err.contains("newton stopped at step 0: the Hessian is singular at element 1"), "\(result)")
    }
}
