import Testing
@testable import SlopeCore

/// `SourceNumber`: a long decimal that is exactly the float64 nearest a small fraction is
/// written as that fraction, and only then.
@Suite struct SourceNumberTests {
    static let fractions: [(Double, String)] = [
        (1.0 / 30, "1/30"), (-1.0 / 30, "-1/30"), (1.0 / 90, "1/90"), (2.0 / 15, "2/15"), (1.0 / 6, "1/6"),
        (2.0 / 3, "2/3"), (1.0 / 7, "1/7"), (1024.0 / 90, "512/45"), (1.0 / 999, "1/999"),
    ]

    @Test(arguments: fractions)
    func aFloatNearestASmallFractionIsThatFraction(_ value: Double, _ expected: String) {
        #expect(SourceNumber.spelling(value) == (expected, true))
    }

    static let decimals: [(Double, String)] = [
        (0.5, "0.5"), (0.25, "0.25"), (2.5, "2.5"), (0.1, "0.1"), (0.0125, "0.0125"), (42.0, "42"), (-3.0, "-3"),
        (0.2, "0.2"), (1e-05, "1e-05"),
        // Not any float64 quotient of small integers: the nearest fraction is not this number.
        (0.3333333, "0.3333333"), (0.9858640083468868, "0.9858640083468868"), (0.1 + 0.2, "0.30000000000000004"),
        // 1/1024 is exact but its denominator is past the bound, and 1/3 + 1e-16 is not 1/3.
        (1.0 / 1024, "0.0009765625"), (1.0 / 3 + 1e-16, "0.3333333333333334"),
    ]

    @Test(arguments: decimals)
    func shortDecimalsAndOtherNumbersStayDecimals(_ value: Double, _ expected: String) {
        #expect(SourceNumber.spelling(value) == (expected, false))
    }

    @Test func everyFractionWrittenReadsBackAsTheSameFloat() {
        // p/q for every q ≤ 1000 and a spread of p: when a fraction is written, its float64
        // quotient is the number bit for bit, and it is in lowest terms.
        for q in stride(from: 2, through: 1000, by: 7) {
            for p in [-7, 1, 3, 11, 997] {
                let value = Double(p) / Double(q)
                guard let (numerator, denominator) = SourceNumber.fraction(value) else { continue }
                #expect((Double(numerator) / Double(denominator)).bitPattern == value.bitPattern, "\(p)/\(q)")
                #expect(gcd(Swift.abs(numerator), denominator) == 1, "\(numerator)/\(denominator)")
            }
        }
    }

    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
