import Foundation
import Testing
@testable import SlopeCore

@Suite struct PlotThinningTests {
    @Test func shortRunsKeepEveryPoint() {
        let points = (0..<PlotThinning.limit).map { PlotPoint(x: 0, y: Double($0)) }
        #expect(PlotThinning.columns(points) == points)
        #expect(PlotThinning.spaced(points, distance: 5) == points)
    }

    @Test func columnsKeepFirstLowestHighestAndLastOfEachPixelColumn() {
        // 3000 points, 1000 per pixel column, y = index % 3 except a dip to -5 at index 500 and
        // a peak of 9 at index 1250.
        let points = (0..<3000).map { index -> PlotPoint in
            let y: Double = index == 500 ? -5 : index == 1250 ? 9 : Double(index % 3)
            return PlotPoint(x: Double(index) / 1000, y: y)
        }
        // Column 0: first 0, highest 2 (the first 2), lowest 500, last 999.
        // Column 1: first 1000 (y 1), lowest 1002 (the first 0), highest 1250, last 1999.
        // Column 2: first 2000 (y 2, also the highest), lowest 2001, last 2999.
        let expected = [0, 2, 500, 999, 1000, 1002, 1250, 1999, 2000, 2001, 2999].map { points[$0] }
        #expect(PlotThinning.columns(points) == expected)
    }

    @Test func spacedDropsPointsOnTopOfEachOther() {
        // 5000 steps converging geometrically onto x = 100: after a few they share a pixel.
        let points = (0..<5000).map { PlotPoint(x: 100 + 50 * pow(0.5, Double($0)), y: 100) }
        let kept = PlotThinning.spaced(points, distance: 2)
        #expect(kept.first == points.first)
        #expect(kept.last == points.last)
        // 150, 125, 112.5, 106.25, 103.125, 101.5625, then the last: every later step is
        // within 2 pixels of 101.5625.
        #expect(kept.count == 7)
    }
}
