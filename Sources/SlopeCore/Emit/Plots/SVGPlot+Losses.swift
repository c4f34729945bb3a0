/// The left panel of a training plot: the loss by step.
extension SVGPlot {
    /// Losses that are all positive and spread over more than this factor get a log axis, where
    /// the steady geometric decrease of gradient descent near a minimum is a straight line.
    static let logScaleSpread = 1e3

    static func drawLosses(_ data: TrainingPlotData, in frame: PlotPanel, document: inout SVGDocument) {
        let noun = (data.perBatch ? "batch " : "") + (data.maximize ? "objective" : "loss")
        let finite = data.losses.filter(\.isFinite)
        let logarithmic = usesLogScale(finite)
        var panel = frame
        let lastStep = Double(max(data.steps.last ?? 0, 1))
        panel.xTicks = stepTicks(lastStep)
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
        if let fullData = data.fullData {
            summary = "full data: initial \(PlotNumberFormat.compact(fullData.initial)), final \(PlotNumberFormat.compact(fullData.final))"
        } else if let first = data.losses.first(where: \.isFinite), let last = data.losses.last(where: \.isFinite) {
            summary = "initial \(PlotNumberFormat.compact(first)), final \(PlotNumberFormat.compact(last))"
        } else {
            summary = "no finite \(noun) values"
        }
        document.element("text", ["class": "loss-summary", "x": .px(panel.right - 8), "y": .px(panel.top + 18),
                                  "text-anchor": "end", "font-size": 12, "fill": "#333", "stroke": "white",
                                  "stroke-width": 3, "stroke-linejoin": "round", "paint-order": "stroke"],
                         text: summary)
    }

    /// Ticks for the step axis, which ends at the last step, or as little beyond it as 1-2-5
    /// ticks allow: 7000 steps get ticks every 1000 (seven intervals), not every 2000 to 8000.
    /// At most one tick per step: a three-step run is labelled 0, 1, 2, 3 and not 0.5, 1.5.
    static func stepTicks(_ lastStep: Double) -> AxisTicks {
        let most = Int(lastStep)
        let candidates = [5, 4, 6, 7, 8].map { min($0, most) }.map { AxisTicks.linear(covering: 0, lastStep, intervals: $0) }
        return candidates.min { $0.upper < $1.upper } ?? AxisTicks.linear(covering: 0, lastStep)
    }

    /// True when every loss is positive and the largest exceeds the smallest by `logScaleSpread`.
    static func usesLogScale(_ finiteLosses: [Double]) -> Bool {
        guard let low = finiteLosses.min(), let high = finiteLosses.max(), low > 0 else { return false }
        return high / low > logScaleSpread
    }
}
