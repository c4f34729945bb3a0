/// Rules rooted at `transpose`.
enum TransposeRules {
    static let all = [
        // transpose(x) = x   for a scalar or a vector
        Rule("transpose-of-vector", .exact) { r, m in
            r.shape(m.x).rank <= 1 ? m.x : nil
        },
        // transpose(transpose(x)) = x
        Rule("transpose-of-transpose", .exact) { r, m in
            r.operand(of: m.x, if: .transpose)
        },
    ]
}
