import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The numerically careful rules at their extremes: saturated sigmoid and softplus, log loss at
/// ±1000 with the stabilizing rewrites, the documented subgradients at kinks, an inactive relu
/// behind an infinite adjoint, and log(0). Each is checked through `slope run` (optimized) and,
/// where the rule alone must do it, on the unoptimized graph too.
@Suite struct NumericalCareTests {
    /// The printed values of `source` evaluated on the lowered graph as it is, unoptimized.
    func unoptimized(_ source: String) throws -> [[Double]] {
        let program = try lowered(source)
        let evaluation = Evaluation(program.graph, outputs: program.roots, leafValues: program.leafValues)
        let values = evaluation([:])
        var printed: [[Double]] = []
        for action in program.actions {
            guard case .print(let items) = action else { continue }
            for item in items { printed.append(values[try #require(program.roots.firstIndex(of: item.node))].values) }
        }
        return printed
    }

    @Test(arguments: [1000.0, -1000])
    func sigmoidAndSoftplusDerivativesStayFiniteAtPlusMinusAThousand(_ z: Double) throws {
        // σ(z) rounds to exactly 1 (z = 1000) or 0 (z = −1000); σ′ = σ(1 − σ) = 0, as the true
        // value e^-1000 ≈ 5e-435 rounds to. softplus(z) = max(z, 0) + log1p(e^-|z|) is 1000 or 0,
        // and softplus′ = σ(z) is 1 or 0.
        let source = """
            param z = \(z)
            print sigmoid(z), grad(sigmoid(z), z), softplus(z), grad(softplus(z), z)
            """
        let expected: [[Double]] = z > 0 ? [[1], [0], [1000], [1]] : [[0], [0], [0], [0]]
        #expect(try printedJSON(source) == expected)
        #expect(try unoptimized(source) == expected)
    }

    @Test func logLossOfASaturatedSigmoidHasAFiniteValueAndGradient() throws {
        // loss = bce(σ(z), y) = mean(y softplus(−z) + (1 − y) softplus(z)) after the stabilizing
        // rewrites, and ∂loss/∂z = (σ(z) − y)/n. With n = 4:
        //   z = 1000, y = 0: softplus(1000) = 1000, σ − y = 1
        //   z = −1000, y = 1: softplus(1000) = 1000, σ − y = −1
        //   z = 1000, y = 1 and z = −1000, y = 0: softplus(−1000) ≈ 5e-435 → 0, σ − y = 0
        // so loss = 2000/4 = 500 and the gradient is [1, −1, 0, 0]/4.
        let source = """
            param z = [1000, -1000, 1000, -1000]
            input y = [0, 1, 1, 0]
            loss = bce(sigmoid(z), y)
            print loss, grad(loss, z)
            """
        let (value, gradient) = try gradJSON(source)
        #expect(value == 500)
        #expect(gradient["z"] == [0.25, -0.25, 0, 0])
        #expect(try printedJSON(source) == [[500], [0.25, -0.25, 0, 0]])
    }

    @Test func logLossGradientIsAccurateNearSaturation() throws {
        // ∂loss/∂z = (σ(z) − y)/n, n = 2. At z = −30, y = 1 that is (σ(−30) − 1)/2 with
        // σ(−30) = 1/(1 + e^30) ≈ 9.4e-14; at z = 30, y = 0 it is σ(30)/2. The optimized form
        // −y(1 − p)/n + p(1 − y)/n (sigmoid-adjoint-cancel) is accurate there, to a few ulps.
        let source = """
            param z = [-30, 30]
            input y = [1, 0]
            loss = bce(sigmoid(z), y)
            """
        let (_, gradient) = try gradJSON(source)
        let expected = [(1 / (1 + exp(30.0)) - 1) / 2, (1 / (1 + exp(-30.0))) / 2]
        let actual = try #require(gradient["z"])
        for (a, e) in zip(actual, expected) { #expect(Swift.abs(a - e) <= 1e-14 * Swift.abs(e), "\(a), expected \(e)") }
    }

    @Test func reluAndAbsHaveTheSubgradientZeroAtTheirKink() throws {
        // The documented choice: relu′(0) = 0 (mask(x, dy) is dy only where x > 0) and
        // abs′(0) = sign(0) = 0.
        let source = """
            param x = 0
            print grad(relu(x), x), grad(abs(x), x), grad(relu(x) + abs(x) + x, x)
            """
        #expect(try printedJSON(source) == [[0], [0], [1]])
        #expect(try unoptimized(source) == [[0], [0], [1]])
    }

    @Test func anInactiveReluPassesZeroEvenWhenItsAdjointIsInfinite() throws {
        // f = x + sqrt(relu(x)) at x = −1: relu(−1) = 0 and sqrt(0) = 0, so f = −1, but
        // d sqrt(u)/du = 1/(2 sqrt(0)) = inf reaches the relu. An inactive unit must pass exactly
        // 0 (mask), not 0 · inf = NaN, so ∂f/∂x = 1 from the x path alone. The same through
        // u^0.5, whose rule gives 0.5 · 0^-0.5 = inf.
        let source = """
            param x = -1
            f = x + sqrt(relu(x))
            g = x + relu(x)^0.5
            print f, grad(f, x), grad(g, x)
            """
        #expect(try printedJSON(source) == [[-1], [1], [1]])
        #expect(try unoptimized(source) == [[-1], [1], [1]])
        let (value, gradient) = try gradJSON(source, ["--of", "f"])
        #expect(value == -1)
        #expect(gradient["x"] == [1])
    }

    @Test func logOfZeroIsMinusInfinityWithAnInfiniteGradient() throws {
        // log(0) = −inf and d log(x) = 1/x = 1/0 = +inf: no trap, no NaN.
        let source = """
            param x = 0
            f = log(x)
            print f, grad(f, x)
            """
        #expect(try printedJSON(source) == [[-.infinity], [.infinity]])
        #expect(try unoptimized(source) == [[-.infinity], [.infinity]])
        let (value, gradient) = try gradJSON(source)
        #expect(value == -.infinity)
        #expect(gradient["x"] == [.infinity])
    }
}
