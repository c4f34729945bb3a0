#if arch(x86_64)
import SlopeAVX2
#endif

/// Elementwise kernels over contiguous float64 buffers. Each is one loop written once inside
/// the op's `withScalarFunction`, which switches on the op outside the loop: the loop is
/// specialised and vectorised per op, and its arithmetic is the same definition constant
/// folding uses. Pointers are the plan's arena; the planner guarantees every range is inside it.
///
/// exp, log, sigmoid, softplus and the four arithmetic operators, the loops that dominate
/// training, run four lanes wide as the AVX2 loops of `SlopeAVX2` when the CPU has AVX2, and
/// the first four eight lanes wide when it has AVX-512 (the same statements, so the same bits); the rest take the Swift loops, vectorised for the
/// build's baseline CPU.
enum ElementwiseKernels {
    static func unary(_ op: UnaryOp, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int,
                      instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        // Only these four have a vector loop; every other op (and any new one) takes the
        // portable loop below, which is the op's definition.
        if instructionSet == .avx512 {
            if op == .exp { return slope_avx512_exp(x, y, n) }
            if op == .log { return slope_avx512_log(x, y, n) }
            if op == .sigmoid { return slope_avx512_sigmoid(x, y, n) }
            if op == .softplus { return slope_avx512_softplus(x, y, n) }
        }
        if instructionSet.hasAVX2 {
            if op == .exp { return slope_avx2_exp(x, y, n) }
            if op == .log { return slope_avx2_log(x, y, n) }
            if op == .sigmoid { return slope_avx2_sigmoid(x, y, n) }
            if op == .softplus { return slope_avx2_softplus(x, y, n) }
        }
        #endif
        op.withScalarFunction { f in for i in 0..<n { y[i] = f(x[i]) } }
    }

    /// sigmoid(x), sigmoid(−x), softplus(x) and softplus(−x), elementwise, into the outputs that
    /// are given (at least one): all four start from e^−|x|, and the softplus pair shares
    /// log1p(e^−|x|), so a loss such as bce that reads sigmoid(z), softplus(z) and softplus(−z)
    /// pays for one exponential and one logarithm an element instead of three and two. Each
    /// output has the bits of the single op (the AVX2 loop repeats its statements; the portable
    /// loops are the single ops). No output may be `x`.
    static func logistic(_ x: UnsafePointer<Double>, _ outputs: LogisticOutputs<UnsafeMutablePointer<Double>>, _ n: Int,
                         instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet == .avx512 {
            return slope_avx512_logistic(x, outputs.sigmoid, outputs.sigmoidOfNegative, outputs.softplus,
                                         outputs.softplusOfNegative, n)
        }
        if instructionSet.hasAVX2 {
            return slope_avx2_logistic(x, outputs.sigmoid, outputs.sigmoidOfNegative, outputs.softplus,
                                       outputs.softplusOfNegative, n)
        }
        #endif
        if let y = outputs.sigmoid { unary(.sigmoid, x, y, n, instructionSet: .portable) }
        if let y = outputs.softplus { unary(.softplus, x, y, n, instructionSet: .portable) }
        if let y = outputs.sigmoidOfNegative { for i in 0..<n { y[i] = VectorMath.sigmoid(-x[i]) } }
        if let y = outputs.softplusOfNegative { for i in 0..<n { y[i] = VectorMath.softplus(-x[i]) } }
    }

    /// y[i] = t₀ ± t₁ ± … for i < n, the terms in order (the AVX2 loop takes two to four): term j is values[j][i] · coefficients[j]
    /// where bit j of `scaled` is set, values[j][i] where it is not, coefficients[j] where
    /// values[j] is nil; subtracted where bit j of `subtracted` is set. Each product and sum
    /// rounds on its own, so the pass has the bits of the chain of binary loops it replaces.
    /// `y` may be one of the values.
    static func combination(_ terms: Int, _ values: UnsafePointer<UnsafePointer<Double>?>, _ coefficients: UnsafePointer<Double>,
                            scaled: Int, subtracted: Int, _ y: UnsafeMutablePointer<Double>, _ n: Int,
                            instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 && (2...4).contains(terms) {
            return slope_avx2_combination(terms, values, coefficients, scaled, subtracted, y, n)
        }
        #endif
        for i in 0..<n {
            var total = 0.0
            for j in 0..<terms {
                let term: Double
                if let value = values[j] { term = scaled >> j & 1 == 1 ? value[i] * coefficients[j] : value[i] } else { term = coefficients[j] }
                total = j == 0 ? term : subtracted >> j & 1 == 1 ? total - term : total + term
            }
            y[i] = total
        }
    }

    /// Both operands have the output's shape.
    static func binary(_ op: BinaryOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int,
                       instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            if op == .add { return slope_avx2_add(a, b, y, n) }
            if op == .sub { return slope_avx2_sub(a, b, y, n) }
            if op == .mul { return slope_avx2_mul(a, b, y, n) }
            if op == .div { return slope_avx2_div(a, b, y, n) }
        }
        #endif
        op.withScalarFunction { f in for i in 0..<n { y[i] = f(a[i], b[i]) } }
    }

    /// The left operand is one value.
    static func binary(_ op: BinaryOp, scalar s: Double, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int,
                       instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            if op == .add { return slope_avx2_add_scalar_lhs(s, b, y, n) }
            if op == .sub { return slope_avx2_sub_scalar_lhs(s, b, y, n) }
            if op == .mul { return slope_avx2_mul_scalar_lhs(s, b, y, n) }
            if op == .div { return slope_avx2_div_scalar_lhs(s, b, y, n) }
        }
        #endif
        op.withScalarFunction { f in for i in 0..<n { y[i] = f(s, b[i]) } }
    }

    /// The right operand is one value. x^2, the commonest power, is a product.
    static func binary(_ op: BinaryOp, _ a: UnsafePointer<Double>, scalar s: Double, _ y: UnsafeMutablePointer<Double>, _ n: Int,
                       instructionSet: InstructionSet = .host) {
        #if arch(x86_64)
        if instructionSet.hasAVX2 {
            if op == .add { return slope_avx2_add_scalar_rhs(a, s, y, n) }
            if op == .sub { return slope_avx2_sub_scalar_rhs(a, s, y, n) }
            if op == .mul { return slope_avx2_mul_scalar_rhs(a, s, y, n) }
            if op == .div { return slope_avx2_div_scalar_rhs(a, s, y, n) }
            if op == .pow && s == 2 { return slope_avx2_mul(a, a, y, n) }
        }
        #endif
        if op == .pow && s == 2 {
            for i in 0..<n { y[i] = a[i] * a[i] }
            return
        }
        op.withScalarFunction { f in for i in 0..<n { y[i] = f(a[i], s) } }
    }

    /// General NumPy broadcasting: the output is walked row by row (its last axis), each
    /// operand advancing by its own strides (0 along axes it is broadcast over).
    static func binary(_ op: BinaryOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
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
        if outerRank == 0 { body(0, 0, 0); return }
        var rows = 1
        for axis in 0..<outerRank { rows *= shape[axis] }
        // The odometer lives on the stack: a plan's run allocates nothing.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: outerRank) { index in
        index.initialize(repeating: 0)
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
}

/// The four functions of one operand that `ElementwiseKernels.logistic` computes together, each
/// where it is wanted (nil where not).
struct LogisticOutputs<Place> {
    var sigmoid: Place?
    var sigmoidOfNegative: Place?
    var softplus: Place?
    var softplusOfNegative: Place?

    /// The outputs' places, in the order above (nil where not wanted).
    var places: [Place?] { [sigmoid, sigmoidOfNegative, softplus, softplusOfNegative] }

    func map<Other>(_ transform: (Place) -> Other) -> LogisticOutputs<Other> {
        LogisticOutputs<Other>(sigmoid: sigmoid.map(transform), sigmoidOfNegative: sigmoidOfNegative.map(transform),
                               softplus: softplus.map(transform), softplusOfNegative: softplusOfNegative.map(transform))
    }
}
