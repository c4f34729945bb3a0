/// Giving a graph's leaves other values, of other shapes if need be: `sgd` runs the training
/// step on mini-batches by rebinding the batched inputs to values of batch shape, so the step
/// at batch shape is the same IR with its shapes inferred again, not a program lowered again.
extension Graph {
    /// The graph with the leaves named in `values` bound to those values, and every node's shape
    /// inferred again from the new leaf shapes. Nil when the nodes no longer fit the new shapes,
    /// or when they would fit with another meaning:
    /// - an op inference rejects (`[32, 2] @ [3]`);
    /// - a `reshape`, `broadcast` or `sum_to` whose operand changed shape: its shape attribute
    ///   was chosen for the old shape (as reverse mode chooses it inside `grad(...)`);
    /// - an elementwise operand that matched its result's shape and no longer does: it would
    ///   now be broadcast (a batch of one row spread over a constant of the old row count).
    /// Values of the same shape as before just replace the table's values.
    public func rebinding(_ values: [String: Tensor]) -> Graph? {
        var result = self
        var reshaped = false
        for (index, leaf) in leaves.enumerated() {
            guard let value = values[leaf.name] else { continue }
            result.leaves[index].value = value
            if value.shape != nodes[leaf.node.int].shape { reshaped = true }
        }
        guard reshaped else { return result }
        var shapes = nodes.map(\.shape)
        for leaf in result.leaves { shapes[leaf.node.int] = leaf.value.shape }
        for (index, node) in nodes.enumerated() {
            if node.op.isLeaf { continue }
            let operands = node.operands.map { shapes[$0.int] }
            guard case .success(let shape) = node.op.inferShape(operands) else { return nil }
            let changed = zip(node.operands, operands).contains { nodes[$0.int].shape != $1 }
            switch node.op {
            case .reshape, .broadcast, .sumTo:
                if changed { return nil }
            case .binary:
                for (operand, new) in zip(node.operands, operands) where nodes[operand.int].shape == node.shape && new != shape {
                    return nil
                }
            case .constant, .leaf, .unary, .reduce, .matmul, .transpose, .stack, .index:
                break
            }
            shapes[index] = shape
        }
        result.nodes = zip(nodes, shapes).map { node, shape in
            node.shape == shape ? node : Node(op: node.op, operands: node.operands, shape: shape, range: node.range,
                                              name: node.name, frame: node.frame, adjointOf: node.adjointOf)
        }
        return result
    }
}
