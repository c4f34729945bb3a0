/// Rules about broadcasting: elementwise ops broadcast their operands themselves, so an explicit
/// `broadcast` feeding one is redundant whenever dropping it leaves the result's shape alone.
enum BroadcastRules {
    /// For every binary elementwise op.
    static let elementwise = [
        // op(broadcast(a, s), b) = op(a, b)   when broadcast(shape(a), shape(b)) is already the result shape
        Rule("elementwise-of-broadcast", .exact, needs: .broadcast) { r, m in
            for k in 0..<2 {
                guard case .broadcast = r.op(m.operands[k]) else { continue }
                let inner = r[m.operands[k]].operands[0]
                guard Shape.broadcast(r.shape(inner), r.shape(m.operands[1 - k])) == m.shape else { continue }
                var operands = m.operands
                operands[k] = inner
                return r.emit(m.op, operands)
            }
            return nil
        },
        // op(broadcast(a, s), b) = broadcast(op(a, b), s)   when neither operand has the result
        // shape: the op runs on the small values, once (and mirrored)
        Rule("elementwise-before-broadcast", .exact, needs: .broadcast) { r, m in
            for k in 0..<2 {
                guard case .broadcast = r.op(m.operands[k]) else { continue }
                var operands = m.operands
                operands[k] = r[m.operands[k]].operands[0]
                if case .broadcast = r.op(operands[1 - k]) { operands[1 - k] = r[operands[1 - k]].operands[0] }
                guard let small = Shape.broadcast(r.shape(operands[0]), r.shape(operands[1])), small != m.shape,
                      small.broadcasts(to: m.shape) else { continue }
                return r.broadcast(r.emit(m.op, operands), to: m.shape)
            }
            return nil
        },
        // op(x, [c, c, …]) = op(x, c)   when x alone has the result shape (and mirrored)
        Rule("elementwise-of-uniform-constant", .exact, needs: .constant) { r, m in
            for k in 0..<2 {
                let c = m.operands[k], other = m.operands[1 - k]
                guard !r.shape(c).isScalar, r.shape(other) == m.shape, let value = r.uniform(c) else { continue }
                var operands = m.operands
                operands[k] = r.constant(value)
                return r.emit(m.op, operands)
            }
            return nil
        },
    ]

    /// For every unary elementwise op.
    static let unary = [
        // f(broadcast(x, s)) = broadcast(f(x), s)   (f runs on the small tensor)
        Rule("unary-of-broadcast", .exact, needs: .broadcast) { r, m in
            guard case .broadcast(let shape) = r.op(m.x) else { return nil }
            let inner = r.emit(m.op, [r[m.x].operands[0]])
            return r.emit(.broadcast(shape), [inner])
        },
    ]

    /// Rooted at `broadcast`.
    static let broadcast = [
        // broadcast(x, shape(x)) = x
        Rule("broadcast-same-shape", .exact) { r, m in
            r.shape(m.x) == m.shape ? m.x : nil
        },
        // broadcast(broadcast(x, s₁), s₂) = broadcast(x, s₂)
        Rule("broadcast-of-broadcast", .exact, needs: .broadcast) { r, m in
            guard case .broadcast = r.op(m.x) else { return nil }
            return r.broadcast(r[m.x].operands[0], to: m.shape)
        },
    ]
}
