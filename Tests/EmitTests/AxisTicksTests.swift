import Testing
@testable import SlopeCore

@Suite struct AxisTicksTests {
    /// Hand-worked: the rough step is span / 5; its leading digit rounds up to 1, 2, 5 or 10,
    /// and the axis widens outward to whole steps.
    @Test(arguments: [
        // span 1: rough 0.2 -> step 0.2
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        // span 38: rough 7.6 -> step 10, widened to 40
        (0.0, 38.0, [0.0, 10, 20, 30, 40]),
        // sum of squares losses 38 down to 25/6: rough 6.77 -> step 10, widened down to 0
        (25.0 / 6.0, 38.0, [0.0, 10, 20, 30, 40]),
        // sauna temperatures 85 - 729/90 down to 85 - 1024/90: rough 0.66 -> step 1
        (85.0 - 1024.0 / 90.0, 85.0 - 729.0 / 90.0, [73.0, 74, 75, 76, 77]),
        // steps of a 1000-step run: rough 200 -> step 200
        (0.0, 1000.0, [0.0, 200, 400, 600, 800, 1000]),
        // straddling zero: span 1 -> step 0.2, -0.3 widens to -0.4 and 0.7 to 0.8
        (-0.3, 0.7, [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]),
        // 0.3 / 0.1 is 2.9999999999999996 in floating point, yet no tick is added below 0.3
        (0.3, 0.75, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
        // span 0.0015: rough 0.0003 -> step 0.0005
        (0.001, 0.0025, [0.001, 0.0015, 0.002, 0.0025]),
        // an empty span is widened by a tenth each side: 1.8 ... 2.2, rough 0.08 -> step 0.1
        (2.0, 2.0, [1.8, 1.9, 2.0, 2.1, 2.2]),
        // around zero it becomes -1 ... 1: rough 0.4 -> step 0.5
        (0.0, 0.0, [-1.0, -0.5, 0, 0.5, 1]),
    ])
    func linearTicksStepByOneTwoOrFive(lower: Double, upper: Double, expected: [Double]) {
        let ticks = AxisTicks.linear(covering: lower, upper)
        #expect(ticks.values == expected)
        #expect(ticks.lower == expected.first)
        #expect(ticks.upper == expected.last)
        #expect(!ticks.isLogarithmic)
    }

    @Test func tickLabelsCarryOnlyTheStepsDecimals() {
        // Step 0.1: 3 × 0.1 would print as 0.30000000000000004; the tick is 3 / 10 instead.
        let ticks = AxisTicks.linear(covering: 0, 0.3, intervals: 3)
        #expect(ticks.values == [0, 0.1, 0.2, 0.3])
        #expect(ticks.labels == ["0", "0.1", "0.2", "0.3"])
        #expect(AxisTicks.linear(covering: 0.001, 0.0025).labels == ["0.001", "0.0015", "0.002", "0.0025"])
        #expect(AxisTicks.linear(covering: 0, 2.5e6).labels == ["0", "500000", "1e+06", "1.5e+06", "2e+06",
                                                                 "2.5e+06"])
    }

    @Test func logarithmicTicksMarkEachDecadeUpToSix() {
        // log10(0.0005) = -3.3 -> -4 and log10(38) = 1.58 -> 2: six decades, one tick each.
        let ticks = AxisTicks.logarithmic(covering: 0.0005, 38)
        #expect(ticks.values == [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100])
        #expect(ticks.labels == ["0.0001", "0.001", "0.01", "0.1", "1", "10", "100"])
        #expect(ticks.isLogarithmic)
    }

    @Test func logarithmicTicksThinOutOverManyDecades() {
        // -12 ... 1 is 13 decades: a tick every (13 + 5) / 6 = 3 decades, five steps to 10^3.
        let ticks = AxisTicks.logarithmic(covering: 1e-12, 10)
        #expect(ticks.values == [1e-12, 1e-9, 1e-6, 1e-3, 1, 1000])
        #expect(ticks.labels == ["1e-12", "1e-09", "1e-06", "0.001", "1", "1000"])
    }

    @Test func exactPowerOfTenIsNotWidenedByRounding() {
        // log10(1000) is 2.9999999999999996 in floating point.
        #expect(AxisTicks.logarithmic(covering: 1, 1000).values == [1, 10, 100, 1000])
    }

    @Test(arguments: [(-1e308, 1e308), (1e20, 1e20 + 1), (5e-324, 5e-324)])
    func extremeRangesStillGiveTicks(lower: Double, upper: Double) {
        let ticks = AxisTicks.linear(covering: lower, upper)
        #expect(ticks.values.count >= 2)
        #expect(ticks.values.allSatisfy { $0.isFinite })
    }
}
