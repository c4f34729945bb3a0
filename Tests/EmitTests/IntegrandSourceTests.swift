import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Integrands written as `fn` statements of the language (`IntegrandSource`): the variable, the
/// captures as the program's text for them, shared values as helper functions, and what cannot
/// be written.
@Suite struct IntegrandSourceTests {
    /// ∫ of w·t·sin(w·t)² + sin(w·t)²: sin(w·t)² is used twice.
    static let shared = Integrand.build(name: "g", variable: "t", captures: [.init(shape: .scalar, hint: "w")]) { b, t, captures in
        let wt = b.mul(captures[0], t, at: nil)
        let sine = b.apply(.sin, wt, at: nil)
        let square = b.mul(sine, sine, at: nil)
        let weighted = b.mul(b.mul(captures[0], t, at: nil), square, at: nil)
        return b.add(weighted, square, at: nil)
    }

    @Test func aValueUsedTwiceIsAHelperFunctionOfTheVariable() throws {
        // w·t (built once, hash-consed) and sin(w·t)² are each used twice: helpers of t,
        // called where they are used, so nothing is written out twice (sin(w·t) is written
        // once, inside the square it feeds: s*s prints as s^2).
        var source = IntegrandSource(globals: ["w"])
        let name = try source.define(Self.shared, captures: ["w"])
        #expect(name == "g")
        #expect(source.lines == [
            "fn g_2(t) = t*w",
            "fn g_4(t) = sin(g_2(t))^2",
            "fn g(t) = g_4(t) + g_2(t)*g_4(t)",
        ])
    }

    @Test func theWrittenFunctionsComputeTheIntegrand() throws {
        // The lines, with w declared, lower to a program whose integral is the integrand's.
        var source = IntegrandSource(globals: ["w"])
        let name = try source.define(Self.shared, captures: ["w"])
        let program = "param w = 1.5\n" + source.lines.joined(separator: "\n") + "\nprint integral(\(name), 0, 2)\n"
        let printed = try InProcess.printedValues(program).get()
        var builder = GraphBuilder()
        let w = builder.add(.leaf(.param, "w"), [], shape: .scalar, range: nil)
        let node = builder.integral(Self.shared, from: builder.constant(0, range: nil), to: builder.constant(2, range: nil),
                                    captures: [w], at: nil)
        let executor = Executor(graph: builder.finish(), outputs: [node], leafValues: [w: Tensor(1.5)])
        executor.run()
        #expect(printed == [executor.value(node)])
    }

    @Test func aCaptureThatIsAnExpressionIsParenthesized() {
        #expect(IntegrandSource.parenthesized("w") == "w")
        #expect(IntegrandSource.parenthesized("2.5") == "2.5")
        #expect(IntegrandSource.parenthesized("-2") == "(-2)")
        #expect(IntegrandSource.parenthesized("2*(area - 3)") == "(2*(area - 3))")
    }

    @Test func theVariableIsRenamedWhenAGlobalHasItsName() throws {
        var source = IntegrandSource(globals: ["t", "w"])
        try source.define(Self.shared, captures: ["w"])
        #expect(source.lines.last?.hasPrefix("fn g(t_2) = ") == true, "\(source.lines)")
    }

    @Test func functionNamesAreFreshAndNeverReserved() throws {
        var source = IntegrandSource(globals: [])
        let sum = Integrand.build(name: "sum", variable: "t", captures: []) { _, t, _ in t }
        #expect(try source.define(sum, captures: []) == "sum_2")
        #expect(try source.define(sum, captures: []) == "sum_3")
    }

    @Test func aNestedIntegralReadingTheVariableCannotBeWritten() {
        let inner = Integrand.build(name: "inner", variable: "s", captures: [.init(shape: .scalar, hint: "c")]) { b, s, c in
            b.mul(s, c[0], at: nil)
        }
        let outer = Integrand.build(name: "outer", variable: "t", captures: []) { b, t, _ in
            b.integral(inner, from: b.constant(0, range: nil), to: t, captures: [b.mul(t, t, at: nil)], at: nil)
        }
        var source = IntegrandSource(globals: [])
        #expect(throws: IntegrandSource.Unwritable.self) { try source.define(outer, captures: []) }
    }
}
