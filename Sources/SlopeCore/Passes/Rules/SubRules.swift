/// Rules rooted at `sub`: the mirror of `Add.swift`, plus x - x = 0.
enum SubRules {
    static let all = [
        // x - 0 = x
        Rule("sub-zero", .exact, needs: .constant) { r, m in
            r.isConstant(m.rhs, 0) ? r.broadcast(m.lhs, to: m.shape) : nil
        },
        // 0 - x = -x
        Rule("sub-from-zero", .exact, needs: .constant) { r, m in
            guard r.isConstant(m.lhs, 0), !r.isConstant(m.rhs) else { return nil }
            return r.broadcast(r.neg(m.rhs), to: m.shape)
        },
        // x - x = 0   (inf - inf is NaN in the original)
        Rule("sub-of-self", .finiteOnly, needs: .repeated) { r, m in
            m.lhs == m.rhs ? r.filled(0, m.shape) : nil
        },
        // a - (-b) = a + b
        Rule("sub-of-neg", .exact, needs: .neg) { r, m in
            r.operand(of: m.rhs, if: .neg).map { r.add(m.lhs, $0) }
        },
        // a - x*c = a + x*(-c),  a - c = a + (-c)   for a negative constant c
        Rule("sub-negative-to-add", .exact, needs: [.constant, .mul]) { r, m in
            guard let (x, c) = r.negativeTerm(m.rhs), !r.isConstant(m.lhs), let positive = r.folded(.neg, [c]) else { return nil }
            return r.add(m.lhs, x.map { r.mul($0, positive) } ?? positive)
        },
        // (-a) - b = -(a + b)
        Rule("sub-neg-from", .exact, needs: .neg) { r, m in
            guard let a = r.operand(of: m.lhs, if: .neg), !r.isConstant(m.rhs) else { return nil }
            return r.neg(r.add(a, m.rhs))
        },
        // x*a - x*b = x*(a - b),  x - x*b = x*(1 - b),  x*a - x = x*(a - 1)   for constants a, b
        Rule("sub-like-terms", .lastBits, needs: .mul) { r, m in
            let (x, a) = r.term(m.lhs), (y, b) = r.term(m.rhs)
            guard x == y, a != nil || b != nil, let c = r.combined(.sub, a, b) else { return nil }
            return r.broadcast(r.mul(x, c), to: m.shape)
        },
        // (x ± c₁) - c₂ = x + (±c₁ - c₂),  c₂ - (x ± c₁) = (c₂ ∓ c₁) - x
        Rule("sub-constants-gathered", .lastBits, needs: .constant) { r, m in
            if r.isConstant(m.rhs), let (x, c1, op) = r.offset(m.lhs) {
                if op == .add {
                    guard let c = r.combined(.sub, c1, m.rhs) else { return nil }
                    return r.add(x, c)
                }
                guard let c = r.combined(.add, c1, m.rhs) else { return nil }
                return r.sub(x, c)
            }
            if r.isConstant(m.lhs), let (x, c1, op) = r.offset(m.rhs) {
                guard let c = r.combined(op == .add ? .sub : .add, m.lhs, c1) else { return nil }
                return r.sub(c, x)
            }
            return nil
        },
        // (x ± c) - y = (x - y) ± c,  y - (x ± c) = (y - x) ∓ c   for y not a constant
        Rule("sub-constant-outward", .lastBits, needs: [.add, .sub]) { r, m in
            if !r.isConstant(m.rhs), let (x, c, op) = r.offset(m.lhs) {
                return r.emit(op, [r.sub(x, m.rhs), c])
            }
            if !r.isConstant(m.lhs), let (x, c, op) = r.offset(m.rhs) {
                return r.emit(op == .add ? .sub : .add, [r.sub(m.lhs, x), c])
            }
            return nil
        },
    ]
}
