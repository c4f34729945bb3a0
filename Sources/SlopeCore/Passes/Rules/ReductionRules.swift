import Foundation

/// Rules rooted at the reductions `sum`, `mean`, `max`, `min` and `sum_to`. Scalar factors move out of
/// sums (sum(s·t) = s·sum(t)), and a sum of a polynomial in scalars with constant vector
/// coefficients becomes a scalar polynomial, which is how gradients with data held constant
/// read like the hand derivation.
enum ReductionRules {
    // sum(x) = x, mean(x) = x, max(x) = x, min(x) = x, logsumexp(x) = x   for a scalar x
    static let reduceScalar = Rule("reduce-scalar", .exact) { r, m in
        r.shape(m.x).isScalar ? m.x : nil
    }

    /// The rules of max and min reductions: a scalar and a broadcast scalar are their own extremum.
    static let extremum = [reduceScalar, reduceOfBroadcast]

    /// The rules of logsumexp: of a scalar, and of a broadcast scalar (s + log n).
    static let logsumexp = [reduceScalar, reduceOfBroadcast]

    // sum(broadcast(s, shape)) = s * count(shape),  mean(broadcast(s, shape)) = s,
    // max(broadcast(s, shape)) = min(broadcast(s, shape)) = s,
    // logsumexp(broadcast(s, shape)) = s + log(count(shape))   for a scalar s
    static let reduceOfBroadcast = Rule("reduce-of-broadcast", .lastBits) { r, m in
        guard case .broadcast(let shape) = r.op(m.x) else { return nil }
        let s = r[m.x].operands[0]
        guard r.shape(s).isScalar else { return nil }
        guard case .reduce(let op, nil) = m.op else { return nil }
        switch op {
        case .sum: return r.mul(s, r.constant(Double(shape.count)))
        case .mean, .max, .min: return s
        case .logsumexp: return r.add(s, r.constant(Foundation.log(Double(shape.count))))
        }
    }

    static let all = [
        reduceScalar,
        // sum(p) = Σ sum(cᵢ)·mᵢ   for p = Σ cᵢ·mᵢ a polynomial in scalars with constant tensor
        // coefficients, when that takes no more nodes (`sum((m*x + b - y)*x)` with constant
        // x, y is `28*m + 12*b - 42`)
        Rule("sum-polynomial", .cancelling) { r, m in
            guard let polynomial = reducedPolynomial(&r, m) else { return nil }
            return polynomial.emit(into: &r)
        },
        // sum(-x) = -sum(x)
        Rule("reduce-of-neg", .exact) { r, m in
            guard let x = r.operand(of: m.x, if: .neg) else { return nil }
            return r.neg(r.emit(m.op, [x]))
        },
        // sum(s * t) = s * sum(t),  sum(t / s) = sum(t) / s   for a scalar s (also mean)
        Rule("reduce-scalar-factor", .lastBits) { r, m in
            let node = r[m.x]
            guard node.op == .mul || node.op == .div else { return nil }
            for k in (node.op == .mul ? [0, 1] : [1]) {
                let t = node.operands[1 - k]
                guard let s = r.scalarFactor(node.operands[k]), r.shape(t) == node.shape else { continue }
                let reduced = r.emit(m.op, [t])
                return node.op == .mul ? r.mul(reduced, s) : r.div(reduced, s)
            }
            return nil
        },
        reduceOfBroadcast,
    ]

    static let sumTo = [
        // sum_to(x, shape(x)) = x
        Rule("sum-to-same-shape", .exact) { r, m in
            r.shape(m.x) == m.shape ? m.x : nil
        },
        // sum_to(x, []) = sum(x)
        Rule("sum-to-scalar", .lastBits) { r, m in
            m.shape.isScalar ? r.emit(.reduce(.sum, axis: nil), [m.x]) : nil
        },
    ]

    /// The scalar polynomial a full reduction computes, when rewriting it pays: the operand is
    /// a tensor polynomial in scalar variables, and emitting the result takes no more
    /// arithmetic nodes than the operand has.
    static func reducedPolynomial(_ r: inout Rewriter, _ m: Match) -> Polynomial? {
        guard case .reduce(let op, nil) = m.op, op == .sum || op == .mean else { return nil }
        let mean = op.isMean
        guard !r.shape(m.x).isScalar,
              let (polynomial, operations) = Polynomial.read(m.x, in: r.builder.graph, variables: .scalarNodes,
                                                             limits: Polynomial.Limits(maximumTerms: 16, maximumDegree: 4)),
              polynomial.terms.count > 1 || polynomial.degree > 0,
              polynomial.terms.values.contains(where: { !$0.isScalar }) else { return nil }
        let reduced = polynomial.reduced(mean: mean)
        return reduced.emissionCost <= operations ? reduced : nil
    }
}
