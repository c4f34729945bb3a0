/// Rules rooted at `neg`.
enum NegRules {
    static let all = [
        // -(-x) = x
        Rule("neg-of-neg", .exact, needs: .neg) { r, m in
            r.operand(of: m.x, if: .neg)
        },
        // -(a - b) = b - a
        Rule("neg-of-sub", .exact, needs: .sub) { r, m in
            guard r.op(m.x) == .sub else { return nil }
            let operands = r[m.x].operands
            return r.sub(operands[1], operands[0])
        },
        // -(x * c) = x * (-c)   for a constant c
        Rule("neg-of-scaled", .exact, needs: .mul) { r, m in
            guard let (x, c) = r.scaled(m.x), let negated = r.folded(.neg, [c]) else { return nil }
            return r.mul(x, negated)
        },
    ]
}
