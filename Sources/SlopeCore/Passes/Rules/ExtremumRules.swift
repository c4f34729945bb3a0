/// Rules rooted at the elementwise `max` and `min`.
enum ExtremumRules {
    static let all = [
        // max(x, x) = x,  min(x, x) = x
        Rule("extremum-of-same", .exact) { r, m in
            m.lhs == m.rhs ? m.lhs : nil
        },
    ]
}
