import Foundation
import Testing
@testable import SlopeCore

#if arch(x86_64) && !os(Windows)
/// `VectorMath` against an 80-bit reference (Float80's exp and log carry eleven more bits than a
/// double, so the reference is right to far below an ulp): the largest error, in units in the last
/// place of the correctly rounded result, over a fixed sample of each function's working range.
/// The bounds are the ones SPEC.md states; the measured worst cases are a little below them.
struct VectorMathAccuracyTests {
    /// |value − reference| in ulps of the double nearest the reference.
    static func ulps(_ value: Double, _ reference: Float80) -> Double {
        let nearest = Double(reference)
        if nearest == 0 { return value == 0 ? 0 : .infinity }
        return Double(Swift.abs(Float80(value) - reference) / Float80(nearest.ulp))
    }

    /// The worst error of `function` against `reference` over `points`, with the point it occurs at.
    static func worst(_ points: [Double], _ function: (Double) -> Double,
                      _ reference: (Float80) -> Float80) -> (ulps: Double, at: Double) {
        var worst = (ulps: 0.0, at: Double.nan)
        for x in points {
            let error = ulps(function(x), reference(Float80(x)))
            if error > worst.ulps { worst = (error, x) }
        }
        return worst
    }

    static func sample(_ low: Double, _ high: Double, count: Int = 200_000, seed: UInt64) -> [Double] {
        var random = Random(seed: seed)
        return (0..<count).map { _ in random.uniform(low, high) }
    }

    static func sigmoidReference(_ x: Float80) -> Float80 { 1 / (1 + Foundation.exp(-x)) }

    static func softplusReference(_ x: Float80) -> Float80 {
        Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }

    @Test func expIsWithinOneAndAQuarterUlps() {
        let points = Self.sample(-708, 709, seed: 1) + Self.sample(-1, 1, seed: 2)
        let worst = Self.worst(points, VectorMath.exp, Foundation.exp)
        #expect(worst.ulps <= 1.25, "exp(\(worst.at)) is \(worst.ulps) ulps off")
    }

    @Test func logIsWithinTwoUlps() {
        var random = Random(seed: 3)
        let points = (0..<200_000).map { _ in Foundation.pow(10, random.uniform(-307, 308)) }
            + Self.sample(0.5, 2, seed: 4)
        let worst = Self.worst(points, VectorMath.log, Foundation.log)
        #expect(worst.ulps <= 2, "log(\(worst.at)) is \(worst.ulps) ulps off")
    }

    /// Both branches (x ≥ 0: D/(D + M); x < 0: M/(D + M)), from the middle out to where
    /// sigmoid(x) is subnormal.
    @Test func sigmoidIsWithinThreeUlps() {
        let points = Self.sample(-40, 40, seed: 5) + Self.sample(-708, 708, seed: 6) + Self.sample(-1, 1, seed: 7)
        let worst = Self.worst(points, VectorMath.sigmoid, Self.sigmoidReference)
        #expect(worst.ulps <= 3, "sigmoid(\(worst.at)) is \(worst.ulps) ulps off")
    }

    @Test func softplusIsWithinThreeUlps() {
        let points = Self.sample(-40, 40, seed: 8) + Self.sample(-700, 700, seed: 9)
        let worst = Self.worst(points, VectorMath.softplus, Self.softplusReference)
        #expect(worst.ulps <= 3, "softplus(\(worst.at)) is \(worst.ulps) ulps off")
    }

    /// The ends: saturation to exactly 0 and 1, the signed zeros, infinities and NaN.
    @Test func sigmoidAtItsEnds() {
        #expect(VectorMath.sigmoid(0) == 0.5)
        #expect(VectorMath.sigmoid(-0.0) == 0.5)
        #expect(VectorMath.sigmoid(.infinity) == 1)
        #expect(VectorMath.sigmoid(-.infinity) == 0)
        #expect(VectorMath.sigmoid(800) == 1)
        #expect(VectorMath.sigmoid(-800) == 0)
        #expect(VectorMath.sigmoid(-745) == 5e-324)
        #expect(VectorMath.sigmoid(.nan).isNaN)
        #expect(VectorMath.sigmoid(-.greatestFiniteMagnitude) == 0)
    }
}
#endif
