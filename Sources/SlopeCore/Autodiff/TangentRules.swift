/// The forward-mode rule of every op, one case each, with the textbook formula above it: the
/// twin of `AdjointRules`, laid out the same way (one function per op family, each an
/// exhaustive switch), so an op's two derivative rules are read and written together.
///
/// A rule receives the forward node y = op(operands) and the tangent of each operand — ẋ, the
/// derivative of the operand along the chosen direction, or nil where it is zero — and returns
/// ẏ, or nil when it is zero. An elementwise rule may return a tangent of an operand's shape
/// where broadcasting widened y; the engine broadcasts it to y's shape. Rules reuse forward
/// values exactly where the adjoint rules do, so a derivative computed either way shares the
/// same nodes.
enum TangentRules {
    static func tangent(of y: NodeID, operandTangents t: [NodeID?], in b: inout GraphBuilder) -> NodeID? {
        let node = b[y]
        switch node.op {
        case .constant, .leaf:
            return nil
        case .unary(let op):
            guard let tx = t[0] else { return nil }
            return unary(op, y: y, x: node.operands[0], tx: tx, in: &b, at: node.range)
        case .binary(let op):
            return binary(op, y: y, operands: node.operands.array, t: t, in: &b, at: node.range)
        case .reduce(let op, let axis):
            guard let tx = t[0] else { return nil }
            return reduction(op, axis: axis, y: y, x: node.operands[0], tx: tx, in: &b, at: node.range)
        case .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
            return structural(node, y: y, t: t, in: &b)
        case .integral(let integrand):
            return integral(integrand, operands: node.operands.array, t: t, in: &b, at: node.range)
        }
    }

    static func unary(_ op: UnaryOp, y: NodeID, x: NodeID, tx: NodeID, in b: inout GraphBuilder, at: SourceRange?) -> NodeID? {
        switch op {
        // (−x)˙ = −ẋ
        case .neg:
            return b.neg(tx, at: at)
        // exp(x)˙ = ẋ · exp(x) = ẋ · y
        case .exp:
            return b.mul(tx, y, at: at)
        // log(x)˙ = ẋ / x
        case .log:
            return b.div(tx, x, at: at)
        // sqrt(x)˙ = ẋ / (2 · sqrt(x)) = ẋ / (2y)
        case .sqrt:
            let two = b.constant(2, range: at)
            let twiceY = b.mul(y, two, at: at)
            return b.div(tx, twiceY, at: at)
        // |x|˙ = ẋ · sign(x)          (0 at the kink x = 0, as the adjoint rule)
        case .abs:
            let sign = b.apply(.sign, x, at: at)
            return b.mul(tx, sign, at: at)
        // sin(x)˙ = ẋ · cos(x)
        case .sin:
            let cosine = b.apply(.cos, x, at: at)
            return b.mul(tx, cosine, at: at)
        // cos(x)˙ = −ẋ · sin(x)
        case .cos:
            let sine = b.apply(.sin, x, at: at)
            let product = b.mul(tx, sine, at: at)
            return b.neg(product, at: at)
        // tanh(x)˙ = ẋ · (1 − y²)
        case .tanh:
            let one = b.constant(1, range: at)
            let square = b.mul(y, y, at: at)
            let slope = b.sub(one, square, at: at)
            return b.mul(tx, slope, at: at)
        // sigmoid(x)˙ = ẋ · s · (1 − s), with s = y
        case .sigmoid:
            let one = b.constant(1, range: at)
            let complement = b.sub(one, y, at: at)
            let slope = b.mul(y, complement, at: at)
            return b.mul(tx, slope, at: at)
        // relu(x)˙ = ẋ where x > 0, else exactly 0
        case .relu:
            return b.add(.binary(.mask), [x, tx], range: at)
        // softplus(x)˙ = ẋ · sigmoid(x)
        case .softplus:
            let s = b.apply(.sigmoid, x, at: at)
            return b.mul(tx, s, at: at)
        // sign and step are piecewise constant: tangent 0 wherever it exists.
        case .sign, .step:
            return nil
        }
    }

    static func binary(_ op: BinaryOp, y: NodeID, operands: [NodeID], t: [NodeID?], in b: inout GraphBuilder,
                       at: SourceRange?) -> NodeID? {
        let ta = t[0], tb = t[1]
        let lhs = operands[0], rhs = operands[1]
        switch op {
        // (a + b)˙ = ȧ + ḃ
        case .add:
            return sum(ta, tb, in: &b, at: at)
        // (a − b)˙ = ȧ − ḃ
        case .sub:
            guard let tb else { return ta }
            guard let ta else { return b.neg(tb, at: at) }
            return b.sub(ta, tb, at: at)
        // (a · b)˙ = ȧ · b + a · ḃ
        case .mul:
            let left = ta.map { b.mul($0, rhs, at: at) }
            let right = tb.map { b.mul(lhs, $0, at: at) }
            return sum(left, right, in: &b, at: at)
        // (a / b)˙ = ȧ / b − ḃ · a/b² = ȧ / b − ḃ · y / b
        case .div:
            let left = ta.map { b.div($0, rhs, at: at) }
            guard let tb else { return left }
            let ratio = b.div(y, rhs, at: at)
            let product = b.mul(tb, ratio, at: at)
            guard let left else { return b.neg(product, at: at) }
            return b.sub(left, product, at: at)
        // (a^b)˙ = ȧ · b · a^(b−1) + ḃ · a^b · log(a) = ȧ · b · a^(b−1) + ḃ · y · log(a)
        case .pow:
            var left: NodeID?
            if let ta {
                let reduced: NodeID
                if let c = b[rhs].op.constantValue, let e = c.scalarValue {
                    reduced = e == 2 ? lhs : b.add(.pow, [lhs, b.constant(e - 1, range: at)], range: at)
                } else {
                    let one = b.constant(1, range: at)
                    let lowered = b.sub(rhs, one, at: at)
                    reduced = b.add(.pow, [lhs, lowered], range: at)
                }
                let scaled = b.mul(rhs, reduced, at: at)
                left = b.mul(ta, scaled, at: at)
            }
            var right: NodeID?
            if let tb {
                let logBase = b.apply(.log, lhs, at: at)
                let product = b.mul(y, logBase, at: at)
                right = b.mul(tb, product, at: at)
            }
            return sum(left, right, in: &b, at: at)
        // mask(x, v)˙ = mask(x, v̇); x only selects
        case .mask:
            return tb.map { b.add(.binary(.mask), [lhs, $0], range: at) }
        // equal(a, b) is piecewise constant: tangent 0 wherever it exists.
        case .equal:
            return nil
        // y = max(a, b) or min(a, b): ẏ = ȧ · [a = y]/([a = y] + [b = y]) + ḃ · [b = y]/(…), the
        // operands equal to y sharing equally, as the adjoint rule shares dy: away from a tie the
        // chosen operand's tangent, at a tie the mean of both.
        case .max, .min:
            let chosenA = b.add(.binary(.equal), [lhs, y], range: at)
            let chosenB = b.add(.binary(.equal), [rhs, y], range: at)
            let ties = b.add(chosenA, chosenB, at: at)
            let left = ta.map { tangent -> NodeID in
                let share = b.div(chosenA, ties, at: at)
                return b.mul(tangent, share, at: at)
            }
            let right = tb.map { tangent -> NodeID in
                let share = b.div(chosenB, ties, at: at)
                return b.mul(tangent, share, at: at)
            }
            return sum(left, right, in: &b, at: at)
        }
    }

    static func reduction(_ op: ReduceOp, axis: Int?, y: NodeID, x: NodeID, tx: NodeID, in b: inout GraphBuilder,
                          at: SourceRange?) -> NodeID {
        switch op {
        // sum(x)˙ = sum(ẋ), over the same axis
        case .sum:
            return b.add(.reduce(.sum, axis: axis), [tx], range: at)
        // mean(x)˙ = mean(ẋ)
        case .mean:
            return b.add(.reduce(.mean, axis: axis), [tx], range: at)
        // y = max(x) or min(x): ẏ = Σᵢ ẋᵢ · [xᵢ = y] / Σⱼ [xⱼ = y], the mean tangent of the
        // elements equal to y (per slice along an axis), as the adjoint rule shares dy.
        case .max, .min:
            let shape = b[x].shape
            let result = AdjointRules.spread(y, over: axis, to: shape, in: &b, at: at)
            let chosen = b.add(.binary(.equal), [x, result], range: at)
            let count = b.add(.reduce(.sum, axis: axis), [chosen], range: at)
            let selected = b.mul(tx, chosen, at: at)
            let total = b.add(.reduce(.sum, axis: axis), [selected], range: at)
            return b.div(total, count, at: at)
        // logsumexp(x)˙ = Σᵢ ẋᵢ · exp(xᵢ − y), the softmax-weighted tangent
        case .logsumexp:
            let shifted = b.sub(x, AdjointRules.spread(y, over: axis, to: b[x].shape, in: &b, at: at), at: at)
            let weights = b.apply(.exp, shifted, at: at)
            let weighted = b.mul(tx, weights, at: at)
            return b.add(.reduce(.sum, axis: axis), [weighted], range: at)
        }
    }

    static func structural(_ node: Node, y: NodeID, t: [NodeID?], in b: inout GraphBuilder) -> NodeID? {
        let at = node.range
        switch node.op {
        case .constant, .leaf, .unary, .binary, .reduce, .integral:
            preconditionFailure("internal error: \(node.op.name) is not a structural op")
        // transpose(x)˙ = transpose(ẋ)
        case .transpose:
            return t[0].map { b.transpose($0, at: at) }
        // reshape(x)˙ = reshape(ẋ)
        case .reshape:
            return t[0].map { b.reshape($0, node.shape, at: at) }
        // broadcast(x)˙ = broadcast(ẋ)
        case .broadcast:
            return t[0].map { b.broadcast($0, node.shape, at: at) }
        // sum_to(x)˙ = sum_to(ẋ)
        case .sumTo:
            return t[0].map { b.sumTo($0, node.shape, at: at) }
        // (A @ B)˙ = Ȧ @ B + A @ Ḃ
        case .matmul:
            let left = t[0].map { b.matmul($0, node.operands[1], at: at) }
            let right = t[1].map { b.matmul(node.operands[0], $0, at: at) }
            return sum(left, right, in: &b, at: at)
        // stack(x₀, …, xₙ)˙ = stack(ẋ₀, …, ẋₙ), zeros where an operand's tangent is zero
        case .stack:
            guard t.contains(where: { $0 != nil }) else { return nil }
            let slices = zip(node.operands, t).map { operand, tangent in tangent ?? b.zeros(b[operand].shape, at: at) }
            return b.add(.stack, Operands(slices), range: at)
        // x[i]˙ = ẋ[i]
        case .index(let position):
            return t[0].map { b.add(.index(position), [$0], range: at) }
        // cumsum(x)˙ = cumsum(ẋ), along the same axis
        case .cumsum(let axis):
            return t[0].map { b.add(.cumsum(axis: axis), [$0], range: at) }
        }
    }

    /// y = ∫ₐᵇ g(t; c) dt, by Leibniz's rule:
    ///   ẏ = g(b) · ḃ − g(a) · ȧ + ∫ₐᵇ Σ_c ∂g/∂c · ċ dt.
    /// g(a) and g(b) are the body inlined at the bound; the last term is one new integral,
    /// named `d_g`, whose integrand is forward mode on the body: the tangent of g along the
    /// captures' tangents ċ, which it reads as further captures.
    static func integral(_ integrand: Integrand, operands: [NodeID], t: [NodeID?], in b: inout GraphBuilder,
                         at: SourceRange?) -> NodeID? {
        let captures = Array(operands.dropFirst(2))
        var total: NodeID?
        for k in 0..<2 {
            guard let tangent = t[k] else { continue }
            let bound = integrand.inline(at: operands[k], captures: captures, in: &b)
            let product = b.mul(bound, tangent, at: at)
            total = sum(total, k == 1 ? product : b.neg(product, at: at), in: &b, at: at)
        }
        let moving = (0..<captures.count).filter { t[2 + $0] != nil }
        guard !moving.isEmpty else { return total }
        let leaves = integrand.captureNodes.map { integrand.body[$0!] }
        let tangents = moving.map { t[2 + $0]! }
        let derivative = Integrand.build(
            name: "d_" + integrand.name, variable: integrand.variable,
            captures: leaves.map { .init(shape: $0.shape, hint: $0.op.leaf?.name) }
                + moving.map { .init(shape: leaves[$0].shape, hint: "d_" + integrand.captures[$0]) }
        ) { body, variable, bodyLeaves in
            body.combiningLinearTerms = true
            let g = integrand.inline(at: variable, captures: Array(bodyLeaves.prefix(captures.count)), in: &body)
            var total: NodeID?
            for (position, c) in moving.enumerated() {
                let direction = bodyLeaves[captures.count + position]
                total = sum(total, ForwardMode.tangent(of: g, wrt: bodyLeaves[c], along: direction, in: &body), in: &body, at: at)
            }
            return total!
        }
        let inside = b.integral(derivative, from: operands[0], to: operands[1], captures: captures + tangents, at: at)
        return sum(total, inside, in: &b, at: at)
    }

    /// p + q, where either may be zero (nil).
    static func sum(_ p: NodeID?, _ q: NodeID?, in b: inout GraphBuilder, at: SourceRange?) -> NodeID? {
        guard let p else { return q }
        guard let q else { return p }
        return b.add(p, q, at: at)
    }
}
