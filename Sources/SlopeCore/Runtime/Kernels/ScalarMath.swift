import Foundation

/// The meaning of every elementwise op on one element: the reference the vectorised kernels
/// follow, and what constant folding computes.
///
/// Numerically careful forms:
/// - exp and log are `VectorMath`'s, so folded constants, scalar steps and vectorised loops
///   agree to the bit;
/// - sigmoid(x) = 1/(1+e^-x) for x ≥ 0 and e^x/(1+e^x) for x < 0, so neither branch overflows;
/// - softplus(x) = max(x, 0) + log1p(e^-|x|), exact for large |x| where log(1+e^x) overflows;
/// - step(x) = 1 for x > 0, else 0; sign(x) = -1, 0 or 1 (NaN stays NaN).
public enum ScalarMath {
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double { VectorMath.sigmoid(x) }

    @inline(__always)
    public static func softplus(_ x: Double) -> Double { VectorMath.softplus(x) }

    @inline(__always)
    public static func sign(_ x: Double) -> Double {
        x > 0 ? 1 : x < 0 ? -1 : x.isNaN ? x : 0
    }

    @inline(__always)
    public static func step(_ x: Double) -> Double { x > 0 ? 1 : x.isNaN ? x : 0 }

    @inline(__always)
    public static func relu(_ x: Double) -> Double { x > 0 ? x : x.isNaN ? x : 0 }

    /// One element of a unary elementwise op.
    public static func unary(_ op: Op, _ x: Double) -> Double {
        switch op {
        case .neg: return -x
        case .exp: return VectorMath.exp(x)
        case .log: return VectorMath.log(x)
        case .sqrt: return x.squareRoot()
        case .abs: return Swift.abs(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return sigmoid(x)
        case .relu: return relu(x)
        case .softplus: return softplus(x)
        case .sign: return sign(x)
        case .step: return step(x)
        default: preconditionFailure("internal error: \(op.name) is not a unary elementwise op")
        }
    }

    /// One element of a unary kernel op (including the copy of a broadcast).
    static func unaryOrCopy(_ op: ElementwiseOp, _ x: Double) -> Double {
        var input = x, output = 0.0
        ElementwiseKernels.unary(op, &input, &output, 1)
        return output
    }

    /// One element of a binary elementwise op.
    public static func binary(_ op: Op, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return power(a, b)
        case .mask: return a > 0 ? b : 0
        default: preconditionFailure("internal error: \(op.name) is not a binary elementwise op")
        }
    }

    /// a^b, with small integer exponents by multiplication (exact where pow may not be).
    @inline(__always)
    public static func power(_ a: Double, _ b: Double) -> Double {
        if b == 2 { return a * a }
        if b == 1 { return a }
        if b == 3 { return a * a * a }
        if b == 0.5 { return a.squareRoot() }
        return Foundation.pow(a, b)
    }
}
