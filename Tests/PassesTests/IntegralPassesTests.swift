import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The passes on integrals, text in and text out: a body is rewritten by the same rules, what
/// does not depend on the variable moves out, constant captures move in, CSE merges only
/// integrals of the same function, and nothing is folded away that must be evaluated.
@Suite struct IntegralPassesTests {
    @Test func theBodyIsRewrittenByThePassesRules() {
        // mul(t, 1) is t inside the body, as it would be outside.
        PassTesting.expect(AlgebraicSimplification.pass, on: """
        t0: [] = constant(0)
        t1: [] = constant(1)
        I: [] = integral(t0, t1, fn: g) {
            t: [] = input
            t1: [] = constant(1)
            t2: [] = mul(t, t1)
            t3: [] = exp(t2)
            return t3
        }
        """, roots: ["I"], gives: """
        t0: [] = constant(0)
        t1: [] = constant(1)
        I: [] = integral(t0, t1, fn: g) {
            t: [] = input
            t1: [] = exp(t)
            return t1
        }
        """, rules: ["mul-by-one"])
    }

    @Test func whatDoesNotDependOnTheVariableMovesOut() {
        // w*w is computed once, outside; the body reads it as a capture.
        PassTesting.expect(CommonSubexpressionElimination.pass, on: """
        w: [] = param
        t0: [] = constant(0)
        t1: [] = constant(1)
        I: [] = integral(t0, t1, w, fn: g) {
            t: [] = input
            w: [] = input
            t2: [] = mul(w, w)
            t3: [] = mul(t2, t)
            return t3
        }
        """, roots: ["I"], gives: """
        w: [] = param
        t0: [] = constant(0)
        t1: [] = constant(1)
        t3: [] = mul(w, w)
        I: [] = integral(t0, t1, t3, fn: g) {
            t: [] = input
            c1: [] = input
            t2: [] = mul(t, c1)
            return t2
        }
        """, rules: [])
    }

    @Test func aConstantCaptureMovesIntoTheBodyAndFolds() {
        // The capture is the constant 2: inside, 2*3 folds to 6 and the capture is gone.
        PassTesting.expect(ConstantFolding.pass, on: """
        t0: [] = constant(0)
        t1: [] = constant(1)
        t2: [] = constant(2)
        I: [] = integral(t0, t1, t2, fn: g) {
            t: [] = input
            c: [] = input
            t2: [] = constant(3)
            t3: [] = mul(c, t2)
            t4: [] = mul(t3, t)
            return t4
        }
        """, roots: ["I"], gives: """
        t0: [] = constant(0)
        t1: [] = constant(1)
        t2: [] = constant(2)
        I: [] = integral(t0, t1, fn: g) {
            t: [] = input
            t1: [] = constant(6)
            t2: [] = mul(t, t1)
            return t2
        }
        """, rules: ["fold-constants"])
    }

    @Test func anIntegralOfConstantsIsNotFoldedAway() throws {
        // It is evaluated when the program runs, so its error estimate is reported and a failure
        // is a diagnostic at the call; only its body is folded.
        let program = try #require(PassTesting.lower("fn v(t) = 3*t^2 + 2\nprint integral(v, 0, 2)\n"))
        let optimized = PassTesting.optimize(program.graph, roots: PassTesting.roots(program))
        #expect(optimized.graph.nodes.contains { $0.op.integrand != nil })
    }

    @Test func cseMergesIntegralsOfTheSameFunctionOnly() throws {
        let program = try #require(PassTesting.lower("""
            param w = 2
            fn f(t) = w*t
            fn g(t) = w*t
            fn h(t) = w*t^2
            print integral(f, 0, 1), integral(g, 0, 1), integral(h, 0, 1)
            """))
        let optimized = PassTesting.optimize(program.graph, roots: PassTesting.roots(program))
        let integrals = optimized.graph.nodes.filter { $0.op.integrand != nil }
        // f and g are the same function under two names: one integral; h is another.
        #expect(integrals.count == 2)
        let values = PassTesting.evaluate(optimized.graph, optimized.roots, leafValues: PassTesting.leafValues(program))
        #expect(values.prefix(3).map { $0.values[0] } == [1, 1, 2.0 / 3])
    }

    @Test func theOptimizerKeepsTheValuesOfIntegralsAndTheirGradients() throws {
        // Unoptimized and optimized agree (the passes keep values), derivatives included.
        let source = """
            param w = 1.25
            param k = 0.5
            fn g(t) = sin(w*t)^2 + exp(-k*t) * t
            fn h(s) = w*s^3
            fn nested(t) = integral(h, 0, t) * log(1 + t)
            I = integral(g, 0, 3) + integral(nested, 0.5, 1)
            print I, grad(I, w), grad(I, k), grad(grad(I, w), k)
            """
        let program = try #require(PassTesting.lower(source))
        let roots = PassTesting.roots(program)
        let before = PassTesting.evaluate(program.graph, roots, leafValues: PassTesting.leafValues(program))
        let optimized = PassTesting.optimize(program.graph, roots: roots, pipeline: .standard)
        let after = PassTesting.evaluate(optimized.graph, optimized.roots, leafValues: PassTesting.leafValues(program))
        for (x, y) in zip(before, after) {
            #expect(Swift.abs(x.values[0] - y.values[0]) <= 1e-12 * Swift.abs(x.values[0]), "\(x) vs \(y)")
        }
    }
}
