import Foundation

/// One plot inside an `SVGPlot` picture: a pixel rectangle (the plot area, without the tick
/// labels around it), the ticks of its two axes, and the mapping from data to pixels. It draws
/// its own frame, grid, ticks, labels and title; the caller draws the data on top.
struct PlotPanel {
    /// The plot area in pixels; y grows downward, as in SVG.
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var xTicks: AxisTicks
    var yTicks: AxisTicks
    /// Unique within the document: names the clip path that keeps data inside the frame.
    var id: String

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// The pixel for a point in data units. A log axis maps log10 of the value; callers keep
    /// non-positive values off log axes.
    func pixel(_ point: PlotPoint) -> PlotPoint {
        PlotPoint(x: left + width * Self.fraction(point.x, along: xTicks),
                  y: bottom - height * Self.fraction(point.y, along: yTicks))
    }

    /// Frame, light grid lines at the ticks, tick marks and labels, the axis labels and the
    /// panel's title; then a clip path `clip-<id>` for the data drawn inside.
    func drawAxes(title: String, xLabel: String, yLabel: String, in document: inout SVGDocument) {
        document.open("g", ["class": "grid", "stroke": "#e4e4e4", "stroke-width": 1])
        for value in xTicks.values {
            let x = pixel(PlotPoint(x: value, y: yTicks.lower)).x
            document.element("line", ["x1": .px(x), "y1": .px(top), "x2": .px(x), "y2": .px(bottom)])
        }
        for value in yTicks.values {
            let y = pixel(PlotPoint(x: xTicks.lower, y: value)).y
            document.element("line", ["x1": .px(left), "y1": .px(y), "x2": .px(right), "y2": .px(y)])
        }
        document.close("g")

        document.element("rect", ["class": "frame", "x": .px(left), "y": .px(top), "width": .px(width),
                                  "height": .px(height), "fill": "none", "stroke": "#444", "stroke-width": 1])

        document.open("g", ["class": "ticks", "font-size": 11, "fill": "#333"])
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let x = pixel(PlotPoint(x: value, y: yTicks.lower)).x
            document.element("line", ["x1": .px(x), "y1": .px(bottom), "x2": .px(x), "y2": .px(bottom + 5),
                                      "stroke": "#444"])
            document.element("text", ["x": .px(x), "y": .px(bottom + 18), "text-anchor": "middle"], text: label)
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let y = pixel(PlotPoint(x: xTicks.lower, y: value)).y
            document.element("line", ["x1": .px(left - 5), "y1": .px(y), "x2": .px(left), "y2": .px(y),
                                      "stroke": "#444"])
            document.element("text", ["x": .px(left - 8), "y": .px(y + 4), "text-anchor": "end"], text: label)
        }
        document.close("g")

        let labelWidth = yTicks.labels.map(\.count).max() ?? 1
        let yLabelX = left - 16 - 6.5 * Double(labelWidth)
        document.element("text", ["class": "axis-label", "x": .px(left + width / 2), "y": .px(bottom + 38),
                                  "text-anchor": "middle", "font-size": 13], text: xLabel)
        document.element("text", ["class": "axis-label", "x": .px(yLabelX), "y": .px(top + height / 2),
                                  "text-anchor": "middle", "font-size": 13,
                                  "transform": .text("rotate(-90 \(PlotNumberFormat.pixel(yLabelX)) \(PlotNumberFormat.pixel(top + height / 2)))")],
                         text: yLabel)
        document.element("text", ["class": "panel-title", "x": .px(left + width / 2), "y": .px(top - 10),
                                  "text-anchor": "middle", "font-size": 13, "font-weight": "bold",
                                  "fill": "#333"], text: title)

        document.open("clipPath", ["id": .text("clip-\(id)")])
        document.element("rect", ["x": .px(left), "y": .px(top), "width": .px(width), "height": .px(height)])
        document.close("clipPath")
    }

    /// The point's position along the axis as a fraction of its length (0 at `lower`).
    private static func fraction(_ value: Double, along ticks: AxisTicks) -> Double {
        if ticks.isLogarithmic {
            let low = log10(ticks.lower), high = log10(ticks.upper)
            return high > low ? (log10(value) - low) / (high - low) : 0.5
        }
        return ticks.upper > ticks.lower ? (value - ticks.lower) / (ticks.upper - ticks.lower) : 0.5
    }
}
