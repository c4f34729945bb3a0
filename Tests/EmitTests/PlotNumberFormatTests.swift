import Testing
@testable import SlopeCore

@Suite struct PlotNumberFormatTests {
    @Test(arguments: [
        (0.30000000000000004, "0.3"), (3.9999999812, "4"), (0.5671432904, "0.5671"), (-2.5, "-2.5"),
        (1.5e-7, "1.5e-07"), (123456789, "1.235e+08"), (9.99996, "10"), (0, "0"), (-0.0, "0"),
        (85 - 1024.0 / 90, "73.62"), (Double.nan, "nan"), (-Double.infinity, "-inf"),
    ] as [(Double, String)])
    func compactNumbersKeepFourSignificantDigits(value: Double, expected: String) {
        #expect(PlotNumberFormat.compact(value) == expected)
    }

    @Test(arguments: [(12.3456, "12.35"), (100, "100"), (-0.004, "0"), (0.1 + 0.2, "0.3"), (-7.5, "-7.5")] as [(Double, String)])
    func pixelsAreRoundedToHundredths(value: Double, expected: String) {
        #expect(PlotNumberFormat.pixel(value) == expected)
    }
}
