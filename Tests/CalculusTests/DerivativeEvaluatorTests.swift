import Foundation
import Testing
@testable import SlopeCore

/// Values, gradients and Hessians at points, against derivatives worked by hand.
@Suite struct DerivativeEvaluatorTests {
    @Test func theParaboloidAtTwoThree() throws {
        // f = x² + y²: f(2, 3) = 13, ∇f = (2x, 2y) = (4, 6), H = [[2, 0], [0, 2]].
        let f = try evaluator("param x = 0\nparam y = 0\nf = x^2 + y^2\n", of: "f", wrt: ["x", "y"])
        let at = f.evaluate(at: [2, 3])
        #expect(at.value == 13 && at.gradient == [4, 6] && at.hessian == [[2, 0], [0, 2]])
    }

    @Test(arguments: [(1.0, 2.0), (0.5, -1.5), (-2.0, 0.25)])
    func aMixedCubicHasItsSecondPartials(_ point: (Double, Double)) throws {
        // f = x³y + 2xy²: f_x = 3x²y + 2y², f_y = x³ + 4xy, f_xx = 6xy, f_yy = 4x, f_xy = 3x² + 4y.
        let (x, y) = point
        let f = try evaluator("param x = 0\nparam y = 0\nf = x^3*y + 2*x*y^2\n", of: "f", wrt: ["x", "y"])
        let at = f.evaluate(at: [x, y])
        #expect(Swift.abs(at.value - (x * x * x * y + 2 * x * y * y)) < 1e-13)
        #expect(Swift.abs(at.gradient[0] - (3 * x * x * y + 2 * y * y)) < 1e-13)
        #expect(Swift.abs(at.gradient[1] - (x * x * x + 4 * x * y)) < 1e-13)
        let expected = [[6 * x * y, 3 * x * x + 4 * y], [3 * x * x + 4 * y, 4 * x]]
        for i in 0..<2 { for j in 0..<2 { #expect(Swift.abs(at.hessian[i][j] - expected[i][j]) < 1e-13, "H[\(i)][\(j)]") } }
    }

    @Test func aScalarInputIsAVariableAndATensorIsHeldFixed() throws {
        // f = a·sum(w·w) + a² with w = [1, 2] held: sum(w²) = 5, f(3) = 24, f′ = 5 + 2a = 11, f″ = 2.
        let f = try evaluator("input a = 0\nparam w = [1, 2]\nf = a*sum(w*w) + a^2\n", of: "f", wrt: ["a"])
        let at = f.evaluate(at: [3])
        #expect(at.value == 24 && at.gradient == [11] && at.hessian == [[2]])
    }

    @Test func aGradientThatDoesNotReadTheVariableStillEvaluates() throws {
        // f = 3x: f′ = 3 everywhere, f″ = 0 (the gradient is a constant of the graph).
        let f = try evaluator("param x = 1\nf = 3*x\n", of: "f", wrt: ["x"])
        for x in [-1.0, 0, 2] {
            let at = f.evaluate(at: [x])
            #expect(at.value == 3 * x && at.gradient == [3] && at.hessian == [[0]])
        }
    }
}
