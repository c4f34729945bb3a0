/// Rules rooted at `reshape`.
enum ReshapeRules {
    static let all = [
        // reshape(x, shape(x)) = x
        Rule("reshape-same-shape", .exact) { r, m in
            r.shape(m.x) == m.shape ? m.x : nil
        },
        // reshape(reshape(x, s₁), s₂) = reshape(x, s₂)
        Rule("reshape-of-reshape", .exact) { r, m in
            guard case .reshape = r.op(m.x) else { return nil }
            let inner = r[m.x].operands[0]
            return r.shape(inner) == m.shape ? inner : r.emit(.reshape(m.shape), [inner])
        },
    ]
}
