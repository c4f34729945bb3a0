/// Fewer points for long runs, with the same picture. A million-step run would otherwise write a
/// million points into the SVG, most of them on the same pixel. Below `limit` points nothing is
/// dropped, so short runs show every step.
enum PlotThinning {
    static let limit = 2000

    /// For a curve whose x (in pixels) only grows: per pixel column, the first, lowest, highest
    /// and last points, in their original order. A line through them covers the same pixels as a
    /// line through all the points in that column.
    static func columns(_ run: [PlotPoint]) -> [PlotPoint] {
        guard run.count > limit else { return run }
        var kept: [PlotPoint] = []
        var first = 0
        while first < run.count {
            let column = run[first].x.rounded(.down)
            var last = first
            var lowest = first, highest = first
            while last + 1 < run.count && run[last + 1].x.rounded(.down) == column {
                last += 1
                if run[last].y < run[lowest].y { lowest = last }
                if run[last].y > run[highest].y { highest = last }
            }
            for index in Set([first, lowest, highest, last]).sorted() { kept.append(run[index]) }
            first = last + 1
        }
        return kept
    }

    /// The points with those closer than `distance` pixels to the previously kept one dropped;
    /// the first and last are always kept.
    static func spaced(_ points: [PlotPoint], distance: Double) -> [PlotPoint] {
        guard points.count > limit, let final = points.last else { return points }
        var kept: [PlotPoint] = []
        for point in points.dropLast() {
            if let previous = kept.last,
               Swift.abs(point.x - previous.x) < distance && Swift.abs(point.y - previous.y) < distance {
                continue
            }
            kept.append(point)
        }
        kept.append(final)
        return kept
    }
}
