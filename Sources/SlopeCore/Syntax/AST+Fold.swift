/// A bottom-up fold over an expression tree without recursion, so a chain of 100,000 operators
/// (which the parser builds as a 100,000-deep left spine) is lowered with a constant stack.
extension AST {
    /// Calls `combine` on every expression under `root` after its children, passing the folded
    /// values of the children that `children` selects (in order); returns the root's value.
    public func fold<Value>(_ root: ExpressionID,
                            children: ((ExpressionID) -> [ExpressionID])? = nil,
                            _ combine: (ExpressionID, [Value]) throws -> Value) rethrows -> Value {
        var work: [(ExpressionID, Bool)] = [(root, false)]
        var values: [Value] = []
        var childCounts: [Int] = []
        while let (id, expanded) = work.popLast() {
            if expanded {
                let count = childCounts.removeLast()
                let operands = Array(values.suffix(count))
                values.removeLast(count)
                values.append(try combine(id, operands))
                continue
            }
            let selected = children?(id) ?? self[id].children
            if selected.isEmpty {
                values.append(try combine(id, []))
                continue
            }
            work.append((id, true))
            childCounts.append(selected.count)
            for child in selected.reversed() { work.append((child, false)) }
        }
        return values[0]
    }
}
