/// The `--plot FILE.svg` picture of a training run, written by Slope itself as a standalone SVG.
///
/// On the left, the loss at every step, on a log axis when the losses are positive and fall by
/// more than three decades. On the right, for programs with one or two scalar params, the
/// objective itself with the path the optimizer took: a curve f(x) with the steps as dots on
/// it, or a contour map of f(x, y) with the steps as a polyline. The output depends only on the
/// input, byte for byte.
public enum SVGPlot {
    /// One panel's share of the picture, in pixels, and the plot area's margins inside it.
    static let panelWidth = 500.0
    static let panelHeight = 440.0
    static let titleHeight = 40.0
    static let margin = (left: 78.0, right: 22.0, top: 34.0, bottom: 56.0)

    /// A standalone SVG document. `evaluate` computes the objective at given param values
    /// (count = parameterNames.count); it is nil or unused when there are not 1 or 2 scalar
    /// params.
    public static func render(_ data: TrainingPlotData, evaluate: (([Double]) -> Double)?) -> String {
        let walk = ParameterWalk(data)
        let panels = walk == nil ? 1.0 : 2.0
        var document = SVGDocument(width: panelWidth * panels, height: titleHeight + panelHeight)
        document.element("rect", ["width": .px(document.width), "height": .px(document.height), "fill": "white"])
        document.element("text", ["class": "title", "x": .px(document.width / 2), "y": 26,
                                  "text-anchor": "middle", "font-size": 16, "fill": "#111"],
                         text: data.title)
        drawLosses(data, in: panel(at: 0), document: &document)
        if let walk {
            if walk.names.count == 1 {
                drawCurve(walk, losses: data.losses, evaluate: evaluate, in: panel(at: 1), document: &document)
            } else {
                drawContours(walk, evaluate: evaluate, in: panel(at: 1), document: &document)
            }
        }
        return document.rendered()
    }

    /// The plot area of the `index`-th panel from the left, with placeholder ticks.
    static func panel(at index: Int) -> PlotPanel {
        let unit = AxisTicks.linear(covering: 0, 1)
        return PlotPanel(left: panelWidth * Double(index) + margin.left, top: titleHeight + margin.top,
                         width: panelWidth - margin.left - margin.right,
                         height: panelHeight - margin.top - margin.bottom,
                         xTicks: unit, yTicks: unit, id: "panel\(index)")
    }

    /// The range of the finite `values` widened by `fraction` of its width on each side, so
    /// what is drawn does not touch the frame; a single value gets a range around it.
    static func paddedRange(_ values: [Double], fraction: Double) -> (Double, Double)? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        let span = high - low
        let pad = span > Swift.abs(high) * 1e-9 ? span * fraction : max(Swift.abs(high) * 0.5, 1)
        let range = (low - pad, high + pad)
        return range.0.isFinite && range.1.isFinite ? range : (low, high)
    }

    /// Splits points into runs of consecutive finite ones, so a curve is broken, not bent,
    /// where the function is undefined.
    static func finiteRuns(_ points: [PlotPoint?]) -> [[PlotPoint]] {
        var runs: [[PlotPoint]] = [[]]
        for point in points {
            if let point, point.x.isFinite, point.y.isFinite {
                runs[runs.count - 1].append(point)
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// The optimizer's path in pixels: a thin line through the steps in order, a dot per step,
    /// a ring at the start and a filled ring at the end, each labelled.
    static func drawPath(_ points: [PlotPoint], startLabel: String, endLabel: String, in panel: PlotPanel,
                         document: inout SVGDocument) {
        guard let start = points.first, let end = points.last else { return }
        let pathColour = "#d62728"
        document.open("g", ["class": "path", "clip-path": .text("url(#clip-\(panel.id))")])
        document.element("path", ["class": "path-line", "d": .text(SVGDocument.pathData([points])), "fill": "none",
                                  "stroke": .text(pathColour), "stroke-width": 1.3, "stroke-linejoin": "round",
                                  "stroke-linecap": "round"])
        let radius = points.count <= 60 ? 3.0 : 2.0
        for point in points {
            document.element("circle", ["class": "path-point", "cx": .px(point.x), "cy": .px(point.y),
                                        "r": .px(radius), "fill": .text(pathColour)])
        }
        document.element("circle", ["class": "start-marker", "cx": .px(start.x), "cy": .px(start.y), "r": 6.5,
                                    "fill": "none", "stroke": "#2ca02c", "stroke-width": 2.5])
        document.element("circle", ["class": "end-marker", "cx": .px(end.x), "cy": .px(end.y), "r": 6.5,
                                    "fill": "#ffffff", "fill-opacity": 0.6, "stroke": "#111", "stroke-width": 2.5])
        document.close("g")
        drawMarkerLabel(startLabel, at: start, above: start.y <= end.y, colour: "#1e7b1e", className: "start-label",
                        in: panel, document: &document)
        drawMarkerLabel(endLabel, at: end, above: start.y > end.y, colour: "#111", className: "end-label",
                        in: panel, document: &document)
    }

    /// A label beside a marker, on the side of the panel with more room, over a white halo so it
    /// stays readable on top of contour lines.
    private static func drawMarkerLabel(_ text: String, at point: PlotPoint, above: Bool, colour: String,
                                        className: String, in panel: PlotPanel, document: inout SVGDocument) {
        let leftHalf = point.x < panel.left + panel.width / 2
        let x = point.x + (leftHalf ? 10 : -10)
        var y = point.y + (above ? -10 : 18)
        y = min(max(y, panel.top + 14), panel.bottom - 6)
        document.element("text", ["class": .text(className), "x": .px(x), "y": .px(y),
                                  "text-anchor": .text(leftHalf ? "start" : "end"), "font-size": 12,
                                  "font-weight": "bold", "fill": .text(colour), "stroke": "white",
                                  "stroke-width": 3, "stroke-linejoin": "round", "paint-order": "stroke"],
                         text: text)
    }
}

/// The params' path through a training run, when there are one or two scalar params: the
/// steps whose values are all finite, in order.
struct ParameterWalk {
    var names: [String]
    /// (step, values) for each usable step.
    var steps: [(index: Int, values: [Double])]

    init?(_ data: TrainingPlotData) {
        guard data.parameterNames.count == 1 || data.parameterNames.count == 2 else { return nil }
        names = data.parameterNames
        steps = data.path.enumerated()
            .filter { $0.element.count == data.parameterNames.count && $0.element.allSatisfy(\.isFinite) }
            .map { (index: $0.offset, values: $0.element) }
        guard !steps.isEmpty else { return nil }
    }

    /// The values of the `axis`-th param at every usable step.
    func values(_ axis: Int) -> [Double] { steps.map { $0.values[axis] } }

    /// "(3, 3)" or "x = 3": a point of the path in words.
    func describe(_ values: [Double]) -> String {
        let numbers = values.map { PlotNumberFormat.compact($0) }
        if names.count == 1 { return "\(names[0]) = \(numbers.first ?? "")" }
        return "(" + numbers.joined(separator: ", ") + ")"
    }
}
