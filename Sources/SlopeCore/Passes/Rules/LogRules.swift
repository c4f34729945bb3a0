/// Rules rooted at `log`: one simplification, and the numerically stable rewrites of the
/// `stabilize` pass.
///
/// Why softplus: log(sigmoid(z)) = log(1/(1+e^-z)) = -log(1+e^-z) = -softplus(-z), and
/// log(1 - sigmoid(z)) = log(e^-z/(1+e^-z)) = -log(1+e^z) = -softplus(z). sigmoid(±1000) rounds
/// to exactly 1 or 0, so the original forms give log(0) = -inf (and, in log loss, 0 * -inf =
/// NaN); softplus(x) = max(x, 0) + log1p(e^-|x|) is finite for every finite x.
enum LogRules {
    static let all = [
        // log(exp(x)) = x   (the original overflows to inf for x > 709)
        Rule("log-of-exp", .stabilizing, needs: .exp) { r, m in
            r.operand(of: m.x, if: .exp)
        },
    ]

    static let stable = [
        // log(sigmoid(z)) = -softplus(-z)
        Rule("log-sigmoid-to-softplus", .stabilizing, needs: .sigmoid) { r, m in
            guard let z = r.operand(of: m.x, if: .sigmoid) else { return nil }
            return r.neg(r.apply(.softplus, r.neg(z)))
        },
        // log(1 - sigmoid(z)) = -softplus(z)
        Rule("log-one-minus-sigmoid-to-softplus", .stabilizing, needs: .sub) { r, m in
            guard r.op(m.x) == .sub else { return nil }
            let operands = r[m.x].operands
            guard r.isConstant(operands[0], 1), let z = r.operand(of: operands[1], if: .sigmoid) else { return nil }
            return r.broadcast(r.neg(r.apply(.softplus, z)), to: m.shape)
        },
        // log(1 + exp(z)) = softplus(z)
        Rule("log-one-plus-exp-to-softplus", .stabilizing, needs: .add) { r, m in
            guard r.op(m.x) == .add else { return nil }
            let operands = r[m.x].operands
            for k in 0..<2 {
                guard r.isConstant(operands[1 - k], 1), let z = r.operand(of: operands[k], if: .exp) else { continue }
                return r.broadcast(r.apply(.softplus, z), to: m.shape)
            }
            return nil
        },
    ]
}
