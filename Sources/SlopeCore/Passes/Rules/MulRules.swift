/// Rules rooted at `mul`. Operands arrive in canonical order, a constant on the right, so
/// `x * c` is the one form to match. Constants move outward (`(x*c)*y = (x*y)*c`) and merge
/// (`(x*c₁)*c₂ = x*(c₁c₂)`), so a product ends with one constant coefficient: `6*x`.
enum MulRules {
    static let all = [
        // x * 0 = 0   (inf * 0 and NaN * 0 are NaN in the original)
        Rule("mul-by-zero", .finiteOnly, needs: .constant) { r, m in
            r.isConstant(m.rhs, 0) || r.isConstant(m.lhs, 0) ? r.filled(0, m.shape) : nil
        },
        // x * 1 = x   (widened by a broadcast when the 1 is wider than x)
        Rule("mul-by-one", .exact, needs: .constant) { r, m in
            if r.isConstant(m.rhs, 1) { return r.broadcast(m.lhs, to: m.shape) }
            if r.isConstant(m.lhs, 1) { return r.broadcast(m.rhs, to: m.shape) }
            return nil
        },
        // x * -1 = -x
        Rule("mul-by-minus-one", .exact, needs: .constant) { r, m in
            guard r.isConstant(m.rhs, -1), !r.isConstant(m.lhs) else { return nil }
            return r.broadcast(r.neg(m.lhs), to: m.shape)
        },
        // (x * c₁) * c₂ = x * (c₁ c₂)
        Rule("mul-constants-gathered", .lastBits, needs: .constant) { r, m in
            guard r.isConstant(m.rhs), let (x, c1) = r.scaled(m.lhs), let c = r.combined(.mul, c1, m.rhs) else { return nil }
            return r.mul(x, c)
        },
        // (-x) * c = x * (-c)
        Rule("mul-of-neg-by-constant", .exact, needs: .neg) { r, m in
            guard r.isConstant(m.rhs), let x = r.operand(of: m.lhs, if: .neg),
                  let negated = r.folded(.neg, [m.rhs]) else { return nil }
            return r.mul(x, negated)
        },
        // (-a) * (-b) = a * b
        Rule("mul-of-negs", .exact, needs: .neg) { r, m in
            guard let a = r.operand(of: m.lhs, if: .neg), let b = r.operand(of: m.rhs, if: .neg) else { return nil }
            return r.mul(a, b)
        },
        // (-a) * b = -(a * b),  a * (-b) = -(a * b)
        Rule("mul-neg-outward", .exact, needs: .neg) { r, m in
            if let a = r.operand(of: m.lhs, if: .neg), !r.isConstant(m.rhs) { return r.neg(r.mul(a, m.rhs)) }
            if let b = r.operand(of: m.rhs, if: .neg), !r.isConstant(m.lhs) { return r.neg(r.mul(m.lhs, b)) }
            return nil
        },
        // sum(t) * c = mean(t) * (c n)   when t has n elements, c is a fraction and c n a whole number
        // (the gradient of a mean reads as a mean, not as a sum times 1/n)
        Rule("sum-scaled-to-mean", .lastBits, needs: .reduce) { r, m in
            guard case .reduce(.sum, nil) = r.op(m.lhs), let c = r.constantValue(m.rhs)?.scalarValue else { return nil }
            let t = r[m.lhs].operands[0]
            let n = Double(r.shape(t).count), k = c * n
            guard n > 1, c != c.rounded(), k == k.rounded(), Swift.abs(k) <= 1e6 else { return nil }
            return r.mul(r.emit(.reduce(.mean, axis: nil), [t]), r.constant(k))
        },
        // (x * c) * y = (x * y) * c   for y not a constant
        Rule("mul-constant-outward", .lastBits, needs: .mul) { r, m in
            for k in 0..<2 {
                let other = m.operands[1 - k]
                guard !r.isConstant(other), let (x, c) = r.scaled(m.operands[k]) else { continue }
                return r.mul(r.mul(x, other), c)
            }
            return nil
        },
    ]

    /// The `stabilize` pass's rule for gradients built before stabilization.
    static let stable = [
        // (Σ ±tᵢ) * (p * (1 - p)) = Σ ±tᵢ'   with p = sigmoid(z), where a term a/p becomes a(1-p)
        // and a term a/(1-p) becomes a·p; other terms keep the factor. This is the adjoint of
        // log loss through a sigmoid: the quotients are inf when p saturates at 0 or 1, and
        // inf · 0 = NaN, while the cancelled form is the true (finite) derivative.
        Rule("sigmoid-adjoint-cancel", .stabilizing, needs: .mul) { r, m in
            for k in 0..<2 {
                if let result = cancelSigmoidAdjoint(&r, m, sum: m.operands[1 - k], slope: m.operands[k]) { return result }
            }
            return nil
        },
    ]

    /// Most terms of a sum the cancellation looks at.
    static let maximumTerms = 16

    static func cancelSigmoidAdjoint(_ r: inout Rewriter, _ m: Match, sum: NodeID, slope: NodeID) -> NodeID? {
        // slope = p * q with p = sigmoid(z) and q = 1 - p, in either order.
        guard r.op(slope) == .mul else { return nil }
        let factors = r[slope].operands
        var p = factors[0], q = factors[1]
        if r.op(q) == .sigmoid { swap(&p, &q) }
        guard r.op(p) == .sigmoid, r.op(q) == .sub, r[q].operands[1] == p, r.isConstant(r[q].operands[0], 1) else { return nil }

        // The signed terms of `sum` through add, sub and neg (an explicit stack, bounded).
        var terms: [(node: NodeID, negated: Bool)] = []
        var stack: [(NodeID, Bool)] = [(sum, false)]
        while let (id, negated) = stack.popLast() {
            guard terms.count + stack.count < maximumTerms else { return nil }
            let node = r[id]
            switch node.op {
            case .binary(.add): stack.append((node.operands[1], negated)); stack.append((node.operands[0], negated))
            case .binary(.sub): stack.append((node.operands[1], !negated)); stack.append((node.operands[0], negated))
            case .unary(.neg): stack.append((node.operands[0], !negated))
            default: terms.append((id, negated))
            }
        }
        // Each term's replacement factor: (numerator, the factor left), or nil to keep t * slope.
        var plan: [(node: NodeID, factor: NodeID, negated: Bool)] = []
        var cancelled = false
        var shape = Shape.scalar
        for (id, negated) in terms {
            var numerator = id, factor = slope
            if r.op(id) == .div {
                let operands = r[id].operands
                if operands[1] == p { numerator = operands[0]; factor = q; cancelled = true }
                else if operands[1] == q { numerator = operands[0]; factor = p; cancelled = true }
            }
            guard let termShape = Shape.broadcast(r.shape(numerator), r.shape(factor)),
                  let combined = Shape.broadcast(shape, termShape) else { return nil }
            shape = combined
            plan.append((numerator, factor, negated))
        }
        guard cancelled, shape.broadcasts(to: m.shape) else { return nil }
        var total: NodeID?
        for (numerator, factor, negated) in plan {
            let product = r.mul(numerator, factor)
            if let sum = total { total = negated ? r.sub(sum, product) : r.add(sum, product) }
            else { total = negated ? r.neg(product) : product }
        }
        guard let total else { return nil }
        return r.broadcast(total, to: m.shape)
    }
}
