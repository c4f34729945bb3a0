/// The left panel of a training plot: the loss by step.
extension SVGPlot {
    /// Losses that are all positive and spread over more than this factor get a log axis, where
    /// the steady geometric decrease of gradient descent near a minimum is a straight line.
    static let logScaleSpread = 1e3

    static func drawLosses(_ data: TrainingPlotData, in frame: PlotPanel, document: inout SVGDocument) {
        let noun = data.maximize ? "objective" : "loss"
        let finite = data.losses.filter(\.isFinite)
        let logarithmic = usesLogScale(finite)
        var panel = frame
        let lastStep = Double(max(data.steps.last ?? 0, 1))
        // At most one tick per step: a three-step run is labelled 0, 1, 2, 3 and not 0.5, 1.5.
        panel.xTicks = AxisTicks.linear(covering: 0, lastStep, intervals: min(5, Int(lastStep)))
        if logarithmic, let low = finite.min(), let high = finite.max() {
            panel.yTicks = AxisTicks.logarithmic(covering: low, high)
        } else {
            panel.yTicks = AxisTicks.linear(covering: finite.min() ?? 0, finite.max() ?? 1)
        }
        panel.drawAxes(title: "\(noun) by step", xLabel: "step",
                       yLabel: logarithmic ? "\(noun) (log scale)" : noun, in: &document)

        let points = zip(data.steps, data.losses).map { step, loss -> PlotPoint? in
            loss.isFinite ? panel.pixel(PlotPoint(x: Double(step), y: loss)) : nil
        }
        document.element("path", ["class": "loss-curve", "d": .text(SVGDocument.pathData(finiteRuns(points).map(PlotThinning.columns))),
                                  "fill": "none", "stroke": "#1f77b4", "stroke-width": 1.8,
                                  "stroke-linejoin": "round", "stroke-linecap": "round",
                                  "clip-path": .text("url(#clip-\(panel.id))")])

        let summary: String
        if let first = data.losses.first(where: \.isFinite), let last = data.losses.last(where: \.isFinite) {
            summary = "initial \(PlotNumberFormat.compact(first)), final \(PlotNumberFormat.compact(last))"
        } else {
            summary = "no finite \(noun) values"
        }
        document.element("text", ["class": "loss-summary", "x": .px(panel.right - 8), "y": .px(panel.top + 18),
                                  "text-anchor": "end", "font-size": 12, "fill": "#333", "stroke": "white",
                                  "stroke-width": 3, "stroke-linejoin": "round", "paint-order": "stroke"],
                         text: summary)
    }

    /// True when every loss is positive and the largest exceeds the smallest by `logScaleSpread`.
    static func usesLogScale(_ finiteLosses: [Double]) -> Bool {
        guard let low = finiteLosses.min(), let high = finiteLosses.max(), low > 0 else { return false }
        return high / low > logScaleSpread
    }
}
