/// The `--plot FILE.svg` picture of a printed integral: the integrand g over [a, b] and a margin
/// on either side, with the area between the curve and the axis over [a, b] shaded — "the
/// integral is the area under the curve", drawn.
public struct AreaPlotData: Sendable {
    /// The picture's heading: `integral(v, 0, 2) = 12`.
    public var title: String
    /// The function drawn, as `v(t)`.
    public var function: String
    public var variable: String
    /// The bounds as written in the call (a may exceed b).
    public var lower: Double
    public var upper: Double
    /// The integral's value (NaN when it could not be evaluated).
    public var value: Double

    public init(title: String, function: String, variable: String, lower: Double, upper: Double, value: Double) {
        self.title = title
        self.function = function
        self.variable = variable
        self.lower = lower
        self.upper = upper
        self.value = value
    }
}

extension SVGPlot {
    /// A standalone SVG document of one panel; `evaluate` computes g at a point.
    public static func render(_ data: AreaPlotData, evaluate: (Double) -> Double) -> String {
        var document = titledDocument(panels: 1, title: data.title)
        var panel = panel(at: 0)
        let low = Swift.min(data.lower, data.upper), high = Swift.max(data.lower, data.upper)
        guard low.isFinite && high.isFinite else {
            panel.drawAxes(title: "area under \(data.function)", xLabel: data.variable, yLabel: data.function, in: &document)
            return document.rendered()
        }
        // A tenth of the interval on either side shows where the area starts and ends.
        let margin = high > low ? 0.1 * (high - low) : Swift.max(1, Swift.abs(low) * 0.1)
        panel.xTicks = AxisTicks.linear(covering: low - margin, high + margin)
        let curve = sampleCurve({ evaluate($0[0]) }, along: panel.xTicks)
        let area = (0..<curveSamples).map { index -> PlotPoint in
            let x = low + (high - low) * Double(index) / Double(curveSamples - 1)
            return PlotPoint(x: x, y: evaluate(x))
        }
        // The axis (g = 0) is always in view: the area is measured from it.
        let heights = paddedRange(curve.map(\.y) + area.map(\.y) + [0], fraction: 0.06) ?? (0, 1)
        panel.yTicks = AxisTicks.linear(covering: heights.0, heights.1)
        panel.drawAxes(title: "area under \(data.function) from \(PlotNumberFormat.compact(data.lower)) to "
                              + "\(PlotNumberFormat.compact(data.upper))",
                       xLabel: data.variable, yLabel: data.function, in: &document)
        drawArea(area, in: panel, document: &document)
        drawFunctionCurve(curve, in: panel, document: &document)
        // The bounds, dashed, from the axis to the curve's range.
        for bound in [data.lower, data.upper] {
            let top = panel.pixel(PlotPoint(x: bound, y: panel.yTicks.upper)), bottom = panel.pixel(PlotPoint(x: bound, y: panel.yTicks.lower))
            document.element("line", ["class": "bound", "x1": .px(top.x), "y1": .px(top.y), "x2": .px(bottom.x), "y2": .px(bottom.y),
                                      "stroke": "#555", "stroke-width": 1, "stroke-dasharray": "4 3",
                                      "clip-path": .text("url(#clip-\(panel.id))")])
        }
        let middle = 0.5 * (low + high)
        let label = "area = " + PlotNumberFormat.compact(data.value, significantDigits: 6)
        let height = evaluate(middle)
        let anchor = panel.pixel(PlotPoint(x: middle, y: height.isFinite ? height / 2 : 0))
        drawMarkerLabel(label, at: anchor, away: PlotPoint(x: 0, y: 0), colour: "#0b4f8a", className: "area-label",
                        in: panel, document: &document)
        return document.rendered()
    }

    /// The region between the curve and the axis over the bounds, one filled shape per run of
    /// finite values (so a pole inside leaves a gap rather than a spike).
    static func drawArea(_ points: [PlotPoint], in panel: PlotPanel, document: inout SVGDocument) {
        let pixels = points.map { $0.y.isFinite ? panel.pixel($0) : nil }
        var shapes: [String] = []
        for run in finiteRuns(pixels) where run.count >= 2 {
            let base = panel.pixel(PlotPoint(x: 0, y: 0)).y
            var run = run
            run.insert(PlotPoint(x: run[0].x, y: base), at: 0)
            run.append(PlotPoint(x: run[run.count - 1].x, y: base))
            shapes.append(SVGDocument.pathData([run]) + " Z")
        }
        document.element("path", ["class": "area", "d": .text(shapes.joined(separator: " ")), "fill": "#1f77b4",
                                  "fill-opacity": 0.22, "stroke": "none", "clip-path": .text("url(#clip-\(panel.id))")])
        let axis = panel.pixel(PlotPoint(x: panel.xTicks.lower, y: 0)), end = panel.pixel(PlotPoint(x: panel.xTicks.upper, y: 0))
        document.element("line", ["class": "axis", "x1": .px(axis.x), "y1": .px(axis.y), "x2": .px(end.x), "y2": .px(end.y),
                                  "stroke": "#888", "stroke-width": 1, "clip-path": .text("url(#clip-\(panel.id))")])
    }
}
