import Foundation

/// The critical points of a scalar function of d variables inside a box, for `slope critical`:
/// Newton's method on the gradient from a grid of starts, the points it converges to inside the
/// box merged, each classified by the eigenvalues of its Hessian (SPEC.md 5.5).
///
/// Newton's method on ∇f = 0 steps by solving H·s = −g: at a critical point where H is
/// invertible it converges quadratically, to a minimum, a maximum or a saddle alike (which is
/// why it finds them all, and why `minimize … by newton` can end at a saddle). Where H is
/// singular, the step is the pseudo-inverse's (the components along zero eigenvalues left
/// out); at a degenerate critical point (x⁴ at 0) convergence is only linear, so a run takes
/// every step it is allowed and its end points scatter more, which the merging allows for.
///
/// Scales, so that the answers do not depend on the units: coordinate i is measured in box
/// widths wᵢ, and the function in `scale`, the largest of f's spread over the starts and the
/// typical |gᵢ|·wᵢ and |Hᵢⱼ|·wᵢ·wⱼ there (how much f changes across the box).
struct CriticalPointSearch {
    /// At most this many starts in all: the grid has ⌊2000^(1/d)⌋ points per axis (100 at most).
    static let maximumStarts = 2000
    static let maximumStartsPerAxis = 100
    /// Newton steps per start, at most.
    static let maximumSteps = 50
    /// More variables than this are refused: the Hessian has d² entries and d reverse passes.
    static let maximumVariables = 16

    /// A point converged when |gᵢ|·wᵢ ≤ gradientTolerance · scale for every i, and its last
    /// step was at most stepTolerance of the box in every coordinate.
    static let gradientTolerance = 1e-8
    static let stepTolerance = 1e-5
    /// An eigenvalue μ of the Hessian in box units (Hᵢⱼ·wᵢ·wⱼ) is zero when |μ| ≤ this · scale.
    static let eigenvalueTolerance = 1e-6
    /// Two end points are one critical point when they differ by at most this (in box widths)
    /// in every coordinate; degenerate ones, which Newton's method approaches slowly, by at most
    /// `degenerateMergeTolerance`.
    static let mergeTolerance = 1e-6
    static let degenerateMergeTolerance = 1e-3
    /// End points within this (in box widths) outside the box count as inside it.
    static let boundaryTolerance = 1e-9

    /// The box: one closed interval per variable, lower < upper.
    let box: [(lower: Double, upper: Double)]

    /// What a search found, and what it did to find it.
    struct Result: Sendable {
        /// Sorted by value, then by coordinates.
        let points: [CriticalPoint]
        let startsPerAxis: Int
        let starts: Int
        /// Evaluations of the derivatives: at most starts · (maximumSteps + 1).
        let evaluations: Int
        /// How much f changes across the box (see above): what "at rounding level" is relative to.
        let scale: Double
        /// True when f does not change over the box (every point is critical, none reported).
        var isConstant: Bool { scale == 0 }
    }

    /// The number of grid points per axis for d variables: the largest n with nᵈ ≤ 2000.
    static func startsPerAxis(dimension d: Int) -> Int {
        var n = 1
        while n < maximumStartsPerAxis, power(n + 1, d) <= maximumStarts { n += 1 }
        return n
    }

    static func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent {
            result *= base
            if result > maximumStarts { return result }
        }
        return result
    }

    func run(_ evaluator: DerivativeEvaluator) -> Result {
        let d = box.count
        let widths = box.map { $0.upper - $0.lower }
        let n = Self.startsPerAxis(dimension: d)
        let count = Self.power(n, d)
        // Cell centres of an n × … × n grid: start k has digit k_i (base n) along axis i.
        let starts: [[Double]] = (0..<count).map { k in
            var rest = k
            return (0..<d).map { i in
                let digit = rest % n
                rest /= n
                return box[i].lower + (Double(digit) + 0.5) / Double(n) * widths[i]
            }
        }
        let first = starts.map { evaluator.evaluate(at: $0) }
        let scale = Self.scale(of: first.filter(\.isFinite), widths: widths)
        guard scale > 0 else { return Result(points: [], startsPerAxis: n, starts: count, evaluations: count, scale: 0) }

        var found: [CriticalPoint] = []
        var evaluations = count
        for (start, derivatives) in zip(starts, first) {
            guard let point = newton(from: start, derivatives, evaluator, widths: widths, scale: scale,
                                     evaluations: &evaluations) else { continue }
            found.append(point)
        }
        let points = Self.merged(found, widths: widths, scale: scale)
        let sorted = points.sorted { a, b in
            if a.value != b.value { return a.value < b.value }
            return a.point.lexicographicallyPrecedes(b.point)
        }
        return Result(points: sorted, startsPerAxis: n, starts: count, evaluations: evaluations, scale: scale)
    }

    /// How much f changes across the box, from its values, gradients and Hessians at the starts:
    /// the spread of the values, and the medians over the starts of max |gᵢ|·wᵢ and of
    /// max |Hᵢⱼ|·wᵢ·wⱼ. Medians, so that a pole or a wild oscillation in one corner of the box
    /// (sin(1/x) near 0) does not make every honest curvature elsewhere look like zero.
    static func scale(of samples: [DerivativeEvaluator.Derivatives], widths: [Double]) -> Double {
        guard let low = samples.map(\.value).min(), let high = samples.map(\.value).max() else { return 0 }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let slopes = samples.map { sample in
            zip(sample.gradient, widths).map { Swift.abs($0) * $1 }.max() ?? 0
        }
        let curvatures = samples.map { sample in
            sample.hessian.enumerated().flatMap { i, row in row.enumerated().map { j, h in Swift.abs(h) * widths[i] * widths[j] } }
                .max() ?? 0
        }
        let scale = max(high - low, median(slopes), median(curvatures))
        return scale.isFinite ? scale : 0
    }

    /// Newton's method from `start`: the critical point it converges to inside the box, or nil
    /// when it leaves the box (by more than a box width, while running; at all, at the end),
    /// meets a non-finite value or does not converge in `maximumSteps`.
    func newton(from start: [Double], _ initial: DerivativeEvaluator.Derivatives, _ evaluator: DerivativeEvaluator,
                widths: [Double], scale: Double, evaluations: inout Int) -> CriticalPoint? {
        var x = start
        var current = initial
        var lastStep = Double.infinity
        for _ in 0..<Self.maximumSteps {
            guard current.isFinite else { return nil }
            let g = current.gradient
            let step = DenseSolver.solve(current.hessian, g) ?? SymmetricEigen(current.hessian).pseudoSolve(g)
            lastStep = 0
            for i in x.indices {
                x[i] -= step[i]
                lastStep = max(lastStep, Swift.abs(step[i]) / widths[i])
                guard x[i] >= box[i].lower - widths[i], x[i] <= box[i].upper + widths[i] else { return nil }
            }
            current = evaluator.evaluate(at: x)
            evaluations += 1
            if lastStep <= 1e-15 { break }
        }
        guard current.isFinite, lastStep <= Self.stepTolerance else { return nil }
        for i in x.indices {
            let margin = Self.boundaryTolerance * widths[i]
            guard x[i] >= box[i].lower - margin, x[i] <= box[i].upper + margin,
                  Swift.abs(current.gradient[i]) * widths[i] <= Self.gradientTolerance * scale else { return nil }
        }
        return Self.classified(x, current, widths: widths, scale: scale)
    }

    /// The critical point at `x` with its eigenvalues, classified in box units: the Hessian
    /// D·H·D (D = diag(wᵢ)) is congruent to H, so it has the same signs, and its eigenvalues
    /// compare with `scale`.
    static func classified(_ x: [Double], _ derivatives: DerivativeEvaluator.Derivatives, widths: [Double],
                           scale: Double) -> CriticalPoint {
        let h = derivatives.hessian
        let boxed = h.indices.map { i in h.indices.map { j in h[i][j] * widths[i] * widths[j] } }
        let kind = Curvature.classify(SymmetricEigen(boxed).values, tolerance: eigenvalueTolerance * scale)
        return CriticalPoint(point: x, value: derivatives.value, gradient: derivatives.gradient, hessian: h,
                             eigenvalues: SymmetricEigen(h).values, kind: kind)
    }

    /// One point per cluster of end points: those within the merge tolerance of the cluster's
    /// first point. Each cluster is represented by its member with the smallest gradient.
    static func merged(_ points: [CriticalPoint], widths: [Double], scale: Double) -> [CriticalPoint] {
        var clusters: [(first: CriticalPoint, best: CriticalPoint)] = []
        func size(_ g: [Double]) -> Double { zip(g, widths).map { Swift.abs($0) * $1 }.max() ?? 0 }
        for point in points {
            let index = clusters.firstIndex { cluster in
                let tolerance = point.kind == .degenerate && cluster.first.kind == .degenerate
                    ? degenerateMergeTolerance : mergeTolerance
                return zip(zip(point.point, cluster.first.point), widths).allSatisfy { pair, width in
                    Swift.abs(pair.0 - pair.1) <= tolerance * width
                }
            }
            guard let index else {
                clusters.append((point, point))
                continue
            }
            if size(point.gradient) < size(clusters[index].best.gradient) { clusters[index].best = point }
        }
        return clusters.map(\.best)
    }
}
