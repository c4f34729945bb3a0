/// Moving signs where negation is exact, so a printed gradient has no double signs:
///
///     a + (−b)  is written  a - b        a − (−b)  is written  a + b
///     −(−a)     is written  a            x·(−1)    is written  -x
///     −(2·x)    is written  -2*x         −1/x      keeps its minus in front: a − (−1/x) is a + 1/x
///
/// Why these are exact: IEEE subtraction is defined as addition of the negation, negation only
/// flips the sign bit, and products and quotients round symmetrically, so −(a·b) = (−a)·b and
/// −(a/b) = (−a)/b bit for bit, zeros and infinities included. Sums and matrix products are not
/// negated through: −(a − b) and b − a differ in the sign of a zero result, and so do −(A @ B)
/// and (−A) @ B, whose accumulation starts from +0.
extension ExpressionRenderer {
    /// A text of −value(id) that does not start with a minus, when there is one that computes
    /// exactly that (a negative constant, a negation, a product with a negative constant, a
    /// product or quotient whose left factor has one); nil otherwise. Read off the operands'
    /// renderings and negations, so `compute` fills it in the same bottom-up walk.
    func negation(of id: NodeID) -> Rendering? {
        let node = graph[id]
        switch node.op {
        case .constant(let value):
            guard let c = value.scalarValue, c < 0 else { return nil }
            return number(-c)
        case .unary(let op) where op == .neg:
            return shown(node.operands[0])
        case .broadcast:
            // An implicit broadcast is written as its operand: −broadcast(x) = broadcast(−x).
            guard case .node(let x)? = memo[id.int]?.pieces.first, memo[id.int]?.pieces.count == 1 else { return nil }
            return negations[x.int]
        case .binary(let op) where op == .mul || op == .div:
            let lhs = node.operands[0], rhs = node.operands[1]
            if op == .mul {
                if power(id) != nil { return nil }
                if let (x, c) = scaled(lhs, rhs) {
                    guard c < 0 else { return nil }
                    if c == -1 { return shown(x) }
                    let factor = number(-c)
                    return rendering(grouped(factor, atLeast: .multiplicative) + [.text("*")] + operand(x, atLeast: .power),
                                     .multiplicative, minusNegates: true)
                }
            }
            guard let left = negations[lhs.int] else { return nil }
            let symbol = op == .mul ? "*" : "/"
            return rendering(grouped(left, atLeast: .multiplicative) + [.text(symbol)] + operand(rhs, atLeast: .power),
                             .multiplicative, minusNegates: left.level < .multiplicative || left.minusNegates)
        default:
            return nil
        }
    }

    /// `negations` for an operand (nil for a value referred to by name).
    func negation(ofOperand id: NodeID) -> Rendering? {
        bound.contains(id) ? nil : negations[id.int]
    }

    /// −x as source: x's negation when it has one (`-(-a)` is `a`), else a minus before x,
    /// parenthesised unless the minus negates x's text exactly (`-x^2`, `-2*x`, `-(a + b)`).
    func negated(_ x: NodeID) -> Rendering {
        if let positive = negation(ofOperand: x) { return positive }
        let text = memo[x.int] ?? named(x)
        if text.minusNegates {
            return rendering([.text("-"), .node(x)], text.level == .multiplicative ? .multiplicative : .unary, deeper: 1,
                             minusNegates: false)
        }
        return rendering([.text("-")] + operand(x, atLeast: .power), .unary, deeper: 1, minusNegates: false)
    }

    /// A computed node's own text as a rendering (to stand for the negation of its negation).
    func shown(_ x: NodeID) -> Rendering? {
        memo[x.int].map { rendering([.node(x)], $0.level, minusNegates: $0.minusNegates) }
    }
}
