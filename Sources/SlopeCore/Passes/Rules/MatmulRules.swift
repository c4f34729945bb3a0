/// (Named MatmulRules.swift: Runtime/Kernels/Matmul.swift already takes the file name in this module.)
/// Rules rooted at `matmul`.
enum MatmulRules {
    static let all = [
        // A @ (B * s) = (A @ B) * s,  (A * s) @ B = (A @ B) * s   for a scalar s
        Rule("matmul-scalar-factor", .lastBits) { r, m in
            for k in 0..<2 {
                let node = r[m.operands[k]]
                guard node.op == .mul, r.shape(node.operands[1]).isScalar, r.shape(node.operands[0]) == node.shape else { continue }
                var operands = m.operands
                operands[k] = node.operands[0]
                return r.mul(r.emit(.matmul, operands), node.operands[1])
            }
            return nil
        },
    ]
}
