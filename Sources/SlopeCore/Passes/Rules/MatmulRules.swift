/// Rules rooted at `matmul`.
enum MatmulRules {
    static let all = [
        // A @ (B * s) = (A @ B) * s,  (A * s) @ B = (A @ B) * s   for a scalar s
        Rule("matmul-scalar-factor", .lastBits) { r, m in
            for k in 0..<2 {
                let node = r[m.operands[k]]
                guard node.op == .mul else { continue }
                for j in 0..<2 {
                    let s = node.operands[j], t = node.operands[1 - j]
                    guard r.shape(s).isScalar, r.shape(t) == node.shape else { continue }
                    var operands = m.operands
                    operands[k] = t
                    return r.mul(r.emit(.matmul, operands), s)
                }
            }
            return nil
        },
    ]
}
