/// The reductions: over every element (axis nil) or along one axis, which disappears. Every
/// fact about each, in one place (see `UnaryOp`).
public enum ReduceOp: String, CaseIterable, Hashable, Sendable {
    case sum, mean
    /// The largest and the smallest element; NaN if any element is NaN (as NumPy's `max`).
    case max, min
    /// log Σ exp(xᵢ), computed stably as m + log Σ exp(xᵢ − m) with m the largest element
    /// (`logsumexp([1000, 1001])` is 1001.3132616875182, not inf); -inf over no elements.
    case logsumexp

    /// The language's name.
    public var name: String { rawValue }

    /// The start of the accumulation: what a reduction over no elements gives.
    public var identity: Double {
        switch self {
        case .sum, .mean: return 0
        case .max, .logsumexp: return -.infinity
        case .min: return .infinity
        }
    }

    /// Whether the result is the sum divided by the number of elements reduced.
    public var isMean: Bool {
        switch self {
        case .mean: return true
        case .sum, .max, .min, .logsumexp: return false
        }
    }

    /// Whether the derivative jumps where elements tie for the result (max and min).
    public var hasKink: Bool {
        switch self {
        case .max, .min: return true
        case .sum, .mean, .logsumexp: return false
        }
    }

    /// Bounds on the result of reducing `count` elements that each lie in `x` (and on every
    /// partial result on the way, for sums in any order).
    public func bounds(_ x: ValueBounds, count: Int) -> ValueBounds? {
        switch self {
        case .sum: return x.summed(count)
        // The sum is computed first, then divided.
        case .mean: return x.summed(count).flatMap { _ in .derived(x.lower, x.upper) }
        case .max, .min: return count == 0 ? nil : x
        // Between the largest element and it plus log n.
        case .logsumexp: return count == 0 ? nil : .derived(x.lower, x.upper + VectorMath.log(Double(count)))
        }
    }

    /// Calls `body` with the op's accumulation step (`accumulated ⊕ element`); a mean
    /// accumulates a sum and divides at the end. logsumexp's step is logaddexp,
    /// max(a, b) + log(1 + e^−|a−b|) (a + log 2 at a tie, so infinities stay infinite), which
    /// the kernels use only for streaming; a whole reduction is computed in two passes, the
    /// maximum first (`ReductionKernels.logSumExp`). See `UnaryOp.withScalarFunction`.
    @inline(__always)
    public func withCombine<R>(_ body: ((Double, Double) -> Double) -> R) -> R {
        switch self {
        case .sum, .mean: return body { $0 + $1 }
        case .max: return body { $0 > $1 || $0.isNaN ? $0 : $1 }
        case .min: return body { $0 < $1 || $0.isNaN ? $0 : $1 }
        case .logsumexp: return body { a, b in
            if a.isNaN || b.isNaN { return a + b }
            if a == b { return a + 0.6931471805599453 }
            let high = Swift.max(a, b), low = Swift.min(a, b)
            return high + VectorMath.softplus(low - high)
        }
        }
    }
}
