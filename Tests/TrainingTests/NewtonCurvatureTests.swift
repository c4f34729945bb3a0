import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Newton's method warns when it ends where the Hessian has an eigenvalue of the wrong sign,
/// and the warning changes nothing else: the same params, losses and exit status.
@Suite struct NewtonCurvatureTests {
    /// The sauna with Newton's method, from a start given by --set.
    static let sauna = """
        param x = 3
        param y = 3
        T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
        minimize T by newton(steps: 20)
        """

    @Test func fromOneOneNewtonClimbsTheSaunaAndSaysSo() throws {
        // From (1, 1) Newton's method heads for the degenerate corner (0, 0) of the lines x = 0
        // and y = 0, where T = 85: the loss rises from 85 − 25/90 = 84.72… Near there, with
        // u = x²(x − 6), T_xx = −u″(x)u(y)/90, T_yy = −u(x)u″(y)/90 and T_xy = −u′(x)u′(y)/90,
        // with u″ ≈ −12 and u ≈ −6x² for small x: at x = y = ε, T_xx = T_yy ≈ −0.8ε² and
        // T_xy ≈ −(12ε)²/90 = −1.6ε², so the eigenvalues −0.8ε² ∓ 1.6ε² have both signs.
        let directory = try TemporaryDirectory()
        let path = try directory.write("sauna.graph", Self.sauna)
        let result = InProcess.run(["run", path, "--set", "x=1", "--set", "y=1", "--json", "--quiet"])
        #expect(result.status == .success)
        let run = try Slope.parse(result)
        let (x, y) = NewtonTests.saunaNewton((1, 1), steps: 20)
        let (trainedX, trainedY) = (try run.param("x"), try run.param("y"))
        #expect(Swift.abs(trainedX - x) < 1e-15 && Swift.abs(trainedY - y) < 1e-15)
        #expect(isClose(try #require(run.train.first).initial, 85 - 25.0 / 90, 1e-14))
        #expect(result.err.hasPrefix("""
            \(path):4:1: warning: newton ended at a saddle point of 'T', not a minimum
            minimize T by newton(steps: 20)
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            slope: note: the Hessian there has eigenvalues
            """), "\(result.err)")
        // The eigenvalues at the end point, by hand.
        let du = 3 * x * x - 12 * x, ddu = 6 * x - 12, u = x * x * (x - 6)
        let (txx, txy) = (-ddu * u / 90, -du * du / 90)
        let expected = [txx + txy, txx - txy].sorted().map { String(format: "%.4g", $0) }.joined(separator: ", ")
        #expect(result.err.contains("eigenvalues \(expected)\n"), "\(result.err)")
        #expect(txx + txy < 0 && txx - txy > 0)
    }

    @Test func theWarningChangesNothingElse() throws {
        // The same run with and without --json and --quiet: the same stderr warning, the same params.
        let directory = try TemporaryDirectory()
        let path = try directory.write("sauna.graph", Self.sauna)
        let plain = InProcess.run(["run", path])
        let json = InProcess.run(["run", path, "--json", "--quiet"])
        #expect(plain.status == .success && json.status == .success)
        let warning = "warning: newton ended at a saddle point of 'T', not a minimum\n"
        #expect(plain.err.contains(warning) && json.err.contains(warning))
        #expect(plain.out.hasSuffix("params:\n  x = 6\n  y = 6\n"), "\(plain.out)")
    }

    @Test func aMinimumIsNotWarnedAbout() throws {
        // From (3.5, 4.5) Newton's method reaches the minimum (4, 4), Hessian (64/15)·I.
        let directory = try TemporaryDirectory()
        let path = try directory.write("sauna.graph", Self.sauna)
        let result = InProcess.run(["run", path, "--set", "x=3.5", "--set", "y=4.5", "--quiet"])
        #expect(result.status == .success && result.err.isEmpty, "\(result)")
    }

    @Test func maximizingToAMinimumIsWarnedAboutToo() throws {
        // f = x³ − 3x from x = 1 is already at f′ = 0, but f″(1) = 6 > 0: a minimum.
        let directory = try TemporaryDirectory()
        let path = try directory.write("cubic.graph", "param x = 1\nf = x^3 - 3*x\nmaximize f by newton(steps: 10)\n")
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .success)
        #expect(result.err.hasPrefix("\(path):3:1: warning: newton ended at a minimum of 'f', not a maximum\n"), "\(result.err)")
        #expect(result.err.contains("note: the Hessian there has eigenvalues 6\n"))
        // From −0.5 it reaches the maximum at −1 (f″ = −6): no warning.
        let maximum = InProcess.run(["run", path, "--quiet", "--set", "x=-0.5"])
        #expect(maximum.err.isEmpty, "\(maximum.err)")
        #expect(maximum.out.hasSuffix("x = -1\n"), "\(maximum.out)")
    }

    @Test func onIndependentPointsTheWarningCountsThem() throws {
        // Two starts at once: (3.5, 4.5) reaches the minimum, (3, 3) the saddle (6, 6).
        let directory = try TemporaryDirectory()
        let path = try directory.write("grid.graph", """
            param x: [2] = [3.5, 3]
            param y: [2] = [4.5, 3]
            T = 85 - (1/90) * x^2 * (x - 6) * y^2 * (y - 6)
            minimize sum(T) by newton(steps: 20)
            """)
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .success)
        #expect(result.err.hasPrefix("\(path):4:1: warning: newton ended at a saddle point of 'sum(T)', not a minimum, "
                                     + "at 1 of its 2 points (the first is element 1)\n"), "\(result.err)")
        #expect(result.err.contains("note: the Hessian there has eigenvalues -14.4, 14.4\n"), "\(result.err)")
    }

    @Test func blocksOfThreeParamsAreCheckedToo() throws {
        // f = Σ (x² + y² − z²): Newton's method lands on 0 in one step at every point, where the
        // block diag(2, 2, −2) has a negative eigenvalue.
        let directory = try TemporaryDirectory()
        let path = try directory.write("three.graph", """
            param x: [2] = [1, 2]
            param y: [2] = [3, 4]
            param z: [2] = [5, 6]
            minimize sum(x^2 + y^2 - z^2) by newton(steps: 2)
            """)
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .success)
        #expect(result.err.contains("warning: newton ended at a saddle point of 'sum(x^2 + y^2 - z^2)', not a minimum, "
                                    + "at 2 of its 2 points (the first is element 0)\n"), "\(result.err)")
        #expect(result.err.contains("note: the Hessian there has eigenvalues -2, 2, 2\n"), "\(result.err)")
    }
}
