/// Rules rooted at `add`. Operands arrive in canonical order (a constant on the right). Like
/// terms merge into one coefficient and constants move outward and merge, so a sum ends as
/// terms with one constant at the top: `28*m + 12*b - 42`.
enum AddRules {
    static let all = [
        // c·y·(1 − p) − c·p·(1 − y) = c·(y − p), written as y(1 − p)·(−k) + p(1 − y)·k = k·(p − y):
        // the gradient of log loss through a sigmoid, which reverse mode builds term by term,
        // collapses to the error signal (p − y)/n of the hand derivation
        Rule("complement-products-cancel", .lastBits, needs: .mul) { r, m in
            // A product `a * b` as its two operands, either order.
            func factors(_ id: NodeID) -> (NodeID, NodeID)? {
                guard r.op(id) == .mul else { return nil }
                return (r[id].operands[0], r[id].operands[1])
            }
            // x = 1 - z: z.
            func complement(_ id: NodeID) -> NodeID? {
                guard r.op(id) == .sub, r.uniform(r[id].operands[0]) == 1 else { return nil }
                return r[id].operands[1]
            }
            // A scaled product `(u * (1 - w)) * k`: (u, w, k).
            func term(_ id: NodeID) -> (NodeID, NodeID, Double)? {
                guard let (product, scale) = factors(id), let k = r.constantValue(scale)?.scalarValue,
                      let (a, b) = factors(product) else { return nil }
                if let w = complement(b) { return (a, w, k) }
                if let w = complement(a) { return (b, w, k) }
                return nil
            }
            guard let (y, p, k1) = term(m.lhs), let (p2, y2, k2) = term(m.rhs), k1 == -k2, k2 != 0 else { return nil }
            // The first term is y(1 − p)·k1, the second p(1 − y)·k2 with k2 = −k1: the sum is
            // k2·(p(1 − y) − y(1 − p)) = k2·(p − y). (Two equal products would cancel to 0; that
            // is not this rule.)
            guard p2 == p && y2 == y && p != y else { return nil }
            let difference = r.sub(p, y)
            guard r.shape(difference) == m.shape else { return nil }
            return r.mul(difference, r.constant(k2))
        },
        // x + 0 = x
        Rule("add-zero", .exact, needs: .constant) { r, m in
            if r.isConstant(m.rhs, 0) { return r.broadcast(m.lhs, to: m.shape) }
            if r.isConstant(m.lhs, 0) { return r.broadcast(m.rhs, to: m.shape) }
            return nil
        },
        // a + (-b) = a - b,  (-a) + b = b - a
        Rule("add-neg-to-sub", .exact, needs: .neg) { r, m in
            if let b = r.operand(of: m.rhs, if: .neg) { return r.sub(m.lhs, b) }
            if let a = r.operand(of: m.lhs, if: .neg) { return r.sub(m.rhs, a) }
            return nil
        },
        // a + x*c = a - x*(-c),  a + c = a - (-c)   for a negative constant c
        Rule("add-negative-to-sub", .exact, needs: [.constant, .mul]) { r, m in
            guard let (x, c) = r.negativeTerm(m.rhs), !r.isConstant(m.lhs), let positive = r.folded(.neg, [c]) else { return nil }
            return r.sub(m.lhs, x.map { r.mul($0, positive) } ?? positive)
        },
        // x + x = x * 2
        Rule("add-self", .exact, needs: .repeated) { r, m in
            guard m.lhs == m.rhs, !r.isConstant(m.lhs) else { return nil }
            return r.mul(m.lhs, r.constant(2))
        },
        // x*a + x*b = x*(a + b),  x*a + x = x*(a + 1)   for constants a, b
        Rule("add-like-terms", .lastBits, needs: .mul) { r, m in
            let (x, a) = r.term(m.lhs), (y, b) = r.term(m.rhs)
            guard x == y, a != nil || b != nil, let c = r.combined(.add, a, b) else { return nil }
            return r.broadcast(r.mul(x, c), to: m.shape)
        },
        // (x + c₁) + c₂ = x + (c₁ + c₂),  (x - c₁) + c₂ = x + (c₂ - c₁),  (c₁ - x) + c₂ = (c₁ + c₂) - x
        Rule("add-constants-gathered", .lastBits, needs: .constant) { r, m in
            guard r.isConstant(m.rhs) else { return nil }
            if let (x, c1, op) = r.offset(m.lhs) {
                guard let c = op == .add ? r.combined(.add, c1, m.rhs) : r.combined(.sub, m.rhs, c1) else { return nil }
                return r.add(x, c)
            }
            let node = r[m.lhs]
            guard node.op == .sub, r.isConstant(node.operands[0]), !r.isConstant(node.operands[1]),
                  let c = r.combined(.add, node.operands[0], m.rhs) else { return nil }
            return r.sub(c, node.operands[1])
        },
        // (x + c) + y = (x + y) + c,  (x - c) + y = (x + y) - c   for y not a constant
        Rule("add-constant-outward", .lastBits, needs: [.add, .sub]) { r, m in
            for k in 0..<2 {
                let y = m.operands[1 - k]
                guard !r.isConstant(y), let (x, c, op) = r.offset(m.operands[k]) else { continue }
                return r.emit(op, [r.add(x, y), c])
            }
            return nil
        },
    ]
}
