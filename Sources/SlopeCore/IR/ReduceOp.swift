/// The reductions: over every element (axis nil) or along one axis, which disappears. Every
/// fact about each, in one place (see `UnaryOp`).
public enum ReduceOp: String, CaseIterable, Hashable, Sendable {
    case sum, mean
    /// The largest and the smallest element; NaN if any element is NaN (as NumPy's `max`).
    case max, min

    /// The language's name.
    public var name: String { rawValue }

    /// The start of the accumulation: what a reduction over no elements gives.
    public var identity: Double {
        switch self {
        case .sum, .mean: return 0
        case .max: return -.infinity
        case .min: return .infinity
        }
    }

    /// Whether the result is the sum divided by the number of elements reduced.
    public var isMean: Bool {
        switch self {
        case .mean: return true
        case .sum, .max, .min: return false
        }
    }

    /// Whether the derivative jumps where elements tie for the result (max and min).
    public var hasKink: Bool {
        switch self {
        case .max, .min: return true
        case .sum, .mean: return false
        }
    }

    /// Calls `body` with the op's accumulation step (`accumulated ⊕ element`); a mean
    /// accumulates a sum and divides at the end. See `UnaryOp.withScalarFunction`.
    @inline(__always)
    public func withCombine<R>(_ body: ((Double, Double) -> Double) -> R) -> R {
        switch self {
        case .sum, .mean: return body { $0 + $1 }
        case .max: return body { $0 > $1 || $0.isNaN ? $0 : $1 }
        case .min: return body { $0 < $1 || $0.isNaN ? $0 : $1 }
        }
    }
}
