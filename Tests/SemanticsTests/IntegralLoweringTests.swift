import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `integral(g, a, b)` as lowering sees it: values against integrals worked by hand, the
/// integrand's graph and its captures, and every diagnostic of the call at its place.
@Suite struct IntegralLoweringTests {
    /// (program, exact value, how it was worked out)
    static let exact: [(String, Double, String)] = [
        ("fn v(t) = 3*t^2 + 2\nprint integral(v, 0, 2)", 12, "[t³ + 2t] from 0 to 2 = 8 + 4"),
        ("print integral(sin, 0, 3.141592653589793)", 2, "[−cos t] from 0 to π = 1 + 1"),
        ("print integral(exp, 0, 1)", M_E - 1, "[eᵗ] from 0 to 1"),
        ("fn g(t) = 1/(1 + t^2)\nprint integral(g, 0, 1)", Double.pi / 4, "[atan t] from 0 to 1"),
        ("print integral(sqrt, 0, 1)", 2.0 / 3.0, "[⅔ t^(3/2)]; √t has an infinite slope at 0"),
        ("fn g(t) = t^5\nprint integral(g, 2, 0)", -64.0 / 6.0, "a > b: −[t⁶/6] from 0 to 2"),
        ("fn g(t) = cos(30*t)\nprint integral(g, 0, 1)", sin(30) / 30, "[sin(30t)/30], fifteen half-periods"),
        ("fn g(t) = log(t)\nprint integral(g, 0, 1)", -1, "[t log t − t] from 0 to 1, log(0) never evaluated"),
        ("fn g(t) = exp(-t^2)\nprint integral(g, -10, 10)", Double.pi.squareRoot() * erf(10), "√π erf(10)"),
        ("fn g(t) = abs(t - 0.3)\nprint integral(g, 0, 1)", 0.29, "0.3²/2 + 0.7²/2, a kink inside"),
        ("param m = 3\nparam b = 0.5\nfn line(t) = m*t + b\nprint integral(line, 0, 1)", 2, "m/2 + b"),
        ("fn five(t) = 5\nprint integral(five, 1, 3), integral(five, 2, 2)", 10, "a constant function: 5·(3 − 1)"),
    ]

    @Test(arguments: 0..<exact.count)
    func integralsAgreeWithTheirAntiderivatives(_ index: Int) throws {
        let (source, value, why) = Self.exact[index]
        let values = try printed(source)
        let computed = try #require(values.first?.scalarValue)
        #expect(Swift.abs(computed - value) <= 1e-12 * Swift.abs(value), "\(why): \(computed)")
    }

    @Test func anIntegralOverNoWidthIsZero() throws {
        #expect(try printed("fn five(t) = 5\nprint integral(five, 2, 2)") == [Tensor(0)])
    }

    @Test func whatTheBodyComputesWithoutTheVariableIsACapture() throws {
        // w*2 does not depend on t: it is computed once, outside, and the body reads it.
        let (program, _) = InProcess.lower("param w = 3\nfn g(t) = w*2*t\nprint integral(g, 0, 1)")
        let graph = try #require(program).graph
        let node = try #require(graph.nodes.first { $0.op.integrand != nil })
        let integrand = try #require(node.op.integrand)
        #expect(integrand.captures.count == 1)
        #expect(graph[node.operands[2]].op == .mul)
        #expect(integrand.body.nodes.filter { !$0.op.isLeaf }.map(\.op) == [.mul])
        #expect(integrand.variable == "t" && integrand.name == "g")
    }

    @Test func aConstantIsCopiedIntoTheBodyNotCaptured() throws {
        let (program, _) = InProcess.lower("fn g(t) = 3*t\nprint integral(g, 0, 1)")
        let graph = try #require(program).graph
        let integrand = try #require(graph.nodes.compactMap(\.op.integrand).first)
        #expect(integrand.captures.isEmpty)
        #expect(integrand.body.nodes.contains { $0.op == .constant(Tensor(3)) })
    }

    @Test func theScratchOfTheBodyIsGoneFromTheProgram() throws {
        // The placeholder for t and the body's nodes in the program graph are removed.
        let (program, _) = InProcess.lower("param w = 3\nfn g(t) = sin(w*t)\nprint integral(g, 0, 1)")
        let graph = try #require(program).graph
        #expect(!graph.nodes.contains { $0.op == .unary(.sin) })
        #expect(graph.nodes.filter { $0.op.leaf != nil }.count == 1)
        #expect(Verifier.verify(graph) == nil)
    }

    @Test func aTensorValuedFunctionIsIntegratedComponentwise() throws {
        // ∫₀¹ W·t dt = W/2 and ∫₀¹ [t, t², t³] dt = [1/2, 1/3, 1/4].
        let values = try printed("""
            param W = [2, 4, 6]
            fn g(t) = W*t
            fn powers(t) = [t, t^2, t^3]
            print integral(g, 0, 1), integral(powers, 0, 1)
            """)
        #expect(values[0] == tensor([3], [1, 2, 3]))
        for (computed, exact) in zip(values[1].values, [1.0 / 2, 1.0 / 3, 1.0 / 4]) {
            #expect(Swift.abs(computed - exact) <= 1e-15)
        }
    }

    @Test func integralsNest() throws {
        // ∫₀¹ ∫₀ᵗ s² ds dt = ∫₀¹ t³/3 dt = 1/12.
        let values = try printed("fn inner(s) = s^2\nfn outer(t) = integral(inner, 0, t)\nprint integral(outer, 0, 1)")
        #expect(Swift.abs(values[0].values[0] - 1.0 / 12) <= 1e-15)
    }

    @Test func theBoundsMayBeExpressionsOfTheProgram() throws {
        // ∫_x^{2x} t dt = (4x² − x²)/2 = 3x²/2 = 6 at x = 2.
        let values = try printed("input x = 2\nfn g(t) = t\nprint integral(g, x, 2*x)")
        #expect(Swift.abs(values[0].values[0] - 6) <= 1e-15)
    }

    @Test func anIntegralMayStandInsideAFunction() throws {
        // F(y) = ∫₀^y 2t dt = y²; F(3) = 9.
        let values = try printed("fn g(t) = 2*t\nfn F(y) = integral(g, 0, y)\nprint F(3)")
        #expect(Swift.abs(values[0].values[0] - 9) <= 1e-14)
    }

    // MARK: Diagnostics

    @Test func anExpressionInPlaceOfTheFunctionSuggestsAFn() throws {
        let error = try singleError("print integral(x^2, 0, 1)")
        #expect(error.id == "semantic.integral-needs-function")
        #expect(error.notes.map(\.message) == ["define 'fn g(x) = x^2' and write 'integral(g, 0, 1)'"])
        expectDiagnostics("print integral(1️⃣3*t^2 + 2, 0, 2)",
                          .error("1️⃣", "'integral' takes the name of a function of one variable, not an expression"))
    }

    @Test func aValueInPlaceOfTheFunctionIsNamed() {
        expectDiagnostics("param w = 1\nprint integral(1️⃣w, 0, 1)", .error("1️⃣", "'w' is a value, not a function"))
    }

    @Test func aFunctionOfTwoParametersIsRefused() throws {
        let error = try singleError("fn f(a, b) = a*b\nprint integral(f, 0, 1)")
        #expect(error.id == "semantic.integral-arity")
        #expect(error.message == "'integral' needs a function of one variable; 'f' takes 2 parameters")
        #expect(error.notes.first?.range?.line == 1)
        expectDiagnostics("fn f() = 1\nprint integral(1️⃣f, 0, 1)", .error("1️⃣", "'f' takes 0 parameters"))
    }

    @Test func aBoundThatIsNotAScalarIsRefused() {
        expectDiagnostics("input v = [1, 2]\nfn g(t) = t\nprint integral(g, 0, 1️⃣v)",
                          .error("1️⃣", "the upper bound of 'integral' must be a scalar, found shape [2]"))
        expectDiagnostics("input v = [1, 2]\nfn g(t) = t\nprint integral(g, 1️⃣v*2, 1)",
                          .error("1️⃣", "the lower bound of 'integral' must be a scalar, found shape [2]"))
    }

    @Test func anUnknownFunctionIsSuggestedAmongFunctions() throws {
        let error = try singleError("fn speed(t) = t\nprint integral(sped, 0, 1)")
        #expect(error.message == "unknown function 'sped'")
        #expect(error.notes.map(\.message) == ["did you mean 'speed'?"])
    }

    @Test func aBuiltInOfTwoArgumentsIsNoIntegrand() {
        expectDiagnostics("print integral(1️⃣max, 0, 1)", .error("1️⃣", "the built-in 'max' is not one"))
    }

    @Test func theArgumentsAreCountedAndUnlabelled() {
        expectDiagnostics("fn g(t) = t\nprint 1️⃣integral(g, 0)", .error("1️⃣", "'integral' takes 3 arguments, found 2"))
        expectDiagnostics("fn g(t) = t\nprint integral(g, 0, 2️⃣to: 1)", .error("2️⃣", "to"))
    }

    @Test func aFunctionIntegratingItselfIsRecursion() {
        expectDiagnostics("fn g(t) = integral(1️⃣g, 0, t)\nprint integral(g, 0, 1)",
                          .error("1️⃣", "'g' calls itself"))
    }

    @Test func anErrorInTheBodyPointsIntoTheFunction() {
        expectDiagnostics("fn g(t) = t + 1️⃣zz\nprint integral(g, 0, 1)", .error("1️⃣", "undefined name 'zz'"))
    }

    @Test func theNameIntegralIsReserved() {
        expectDiagnostics("1️⃣integral = 3", .error("1️⃣", "'integral' is a built-in function"))
    }
}
