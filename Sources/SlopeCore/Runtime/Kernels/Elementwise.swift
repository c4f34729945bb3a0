import Foundation

/// The elementwise ops as a plain enum, so kernels and fused programs switch on a byte rather
/// than copying `Op` (whose other cases carry tensors).
enum ElementwiseOp: UInt8, Sendable {
    case neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, softplus, sign, step
    case add, sub, mul, div, pow, mask
    /// y = x: a broadcast written out from inside a fused group.
    case copy

    init?(_ op: Op) {
        switch op {
        case .neg: self = .neg
        case .exp: self = .exp
        case .log: self = .log
        case .sqrt: self = .sqrt
        case .abs: self = .abs
        case .sin: self = .sin
        case .cos: self = .cos
        case .tanh: self = .tanh
        case .sigmoid: self = .sigmoid
        case .relu: self = .relu
        case .softplus: self = .softplus
        case .sign: self = .sign
        case .step: self = .step
        case .add: self = .add
        case .sub: self = .sub
        case .mul: self = .mul
        case .div: self = .div
        case .pow: self = .pow
        case .mask: self = .mask
        default: return nil
        }
    }

    /// One element of a binary op (for scalar–scalar cases).
    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return ScalarMath.power(a, b)
        case .mask: return a > 0 ? b : 0
        default: return .nan
        }
    }
}

/// Elementwise kernels over contiguous float64 buffers: one tight loop per op, the op chosen
/// once per call, outside the loop.
enum ElementwiseKernels {
    static func unary(_ op: ElementwiseOp, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .neg: for i in 0..<n { y[i] = -x[i] }
        case .exp: for i in 0..<n { y[i] = VectorMath.exp(x[i]) }
        case .log: for i in 0..<n { y[i] = VectorMath.log(x[i]) }
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .abs: for i in 0..<n { y[i] = Swift.abs(x[i]) }
        case .sin: for i in 0..<n { y[i] = Foundation.sin(x[i]) }
        case .cos: for i in 0..<n { y[i] = Foundation.cos(x[i]) }
        case .tanh: for i in 0..<n { y[i] = Foundation.tanh(x[i]) }
        case .sigmoid: for i in 0..<n { y[i] = VectorMath.sigmoid(x[i]) }
        case .relu: for i in 0..<n { y[i] = ScalarMath.relu(x[i]) }
        case .softplus: for i in 0..<n { y[i] = VectorMath.softplus(x[i]) }
        case .sign: for i in 0..<n { y[i] = ScalarMath.sign(x[i]) }
        case .step: for i in 0..<n { y[i] = ScalarMath.step(x[i]) }
        case .copy: y.update(from: x, count: n)
        default: preconditionFailure("internal error: \(op) is not unary elementwise")
        }
    }

    /// Both operands have the output's shape.
    static func binary(_ op: ElementwiseOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .add: for i in 0..<n { y[i] = a[i] + b[i] }
        case .sub: for i in 0..<n { y[i] = a[i] - b[i] }
        case .mul: for i in 0..<n { y[i] = a[i] * b[i] }
        case .div: for i in 0..<n { y[i] = a[i] / b[i] }
        case .pow: for i in 0..<n { y[i] = ScalarMath.power(a[i], b[i]) }
        case .mask: for i in 0..<n { y[i] = a[i] > 0 ? b[i] : 0 }
        default: preconditionFailure("internal error: \(op) is not binary elementwise")
        }
    }

    /// The left operand is one value.
    static func binary(_ op: ElementwiseOp, scalar s: Double, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .add: for i in 0..<n { y[i] = s + b[i] }
        case .sub: for i in 0..<n { y[i] = s - b[i] }
        case .mul: for i in 0..<n { y[i] = s * b[i] }
        case .div: for i in 0..<n { y[i] = s / b[i] }
        case .pow: for i in 0..<n { y[i] = ScalarMath.power(s, b[i]) }
        case .mask: for i in 0..<n { y[i] = s > 0 ? b[i] : 0 }
        default: preconditionFailure("internal error: \(op) is not binary elementwise")
        }
    }

    /// The right operand is one value.
    static func binary(_ op: ElementwiseOp, _ a: UnsafePointer<Double>, scalar s: Double, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .add: for i in 0..<n { y[i] = a[i] + s }
        case .sub: for i in 0..<n { y[i] = a[i] - s }
        case .mul: for i in 0..<n { y[i] = a[i] * s }
        case .div: for i in 0..<n { y[i] = a[i] / s }
        case .pow:
            if s == 2 { for i in 0..<n { y[i] = a[i] * a[i] } }
            else { for i in 0..<n { y[i] = ScalarMath.power(a[i], s) } }
        case .mask: for i in 0..<n { y[i] = a[i] > 0 ? s : 0 }
        default: preconditionFailure("internal error: \(op) is not binary elementwise")
        }
    }

    /// General NumPy broadcasting: the output is walked row by row (its last axis), each
    /// operand advancing by its own strides (0 along axes it is broadcast over).
    static func binary(_ op: ElementwiseOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                       layout: BroadcastLayout) {
        let inner = layout.innerCount
        let aInner = layout.lhsStrides.last ?? 0, bInner = layout.rhsStrides.last ?? 0
        layout.forEachRow { row, aOffset, bOffset in
            let out = y + row * inner
            let pa = a + aOffset, pb = b + bOffset
            if aInner == 1 && bInner == 1 {
                binary(op, pa, pb, out, inner)
            } else if aInner == 0 && bInner == 1 {
                binary(op, scalar: pa[0], pb, out, inner)
            } else if aInner == 1 && bInner == 0 {
                binary(op, pa, scalar: pb[0], out, inner)
            } else {
                let value = op.apply(pa[0], pb[0])
                for i in 0..<inner { out[i] = value }
            }
        }
    }
}

/// How two operands map onto a broadcast output: the output's shape and each operand's
/// strides in the output's axes (0 where the operand is broadcast).
struct BroadcastLayout: Sendable {
    let shape: [Int]
    let lhsStrides: [Int]
    let rhsStrides: [Int]

    init(output: Shape, lhs: Shape, rhs: Shape) {
        shape = output.dimensions.isEmpty ? [1] : output.dimensions
        lhsStrides = BroadcastLayout.strides(of: lhs, in: Shape(shape))
        rhsStrides = BroadcastLayout.strides(of: rhs, in: Shape(shape))
    }

    /// The strides of `operand` aligned to `output`'s axes, 0 where it has size 1 or no axis.
    static func strides(of operand: Shape, in output: Shape) -> [Int] {
        let own = operand.strides
        let offset = output.rank - operand.rank
        return (0..<output.rank).map { axis in
            let operandAxis = axis - offset
            guard operandAxis >= 0, operand[operandAxis] != 1 else { return 0 }
            return own[operandAxis]
        }
    }

    var innerCount: Int { shape.last ?? 1 }

    /// Calls `body(row, lhsOffset, rhsOffset)` for every row of the output's last axis.
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int) -> Void) {
        let outerRank = shape.count - 1
        let rows = shape.dropLast().reduce(1, *)
        if outerRank == 0 { body(0, 0, 0); return }
        var index = [Int](repeating: 0, count: outerRank)
        var aOffset = 0, bOffset = 0
        for row in 0..<rows {
            body(row, aOffset, bOffset)
            // Advance the odometer over the outer axes.
            var axis = outerRank - 1
            while axis >= 0 {
                index[axis] += 1
                aOffset += lhsStrides[axis]
                bOffset += rhsStrides[axis]
                if index[axis] < shape[axis] { break }
                aOffset -= lhsStrides[axis] * shape[axis]
                bOffset -= rhsStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
