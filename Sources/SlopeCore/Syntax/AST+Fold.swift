/// A bottom-up fold over an expression tree without recursion, so a chain of 100,000 operators
/// (which the parser builds as a 100,000-deep left spine) is lowered with a constant stack.
extension AST {
    /// Calls `combine` on every expression under `root` after its children, passing the folded
    /// values of the children that `children` selects (in order); returns the root's value.
    public func fold<Value>(_ root: ExpressionID,
                            children: ((ExpressionID) -> [ExpressionID])? = nil,
                            _ combine: (ExpressionID, [Value]) throws -> Value) rethrows -> Value {
        // A statement's expression is usually a handful of nodes: room for that from the start,
        // so the stacks do not grow one reallocation at a time. An expanded entry carries the
        // number of its children (nil while they are still to be pushed).
        var work: [(id: ExpressionID, childCount: Int?)] = []
        work.reserveCapacity(16)
        work.append((root, nil))
        var values: [Value] = []
        values.reserveCapacity(16)
        while let (id, childCount) = work.popLast() {
            if let count = childCount {
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
            work.append((id, selected.count))
            for child in selected.reversed() { work.append((child, nil)) }
        }
        return values[0]
    }
}
