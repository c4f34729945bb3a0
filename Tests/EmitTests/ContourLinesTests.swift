import Testing
@testable import SlopeCore

@Suite struct ContourLinesTests {
    /// Segments compared without regard to their order or direction.
    private func normalized(_ segments: [(PlotPoint, PlotPoint)]) -> Set<[PlotPoint]> {
        Set(segments.map { pair in
            let (a, b) = pair
            return (a.x, a.y) < (b.x, b.y) ? [a, b] : [b, a]
        })
    }

    @Test func peakInTheMiddleGivesADiamond() {
        // 3 × 3 grid, 2 in the middle, 0 around it. At level 1 every edge from the centre is
        // crossed halfway, and each of the four cells has one corner above: one segment each.
        let grid = SampledGrid(xs: [0, 1, 2], ys: [0, 1, 2], values: [0, 0, 0,
                                                                   0, 2, 0,
                                                                   0, 0, 0])
        let segments = ContourLines.segments(of: grid, at: 1)
        let p = { (x: Double, y: Double) in PlotPoint(x: x, y: y) }
        #expect(segments.count == 4)
        #expect(normalized(segments) == normalized([
            (p(1, 0.5), p(0.5, 1)), (p(1, 0.5), p(1.5, 1)), (p(0.5, 1), p(1, 1.5)), (p(1.5, 1), p(1, 1.5)),
        ]))
    }

    @Test func saddleWithCentreAboveCutsOffTheLowCorners() {
        // Corners: bottom-left 3, bottom-right 0, top-right 3, top-left 0; level 1. The centre
        // (3 + 0 + 3 + 0) / 4 = 1.5 is above, so the high corners join through the middle and
        // the lines cut off the low corners. Crossings: bottom at (1 - 3) / (0 - 3) = 2/3, right
        // at 1/3, top at 1/3 (from top-left 0 to top-right 3), left at 2/3.
        let grid = SampledGrid(xs: [0, 1], ys: [0, 1], values: [3, 0,
                                                               0, 3])
        let segments = ContourLines.segments(of: grid, at: 1)
        #expect(normalized(segments) == normalized([
            (PlotPoint(x: 2.0 / 3, y: 0), PlotPoint(x: 1, y: 1.0 / 3)),
            (PlotPoint(x: 0, y: 2.0 / 3), PlotPoint(x: 1.0 / 3, y: 1)),
        ]))
    }

    @Test func saddleWithCentreBelowCutsOffTheHighCorners() {
        // Same corners at level 2: the centre 1.5 is below, so the lines cut off the corners
        // at 3. Crossings: bottom 1/3, left 1/3, right 2/3 (from 0 up to 3), top 2/3.
        let grid = SampledGrid(xs: [0, 1], ys: [0, 1], values: [3, 0,
                                                               0, 3])
        let segments = ContourLines.segments(of: grid, at: 2)
        #expect(normalized(segments) == normalized([
            (PlotPoint(x: 1.0 / 3, y: 0), PlotPoint(x: 0, y: 1.0 / 3)),
            (PlotPoint(x: 1, y: 2.0 / 3), PlotPoint(x: 2.0 / 3, y: 1)),
        ]))
    }

    @Test func straightLineThroughARampOnUnevenSpacing() {
        // f = x on xs 0, 2, 6: level 4 crosses the second column of cells halfway, at x = 4,
        // once per row of cells.
        let grid = SampledGrid(xs: [0, 2, 6], ys: [0, 1, 3], values: [0, 2, 6, 0, 2, 6, 0, 2, 6])
        #expect(normalized(ContourLines.segments(of: grid, at: 4)) == normalized([
            (PlotPoint(x: 4, y: 0), PlotPoint(x: 4, y: 1)), (PlotPoint(x: 4, y: 1), PlotPoint(x: 4, y: 3)),
        ]))
    }

    @Test func cellsWithNonFiniteCornersAreSkipped() {
        let grid = SampledGrid(xs: [0, 1, 2], ys: [0, 1], values: [0, 2, .nan,
                                                                  0, 2, .nan])
        // Only the left cell is drawn: a vertical line at x = 0.5.
        #expect(normalized(ContourLines.segments(of: grid, at: 1)) == normalized([
            (PlotPoint(x: 0.5, y: 0), PlotPoint(x: 0.5, y: 1)),
        ]))
    }

    @Test func overflowingInterpolationIsDropped() {
        // (level - a) / (b - a) with b - a = inf gives 0, and with a = -max and level = max the
        // numerator overflows too: no segment may carry a non-finite coordinate.
        let big = Double.greatestFiniteMagnitude
        let grid = SampledGrid(xs: [0, 1], ys: [0, 1], values: [-big, big, -big, big])
        let segments = ContourLines.segments(of: grid, at: big * 0.9)
        #expect(segments.allSatisfy { [$0.0.x, $0.0.y, $0.1.x, $0.1.y].allSatisfy { $0.isFinite } })
    }

    @Test func levelsAreEvenlySpacedQuantiles() {
        // 0 ... 12: the quarter, half and three-quarter quantiles sit at ranks 3, 6 and 9.
        #expect(ContourLines.quantileLevels((0...12).map(Double.init).reversed(), count: 3) == [3, 6, 9])
        // A bowl x^2 sampled at -3 ... 3: the levels crowd towards its bottom.
        #expect(ContourLines.quantileLevels([9, 4, 1, 0, 1, 4, 9, .nan], count: 2) == [1, 4])
        #expect(ContourLines.quantileLevels([5, 5, 5, .infinity], count: 12) == [])
    }
}
