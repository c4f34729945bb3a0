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
        var document = titledDocument(panels: panels, title: data.title)
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

    /// A document `panels` panels wide on a white ground, with `title` centred above them.
    static func titledDocument(panels: Double, title: String) -> SVGDocument {
        var document = SVGDocument(width: panelWidth * panels, height: titleHeight + panelHeight)
        document.element("rect", ["width": .px(document.width), "height": .px(document.height), "fill": "white"])
        document.element("text", ["class": "title", "x": .px(document.width / 2), "y": 26,
                                  "text-anchor": "middle", "font-size": 16, "fill": "#111"],
                         text: title)
        return document
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
}
