import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The text form of an integral (SPEC.md 3.3): a block holding its integrand's body after the
/// call, printed and read back exactly, and the diagnostics for malformed blocks.
@Suite struct IRIntegralTextTests {
    static let text = """
        w: [] = param
        a: [] = constant(0)
        b: [] = constant(2)
        I: [] = integral(a, b, w, fn: g) {
            t: [] = input
            w: [] = input
            t2: [] = mul(t, t)
            t3: [] = mul(w, t2)
            return t3
        }
        J: [] = mul(I, w)

        """

    @Test func aBlockIsTheIntegrandsBodyWithItsOwnNames() throws {
        let result = IRParser.parse(Self.text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        let graph = try #require(result.graph)
        #expect(graph.count == 5)
        let integrand = try #require(graph[NodeID(3)].op.integrand)
        #expect(integrand.name == "g" && integrand.variable == "t" && integrand.captures == ["w"])
        #expect(graph[NodeID(3)].operands == [NodeID(1), NodeID(2), NodeID(0)])
        #expect(integrand.body.count == 4 && integrand.result == NodeID(3))
        // ∫₀² w t² dt = 8w/3 with w = 3 is 8; J = 8 · 3.
        let executor = Executor(graph: graph, outputs: [NodeID(3), NodeID(4)], leafValues: [NodeID(0): Tensor(3)])
        executor.run()
        #expect(Swift.abs(executor.value(NodeID(3)).values[0] - 8) <= 1e-14)
        #expect(Swift.abs(executor.value(NodeID(4)).values[0] - 24) <= 1e-13)
    }

    @Test func printingAndParsingGiveTheSameGraphAndText() throws {
        let graph = try #require(IRParser.parse(Self.text).graph)
        #expect(IRPrinter.print(graph, locations: false) == Self.text)
        #expect(IRRoundTrip.problems(graph).isEmpty)
    }

    @Test func programsWithIntegralsRoundTripInEveryForm() throws {
        // As lowered, optimized, and with gradients through the integrals appended: derivative
        // integrands, tensor integrands, nested blocks and constants in bodies all read back.
        let source = """
            param w = 1.5
            param W = [1, 2]
            input x = 2
            fn g(t) = w*sin(t)^2 + x
            fn h(t) = W*exp(-t)
            fn inner(s) = w*s^2
            fn outer(t) = integral(inner, 0, t) * cos(t)
            loss = integral(g, 0, x) + sum(integral(h, 0, 1)^2) + integral(outer, 0, 1)
            print loss
            """
        let (program, diagnostics) = InProcess.lower(source)
        #expect(diagnostics.filter(\.isError).isEmpty)
        IRRoundTripTests.expectRoundTrip(try #require(program), "integrals")
    }

    @Test func theVerifierChecksTheBody() throws {
        let graph = try #require(IRParser.parse(Self.text).graph)
        #expect(Verifier.verify(graph) == nil)
        // A body whose capture leaf has another shape than the operand it is bound to.
        let wrong = Self.text.replacingOccurrences(of: "    w: [] = input", with: "    w: [2] = input")
            .replacingOccurrences(of: "t3: [] = mul(w, t2)", with: "t3: [2] = mul(w, t2)")
            .replacingOccurrences(of: "I: [] = integral", with: "I: [2] = integral")
            .replacingOccurrences(of: "J: [] = mul(I, w)", with: "J: [2] = mul(I, w)")
        let result = IRParser.parse(wrong)
        #expect(result.graph == nil)
        #expect(result.diagnostics.map(\.message) == ["capture 1 of the integral has shape [], but its integrand reads shape [2]"])
        #expect(result.diagnostics.first?.range?.line == 4)
    }

    // MARK: Malformed blocks

    static func errors(_ text: String) -> [(line: Int, message: String)] {
        IRParser.parse(text).diagnostics.map { ($0.range?.line ?? 0, $0.message) }
    }

    @Test func aBlockWithoutReturnIsAnError() {
        let errors = Self.errors("a: [] = constant(0)\nI: [] = integral(a, a, fn: g) {\n    t: [] = input\n}\n")
        #expect(errors.map(\.message) == ["the block of the integrand 'g' has no 'return' naming its value"])
        #expect(errors.first?.line == 2)
    }

    @Test func aBlockNeverClosedIsAnErrorAtItsBrace() {
        let errors = Self.errors("a: [] = constant(0)\nI: [] = integral(a, a, fn: g) {\n    t: [] = input\n    return t\n")
        #expect(errors.map(\.message) == ["the block of the integrand 'g' is never closed"])
        #expect(errors.first?.line == 2)
    }

    @Test func aReturnMustBeTheLastLine() {
        let errors = Self.errors("""
            a: [] = constant(0)
            I: [] = integral(a, a, fn: g) {
                t: [] = input
                return t
                u: [] = exp(t)
            }
            """)
        #expect(errors.map(\.message) == ["'return' must be the last line of the block of the integrand 'g'"])
        #expect(errors.first?.line == 4)
    }

    @Test func theCapturesMustMatchTheOperands() {
        let errors = Self.errors("""
            a: [] = constant(0)
            I: [] = integral(a, a, a, fn: g) {
                t: [] = input
                return t
            }
            """)
        #expect(errors.map(\.message) == ["the integrand 'g' declares 0 captures after its variable, but the integral passes 1"])
    }

    @Test func theVariableIsAScalarInputAndNoLeafIsAParam() {
        #expect(Self.errors("a: [] = constant(0)\nI: [] = integral(a, a, fn: g) {\n    t: [2] = input\n    return t\n}\n")
            .map(\.message).first?.contains("must be a scalar") == true)
        #expect(Self.errors("a: [] = constant(0)\nI: [] = integral(a, a, fn: g) {\n    t: [] = param\n    return t\n}\n")
            .map(\.message) == ["the leaves of the integrand 'g' are inputs; a param belongs to the enclosing graph"])
    }

    @Test func anErrorInsideTheBlockIsReportedOnceAtItsLine() {
        let errors = Self.errors("""
            a: [] = constant(0)
            I: [] = integral(a, a, fn: g) {
                t: [] = input
                u: [] = exp(zz)
                return u
            }
            J: [] = exp(I)
            """)
        #expect(errors.map(\.line) == [4])
        #expect(errors.first?.message.contains("'zz' is not defined") == true)
    }

    @Test func anIntegralWhoseOperandsFailSkipsItsBlock() {
        // The block's lines are not read as nodes of the enclosing graph.
        let errors = Self.errors("""
            I: [] = integral(nope, nope, fn: g) {
                t: [] = input
                return t
            }
            """)
        #expect(errors.count == 1 && errors.first?.line == 1)
    }

    @Test func blocksNestOnlySoDeep() {
        // Integrals nested one level too deep, each block well formed.
        func nest(_ depth: Int) -> String {
            let indent = String(repeating: "    ", count: depth)
            var text = indent + "I: [] = integral(a, a, fn: g) {\n" + indent + "    t: [] = input\n" + indent + "    a: [] = constant(0)\n"
            if depth < IRParser.maximumBlockNesting { text += nest(depth + 1) } else { text += indent + "    I: [] = exp(t)\n" }
            return text + indent + "    return I\n" + indent + "}\n"
        }
        let result = IRParser.parse("a: [] = constant(0)\n" + nest(0))
        #expect(result.graph == nil)
        #expect(result.diagnostics.map(\.message) == ["integrals' blocks nest at most 64 deep"])
    }

    @Test func anIntegralNeedsItsFunctionsName() {
        let errors = Self.errors("a: [] = constant(0)\nI: [] = integral(a, a)\n")
        #expect(errors.first?.message.contains("'integral' cannot take 2 operands") == true)
    }
}
