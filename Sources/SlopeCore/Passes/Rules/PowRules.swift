/// Rules rooted at `pow`: small integer powers become multiplications, which the interpreter
/// runs faster and the optimizer can collect (`x^2` is `x*x`, the form autodiff produces).
/// `ScalarMath.power` already computes x^2 as x*x and x^3 as x*x*x, so those are exact.
enum PowRules {
    static let all = [
        // x^1 = x
        Rule("pow-one", .exact) { r, m in
            r.isConstant(m.rhs, 1) ? r.broadcast(m.lhs, to: m.shape) : nil
        },
        // x^0 = 1
        Rule("pow-zero", .exact) { r, m in
            r.isConstant(m.rhs, 0) ? r.filled(1, m.shape) : nil
        },
        // x^2 = x * x
        Rule("pow-two-to-mul", .exact) { r, m in
            r.isConstant(m.rhs, 2) ? r.broadcast(r.mul(m.lhs, m.lhs), to: m.shape) : nil
        },
        // x^3 = (x * x) * x
        Rule("pow-three-to-mul", .exact) { r, m in
            guard r.isConstant(m.rhs, 3) else { return nil }
            return r.broadcast(r.mul(r.mul(m.lhs, m.lhs), m.lhs), to: m.shape)
        },
        // x^n = (x^(n/2))^2 · x^(n mod 2)   for n = 4…128, by repeated squaring
        // (at most 14 products, each rounding once: within n ulps of pow, far less in practice)
        Rule("pow-integer-to-mul", .lastBits) { r, m in
            guard let n = r.uniform(m.rhs), n >= 4, n <= Double(maximumExponent), n == n.rounded() else { return nil }
            return r.broadcast(power(&r, m.lhs, Int(n)), to: m.shape)
        },
        // x^(-n) = 1 / x^n   for n = 1…8
        Rule("pow-negative-integer-to-div", .lastBits) { r, m in
            guard let n = r.uniform(m.rhs), n <= -1, n >= -8, n == n.rounded() else { return nil }
            return r.broadcast(r.div(r.constant(1), power(&r, m.lhs, Int(-n))), to: m.shape)
        },
        // x^0.5 = sqrt(x)
        Rule("pow-half-to-sqrt", .exact) { r, m in
            r.isConstant(m.rhs, 0.5) ? r.broadcast(r.apply(.sqrt, m.lhs), to: m.shape) : nil
        },
    ]

    /// The largest whole exponent written as products: a polynomial's terms t^p up to degree
    /// 128 cost what their multiplications cost (and pow's derivative, n·x^(n−1), likewise).
    static let maximumExponent = 128

    /// x^n by squaring, n ≥ 1.
    static func power(_ r: inout Rewriter, _ x: NodeID, _ n: Int) -> NodeID {
        if n == 1 { return x }
        let half = power(&r, x, n / 2)
        let square = r.mul(half, half)
        return n % 2 == 0 ? square : r.mul(square, x)
    }
}
