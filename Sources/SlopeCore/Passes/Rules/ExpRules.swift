/// Rules rooted at `exp`.
enum ExpRules {
    static let all = [
        // exp(log(x)) = x   for x > 0 (for x ≤ 0 the original is NaN or 0)
        Rule("exp-of-log", .finiteOnly, needs: .log) { r, m in
            r.operand(of: m.x, if: .log)
        },
    ]
}
