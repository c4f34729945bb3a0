/// The right panel for a program with one scalar param: the objective f(x) over a range
/// covering the optimizer's path, with each step drawn as a dot on the curve.
extension SVGPlot {
    /// How many points of f are sampled for the curve.
    static let curveSamples = 200

    static func drawCurve(_ walk: ParameterWalk, losses: [Double], evaluate: (([Double]) -> Double)?,
                          in frame: PlotPanel, document: inout SVGDocument) {
        let name = walk.names.first ?? "x"
        let xs = walk.values(0)
        guard let (low, high) = paddedRange(xs, fraction: 0.3) else { return }
        var panel = frame
        panel.xTicks = AxisTicks.linear(covering: low, high)

        let curve = evaluate.map { sampleCurve($0, along: panel.xTicks) } ?? []
        // A step lies on the curve: f at the step's x, or the recorded loss without `evaluate`.
        let steps: [PlotPoint] = walk.steps.compactMap { step in
            let x = step.values[0]
            let y = evaluate?([x]) ?? (step.index < losses.count ? losses[step.index] : .nan)
            return y.isFinite ? PlotPoint(x: x, y: y) : nil
        }
        // A little headroom below the lowest point leaves room for a marker's label there.
        let heights = paddedRange(curve.map(\.y) + steps.map(\.y), fraction: 0.06) ?? (0, 1)
        panel.yTicks = AxisTicks.linear(covering: heights.0, heights.1)

        let objective = "f(\(name))"
        panel.drawAxes(title: "\(objective) and the path", xLabel: name, yLabel: objective, in: &document)
        drawFunctionCurve(curve, in: panel, document: &document)
        guard let first = steps.first, let last = steps.last else { return }
        drawPath(steps.map(panel.pixel), startLabel: "start " + walk.describe([first.x]),
                 endLabel: "end " + walk.describe([last.x]), in: panel, document: &document)
    }

    /// f at `curveSamples` points spread over the axis, ends included.
    static func sampleCurve(_ f: ([Double]) -> Double, along ticks: AxisTicks) -> [PlotPoint] {
        let span = ticks.upper - ticks.lower
        return (0..<curveSamples).map { index in
            let x = ticks.lower + span * Double(index) / Double(curveSamples - 1)
            return PlotPoint(x: x, y: f([x]))
        }
    }

    /// The curve through `points` (in data units), broken where f is not finite.
    static func drawFunctionCurve(_ points: [PlotPoint], in panel: PlotPanel, document: inout SVGDocument) {
        let pixels = points.map { $0.y.isFinite ? panel.pixel($0) : nil }
        document.element("path", ["class": "function-curve", "d": .text(SVGDocument.pathData(finiteRuns(pixels))),
                                  "fill": "none", "stroke": "#1f77b4", "stroke-width": 2,
                                  "stroke-linejoin": "round", "clip-path": .text("url(#clip-\(panel.id))")])
    }
}
