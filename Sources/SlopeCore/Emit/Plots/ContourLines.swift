/// Contour lines of a function sampled on a grid, by marching squares, and the levels to draw.
///
/// Each grid cell is classified by which of its four corners lie above the level (value >
/// level), giving one of 16 cases. Where an edge joins a corner above the level to one below,
/// the line crosses it at the linearly interpolated point. The two saddle cases (opposite
/// corners above) are resolved by the cell's mean value: if the centre is above, the corners
/// above are joined through the middle and the lines cut off the corners below, and vice versa.
/// A cell with a non-finite corner is skipped, so a function that is undefined somewhere
/// leaves a gap rather than a broken picture.
enum ContourLines {
    /// A cell edge, named by the side of the cell it lies on.
    private enum Edge { case bottom, right, top, left }

    /// The edges the line joins in each case, indexed by the corners above the level as bits:
    /// 1 bottom-left, 2 bottom-right, 4 top-right, 8 top-left. The saddles 5 and 10 are listed
    /// for a centre below the level; `segments` swaps them when the centre is above.
    private static let cases: [[(Edge, Edge)]] = [
        [],                                  // 0: all below
        [(.left, .bottom)],                  // 1
        [(.bottom, .right)],                 // 2
        [(.left, .right)],                   // 3
        [(.right, .top)],                    // 4
        [(.left, .bottom), (.right, .top)],  // 5: saddle, centre below cuts off BL and TR
        [(.bottom, .top)],                   // 6
        [(.left, .top)],                     // 7
        [(.left, .top)],                     // 8
        [(.bottom, .top)],                   // 9
        [(.bottom, .right), (.left, .top)],  // 10: saddle, centre below cuts off BR and TL
        [(.right, .top)],                    // 11
        [(.left, .right)],                   // 12
        [(.bottom, .right)],                 // 13
        [(.left, .bottom)],                  // 14
        [],                                  // 15: all above
    ]

    /// The pieces of the contour line f = level, each a pair of points in grid coordinates,
    /// cell by cell from the bottom row up and left to right within a row.
    static func segments(of grid: SampledGrid, at level: Double) -> [(PlotPoint, PlotPoint)] {
        var segments: [(PlotPoint, PlotPoint)] = []
        guard grid.xs.count >= 2, grid.ys.count >= 2 else { return segments }
        for row in 0..<(grid.ys.count - 1) {
            for column in 0..<(grid.xs.count - 1) {
                let bottomLeft = grid[column, row], bottomRight = grid[column + 1, row]
                let topRight = grid[column + 1, row + 1], topLeft = grid[column, row + 1]
                let corners = [bottomLeft, bottomRight, topRight, topLeft]
                guard corners.allSatisfy(\.isFinite) else { continue }
                var index = 0
                for (bit, value) in corners.enumerated() where value > level { index |= 1 << bit }
                var edges = cases[index]
                let centre = (bottomLeft + bottomRight + topRight + topLeft) / 4
                if centre > level && index == 5 { edges = cases[10] }
                else if centre > level && index == 10 { edges = cases[5] }
                for (from, to) in edges {
                    let start = crossing(on: from, column: column, row: row, grid: grid, level: level)
                    let end = crossing(on: to, column: column, row: row, grid: grid, level: level)
                    // Corners near ±Double.greatestFiniteMagnitude can overflow the interpolation.
                    let finite = [start.x, start.y, end.x, end.y].allSatisfy(\.isFinite)
                    if finite && start != end { segments.append((start, end)) }
                }
            }
        }
        return segments
    }

    /// About `count` levels at evenly spaced quantiles of the finite values (the k/(count+1)
    /// quantiles, interpolated between order statistics), strictly increasing. In a bowl most
    /// of the area is high up the sides, so evenly spaced values would crowd the rim and leave
    /// the bottom, where the optimizer ends, empty; quantiles give each level an equal share of
    /// the area instead.
    static func quantileLevels(_ values: [Double], count: Int) -> [Double] {
        let sorted = values.filter(\.isFinite).sorted()
        guard let lowest = sorted.first, let highest = sorted.last, highest > lowest, count > 0 else {
            return []
        }
        var levels: [Double] = []
        for k in 1...count {
            let position = Double(k) / Double(count + 1) * Double(sorted.count - 1)
            let below = Int(position.rounded(.down))
            let above = min(below + 1, sorted.count - 1)
            let fraction = position - Double(below)
            let level = sorted[below] + fraction * (sorted[above] - sorted[below])
            if level > (levels.last ?? lowest) && level < highest { levels.append(level) }
        }
        return levels
    }

    /// Where the line crosses one edge of a cell. Each edge is interpolated in one fixed
    /// direction (left to right, bottom to top), so the two cells sharing an edge compute the
    /// same point to the last bit and the pieces meet exactly.
    private static func crossing(on edge: Edge, column: Int, row: Int, grid: SampledGrid, level: Double) -> PlotPoint {
        let (from, to): ((Int, Int), (Int, Int))
        switch edge {
        case .bottom: (from, to) = ((column, row), (column + 1, row))
        case .top: (from, to) = ((column, row + 1), (column + 1, row + 1))
        case .left: (from, to) = ((column, row), (column, row + 1))
        case .right: (from, to) = ((column + 1, row), (column + 1, row + 1))
        }
        let a = grid[from.0, from.1], b = grid[to.0, to.1]
        let t = a == b ? 0.5 : (level - a) / (b - a)
        let x0 = grid.xs[from.0], x1 = grid.xs[to.0]
        let y0 = grid.ys[from.1], y1 = grid.ys[to.1]
        return PlotPoint(x: x0 + t * (x1 - x0), y: y0 + t * (y1 - y0))
    }
}

/// A function of two variables sampled on a regular grid: `values[row * xs.count + column]` is
/// f(xs[column], ys[row]). Rows run up the y axis.
struct SampledGrid {
    let xs: [Double]
    let ys: [Double]
    let values: [Double]

    /// Samples `f` at `columns` × `rows` points spanning the box, corners included.
    init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int, _ f: (Double, Double) -> Double) {
        xs = Self.points(x, count: columns)
        ys = Self.points(y, count: rows)
        var values: [Double] = []
        values.reserveCapacity(xs.count * ys.count)
        for y in ys { for x in xs { values.append(f(x, y)) } }
        self.values = values
    }

    init(xs: [Double], ys: [Double], values: [Double]) {
        precondition(values.count == xs.count * ys.count, "grid needs one value per (x, y) pair")
        self.xs = xs
        self.ys = ys
        self.values = values
    }

    subscript(column: Int, row: Int) -> Double { values[row * xs.count + column] }

    private static func points(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let n = max(2, count)
        let width = range.upperBound - range.lowerBound
        return (0..<n).map { range.lowerBound + width * Double($0) / Double(n - 1) }
    }
}
