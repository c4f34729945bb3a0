/// The derivative rule of every op, one case each, with the textbook formula above it.
///
/// A rule receives the forward node y = op(operands), the operand it differentiates for, and
/// the adjoint dy = ∂target/∂y; it returns that operand's contribution dx, or nil when the
/// contribution is zero. For elementwise ops the contribution may have the broadcast shape of
/// y; the engine sums it back to the operand's shape. Rules reuse forward values: sigmoid, exp,
/// sqrt, tanh and div read y itself.
///
/// One function per op family (unary, binary, reductions, structural), each an exhaustive
/// switch over its family: a new op does not compile until its rule is written here.
enum AdjointRules {
    static func contribution(of y: NodeID, operand k: Int, adjoint dy: NodeID, in b: inout GraphBuilder) -> NodeID? {
        // The fields read one by one: a copy of the whole node retains and releases its op,
        // shape and name too, and the rules index the operands in place, not as an array.
        let (operands, range) = (b[y].operands, b[y].range)
        switch b[y].op {
        case .constant, .leaf:
            return nil
        case .unary(let op):
            return unary(op, y: y, x: operands[0], dy: dy, in: &b, at: range)
        case .binary(let op):
            return binary(op, y: y, operands: operands, k: k, dy: dy, in: &b, at: range)
        case .reduce(let op, let axis):
            return reduction(op, axis: axis, y: y, x: operands[0], dy: dy, in: &b, at: range)
        case .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
            return structural(b[y], y: y, k: k, dy: dy, in: &b)
        case .integral(let integrand):
            return integral(integrand, operands: operands.array, k: k, dy: dy, in: &b, at: range)
        }
    }

    static func unary(_ op: UnaryOp, y: NodeID, x: NodeID, dy: NodeID, in b: inout GraphBuilder, at: SourceRange?) -> NodeID? {
        switch op {
        // d(−x) = −dy
        case .neg:
            return b.neg(dy, at: at)
        // d exp(x) = dy · exp(x) = dy · y
        case .exp:
            return b.mul(dy, y, at: at)
        // d log(x) = dy / x           (at x = 0: dy/0 = ±inf, as 1/x; no trap)
        case .log:
            return b.div(dy, x, at: at)
        // d sqrt(x) = dy / (2 · sqrt(x)) = dy / (2y)
        case .sqrt:
            let two = b.constant(2, range: at)
            let twiceY = b.mul(y, two, at: at)
            return b.div(dy, twiceY, at: at)
        // d |x| = dy · sign(x)        (subgradient 0 at the kink x = 0)
        case .abs:
            let sign = b.apply(.sign, x, at: at)
            return b.mul(dy, sign, at: at)
        // d sin(x) = dy · cos(x)
        case .sin:
            let cosine = b.apply(.cos, x, at: at)
            return b.mul(dy, cosine, at: at)
        // d cos(x) = −dy · sin(x)
        case .cos:
            let sine = b.apply(.sin, x, at: at)
            let product = b.mul(dy, sine, at: at)
            return b.neg(product, at: at)
        // d tanh(x) = dy · (1 − y²)
        case .tanh:
            let one = b.constant(1, range: at)
            let square = b.mul(y, y, at: at)
            let slope = b.sub(one, square, at: at)
            return b.mul(dy, slope, at: at)
        // d sigmoid(x) = dy · s · (1 − s), with s = y. Stays finite at ±1000: s is exactly 0
        // or 1 there and the product is 0, as the true derivative e^-1000 rounds to.
        case .sigmoid:
            let one = b.constant(1, range: at)
            let complement = b.sub(one, y, at: at)
            let slope = b.mul(y, complement, at: at)
            return b.mul(dy, slope, at: at)
        // d relu(x) = dy where x > 0, else exactly 0 (subgradient 0 at the kink x = 0). `mask`
        // never forms 0 · dy, so an inactive unit gives 0 even when dy is infinite.
        case .relu:
            return b.add(.binary(.mask), [x, dy], range: at)
        // d softplus(x) = dy · sigmoid(x)
        case .softplus:
            let s = b.apply(.sigmoid, x, at: at)
            return b.mul(dy, s, at: at)
        // sign and step are piecewise constant: derivative 0 wherever it exists.
        case .sign, .step:
            return nil
        }
    }

    static func binary(_ op: BinaryOp, y: NodeID, operands: Operands, k: Int, dy: NodeID, in b: inout GraphBuilder,
                       at: SourceRange?) -> NodeID? {
        switch op {
        // d(a + b) = (dy, dy)
        case .add:
            return dy
        // d(a − b) = (dy, −dy)
        case .sub:
            return k == 0 ? dy : b.neg(dy, at: at)
        // d(a · b) = (dy · b, dy · a)
        case .mul:
            return b.mul(dy, operands[1 - k], at: at)
        // d(a / b) = (dy / b, −dy · a/b² = −dy · y / b)
        case .div:
            let divisor = operands[1]
            if k == 0 { return b.div(dy, divisor, at: at) }
            let ratio = b.div(y, divisor, at: at)
            let product = b.mul(dy, ratio, at: at)
            return b.neg(product, at: at)
        // d(a^b) = (dy · b · a^(b−1), dy · a^b · log(a) = dy · y · log(a))
        case .pow:
            let base = operands[0], exponent = operands[1]
            if k == 0 {
                let reduced: NodeID
                if let c = b[exponent].op.constantValue, let e = c.scalarValue {
                    reduced = e == 2 ? base : b.add(.pow, [base, b.constant(e - 1, range: at)], range: at)
                } else {
                    let one = b.constant(1, range: at)
                    let lowered = b.sub(exponent, one, at: at)
                    reduced = b.add(.pow, [base, lowered], range: at)
                }
                let scaled = b.mul(exponent, reduced, at: at)
                return b.mul(dy, scaled, at: at)
            }
            let logBase = b.apply(.log, base, at: at)
            let product = b.mul(y, logBase, at: at)
            return b.mul(dy, product, at: at)
        // mask(x, v) = v where x > 0: d v = mask(x, dy); x only selects, derivative 0.
        case .mask:
            return k == 0 ? nil : b.add(.binary(.mask), [operands[0], dy], range: at)
        // equal(a, b) is piecewise constant: derivative 0 wherever it exists.
        case .equal:
            return nil
        // y = max(a, b) or min(a, b): the operands equal to y share dy equally (as PyTorch and
        // JAX do at ties): d a = dy · [a = y] / ([a = y] + [b = y]), and likewise for b. Away
        // from a tie that is dy for the chosen operand and 0 for the other; at a tie ½ each,
        // so d max(a, a)/da = ½ + ½ = 1.
        case .max, .min:
            let chosen = b.add(.binary(.equal), [operands[k], y], range: at)
            let other = b.add(.binary(.equal), [operands[1 - k], y], range: at)
            let ties = b.add(chosen, other, at: at)
            let share = b.div(chosen, ties, at: at)
            return b.mul(dy, share, at: at)
        }
    }

    static func reduction(_ op: ReduceOp, axis: Int?, y: NodeID, x: NodeID, dy: NodeID, in b: inout GraphBuilder,
                          at: SourceRange?) -> NodeID {
        let shape = b[x].shape
        switch op {
        // d sum(x) = dy broadcast to x's shape; along an axis, dy gets the axis back as 1 first.
        case .sum:
            return spread(dy, over: axis, to: shape, in: &b, at: at)
        // d mean(x) = dy / n broadcast, with n the number of elements averaged.
        case .mean:
            let n = axis.map { shape[$0] } ?? shape.count
            let spreadOut = spread(dy, over: axis, to: shape, in: &b, at: at)
            let count = b.constant(Double(n), range: at)
            return b.div(spreadOut, count, at: at)
        // y = max(x) or min(x): dy goes to the elements equal to y, shared equally among them:
        // d xᵢ = dy · [xᵢ = y] / Σⱼ [xⱼ = y]  (along an axis, per slice).
        case .max, .min:
            let result = spread(y, over: axis, to: shape, in: &b, at: at)
            let chosen = b.add(.binary(.equal), [x, result], range: at)
            let count = b.add(.reduce(.sum, axis: axis), [chosen], range: at)
            let share = b.div(chosen, spread(count, over: axis, to: shape, in: &b, at: at), at: at)
            return b.mul(spread(dy, over: axis, to: shape, in: &b, at: at), share, at: at)
        // d logsumexp(x) = dy · exp(x − y), the softmax of x (along an axis, per slice)
        case .logsumexp:
            let shifted = b.sub(x, spread(y, over: axis, to: shape, in: &b, at: at), at: at)
            let weights = b.apply(.exp, shifted, at: at)
            return b.mul(spread(dy, over: axis, to: shape, in: &b, at: at), weights, at: at)
        }
    }

    static func structural(_ node: Node, y: NodeID, k: Int, dy: NodeID, in b: inout GraphBuilder) -> NodeID? {
        let at = node.range
        let x = node.operands[0]
        switch node.op {
        case .constant, .leaf, .unary, .binary, .reduce, .integral:
            preconditionFailure("internal error: \(node.op.name) is not a structural op")
        // d transpose(x) = transpose(dy)
        case .transpose:
            return b.transpose(dy, at: at)
        // d reshape(x) = dy reshaped back
        case .reshape:
            return b.reshape(dy, b[x].shape, at: at)
        // d broadcast(x) = dy summed back to x's shape
        case .broadcast:
            return b.sumTo(dy, b[x].shape, at: at)
        // d sum_to(x) = dy broadcast back to x's shape
        case .sumTo:
            return b.broadcast(dy, b[x].shape, at: at)
        // C = A @ B: dA = dC @ Bᵀ, dB = Aᵀ @ dC. Vectors are treated as a row (on the left)
        // or a column (on the right), so the matrix formulas become outer products and
        // matrix–vector products; vector · vector gives (dc · b, dc · a).
        case .matmul:
            return matmulContribution(node, operand: k, dy: dy, in: &b)
        // d stack(x₀, …, xₙ)ₖ = dy[k]
        case .stack:
            return b.add(.index(k), [dy], range: at)
        // y = cumsum(x) along an axis: d xᵢ = Σ_{j ≥ i} dyⱼ, the running sum from the far end,
        // written as sum(dy) − cumsum(dy) + dy (along the axis, per slice)
        case .cumsum(let axis):
            let total = spread(b.add(.reduce(.sum, axis: axis), [dy], range: at), over: axis, to: node.shape, in: &b, at: at)
            let running = b.add(.cumsum(axis: axis), [dy], range: at)
            let remaining = b.sub(total, running, at: at)
            return b.add(remaining, dy, at: at)
        // d x[i] = zeros with dy at position i
        case .index(let position):
            let shape = b[x].shape
            let zero = b.zeros(b[dy].shape, at: at)
            let slices = (0..<shape[0]).map { $0 == position ? dy : zero }
            return b.add(.stack, Operands(slices), range: at)
        }
    }

    /// y = ∫ₐᵇ g(t; c) dt, by Leibniz's rule:
    ///   d b = dy · g(b),   d a = −dy · g(a),
    ///   d c = ∫ₐᵇ (∂g/∂c)ᵀ dy dt  for each capture c.
    /// g(a) and g(b) are the body inlined at the bound, as ordinary IR; for a tensor g the
    /// product dy ⊙ g(b) has g's shape and the engine sums it to the bound's scalar shape. The
    /// capture's contribution is a new integral, named `d_g_c`, whose integrand is reverse mode
    /// on the body (so its shape is c's, a tensor for a tensor c). For a scalar g, dy is a
    /// number that does not depend on t and leaves the integral: d c = dy · ∫ₐᵇ ∂g/∂c dt, the
    /// integrand the gradient of g itself. For a tensor g it stays inside, as one more capture:
    /// the gradient of Σ g(t; c) ⊙ dy. The rule holds for any a and b, a > b included, and the
    /// new integrals are differentiated again by this same rule.
    static func integral(_ integrand: Integrand, operands: [NodeID], k: Int, dy: NodeID, in b: inout GraphBuilder,
                         at: SourceRange?) -> NodeID? {
        let captures = Array(operands.dropFirst(2))
        if k < 2 {
            let bound = integrand.inline(at: operands[k], captures: captures, in: &b)
            let product = b.mul(dy, bound, at: at)
            return k == 1 ? product : b.neg(product, at: at)
        }
        let c = k - 2
        let leaves = integrand.captureNodes.map { integrand.body[$0!] }
        let scalar = integrand.shape.isScalar
        let seeded: [Integrand.CaptureLeaf] = scalar ? [] : [.init(shape: b[dy].shape, hint: "d_" + integrand.name)]
        let derivative = Integrand.build(
            name: "d_\(integrand.name)_\(integrand.captures[c])", variable: integrand.variable,
            captures: leaves.map { .init(shape: $0.shape, hint: $0.op.leaf?.name) } + seeded
        ) { body, t, leaves in
            body.combiningLinearTerms = true
            var target = integrand.inline(at: t, captures: Array(leaves.prefix(captures.count)), in: &body)
            if !scalar {
                let weighted = body.mul(target, leaves.last!, at: at)
                target = body.add(.reduce(.sum, axis: nil), [weighted], range: at)
            }
            return ReverseMode.gradients(of: target, wrt: [leaves[c]], in: &body)[0]
        }
        // A body that does not depend on c (through an op without derivative) passes nothing.
        if let zero = derivative.body[derivative.result].op.constantValue, zero.uniformValue == 0 { return nil }
        let inner = b.integral(derivative, from: operands[0], to: operands[1], captures: captures + (scalar ? [] : [dy]), at: at)
        return scalar ? b.mul(dy, inner, at: at) : inner
    }

    /// dy of a reduction, broadcast back to the operand's shape.
    static func spread(_ dy: NodeID, over axis: Int?, to shape: Shape, in b: inout GraphBuilder, at: SourceRange?) -> NodeID {
        var source = dy
        if let axis {
            var kept = shape.dimensions
            kept[axis] = 1
            source = b.reshape(dy, Shape(kept), at: at)
        }
        return b.broadcast(source, shape, at: at)
    }

    static func matmulContribution(_ node: Node, operand k: Int, dy: NodeID, in b: inout GraphBuilder) -> NodeID {
        let at = node.range
        let lhs = node.operands[0], rhs = node.operands[1]
        let lhsShape = b[lhs].shape, rhsShape = b[rhs].shape
        switch (lhsShape.rank, rhsShape.rank) {
        case (2, 2):
            if k == 0 {
                let rhsT = b.transpose(rhs, at: at)
                return b.matmul(dy, rhsT, at: at)              // dA = dC @ Bᵀ
            }
            let lhsT = b.transpose(lhs, at: at)
            return b.matmul(lhsT, dy, at: at)                  // dB = Aᵀ @ dC
        case (2, 1):
            if k == 0 {                                        // dA = dc ⊗ b  ([n,1] @ [1,k])
                let column = b.reshape(dy, Shape([lhsShape[0], 1]), at: at)
                let row = b.reshape(rhs, Shape([1, rhsShape[0]]), at: at)
                return b.matmul(column, row, at: at)
            }
            let lhsT = b.transpose(lhs, at: at)
            return b.matmul(lhsT, dy, at: at)                  // db = Aᵀ @ dc
        case (1, 2):
            if k == 0 { return b.matmul(rhs, dy, at: at) }     // da = B @ dc
            let column = b.reshape(lhs, Shape([lhsShape[0], 1]), at: at)
            let row = b.reshape(dy, Shape([1, rhsShape[1]]), at: at)
            return b.matmul(column, row, at: at)               // dB = a ⊗ dc
        default:                                               // c = a · b
            return b.mul(dy, k == 0 ? rhs : lhs, at: at)
        }
    }
}
