import Foundation

/// The elementwise ops of two operands, which broadcast as NumPy does: every fact about each, in
/// one place (see `UnaryOp`).
public enum BinaryOp: String, CaseIterable, Hashable, Sendable {
    case add, sub, mul, div, pow
    /// mask(x, v) is v where x > 0 and exactly 0 elsewhere, never `0 * v`: relu's adjoint, so
    /// an inactive unit passes a zero gradient even when v is infinite.
    case mask
    /// equal(a, b) is 1 where a == b and 0 elsewhere (NaN equals nothing): the indicator that
    /// the adjoints of max and min use to route a gradient to the operands that were chosen.
    case equal
    /// The larger and the smaller of two values; NaN in either operand gives NaN, as in
    /// NumPy's `maximum` and PyTorch's `torch.maximum`.
    case max, min

    /// The language's name.
    public var name: String { rawValue }

    /// How the language writes it: the arithmetic operators infix at their grammar level,
    /// everything else as a call.
    public var notation: Notation {
        switch self {
        case .add: return .infix("+", .additive)
        case .sub: return .infix("-", .additive)
        case .mul: return .infix("*", .multiplicative)
        case .div: return .infix("/", .multiplicative)
        case .pow: return .infix("^", .power)
        case .mask, .equal, .max, .min: return .call
        }
    }

    /// `a op b == b op a`.
    public var isCommutative: Bool {
        switch self {
        case .add, .mul, .equal, .max, .min: return true
        case .sub, .div, .pow, .mask: return false
        }
    }

    /// Whether the derivative jumps where the operands are equal (max, min, equal) or where
    /// the first operand is 0 (mask): finite differences there are reported as kinks.
    public var hasKink: Bool {
        switch self {
        case .mask, .equal, .max, .min: return true
        case .add, .sub, .mul, .div, .pow: return false
        }
    }

    /// Piecewise constant: the derivative is zero wherever it exists.
    public var hasZeroDerivative: Bool {
        switch self {
        case .equal: return true
        case .add, .sub, .mul, .div, .pow, .mask, .max, .min: return false
        }
    }

    /// Calls `body` with the op's meaning on one pair of elements; see
    /// `UnaryOp.withScalarFunction`. a^b takes small whole exponents by multiplication
    /// (`ScalarMath.power`), which is exact where `pow` may not be.
    @inline(__always)
    public func withScalarFunction<R>(_ body: ((Double, Double) -> Double) -> R) -> R {
        switch self {
        case .add: return body { $0 + $1 }
        case .sub: return body { $0 - $1 }
        case .mul: return body { $0 * $1 }
        case .div: return body { $0 / $1 }
        case .pow: return body { ScalarMath.power($0, $1) }
        case .mask: return body { $0 > 0 ? $1 : 0 }
        case .equal: return body { $0 == $1 ? 1 : 0 }
        case .max: return body { $0 > $1 || $0.isNaN ? $0 : $1 }
        case .min: return body { $0 < $1 || $0.isNaN ? $0 : $1 }
        }
    }

    /// The op on one pair of elements.
    public func apply(_ a: Double, _ b: Double) -> Double { withScalarFunction { $0(a, b) } }

    /// Bounds on every element of the result when the operands' elements lie in `a` and `b`;
    /// nil when nothing finite can be proved (a divisor that may be zero; a power whose exponent
    /// is not one known number, or of a base that may be negative or zero where that is undefined).
    public func bounds(_ a: ValueBounds, _ b: ValueBounds) -> ValueBounds? {
        switch self {
        case .add: return .derived(a.lower + b.lower, a.upper + b.upper)
        case .sub: return .derived(a.lower - b.upper, a.upper - b.lower)
        case .mul: return a.times(b)
        case .div:
            guard b.lower > 0 || b.upper < 0, let reciprocal = ValueBounds.derived(1 / b.upper, 1 / b.lower) else { return nil }
            return a.times(reciprocal)
        case .pow:
            guard b.lower == b.upper else { return nil }
            let e = b.lower
            if e == 0 { return ValueBounds(1, 1) }
            if e == e.rounded() && e > 0 {
                if e.truncatingRemainder(dividingBy: 2) != 0 { return a.increasing { apply($0, e) } }
                let low = a.contains(0) ? 0 : Swift.min(a.lower.magnitude, a.upper.magnitude)
                return .derived(apply(low, e), apply(a.magnitude, e))
            }
            if e > 0 { return a.lower >= 0 ? a.increasing { apply($0, e) } : nil }
            return a.lower > 0 ? a.decreasing { apply($0, e) } : nil
        case .mask: return ValueBounds(Swift.min(0, b.lower), Swift.max(0, b.upper))
        case .equal: return ValueBounds(0, 1)
        case .max: return ValueBounds(Swift.max(a.lower, b.lower), Swift.max(a.upper, b.upper))
        case .min: return ValueBounds(Swift.min(a.lower, b.lower), Swift.min(a.upper, b.upper))
        }
    }
}
