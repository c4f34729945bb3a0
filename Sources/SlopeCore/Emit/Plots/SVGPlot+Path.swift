/// The optimizer's path drawn over a function panel: line, dots, markers and their labels.
extension SVGPlot {
    /// The optimizer's path in pixels: a thin line through the steps in order, a dot per step,
    /// a ring at the start and a filled ring at the end, each labelled.
    static func drawPath(_ points: [PlotPoint], startLabel: String, endLabel: String, in panel: PlotPanel,
                         document: inout SVGDocument) {
        guard let start = points.first, let end = points.last else { return }
        let pathColour = "#d62728"
        document.open("g", ["class": "path", "clip-path": .text("url(#clip-\(panel.id))")])
        // Thousands of steps that converge pile up on the same pixels: beyond `PlotThinning.limit`
        // points, the line keeps a point per half pixel and the dots one per two pixels.
        let line = PlotThinning.spaced(points, distance: 0.5)
        let dots = PlotThinning.spaced(points, distance: 2)
        document.element("path", ["class": "path-line", "d": .text(SVGDocument.pathData([line])), "fill": "none",
                                  "stroke": .text(pathColour), "stroke-width": 1.3, "stroke-linejoin": "round",
                                  "stroke-linecap": "round"])
        let radius = points.count <= 60 ? 3.0 : 2.0
        for point in dots {
            document.element("circle", ["class": "path-point", "cx": .px(point.x), "cy": .px(point.y),
                                        "r": .px(radius), "fill": .text(pathColour)])
        }
        document.element("circle", ["class": "start-marker", "cx": .px(start.x), "cy": .px(start.y), "r": 6.5,
                                    "fill": "none", "stroke": "#2ca02c", "stroke-width": 2.5])
        document.element("circle", ["class": "end-marker", "cx": .px(end.x), "cy": .px(end.y), "r": 6.5,
                                    "fill": "#ffffff", "fill-opacity": 0.6, "stroke": "#111", "stroke-width": 2.5])
        document.close("g")
        // Labels point away from the bulk of the path, so they sit beside it rather than on it.
        let centre = PlotPoint(x: points.map(\.x).reduce(0, +) / Double(points.count),
                               y: points.map(\.y).reduce(0, +) / Double(points.count))
        var startSide = PlotPoint(x: start.x - centre.x, y: start.y - centre.y)
        var endSide = PlotPoint(x: end.x - centre.x, y: end.y - centre.y)
        if Swift.abs(start.x - end.x) + Swift.abs(start.y - end.y) < 40 {
            // Markers close together: one label above, one below.
            startSide = PlotPoint(x: 1, y: -1)
            endSide = PlotPoint(x: 1, y: 1)
        }
        drawMarkerLabel(startLabel, at: start, away: startSide, colour: "#1e7b1e", className: "start-label",
                        in: panel, document: &document)
        drawMarkerLabel(endLabel, at: end, away: endSide, colour: "#111", className: "end-label",
                        in: panel, document: &document)
    }

    /// A label beside a marker, on the side `away` points to (up and right when it is zero),
    /// moved to the other side where it would leave the panel, over a white halo so it stays
    /// readable on top of contour lines.
    static func drawMarkerLabel(_ text: String, at point: PlotPoint, away: PlotPoint, colour: String,
                                        className: String, in panel: PlotPanel, document: inout SVGDocument) {
        let isZero = Swift.abs(away.x) + Swift.abs(away.y) < 1
        var right = isZero || away.x >= 0
        var above = isZero || away.y < 0
        // About 7 pixels per character of 12-pixel bold text.
        let textWidth = 7 * Double(text.count)
        if right && point.x + 10 + textWidth > panel.right { right = false }
        else if !right && point.x - 10 - textWidth < panel.left { right = true }
        if above && point.y - 10 < panel.top + 14 { above = false }
        else if !above && point.y + 18 > panel.bottom - 6 { above = true }
        document.element("text", ["class": .text(className), "x": .px(point.x + (right ? 10 : -10)),
                                  "y": .px(point.y + (above ? -10 : 18)),
                                  "text-anchor": .text(right ? "start" : "end"), "font-size": 12,
                                  "font-weight": "bold", "fill": .text(colour), "stroke": "white",
                                  "stroke-width": 4, "stroke-linejoin": "round", "paint-order": "stroke"],
                         text: text)
    }
}
