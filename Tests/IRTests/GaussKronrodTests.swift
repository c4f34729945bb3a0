import Foundation
import Testing
@testable import SlopeCore

/// Adaptive G7–K15 against integrals worked out by hand: each to the 1e-12 relative accuracy
/// `integral` promises, with an honest error estimate, plus the failures it must report.
struct GaussKronrodTests {
    static func integrate(_ a: Double, _ b: Double, _ f: @escaping (Double) -> Double) throws -> GaussKronrod.Result {
        try GaussKronrod.integrate(from: a, to: b) { points in points.map(f) }
    }

    /// (description, a, b, f, exact)
    static let cases: [(String, Double, Double, @Sendable (Double) -> Double, Double)] = [
        ("3t² + 2 on [0, 2] = [t³ + 2t] = 12", 0, 2, { 3 * $0 * $0 + 2 }, 12),
        ("sin on [0, π] = 2", 0, .pi, { sin($0) }, 2),
        ("eˣ on [0, 1] = e − 1", 0, 1, { exp($0) }, M_E - 1),
        ("1/(1 + x²) on [0, 1] = π/4", 0, 1, { 1 / (1 + $0 * $0) }, .pi / 4),
        ("√x on [0, 1] = 2/3", 0, 1, { $0.squareRoot() }, 2.0 / 3.0),
        ("log x on [0, 1] = −1", 0, 1, { log($0) }, -1),
        ("e^−x² on [−10, 10] = √π erf(10)", -10, 10, { exp(-$0 * $0) }, Double.pi.squareRoot() * erf(10)),
        ("cos(30x) on [0, 1] = sin(30)/30", 0, 1, { cos(30 * $0) }, sin(30) / 30),
        ("x⁵ on [2, 0] = −64/6", 2, 0, { pow($0, 5) }, -64.0 / 6.0),
    ]

    @Test(arguments: 0..<cases.count)
    func smoothIntegralsReachTwelveDigits(_ index: Int) throws {
        let (what, a, b, f, exact) = Self.cases[index]
        let result = try Self.integrate(a, b, f)
        #expect(Swift.abs(result.value - exact) <= 1e-12 * Swift.abs(exact), "\(what): \(result.value)")
        // The estimate is honest: at least the true error (up to rounding).
        #expect(result.error + 4 * Double.ulpOfOne * Swift.abs(exact) >= Swift.abs(result.value - exact), "\(what)")
        #expect(result.evaluations == 15 * (2 * result.intervals - 1) || result.evaluations >= 15, "\(what)")
    }

    @Test func aPolynomialBothRulesIntegrateExactlyTakesOneInterval() throws {
        // G7 is exact up to degree 13 and K15 up to degree 22, so for x¹² they agree, the error
        // estimate is rounding alone, and one interval (15 evaluations) is enough.
        let result = try Self.integrate(-1, 1) { pow($0, 12) }
        #expect(Swift.abs(result.value - 2.0 / 13.0) <= 4 * Double.ulpOfOne)
        #expect(result.evaluations == 15 && result.intervals == 1)
    }

    @Test func anIntegralThatCancelsToZeroConverges() throws {
        let result = try Self.integrate(0, 2 * .pi) { sin($0) }
        #expect(Swift.abs(result.value) < 1e-14)
    }

    @Test func equalBoundsGiveZeroWithoutEvaluating() throws {
        let result = try Self.integrate(3, 3) { _ in .nan }
        #expect(result == GaussKronrod.Result(values: [0], error: 0, evaluations: 0, intervals: 0))
    }

    @Test func aNonFiniteValueIsReportedWhereItHappened() {
        // The centre of [−1, 1] is a rule point: 1/x is inf there.
        #expect(throws: GaussKronrod.Failure.notFinite(at: 0, value: .infinity)) {
            try Self.integrate(-1, 1) { 1 / $0 }
        }
    }

    @Test func aPoleInsideTheIntervalDoesNotConvergeAndIsLocated() throws {
        do {
            _ = try Self.integrate(0, 1) { 1 / ($0 - 0.3) }
            Issue.record("∫ 1/(x − 0.3) on [0, 1] converged")
        } catch GaussKronrod.Failure.didNotConverge(let worst, _, _) {
            #expect(worst.contains(0.3) || Swift.abs(worst.lowerBound - 0.3) < 1e-6, "worst interval \(worst)")
        }
    }

    @Test func theRulePointsAreSymmetricAndInside() {
        let points = GaussKronrod.points(2, 4)
        #expect(points.count == 15 && points[7] == 3)
        for i in 0..<7 { #expect(Swift.abs((points[i] - 3) + (points[14 - i] - 3)) < 1e-15 && points[i] > 2 && points[14 - i] < 4) }
    }

    @Test func aTensorIntegrandIsIntegratedComponentwiseOnOneSubdivision() throws {
        // ∫₀¹ [1, t, t², eᵗ] dt = [1, 1/2, 1/3, e − 1]; the components share the subdivision,
        // so every point gives all four values.
        let result = try GaussKronrod.integrate(from: 0, to: 1, components: 4) { points in
            points.flatMap { [1, $0, $0 * $0, exp($0)] }
        }
        for (computed, exact) in zip(result.values, [1, 0.5, 1.0 / 3, M_E - 1]) {
            #expect(Swift.abs(computed - exact) <= 1e-15 * Swift.abs(exact))
        }
        #expect(result.evaluations == 15 * (2 * result.intervals - 1))
    }

    @Test func theErrorOfATensorIntegrandIsItsWorstComponents() throws {
        // An easy component (√t/2: half the values, half the error) and a harder one (√t): the
        // harder one has the largest value and the largest error, so it alone decides the
        // subdivision, as it does on its own.
        let both = try GaussKronrod.integrate(from: 0, to: 1, components: 2) { points in
            points.flatMap { [0.5 * $0.squareRoot(), $0.squareRoot()] }
        }
        let hard = try Self.integrate(0, 1) { $0.squareRoot() }
        #expect(both.intervals == hard.intervals && both.values[1] == hard.value)
    }

    @Test func aJumpIsResolvedByBisection() throws {
        // ∫₀¹ step(t − 0.3) dt = 0.7: the interval holding the jump halves until it no longer counts.
        let result = try Self.integrate(0, 1) { $0 > 0.3 ? 1 : 0 }
        #expect(Swift.abs(result.value - 0.7) <= 1e-12 * 0.7)
        #expect(!result.limitedByRounding)
    }

    @Test func anIntegrandMadeOfRoundingStopsWithItsBestValue() throws {
        // (w·x − 2x)² with w = 2 + 1e-13, computed with cancellation: the values carry noise of
        // about 1e-3 of themselves, so no relative tolerance of 1e-13 can be met, but the
        // value is right to that noise: (1e-13)² · ∫₀¹ x² = 3.33e-27.
        let w = 2.0 + 1e-13
        let result = try Self.integrate(0, 1) { x in
            let residual = w * x * 3 - 2 * x * 3
            return residual * residual / 9
        }
        #expect(result.limitedByRounding)
        let exact = (w - 2) * (w - 2) / 3
        #expect(Swift.abs(result.value - exact) <= 1e-2 * exact)
        #expect(result.error >= 1e-13 * exact)
    }

    @Test func aPoleIsNeverTakenForRounding() {
        // 1/(x − 0.3) diverges; the bisections next to the pole look like rounding (the value
        // settles, the error does not shrink), but |f| grows at each, so it is no value.
        #expect(throws: GaussKronrod.Failure.self) { try Self.integrate(0, 1) { 1 / ($0 - 0.3) } }
        #expect(throws: GaussKronrod.Failure.self) { try Self.integrate(0, 1) { 1 / Swift.abs($0 - 0.3) } }
    }

    @Test func aPoleAtTheCentreIsNotFinite() {
        #expect(throws: GaussKronrod.Failure.notFinite(at: 0.5, value: .infinity)) {
            try Self.integrate(0, 1) { 1 / ($0 - 0.5) / ($0 - 0.5) }
        }
    }

    @Test func theIntervalLimitBoundsTheWork() throws {
        // sin(1000 t²) needs more than 8 intervals; with a limit of 8 it fails, having
        // evaluated at most the 8 intervals' and their parents' points.
        var evaluations = 0
        #expect(throws: GaussKronrod.Failure.self) {
            try GaussKronrod.integrate(from: 0, to: 10, maximumIntervals: 8) { points in
                evaluations += points.count
                return points.map { sin(1000 * $0 * $0) }
            }
        }
        #expect(evaluations <= 15 * 16)
    }
}

extension GaussKronrodTests {
    /// The subdivision a result reports is the one its value was summed over: the rule's
    /// weights on those intervals reproduce the value, reversed bounds included.
    @Test(arguments: [(0.0, 1.0), (1.0, -0.5)])
    func theSubdivisionReproducesTheValue(_ a: Double, _ b: Double) throws {
        let f: (Double) -> Double = { 1 / (1e-3 + ($0 - 0.3) * ($0 - 0.3)) }
        let result = try GaussKronrod.integrate(from: a, to: b) { $0.map(f) }
        #expect(result.subintervals.count == result.intervals && result.intervals > 1)
        let lower = min(a, b), upper = max(a, b)
        #expect(result.subintervals.allSatisfy { lower <= $0.lowerBound && $0.upperBound <= upper })
        #expect(abs(result.subintervals.reduce(0) { $0 + $1.upperBound - $1.lowerBound } - (upper - lower)) < 1e-15)
        var sum = 0.0
        for interval in result.subintervals {
            let points = GaussKronrod.points(interval.lowerBound, interval.upperBound)
            let weights = GaussKronrod.weights(interval.lowerBound, interval.upperBound)
            sum += zip(points, weights).reduce(0) { $0 + f($1.0) * $1.1 }
        }
        let expected = b > a ? sum : -sum
        #expect(abs(result.value - expected) <= 1e-14 * abs(result.value), "\(result.value) vs \(expected)")
    }
}
