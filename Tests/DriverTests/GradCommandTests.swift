import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `slope grad` on every Graphs/ program: the printed gradient program round-trips through
/// `slope run` and matches its golden file; and the warning for a name the target ignores.
@Suite struct GradCommandTests {
    static let programs: [String] = PackagePaths.graphPrograms().map { $0.deletingPathExtension().lastPathComponent }

    static func path(_ name: String) -> String { PackagePaths.graphs.appendingPathComponent(name + ".graph").path }

    @Test func everyExampleIsFound() {
        #expect(Self.programs.count >= 9)
    }

    @Test(arguments: programs)
    func printedGradientProgramReproducesTheGradients(_ name: String) {
        for problem in GradientRoundTrip.problems(Self.path(name)) { Issue.record("\(name): \(problem)") }
    }

    @Test(arguments: programs)
    func unoptimizedGradientProgramReproducesTheGradientsToo(_ name: String) {
        // --no-opt prints reverse mode's own output: longer, but the same gradients.
        for problem in GradientRoundTrip.problems(Self.path(name), arguments: ["--no-opt"]) { Issue.record("\(name): \(problem)") }
    }

    @Test(arguments: programs)
    func printedGradientProgramMatchesItsGoldenFile(_ name: String) {
        let result = InProcess.run(["grad", Self.path(name)])
        #expect(result.status == .success)
        // Only the line naming the target chosen by default.
        #expect(result.err.hasPrefix("slope: differentiating ") && result.err.hasSuffix("; choose another with --of)\n")
                && result.err.filter { $0 == "\n" }.count == 1, "\(result.err)")
        // The header names the file as given; golden files name it from the package root.
        let output = result.out.replacingOccurrences(of: PackagePaths.root.path + "/", with: "")
        Golden.expectMatch(output, command: "grad", name: "\(name).graph")
    }

    @Test(arguments: ["grad", "check"])
    func theChosenTargetIsNamedOnStderr(_ command: String) throws {
        // fx and fy, defined last as the course does, are derivatives: f is differentiated.
        let directory = try TemporaryDirectory()
        let path = try directory.write("partials.graph", "param x = 1\nparam y = 2\nf = 3*x^2*y^3\nfx = grad(f, x)\nfy = grad(f, y)\n")
        let result = InProcess.run([command, path])
        #expect(result.status == .success, "\(result)")
        #expect(result.err == "slope: differentiating f (the last value that is not a derivative; choose another with --of)\n")
        let json = InProcess.run([command, path, "--json"])
        #expect(json.err == result.err)
        // f = 3x²y³ at (1, 2): df/dx = 6xy³ = 48, df/dy = 9x²y² = 36.
        if command == "grad" { #expect(json.out == #"{"of": "f", "value": 24.0, "gradient": {"x": 48.0, "y": 36.0}}"# + "\n") }
        // A target named with --of is the user's choice: nothing to announce.
        let named = InProcess.run([command, path, "--of", "fy"])
        #expect(named.status == .success && named.err.isEmpty, "\(named)")
    }

    @Test func aGradientThroughMaxPrintsWithEqualAndRoundTrips() throws {
        // y = max(a, b): d_a = dy·equal(a, y)/(equal(a, y) + equal(b, y)), which is 1 at a = 3 > b = 2.
        let directory = try TemporaryDirectory()
        let path = try directory.write("max.graph", "param a = 3\nparam b = 2\nf = max(a, b)*a\n")
        let result = InProcess.run(["grad", path])
        #expect(result.status == .success, "\(result.err)")
        #expect(result.out.contains("equal("), "\(result.out)")
        for problem in GradientRoundTrip.problems(path) { Issue.record("\(problem)") }
        let json = InProcess.run(["grad", path, "--json"])
        // f = a·max(a, b) = a² for a > b: df/da = 2a = 6, df/db = 0.
        #expect(json.out == #"{"of": "f", "value": 9.0, "gradient": {"a": 6.0, "b": 0.0}}"# + "\n", "\(json.out)")
    }

    @Test func aNameTheTargetDoesNotReadIsWarnedAboutAtItsDeclaration() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", """
            param x = 3
            param q: [2] = 1
            f = x^2
            """)
        let result = InProcess.run(["grad", path, "--wrt", "x,q"])
        #expect(result.status == .success)
        #expect(result.err == """
            slope: differentiating f (the last value the program defines; choose another with --of)
            \(path):2:1: warning: 'f' does not depend on 'q'; its gradient is always zero
            param q: [2] = 1
            ^~~~~~~~~~~~~~~~

            """)
        // Its gradient is zero and still printed, so the program keeps the --wrt order.
        #expect(result.out.hasSuffix("print d_x, d_q\n"), "\(result.out)")
        for problem in GradientRoundTrip.problems(path, arguments: ["--wrt", "x,q"]) { Issue.record("\(problem)") }
        let json = InProcess.run(["grad", path, "--wrt", "x,q", "--json"])
        #expect(json.out == "{\"of\": \"f\", \"value\": 9.0, \"gradient\": {\"x\": 6.0, \"q\": [0.0, 0.0]}}\n")
    }

    @Test func onlyInputsWrittenOutInTheProgramAreHeldAsConstants() throws {
        // The leaf table says how each value was given: `a` is written out and folds into the
        // gradient (∂f/∂w = (1 + 2) + r); `r` is drawn, so it stays an input, with the seed.
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", """
            input a = [1, 2]
            input r = uniform(0, 1)
            param w = 1
            f = sum(w*a) + w*r
            """)
        let result = InProcess.run(["grad", path])
        #expect(result.status == .success)
        #expect(result.out.contains("\nseed 0\ninput a = [1, 2]\ninput r = uniform(0, 1)\nparam w = 1\nd_w = r + 3 "), "\(result.out)")
        for problem in GradientRoundTrip.problems(path, arguments: []) { Issue.record("\(problem)") }
    }

    @Test func literalDataThatWouldPrintAsAMatrixKeepsItsName() throws {
        // Issue 13's two-layer network: held as constants, X and y would be written out as
        // matrices in the gradient; named, the backward pass reads as the chain rule.
        let directory = try TemporaryDirectory()
        let path = try directory.write("net.graph", """
            input X = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]]
            input y = [0, 1, 1]
            param W1: [2, 3] = 0.5
            param b1: [3] = 0
            param W2: [3] = 0.5
            param b2 = 0
            h = sigmoid(X @ W1 + b1)
            p = sigmoid(h @ W2 + b2)
            loss = bce(p, y)
            print loss, accuracy(p, y)
            """)
        let result = InProcess.run(["grad", path])
        #expect(result.status == .success)
        let statements = result.out.split(separator: "\n").map { $0.split(separator: "#")[0].trimmingCharacters(in: .whitespaces) }
        #expect(statements.contains("error = p - y"), "\(result.out)")
        #expect(statements.contains("d_b2 = mean(error)"), "\(result.out)")
        #expect(statements.contains("d_W1 = transpose(X) @ d_z_h"), "\(result.out)")
        #expect(!result.out.contains("[[0.1, 0.3"), "\(result.out)")
        for problem in GradientRoundTrip.problems(path, arguments: []) { Issue.record("\(problem)") }
    }

    @Test func derivativesOfExpMinusLogPrintWithoutDoubleSigns() throws {
        // f = e^x − log x: f′ = e^x − 1/x, f″ = e^x + 1/x², which reverse mode builds as
        // e^x − (−1/x)/x: printed with the signs moved (exactly) and the two divisions one
        // (div-twice-by-one-value), as the course writes it.
        let path = Self.path("newton")
        let first = InProcess.run(["grad", path, "--of", "f"]), second = InProcess.run(["grad", path, "--of", "df"])
        #expect(first.out.contains("\ndf = exp(x) - 1/x "), "\(first.out)")
        #expect(second.out.contains("\nd2f = exp(x) + 1/x^2 "), "\(second.out)")
        for of in ["f", "df", "d2f"] {
            for problem in GradientRoundTrip.problems(path, arguments: ["--of", of]) { Issue.record("\(of): \(problem)") }
        }
    }

    @Test func anOuterProductPrintsAsOuterAndAParamMayBeNamedLikeAPreludeFunction() throws {
        // d(sum(sigmoid(H @ v)))/dH = s(1 − s) ⊗ v, the outer product matmul's adjoint builds as
        // reshape(…, [3, 1]) @ reshape(v, [1, 2]): printed as the prelude's outer, which lowers
        // to those very nodes. Params named outer and mse keep their names in the expressions
        // (values and functions are separate namespaces), as their declarations do.
        let directory = try TemporaryDirectory()
        let path = try directory.write("o.graph", """
            param H: [3, 2] = 0.5
            param v: [2] = [1, 2]
            param outer = 2
            param mse = 3
            loss = sum(sigmoid(H @ v))*outer + mse
            """)
        let result = InProcess.run(["grad", path, "--wrt", "H,outer,mse"])
        #expect(result.status == .success)
        #expect(result.out.contains("\nd_H = outer(outer*(sigmoid_Hv*(1 - sigmoid_Hv)), v)"), "\(result.out)")
        for arguments in [["--wrt", "H,outer,mse"], ["--wrt", "H,outer,mse", "--no-opt"]] {
            for problem in GradientRoundTrip.problems(path, arguments: arguments) { Issue.record("\(arguments): \(problem)") }
        }
    }

    @Test func setValuesAreWrittenAsLiteralsAndUsed() throws {
        // ∂E/∂m = 28m + 12b − 42 = 28·0.5 + 12·2 − 42 = −4 at (m, b) = (0.5, 2).
        let path = Self.path("sum_of_squares")
        let result = InProcess.run(["grad", path, "--set", "m=0.5", "--set", "b=2"])
        #expect(result.out.contains("param m = 0.5\n") && result.out.contains("param b = 2\n"), "\(result.out)")
        for problem in GradientRoundTrip.problems(path, arguments: ["--set", "m=0.5", "--set", "b=2"]) {
            Issue.record("\(problem)")
        }
        let json = InProcess.run(["grad", path, "--set", "m=0.5", "--set", "b=2", "--json"])
        #expect(json.out.contains("\"gradient\": {\"m\": -4.0, \"b\": -2.0}"), "\(json.out)")
    }

    // MARK: The printed program is always a program

    @Test func usersNamesThatLookGeneratedAreKept() throws {
        // The user's t1, t3, g1 and d_x would all be names Slope makes up (t1 for an unnamed
        // %1, d_x for the gradient of x): the user keeps them, the made-up names avoid them.
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", """
            param x = 2
            param y = 3
            t1 = x*y + 1
            t3 = t1*t1
            d_x = t3 + x*x
            g1 = d_x*y
            """)
        for arguments in [[], ["--no-opt"], ["--of", "g1", "--wrt", "x,y"]] {
            for problem in GradientRoundTrip.problems(path, arguments: arguments) { Issue.record("\(arguments): \(problem)") }
        }
        let result = InProcess.run(["grad", path, "--no-opt"])
        // g1 = (xy + 1)²y + x²y: the user's d_x is a value of the gradient program under a new
        // name, since the program prints the gradient of x as d_x.
        #expect(result.out.contains("\nt1 = "), "\(result.out)")
        #expect(result.out.contains("\nd_x_2 = "), "\(result.out)")
        #expect(result.out.hasSuffix("\nprint d_x, d_y\n"), "\(result.out)")
    }

    @Test func aPrintedNameThatADeclarationHoldsTakesASuffix() throws {
        // param d_x keeps its declaration; the gradient by x is printed as d_x_2.
        // f = x·d_x: ∂f/∂d_x = x = 2, ∂f/∂x = d_x = 5.
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", "param d_x = 5\nparam x = 2\nf = x*d_x\n")
        let result = InProcess.run(["grad", path])
        #expect(result.status == .success, "\(result.err)")
        #expect(result.out.hasSuffix("print d_d_x, d_x_2\n"), "\(result.out)")
        let copy = try directory.write("g.graph", result.out)
        let run = InProcess.run(["run", copy])
        #expect(run.out == "d_d_x = 2\nd_x_2 = 5\n", "\(run)")
    }

    @Test(arguments: [
        ("f = x*exp(1000)", "1/0"),         // ∂f/∂x = e¹⁰⁰⁰, folded to inf
        ("f = x*log(-1)", "0/0"),           // ∂f/∂x = log(-1), folded to nan
        ("f = x*-exp(1000)", "-1/0"),       // −inf
    ])
    func foldedNonFiniteConstantsPrintAsDivisions(_ definition: String, _ spelling: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", "param x = 2\n\(definition)\n")
        let result = InProcess.run(["grad", path])
        #expect(result.out.contains(spelling), "\(result.out)")
        #expect(!result.out.contains("nan") && !result.out.contains("inf"), "\(result.out)")
        for problem in GradientRoundTrip.problems(path) { Issue.record("\(problem)") }
    }

    @Test func theGradientOfNestedCallsPrintsEachSharedValueOnce() throws {
        // The issue's shape: f1(x) = x², f_k(x) = f_{k-1}(f_{k-1}(x)): f10 is a chain of 2^9 =
        // 512 squarings, x^(2^512). Its gradient multiplies down the chain, each value used
        // twice by the next: written as a tree it doubles at every step (over 6 GB for f6).
        // Each shared value gets a line instead: linear in the graph, under 40 bytes a node.
        let directory = try TemporaryDirectory()
        let lines = ["fn f1(x) = x*x"] + (2...10).map { "fn f\($0)(x) = f\($0 - 1)(f\($0 - 1)(x))" }
        let path = try directory.write("p.graph", (lines + ["param x = 1", "y = f10(x)"]).joined(separator: "\n") + "\n")
        for arguments in [["--no-opt"], []] {
            let result = InProcess.run(["grad", path] + arguments)
            #expect(result.status == .success, "\(result.err)")
            let statements = result.out.split(separator: "\n").count
            #expect(statements < 3 * 512, "\(arguments): \(statements) lines")
            #expect(result.out.utf8.count < 40 * 3 * 512, "\(arguments): \(result.out.utf8.count) bytes")
            for problem in GradientRoundTrip.problems(path, arguments: arguments) { Issue.record("\(arguments): \(problem)") }
        }
        // d/dx x^(2^512) = 2^512 at x = 1, exactly: each squaring contributes a factor 2·1.
        let json = InProcess.run(["grad", path, "--json"])
        #expect(json.out == #"{"of": "y", "value": 1.0, "gradient": {"x": 1.3407807929942597e+154}}"# + "\n", "\(json.out)")
    }

    @Test func expandWritesAGradientOutInFullOnlyWhenTheLineFits() throws {
        // v_i = v_{i-1}² + v_{i-1}: each level uses the one before three times, so written out
        // in full on one line the gradient triples at every level. Five levels fit (about 10 KB);
        // 22 levels would be gigabytes, and the issue's shape, f9 of f_k(x) = f_{k-1}(f_{k-1}(x)),
        // nests 256 levels deep: both are a diagnostic at the target instead of output.
        let directory = try TemporaryDirectory()
        func program(_ levels: Int) -> String {
            (["param x = 0.5", "v1 = sin(x) + cos(x)"] + (2...levels).map { "v\($0) = v\($0 - 1)*v\($0 - 1) + v\($0 - 1)" })
                .joined(separator: "\n") + "\n"
        }
        let small = try directory.write("small.graph", program(5))
        let fits = InProcess.run(["grad", small, "--expand"])
        #expect(fits.status == .success, "\(fits.err)")
        #expect(fits.out.utf8.count < 20_000)
        for problem in GradientRoundTrip.problems(small, arguments: ["--expand"]) { Issue.record("\(problem)") }

        let large = try directory.write("large.graph", program(22))
        let long = InProcess.run(["grad", large, "--expand"])
        #expect(long.status == .programError)
        #expect(long.out.isEmpty)
        #expect(long.err.hasPrefix("""
            slope: differentiating v22 (the last value the program defines; choose another with --of)
            \(large):23:1: error: written out on one line, 'd_x' would be longer than 1000000 bytes or nest deeper than 200 levels
            v22 = v21*v21 + v21
            ^~~
            """), "\(long.err)")
        #expect(long.err.contains("note: without --expand, slope grad writes each shared value once"))
        // Without --expand the same gradient is a few kilobytes.
        let shared = InProcess.run(["grad", large])
        #expect(shared.status == .success && shared.out.utf8.count < 10_000, "\(shared.out.utf8.count) bytes")

        let lines = ["fn f1(x) = x*x"] + (2...9).map { "fn f\($0)(x) = f\($0 - 1)(f\($0 - 1)(x))" }
        let deep = try directory.write("deep.graph", (lines + ["param x = 1", "y = f9(x)"]).joined(separator: "\n") + "\n")
        let nested = InProcess.run(["grad", deep, "--expand"])
        #expect(nested.status == .programError)
        #expect(nested.err.hasPrefix("slope: differentiating y (the last value the program defines; choose another with --of)\n"
                                     + "\(deep):11:1: error: written out on one line, 'd_x' would be longer"), "\(nested.err)")
    }
}

/// Issue 12: after the data are held as constants, `sum-polynomial` expands Σ(m x + b − y)·2x into
/// 6.000000012e18·m + 6000000006·b − 6000000010, whose coefficients need more digits than a
/// float64 has (2Σx² = 6000000012000000010): at the exact optimum m = 1, b = −1e9 it gave
/// ∂E/∂m = −10 where `run` gives 0.
@Suite struct CancellingExpansionTests {
    static let source = """
        input x = [1000000000, 1000000001, 1000000002]
        input y = [0, 1, 2]
        param m = 1
        param b = -1000000000
        E = sum((m*x + b - y)^2)
        """

    @Test func gradJSONIsExactlyZeroAtTheOptimumAsRunIs() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.source + "\nprint grad(E, m), grad(E, b)\n")
        let json = InProcess.run(["grad", path, "--json"])
        #expect(json.out == #"{"of": "E", "value": 0.0, "gradient": {"m": 0.0, "b": 0.0}}"# + "\n", "\(json)")
        #expect(InProcess.run(["run", path]).out == "grad(E, m) = 0\ngrad(E, b) = 0\n")
    }

    @Test func thePrintedGradientIsNotExpandedWhenTheExpansionCancels() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.source + "\n")
        let printed = InProcess.run(["grad", path])
        #expect(printed.status == .success)
        #expect(!printed.out.contains("e+18"), "\(printed.out)")
        // Run, the printed program reproduces the exact zero gradient.
        let program = try directory.write("gradient.graph", printed.out)
        #expect(InProcess.run(["run", program]).out == "d_m = 0\nd_b = 0\n")
    }

    @Test func aWellConditionedSumStillPrintsAsOnePolynomial() throws {
        // Graphs/sum_of_squares.graph: x = 1, 2, 3 — the course's readable gradient.
        let result = InProcess.run(["grad", GradCommandTests.path("sum_of_squares")])
        #expect(result.out.contains("d_m = 28*m + 12*b - 42"), "\(result.out)")
        #expect(result.out.contains("d_b = 12*m + 6*b - 20"), "\(result.out)")
    }
}
