import Foundation

/// The elementwise ops of one operand: every fact about each, in one place. Kernels, constant
/// folding, the printers, the built-in function table and the rules read them from here, and
/// every `switch` over the family is exhaustive, so a new case is a compile error at each site
/// that must handle it.
public enum UnaryOp: String, CaseIterable, Hashable, Sendable {
    case neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, softplus
    /// sign(x) is -1, 0 or 1; its derivative is zero everywhere it is defined.
    case sign
    /// step(x) is 1 where x > 0 and 0 elsewhere (the Heaviside step; relu's derivative).
    case step

    /// The language's name, used by the lexer's built-in table, the IR text, DOT and SPEC.md.
    public var name: String { rawValue }

    /// How the language writes it: `-x` for neg, a call `exp(x)` for the rest.
    public var notation: Notation {
        switch self {
        case .neg: return .prefix("-")
        case .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step: return .call
        }
    }

    /// Where the derivative jumps, so finite differences that straddle it are reported as a
    /// kink rather than a wrong gradient: relu, abs, sign and step at 0.
    public var kink: Double? {
        switch self {
        case .relu, .abs, .sign, .step: return 0
        case .neg, .exp, .log, .sqrt, .sin, .cos, .tanh, .sigmoid, .softplus: return nil
        }
    }

    /// Piecewise constant: the derivative is zero wherever it exists.
    public var hasZeroDerivative: Bool {
        switch self {
        case .sign, .step: return true
        case .neg, .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus: return false
        }
    }

    /// Calls `body` with the op's meaning on one element. The switch stays outside `body`, so a
    /// loop written once inside it is specialised per op and vectorised: this is how every
    /// kernel and constant folding share one definition of each op.
    ///
    /// Numerically careful forms (`VectorMath`): exp and log agree to the bit between folded
    /// constants, scalar steps and vector loops; sigmoid(x) = 1/(1+e^-x) for x ≥ 0 and
    /// e^x/(1+e^x) below, so neither branch overflows; softplus(x) = max(x, 0) + log1p(e^-|x|).
    /// relu, sign and step keep NaN as NaN.
    @inline(__always)
    public func withScalarFunction<R>(_ body: ((Double) -> Double) -> R) -> R {
        switch self {
        case .neg: return body { -$0 }
        case .exp: return body { VectorMath.exp($0) }
        case .log: return body { VectorMath.log($0) }
        case .sqrt: return body { $0.squareRoot() }
        case .abs: return body { Swift.abs($0) }
        case .sin: return body { Foundation.sin($0) }
        case .cos: return body { Foundation.cos($0) }
        case .tanh: return body { Foundation.tanh($0) }
        case .sigmoid: return body { VectorMath.sigmoid($0) }
        case .relu: return body { $0 > 0 ? $0 : $0.isNaN ? $0 : 0 }
        case .softplus: return body { VectorMath.softplus($0) }
        case .sign: return body { $0 > 0 ? 1 : $0 < 0 ? -1 : $0.isNaN ? $0 : 0 }
        case .step: return body { $0 > 0 ? 1 : $0.isNaN ? $0 : 0 }
        }
    }

    /// The op on one element.
    public func apply(_ x: Double) -> Double { withScalarFunction { $0(x) } }

    /// Bounds on every element of the result when every element of the operand lies in `x`;
    /// nil when nothing finite can be proved (log or sqrt of an interval reaching below zero).
    public func bounds(_ x: ValueBounds) -> ValueBounds? {
        switch self {
        case .neg: return x.decreasing { -$0 }
        case .exp, .tanh, .sigmoid, .relu, .softplus, .sign, .step: return x.increasing(apply)
        case .log: return x.lower > 0 ? x.increasing(apply) : nil
        case .sqrt: return x.lower >= 0 ? x.increasing(apply) : nil
        case .abs:
            if x.lower >= 0 { return x }
            if x.upper <= 0 { return x.decreasing { -$0 } }
            return ValueBounds(0, x.magnitude)
        case .sin, .cos: return ValueBounds(-1, 1)
        }
    }
}

/// How the language writes an op, for the printers.
public enum Notation: Sendable, Equatable {
    /// A prefix operator: `-x`.
    case prefix(String)
    /// An infix operator at a level of the grammar: `a + b`.
    case infix(String, Precedence)
    /// A call of the op's name: `max(a, b)`.
    case call
}

/// The grammar's expression levels, loosest first: `+ -`, `* / @`, unary `-`, `^`, atoms.
public enum Precedence: Int, Comparable, Sendable {
    case additive = 1, multiplicative, unary, power, atom
    public static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// The next tighter level (atoms are the tightest).
    public var next: Precedence { Precedence(rawValue: rawValue + 1) ?? .atom }
}
