/// The `--plot FILE.svg` picture of a program that trains nothing: a printed value as a function
/// of one or two scalar variables over a box around their current values, with the current
/// point marked — the curve f(x), or a contour map of f(x, y).
public struct FunctionPlotData: Sendable {
    /// The picture's heading, e.g. "f around x = 1, y = 2".
    public var title: String
    /// What is drawn: `f(x, y)` for a printed name, else the printed expression.
    public var function: String
    /// The printed name (`f`), for the label of the current point; nil for an expression.
    public var valueName: String?
    /// The variables, one or two.
    public var names: [String]
    /// Their current values: the point marked.
    public var point: [Double]
    /// The range drawn for each variable.
    public var ranges: [ClosedRange<Double>]

    public init(title: String, function: String, valueName: String? = nil, names: [String], point: [Double],
                ranges: [ClosedRange<Double>]) {
        self.title = title
        self.function = function
        self.valueName = valueName
        self.names = names
        self.point = point
        self.ranges = ranges
    }
}

extension SVGPlot {
    /// A standalone SVG document of one panel; `evaluate` computes the function at given values
    /// of the variables (count = names.count, which is 1 or 2).
    public static func render(_ data: FunctionPlotData, evaluate: ([Double]) -> Double) -> String {
        var document = titledDocument(panels: 1, title: data.title)
        var panel = panel(at: 0)
        let value = evaluate(data.point)
        let values = data.point.map { PlotNumberFormat.compact($0) }
        // "x = 0.5, f = -0.375", or "x = 0.5: -0.375" for a printed expression.
        let valueText = (data.valueName.map { ", \($0) = " } ?? ": ") + PlotNumberFormat.compact(value)
        if data.names.count == 1 {
            panel.xTicks = AxisTicks.linear(covering: data.ranges[0].lowerBound, data.ranges[0].upperBound)
            let curve = sampleCurve(evaluate, along: panel.xTicks)
            let heights = paddedRange(curve.map(\.y) + [value], fraction: 0.06) ?? (0, 1)
            panel.yTicks = AxisTicks.linear(covering: heights.0, heights.1)
            panel.drawAxes(title: data.function, xLabel: data.names[0], yLabel: data.function, in: &document)
            drawFunctionCurve(curve, in: panel, document: &document)
            if value.isFinite && data.point[0].isFinite {
                drawCurrentPoint(panel.pixel(PlotPoint(x: data.point[0], y: value)),
                                 label: "\(data.names[0]) = \(values[0])" + valueText,
                                 in: panel, document: &document)
            }
        } else {
            panel.xTicks = AxisTicks.linear(covering: data.ranges[0].lowerBound, data.ranges[0].upperBound)
            panel.yTicks = AxisTicks.linear(covering: data.ranges[1].lowerBound, data.ranges[1].upperBound)
            panel.drawAxes(title: "contours of \(data.function)", xLabel: data.names[0], yLabel: data.names[1], in: &document)
            drawContourMap(evaluate, in: panel, document: &document)
            guard data.point.allSatisfy(\.isFinite) else { return document.rendered() }
            drawCurrentPoint(panel.pixel(PlotPoint(x: data.point[0], y: data.point[1])),
                             label: "(\(values.joined(separator: ", ")))" + valueText,
                             in: panel, document: &document)
        }
        return document.rendered()
    }

    /// The current point: a ring like a path's end, labelled with where it is and the value there.
    static func drawCurrentPoint(_ point: PlotPoint, label: String, in panel: PlotPanel, document: inout SVGDocument) {
        document.element("circle", ["class": "current-point", "cx": .px(point.x), "cy": .px(point.y), "r": 6.5,
                                    "fill": "#ffffff", "fill-opacity": 0.6, "stroke": "#d62728", "stroke-width": 2.5,
                                    "clip-path": .text("url(#clip-\(panel.id))")])
        drawMarkerLabel(label, at: point, away: PlotPoint(x: 0, y: 0), colour: "#111", className: "current-label",
                        in: panel, document: &document)
    }
}
