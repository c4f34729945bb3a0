/// The right panel for a program with two scalar params: a contour map of the objective over a
/// box covering the optimizer's path, with the path drawn over it.
extension SVGPlot {
    /// Grid points per side where f is sampled, and how many contour levels are drawn.
    static let contourGridSize = 81
    static let contourLevelCount = 12

    static func drawContours(_ walk: ParameterWalk, evaluate: (([Double]) -> Double)?, in frame: PlotPanel,
                             document: inout SVGDocument) {
        guard walk.names.count == 2,
              let xRange = paddedRange(walk.values(0), fraction: 0.3),
              let yRange = paddedRange(walk.values(1), fraction: 0.3) else { return }
        var panel = frame
        panel.xTicks = AxisTicks.linear(covering: xRange.0, xRange.1)
        panel.yTicks = AxisTicks.linear(covering: yRange.0, yRange.1)
        panel.drawAxes(title: "contours of f(\(walk.names[0]), \(walk.names[1])) and the path",
                       xLabel: walk.names[0], yLabel: walk.names[1], in: &document)

        if let evaluate { drawContourMap(evaluate, in: panel, document: &document) }

        let steps = walk.steps.map { panel.pixel(PlotPoint(x: $0.values[0], y: $0.values[1])) }
        guard let first = walk.steps.first, let last = walk.steps.last else { return }
        drawPath(steps, startLabel: "start " + walk.describe(first.values),
                 endLabel: "end " + walk.describe(last.values), in: panel, document: &document)
    }

    /// f sampled over the panel's box, as light bands under quantile-spaced contour lines.
    static func drawContourMap(_ evaluate: ([Double]) -> Double, in panel: PlotPanel, document: inout SVGDocument) {
        let grid = SampledGrid(x: panel.xTicks.lower...panel.xTicks.upper,
                               y: panel.yTicks.lower...panel.yTicks.upper,
                               columns: contourGridSize, rows: contourGridSize) { evaluate([$0, $1]) }
        let levels = ContourLines.quantileLevels(grid.values, count: contourLevelCount)
        drawBands(grid, levels: levels, in: panel, document: &document)
        document.open("g", ["class": "contours", "fill": "none", "stroke-width": 1.2,
                            "clip-path": .text("url(#clip-\(panel.id))")])
        for (index, level) in levels.enumerated() {
            let segments = ContourLines.segments(of: grid, at: level)
            let runs = segments.map { [panel.pixel($0.0), panel.pixel($0.1)] }
            let shade = levels.count > 1 ? Double(index) / Double(levels.count - 1) : 0.5
            document.element("path", ["class": "contour", "data-level": .text(PlotNumberFormat.compact(level)),
                                      "d": .text(SVGDocument.pathData(runs)),
                                      "stroke": .text(PlotColour.viridis(0.9 * shade))])
        }
        document.close("g")
    }

    /// A light fill under the lines: each grid cell takes the colour of the band between two
    /// levels that holds the mean of its corners, and runs of equal cells along a row are
    /// merged into one rectangle. Cells with a non-finite corner stay white.
    private static func drawBands(_ grid: SampledGrid, levels: [Double], in panel: PlotPanel,
                                  document: inout SVGDocument) {
        guard !levels.isEmpty, grid.xs.count >= 2, grid.ys.count >= 2 else { return }
        document.open("g", ["class": "bands", "stroke": "none", "shape-rendering": "crispEdges"])
        for row in 0..<(grid.ys.count - 1) {
            var runStart = 0
            var runBand: Int? = nil
            for column in 0...(grid.xs.count - 1) {
                var band: Int? = nil
                if column < grid.xs.count - 1 {
                    let corners = [grid[column, row], grid[column + 1, row], grid[column, row + 1],
                                   grid[column + 1, row + 1]]
                    if corners.allSatisfy(\.isFinite) {
                        let mean = corners.reduce(0, +) / 4
                        band = levels.filter { $0 <= mean }.count
                    }
                }
                if column > 0 && band == runBand { continue }
                if let runBand {
                    let topLeft = panel.pixel(PlotPoint(x: grid.xs[runStart], y: grid.ys[row + 1]))
                    let bottomRight = panel.pixel(PlotPoint(x: grid.xs[column], y: grid.ys[row]))
                    let shade = 0.9 * Double(runBand) / Double(levels.count)
                    document.element("rect", ["x": .px(topLeft.x), "y": .px(topLeft.y),
                                              "width": .px(bottomRight.x - topLeft.x),
                                              "height": .px(bottomRight.y - topLeft.y),
                                              "fill": .text(PlotColour.lightViridis(shade, whiteness: 0.8))])
                }
                (runStart, runBand) = (column, band)
            }
        }
        document.close("g")
    }
}
