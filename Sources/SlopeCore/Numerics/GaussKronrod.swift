import Foundation

/// Adaptive Gauss–Kronrod quadrature, G7–K15, as QUADPACK's QAG (and scipy's `quad`) do it:
/// each interval is integrated by the 15-point Kronrod rule, whose 7-point Gauss subset gives an
/// error estimate for free; the interval with the largest estimated error is bisected until the
/// total estimate is within the tolerance. The integrand is evaluated in batches — all 15 points
/// of every interval being refined at once — so a caller can run one plan over many points.
///
/// Tolerance: the total error estimate must be at most max(relative · |I|, 50 ε · ∫|f|), the
/// second term so an integral that cancels to zero (∫ sin over a period) still converges.
/// The error estimate of one interval is QUADPACK's: with G and K the two rules, and A the
/// Kronrod rule applied to |f − K/(b − a)|, err = A · min(1, (200 |K − G| / A)^1.5), and never less
/// than 50 ε times the Kronrod rule of |f| (what rounding alone can explain).
///
/// Rounding in the integrand itself (a residual (w·x − y)² near a perfect fit, computed with
/// cancellation) can keep the estimate above any relative tolerance: bisecting then no longer
/// changes the value but does not shrink the error either. QUADPACK's QAG counts such
/// bisections (the halves' sum within 1e-5 of the whole, their error at least 0.99 of its
/// error); after six it stops with its best value (ier = 2, which scipy returns with a
/// warning). Here the halves' sum may also move by up to the whole's error estimate, since the
/// tolerance asked for is far below QUADPACK's default of 1.5e-8 and the noise with it. So does this, with `limitedByRounding` set, but only while the largest |f| seen
/// stays within 4 times the largest of the first 15 points: near a pole the bisections that
/// look like rounding come with values that grow at each one, and those end in
/// `didNotConverge` as they must (QUADPACK would return a number for ∫ 1/(x − 0.3) on [0, 1]).
public enum GaussKronrod {
    /// The Kronrod abscissae on [-1, 1] (the positive half; index 7 is the centre). The odd
    /// indices 1, 3, 5 and 7 are the 7-point Gauss abscissae.
    static let nodes: [Double] = [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
    ]
    /// The Kronrod weights, for `nodes` in order.
    static let kronrodWeights: [Double] = [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ]
    /// The Gauss weights, for nodes 1, 3, 5 and 7 (the centre).
    static let gaussWeights: [Double] = [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ]

    /// Points per interval.
    public static let pointsPerInterval = 15

    public struct Result: Sendable, Equatable {
        /// The integral, one value per component (one for a scalar integrand).
        public let values: [Double]
        /// The estimated absolute error, on the max-norm over the components.
        public let error: Double
        /// Integrand evaluations (points; each gives every component).
        public let evaluations: Int
        /// Intervals in the final subdivision.
        public let intervals: Int
        /// True when rounding in the integrand's own values, not the rule, kept the error
        /// estimate above the tolerance (QUADPACK's roundoff detection, below): the value is
        /// as good as the integrand allows, and `error` says how good that is.
        public var limitedByRounding = false
        /// The final subdivision, in the order its intervals were summed (each within
        /// [min(a, b), max(a, b)]): what `slope export --to onnx` writes as a fixed rule.
        public var subintervals: [ClosedRange<Double>] = []

        /// The integral of a scalar integrand (the first component).
        public var value: Double { values[0] }

        public init(values: [Double], error: Double, evaluations: Int, intervals: Int) {
            self.values = values
            self.error = error
            self.evaluations = evaluations
            self.intervals = intervals
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The integrand was NaN or infinite at this point (for a tensor integrand, in some
        /// component; `value` is the first such component's).
        case notFinite(at: Double, value: Double)
        /// The error estimate did not fall within the tolerance; the worst interval was this one.
        case didNotConverge(worst: ClosedRange<Double>, error: Double, value: Double)
    }

    /// The 15 points of [a, b] at which the rule evaluates the integrand, in order of `nodes`:
    /// centre − h·xᵢ for i < 7, the centre, then centre + h·xᵢ.
    public static func points(_ a: Double, _ b: Double) -> [Double] {
        let centre = 0.5 * (a + b), half = 0.5 * (b - a)
        var points = [Double](repeating: centre, count: 15)
        for i in 0..<7 {
            points[i] = centre - half * nodes[i]
            points[14 - i] = centre + half * nodes[i]
        }
        return points
    }

    /// The Kronrod weight of each of `points(a, b)`, scaled to [a, b] (so Σ wᵢ f(tᵢ) is the
    /// rule's estimate of ∫ₐᵇ f).
    public static func weights(_ a: Double, _ b: Double) -> [Double] {
        let half = 0.5 * (b - a)
        var weights = [Double](repeating: half * kronrodWeights[7], count: 15)
        for i in 0..<7 {
            weights[i] = half * kronrodWeights[i]
            weights[14 - i] = half * kronrodWeights[i]
        }
        return weights
    }

    /// One interval and one component: its Kronrod estimate, the error estimate and the
    /// Kronrod rule of |f| (for the cancellation floor), from the values at `points(a, b)`,
    /// read with `stride` between points (the number of components) from `base`.
    static func rule(_ f: UnsafeBufferPointer<Double>, base: Int, stride: Int, _ a: Double, _ b: Double)
        -> (value: Double, error: Double, absolute: Double) {
        @inline(__always) func at(_ i: Int) -> Double { f[base + i * stride] }
        let half = 0.5 * (b - a)
        let centre = at(7)
        var kronrod = centre * kronrodWeights[7]
        var gauss = centre * gaussWeights[3]
        var absolute = Swift.abs(centre) * kronrodWeights[7]
        for i in 0..<7 {
            let pair = at(i) + at(14 - i)
            kronrod += kronrodWeights[i] * pair
            absolute += kronrodWeights[i] * (Swift.abs(at(i)) + Swift.abs(at(14 - i)))
            if i % 2 == 1 { gauss += gaussWeights[i / 2] * pair }
        }
        let mean = kronrod * 0.5
        var spread = kronrodWeights[7] * Swift.abs(centre - mean)
        for i in 0..<7 { spread += kronrodWeights[i] * (Swift.abs(at(i) - mean) + Swift.abs(at(14 - i) - mean)) }
        let value = kronrod * half
        let absoluteValue = absolute * Swift.abs(half)
        spread *= Swift.abs(half)
        var error = Swift.abs((kronrod - gauss) * half)
        if spread != 0 && error != 0 { error = spread * Swift.min(1, Foundation.pow(200 * error / spread, 1.5)) }
        let roundoff = 50 * Double.ulpOfOne * absoluteValue
        return (value, Swift.max(error, roundoff), absoluteValue)
    }

    /// ∫ₐᵇ f of a scalar integrand, with `evaluate` the integrand at a batch of points (15 per
    /// interval being refined). a > b gives −∫ᵦᵃ f; a = b gives 0. At most `maximumIntervals`
    /// intervals.
    public static func integrate(from a: Double, to b: Double, relativeTolerance: Double = 1e-13,
                                 maximumIntervals: Int = 2000,
                                 evaluate: ([Double]) throws -> [Double]) throws -> Result {
        try integrate(from: a, to: b, components: 1, relativeTolerance: relativeTolerance,
                      maximumIntervals: maximumIntervals, evaluate: evaluate)
    }

    /// ∫ₐᵇ f of an integrand with `components` values per point (a tensor integrand, integrated
    /// componentwise as scipy's `quad_vec` does): `evaluate` returns, for its batch of points,
    /// `components` values per point, point after point. The error of an interval is the
    /// largest of its components' estimates (the max-norm), and the tolerance is measured on
    /// the max-norms of the integral and of ∫|f|, so one subdivision serves every component.
    public static func integrate(from a: Double, to b: Double, components: Int, relativeTolerance: Double = 1e-13,
                                 maximumIntervals: Int = 2000,
                                 evaluate: ([Double]) throws -> [Double]) throws -> Result {
        precondition(components >= 0, "internal error: negative component count")
        let m = components
        if a == b || m == 0 {
            return Result(values: [Double](repeating: 0, count: m), error: 0, evaluations: 0, intervals: 0)
        }
        if a > b {
            let flipped = try integrate(from: b, to: a, components: m, relativeTolerance: relativeTolerance,
                                        maximumIntervals: maximumIntervals, evaluate: evaluate)
            var result = Result(values: flipped.values.map { -$0 }, error: flipped.error, evaluations: flipped.evaluations,
                                intervals: flipped.intervals)
            result.limitedByRounding = flipped.limitedByRounding
            result.subintervals = flipped.subintervals
            return result
        }
        struct Interval {
            let a: Double, b: Double
            /// Per component.
            let values: [Double], absolutes: [Double]
            /// The max-norm of the components' error estimates.
            let error: Double
            /// Whether that is the estimate's floor, what rounding alone explains.
            let atFloor: Bool
            /// The largest |f| at its points.
            let peak: Double
        }
        var evaluations = 0
        func measure(_ ranges: [(Double, Double)]) throws -> [Interval] {
            var points: [Double] = []
            points.reserveCapacity(15 * ranges.count)
            for (a, b) in ranges { points += GaussKronrod.points(a, b) }
            let values = try evaluate(points)
            precondition(values.count == points.count * m, "internal error: \(values.count) integrand values for \(points.count) points")
            evaluations += points.count
            for (index, value) in values.enumerated() where !value.isFinite {
                throw Failure.notFinite(at: points[index / m], value: value)
            }
            return values.withUnsafeBufferPointer { f in
                ranges.enumerated().map { index, range in
                    var sums = [Double](repeating: 0, count: m), absolutes = sums
                    var error = 0.0, floor = 0.0, peak = 0.0
                    for i in (15 * m * index)..<(15 * m * (index + 1)) { peak = Swift.max(peak, Swift.abs(f[i])) }
                    for k in 0..<m {
                        let r = rule(f, base: 15 * m * index + k, stride: m, range.0, range.1)
                        sums[k] = r.value
                        absolutes[k] = r.absolute
                        error = Swift.max(error, r.error)
                        floor = Swift.max(floor, 50 * Double.ulpOfOne * r.absolute)
                    }
                    return Interval(a: range.0, b: range.1, values: sums, absolutes: absolutes, error: error, atFloor: error <= floor, peak: peak)
                }
            }
        }
        func norm(_ vector: [Double]) -> Double { vector.reduce(0) { Swift.max($0, Swift.abs($1)) } }
        var intervals = try measure([(a, b)])
        var roundingEvents = 0
        let firstPeak = intervals[0].peak
        while true {
            var total = [Double](repeating: 0, count: m), absolute = total
            var error = 0.0
            for interval in intervals {
                for k in 0..<m {
                    total[k] += interval.values[k]
                    absolute[k] += interval.absolutes[k]
                }
                error += interval.error
            }
            let tolerance = Swift.max(relativeTolerance * norm(total), 50 * Double.ulpOfOne * norm(absolute))
            if error <= tolerance {
                var result = Result(values: total, error: error, evaluations: evaluations, intervals: intervals.count)
                result.subintervals = intervals.map { $0.a...$0.b }
                return result
            }
            // Bisect every interval whose error is above its share of the tolerance (at least
            // the worst one): a batch per round, so the integrand runs over many points at once.
            let worst = intervals.indices.max { intervals[$0].error < intervals[$1].error }!
            let share = tolerance / Double(intervals.count)
            var keep: [Interval] = [], split: [(Double, Double)] = []
            for (index, interval) in intervals.enumerated() {
                let middle = 0.5 * (interval.a + interval.b)
                let refine = index == worst || interval.error > share
                // An interval too narrow to halve in floating point cannot improve.
                if refine && middle > interval.a && middle < interval.b {
                    split += [(interval.a, middle), (middle, interval.b)]
                } else {
                    keep.append(interval)
                }
            }
            let worstInterval = intervals[worst]
            guard !split.isEmpty, keep.count + split.count <= maximumIntervals else {
                throw Failure.didNotConverge(worst: worstInterval.a...worstInterval.b, error: error, value: m == 1 ? total[0] : norm(total))
            }
            let parents = intervals.filter { interval in
                let middle = 0.5 * (interval.a + interval.b)
                return split.contains { $0.0 == interval.a && $0.1 == middle }
            }
            let halves = try measure(split)
            for (index, parent) in parents.enumerated() {
                let left = halves[2 * index], right = halves[2 * index + 1]
                let sum = zip(left.values, right.values).map { $0 + $1 }
                let change = norm(zip(sum, parent.values).map { $0 - $1 })
                // (Halves whose estimates are at their floor say nothing: QUADPACK skips them too.)
                guard !left.atFloor && !right.atFloor else { continue }
                if change <= Swift.max(1e-5 * norm(sum), parent.error) && left.error + right.error >= 0.99 * parent.error {
                    roundingEvents += 1
                }
            }
            intervals = keep + halves
            // Near a pole |f| grows with every bisection; rounding leaves it where it was.
            if roundingEvents >= 6 && intervals.allSatisfy({ $0.peak <= 4 * firstPeak }) {
                let values = (0..<m).map { k in intervals.reduce(0) { $0 + $1.values[k] } }
                var result = Result(values: values, error: intervals.reduce(0) { $0 + $1.error }, evaluations: evaluations,
                                    intervals: intervals.count)
                result.limitedByRounding = true
                result.subintervals = intervals.map { $0.a...$0.b }
                return result
            }
        }
    }
}
