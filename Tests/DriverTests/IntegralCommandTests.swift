import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `integral` through every command: what `run --json` and `--time` report, failures as
/// diagnostics at the call with exit status 1, gradient programs that print their integrands
/// as `fn`s and run back, `check`, `dot` and `--plot`.
@Suite struct IntegralCommandTests {
    static let fit = """
        param m = 1
        param b = 0
        fn line(t) = m*t + b
        area = integral(line, 0, 1)
        loss = (area - 3)^2 + (m - 2)^2
        print area
        """

    @Test func jsonReportsEachIntegralWithItsErrorAndCost() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("d.graph", "fn v(t) = 3*t^2 + 2\nd = integral(v, 0, 2)\nprint d\n")
        let result = InProcess.run(["run", path, "--json"])
        #expect(result.status == .success)
        let object = try #require(JSONNumbers.object(result.out))
        let integrals = try #require(object["integrals"] as? [[String: Any]])
        #expect(integrals.count == 1)
        #expect(integrals[0]["expr"] as? String == "integral(v, 0, 2)")
        #expect(integrals[0]["line"] as? Double == 2)
        #expect(integrals[0]["integrand"] as? String == "v")
        #expect(integrals[0]["value"] as? Double == 12)
        #expect(integrals[0]["evaluations"] as? Double == 15)
        #expect(integrals[0]["intervals"] as? Double == 1)
        let error = try #require(integrals[0]["error"] as? Double)
        #expect(error > 0 && error < 1e-12)
    }

    @Test func aProgramWithoutIntegralsHasNoIntegralsInItsJSON() {
        #expect(!InProcess.run(["run", "Graphs/paraboloid.graph", "--json"].relativeToPackage).out.contains("integrals"))
    }

    @Test func derivativeIntegralsAreReportedUnderTheirIntegrands() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("g.graph", "param w = 2\nfn g(t) = w*t^2\nI = integral(g, 0, 1)\nprint I, grad(I, w)\n")
        let result = InProcess.run(["run", path, "--json", "--time"])
        let integrals = try #require(JSONNumbers.object(result.out)?["integrals"] as? [[String: Any]])
        #expect(integrals.map { $0["integrand"] as? String } == ["g", "d_g_w"])
        #expect(integrals.map { $0["value"] as? Double }.last == 1.0 / 3)
        // --time adds a table of them on stderr, after the phases.
        #expect(result.err.contains("integral(g, 0, 1) [d_g_w]"))
        #expect(result.err.contains("evaluations"))
    }

    @Test func aPoleIsAnErrorAtTheCallWithItsPoint() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", "fn h(t) = 1/(t - 0.5)\nprint 1\nprint integral(h, 0, 1)\nprint 2\n")
        let result = InProcess.run(["run", path])
        #expect(result.status == .programError)
        #expect(result.out == "1 = 1\n")
        #expect(result.err.hasPrefix("\(path):3:7: error: the integrand is not finite at t = 0.5: h(0.5) = inf\n"
                                     + "print integral(h, 0, 1)\n      ^~~~~~~~~~~~~~~~~\n"))
        // --json changes nothing about it.
        let json = InProcess.run(["run", path, "--json"])
        #expect(json.status == .programError && json.out.isEmpty && json.err == result.err)
    }

    @Test func aFailureInTrainingStopsItAtTheCallWithTheStep() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("t.graph", """
            param p = 0.4
            fn g(t) = 1/(t - p)
            minimize integral(g, 0, 1)^2 by gd(rate: 0.1, steps: 10)
            """)
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .programError)
        #expect(result.err.contains("\(path):3:10: error: the integral does not converge"))
        #expect(result.err.contains("in step 0 of this training"))
    }

    @Test func trainingThroughAnIntegralFindsTheParam() throws {
        // minimize (∫₀¹ w t² dt − 3)² = (w/3 − 3)²: w = 9.
        let directory = try TemporaryDirectory()
        let path = try directory.write("w.graph", "param w = 1\nfn g(t) = w*t^2\nminimize (integral(g, 0, 1) - 3)^2 by adam(rate: 0.5, steps: 400)\n")
        let result = InProcess.run(["run", path, "--json", "--quiet"])
        #expect(result.status == .success)
        let w = try #require((JSONNumbers.object(result.out)?["params"] as? [String: Any])?["w"] as? Double)
        #expect(Swift.abs(w - 9) < 1e-6)
    }

    @Test func gradPrintsTheIntegrandsAsFunctionsAndTheProgramRunsBack() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("fit.graph", Self.fit)
        let printed = InProcess.run(["grad", path])
        #expect(printed.status == .success)
        #expect(printed.out.contains("fn line(t) = "))
        #expect(printed.out.contains("fn d_line_m(t) = "))
        #expect(printed.out.contains("integral(d_line_m, 0, 1)"))
        #expect(GradientRoundTrip.problems(path).isEmpty, "\(GradientRoundTrip.problems(path))")
        // d_m = 2(area − 3)·½ + 2(m − 2) = −4.5 and d_b = 2(area − 3) = −5 at area = ½.
        let json = InProcess.run(["grad", path, "--json"])
        #expect(json.out.contains("\"gradient\": {\"m\": -4.5, \"b\": -5.0}"))
    }

    @Test(arguments: [
        "param W = [1, 2, 3]\nfn g(t) = W*exp(-t)\nL = sum(integral(g, 0, 1)^2)\nprint L",
        "param k = 2\nfn inner(s) = k*s\nfn outer(t) = integral(inner, 0, t) * t\nJ = integral(outer, 0, 1)\nprint J",
        "param x = 2\nparam c = 0.5\nfn g(t) = c*t^3 + x\nF = integral(g, x, 2*x)\nprint F",
        "param w = 1\nx = w*3\nfn g(t) = sin(x*t) + cos(t)^2\nG = integral(g, 0, w)\nprint G",
    ])
    func gradientProgramsWithIntegralsRunBack(_ source: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", source)
        #expect(GradientRoundTrip.problems(path).isEmpty, "\(GradientRoundTrip.problems(path))")
        let checked = InProcess.run(["check", path])
        #expect(checked.status == .success, "\(checked)")
    }

    @Test func aDerivativeOfANestedIntegralThatReadsTheVariableIsNoSource() throws {
        // d/dK ∫₀¹ Σ (∫₀ᵗ K s ds)² dt: the inner integrand is a tensor, so its derivative reads
        // the adjoint 2·inner(t), which depends on the outer t; no fn can: an error at the
        // target, and --json still computes it.
        let directory = try TemporaryDirectory()
        let path = try directory.write("n.graph", """
            param K = [1, 2]
            fn inner(s) = K*s
            fn outer(t) = sum(integral(inner, 0, t)^2)
            J = integral(outer, 0, 1)
            """)
        let printed = InProcess.run(["grad", path])
        #expect(printed.status == .programError && printed.out.isEmpty)
        #expect(printed.err.contains("\(path):4:1: error: 'd_K' cannot be written as source"))
        // J = Σ K²/20, dJ/dK = K/10.
        #expect(InProcess.run(["grad", path, "--json"]).out.contains("\"gradient\": {\"K\": [0.1, 0.2]}"))
    }

    @Test func dotDrawsAnIntegralAsOneNodeWithItsOperandsEdges() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("fit.graph", Self.fit)
        for arguments in [["dot", path], ["dot", path, "--grad", "--values"]] {
            let result = InProcess.run(arguments)
            #expect(result.status == .success)
            #expect(result.out.contains("∫ line dt []"))
            if Graphviz.isInstalled { #expect(try Graphviz.render(result.out).isClean, "\(arguments)") }
        }
    }

    @Test func plotDrawsTheAreaUnderTheIntegrand() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("d.graph", "fn v(t) = 3*t^2 + 2\nd = integral(v, 0, 2)\nprint d\n")
        let plot = directory.path("area.svg")
        let result = InProcess.run(["run", path, "--plot", plot])
        #expect(result.status == .success)
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.contains("d = integral(v, 0, 2) = 12"))
        #expect(svg.contains("class=\"area\"") && svg.contains("class=\"function-curve\""))
        #expect(svg.contains("area = 12"))
        #expect(svg.components(separatedBy: "class=\"bound\"").count == 3)
    }
}
