/// Rules rooted at `div`.
enum DivRules {
    static let all = [
        // x / 1 = x
        Rule("div-by-one", .exact, needs: .constant) { r, m in
            r.isConstant(m.rhs, 1) ? r.broadcast(m.lhs, to: m.shape) : nil
        },
        // x / x = 1   (0/0 and inf/inf are NaN in the original)
        Rule("div-of-self", .finiteOnly, needs: .repeated) { r, m in
            m.lhs == m.rhs ? r.filled(1, m.shape) : nil
        },
        // 0 / x = 0   (0/0 is NaN in the original)
        Rule("div-of-zero", .finiteOnly, needs: .constant) { r, m in
            r.isConstant(m.lhs, 0) && !r.isConstant(m.rhs) ? r.filled(0, m.shape) : nil
        },
        // x / c = x * (1/c)   when 1/c is exact: c a power of two
        Rule("div-by-power-of-two", .exact, needs: .constant) { r, m in
            guard let c = r.uniform(m.rhs), c != 0, c.isFinite, c.significandBitPattern == 0, c.isNormal,
                  (1 / c).isNormal else { return nil }
            let reciprocal = r.constant(1 / c, shape: r.shape(m.rhs))
            return r.mul(m.lhs, reciprocal)
        },
        // (a / b) / b = a / (b * b)   (one rounding fewer or more: printed a/b^2, as written by hand)
        Rule("div-twice-by-one-value", .lastBits, needs: .div) { r, m in
            let inner = r[m.lhs]
            guard inner.op == .div, inner.operands[1] == m.rhs, !r.isConstant(m.rhs),
                  r.shape(m.rhs) == m.shape || r.shape(m.rhs).isScalar else { return nil }
            return r.div(inner.operands[0], r.mul(m.rhs, m.rhs))
        },
        // (-a) / b = -(a / b)
        Rule("div-of-neg", .exact, needs: .neg) { r, m in
            guard let a = r.operand(of: m.lhs, if: .neg) else { return nil }
            return r.neg(r.div(a, m.rhs))
        },
    ]
}
