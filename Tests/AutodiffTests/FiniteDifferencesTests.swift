import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The checker behind `slope check`. Autodiff is right, so a wrong gradient is handed to
/// `FiniteDifferences` directly to see it fail.
@Suite struct FiniteDifferencesTests {
    /// f = sum(w²) + relu(k) at the given w and k, with its checker.
    func makeChecker(w: [Double], k: Double) throws -> (FiniteDifferences, Program) {
        let program = try lowered("""
            param w: [\(w.count)] = \(w)
            param k = \(k)
            f = sum(w^2) + relu(k)
            """)
        let target = try #require(program.names["f"])
        return (FiniteDifferences(graph: program.graph, target: target, leafValues: program.leafValues), program)
    }

    @Test func theRightGradientPasses() throws {
        // ∂/∂w sum(w²) = 2w.
        let (checker, program) = try makeChecker(w: [1, -2, 0.5], k: 1)
        let w = try #require(program.leaf(named: "w"))
        let result = checker.check(name: "w", leaf: w.node, value: w.value, gradient: Tensor(shape: Shape([3]), values: [2, -4, 1]))
        #expect(result.ok)
        #expect(result.elements.map(\.status) == [.ok, .ok, .ok])
        #expect(result.maximumRelativeError < 1e-8)
    }

    @Test func aWrongGradientFailsElementByElement() throws {
        // The second entry is w instead of 2w; the third is off by one part in a thousand.
        let (checker, program) = try makeChecker(w: [1, -2, 0.5], k: 1)
        let w = try #require(program.leaf(named: "w"))
        let result = checker.check(name: "w", leaf: w.node, value: w.value, gradient: Tensor(shape: Shape([3]), values: [2, -2, 1.001]))
        #expect(!result.ok)
        #expect(result.elements.map(\.status) == [.ok, .fail, .fail])
        #expect(Swift.abs(result.maximumAbsoluteError - 2) < 1e-6)
    }

    @Test func aFunctionThatCancelsToZeroIsJudgedByTheNoiseItsRoundingMakes() throws {
        // f = sum of the gradient of sum(softmax(p)), which is 0 for every p, computed from terms
        // of size 0.3 that cancel to 1e-16: the noise of f, not |f|, bounds the difference quotient.
        let program = try lowered("""
            param p: [3] = [0.28, 0.60, 0.25]
            f = sum(grad(sum(softmax(p)), p))
            """)
        let target = try #require(program.names["f"])
        let checker = FiniteDifferences(graph: program.graph, target: target, leafValues: program.leafValues)
        let p = try #require(program.leaf(named: "p"))
        let zero = checker.check(name: "p", leaf: p.node, value: p.value, gradient: Tensor(shape: Shape([3]), values: [0, 0, 0]))
        #expect(zero.ok)
        // The noise allows rounding-level slopes, not a gradient that is wrong by 1e-7.
        #expect(zero.elements.allSatisfy { $0.tolerance < 1e-8 })
        let wrong = checker.check(name: "p", leaf: p.node, value: p.value, gradient: Tensor(shape: Shape([3]), values: [1e-7, 0, 0]))
        #expect(wrong.elements.map(\.status) == [.fail, .ok, .ok])
    }

    @Test func anElementWithinTheGradientsOwnRoundingPasses() throws {
        // The autodiff gradient of f = sum(grad(sum(softmax(tanh(p))), p)) is a second
        // derivative that is 0, computed from terms of size 1: about 1e-17, where f and its
        // differences are exactly 0. Moving p by an ulp moves that rounding by as much.
        let program = try lowered("""
            param p: [3] = [0.11, -0.40, 0.49]
            f = sum(grad(sum(softmax(tanh(p))), p))
            """)
        let target = try #require(program.names["f"])
        let checker = FiniteDifferences(graph: program.graph, target: target, leafValues: program.leafValues)
        let p = try #require(program.leaf(named: "p"))
        let noisy = Tensor(shape: Shape([3]), values: [0, -2.374874702674106e-17, -4.405850308372166e-17])
        // Rounding drawn afresh at each point, as the real gradient's is.
        let erratic = { (moved: Tensor) -> Tensor in
            Tensor(shape: Shape([3]), values: moved.values.map { ($0.bitPattern >> 8) % 3 == 0 ? 3e-17 : -5e-17 })
        }
        #expect(!checker.check(name: "p", leaf: p.node, value: p.value, gradient: noisy).ok)
        #expect(checker.check(name: "p", leaf: p.node, value: p.value, gradient: noisy, gradientAt: erratic).ok)
        // A gradient wrong by 1e-7 is wrong smoothly: a leaf moved by ulps moves it by ulps.
        let wrong = Tensor(shape: Shape([3]), values: [1e-7, 0, 0])
        let smooth = { (moved: Tensor) -> Tensor in Tensor(shape: Shape([3]), values: [1e-7 * (1 + moved.values[0] - 0.11), 0, 0]) }
        let result = checker.check(name: "p", leaf: p.node, value: p.value, gradient: wrong, gradientAt: smooth)
        #expect(result.elements.map(\.status) == [.fail, .ok, .ok])
    }

    @Test func aNaNGradientFails() throws {
        let (checker, program) = try makeChecker(w: [1], k: 1)
        let k = try #require(program.leaf(named: "k"))
        let result = checker.check(name: "k", leaf: k.node, value: k.value, gradient: Tensor(.nan))
        #expect(!result.ok)
    }

    @Test func reluAtZeroIsReportedAsAKinkNotAFailure() throws {
        // At k = 0 the central difference of relu is (h − 0)/2h = 1/2, autodiff's subgradient 0.
        let (checker, program) = try makeChecker(w: [1], k: 0)
        let k = try #require(program.leaf(named: "k"))
        let result = checker.check(name: "k", leaf: k.node, value: k.value, gradient: Tensor(0))
        #expect(result.ok)
        #expect(result.kinks == 1)
        #expect(result.elements[0].status == .kink)
        #expect(Swift.abs(result.elements[0].numeric - 0.5) < 1e-9)
        // Near the kink, within the ±2h the differences use, too.
        let (near, _) = try makeChecker(w: [1], k: 1e-7)
        #expect(near.check(name: "k", leaf: k.node, value: Tensor(1e-7), gradient: Tensor(1)).kinks == 1)
        // Away from it, relu is checked like anything else: slope 1 for k > 0, and a wrong 0 fails.
        let (away, _) = try makeChecker(w: [1], k: 0.5)
        #expect(away.check(name: "k", leaf: k.node, value: Tensor(0.5), gradient: Tensor(1)).elements[0].status == .ok)
        #expect(away.check(name: "k", leaf: k.node, value: Tensor(0.5), gradient: Tensor(0)).elements[0].status == .fail)
    }

    @Test func theSweepShowsTruncationAgainstRoundOff() throws {
        // For exp at x = 1 the error of (f(x+h) − f(x−h))/2h is about e h²/6 for large h and
        // about ε e / h for small h: it falls, then rises again.
        let program = try lowered("param x = 1\nf = exp(x)\n")
        let x = try #require(program.leaf(named: "x"))
        let checker = FiniteDifferences(graph: program.graph, target: try #require(program.names["f"]), leafValues: program.leafValues)
        let steps = (1...12).map { pow(10.0, -Double($0)) }
        let rows = checker.sweep(leaf: x.node, value: x.value, gradient: Tensor(exp(1)), steps: steps)
        #expect(rows.map(\.step) == steps)
        let errors = rows.map(\.error)
        #expect(Swift.abs(errors[0] - exp(1) * 0.01 / 6) < 1e-4, "h = 0.1: \(errors[0])")
        let best = errors.firstIndex(of: errors.min()!)!
        #expect((3...7).contains(best), "the smallest error is at a middle step: \(errors)")
        #expect(errors[11] > errors[best] * 100, "round-off dominates at h = 1e-12: \(errors)")
    }

    @Test func largeTensorsAreCheckedAtASpreadOutSample() {
        let sample = FiniteDifferences.sample(10_000)
        #expect(sample.count == FiniteDifferences.maximumElements)
        #expect(Set(sample).count == sample.count && sample == sample.sorted())
        #expect(sample.first! < 1000 && sample.last! > 9000)
        #expect(FiniteDifferences.sample(12) == Array(0..<12))
    }
}
