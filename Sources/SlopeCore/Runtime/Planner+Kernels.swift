extension Planner {
    /// The kernel of a step that computes one node, with its sizes, strides and layouts worked
    /// out once.
    static func kernel(for node: Node, in graph: Graph, folded: [Bool]) -> ExecutionPlan.Kernel {
        // The operands' shapes, read without building an array for every step.
        let first = node.operands.first.map { graph[$0].shape } ?? .scalar
        let second = node.operands.count > 1 ? graph[node.operands[1]].shape : .scalar
        let shapes = (first, second)
        switch node.op {
        case .unary(let op):
            return .unary(op)
        case .binary(let op):
            if shapes.0 == node.shape && shapes.1 == node.shape { return .binary(op) }
            if shapes.0.count == 1 && shapes.1 == node.shape { return .binaryScalarLHS(op) }
            if shapes.1.count == 1 && shapes.0 == node.shape { return .binaryScalarRHS(op) }
            return .binaryBroadcast(op, BroadcastLayout(output: node.shape, lhs: shapes.0, rhs: shapes.1))
        case .reduce(let op, let axis):
            guard let axis else { return .reduceAll(op, n: shapes.0.count) }
            let dimensions = shapes.0.dimensions
            let outer = dimensions[..<axis].reduce(1, *), inner = dimensions[(axis + 1)...].reduce(1, *)
            return .reduceAxis(op, outer: outer, n: dimensions[axis], inner: inner)
        case .broadcast:
            return .broadcast(BroadcastLayout(output: node.shape, lhs: shapes.0, rhs: node.shape))
        case .sumTo:
            return .sumTo(BroadcastLayout(output: shapes.0, lhs: node.shape, rhs: shapes.0))
        case .transpose:
            return .transpose(shapes.0.dimensions)
        case .matmul:
            // A folded transpose is read in its source's layout, with transposed indexing.
            let transposeA = folded[node.operands[0].int], transposeB = folded[node.operands[1].int]
            let m = shapes.0.rank == 2 ? shapes.0[0] : 1
            let k = shapes.0.dimensions.last!
            let n = shapes.1.rank == 2 ? shapes.1[1] : 1
            return .matmul(m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
        case .cumsum(let axis):
            let dimensions = shapes.0.dimensions
            let outer = dimensions[..<axis].reduce(1, *), inner = dimensions[(axis + 1)...].reduce(1, *)
            return .cumsum(outer: outer, n: dimensions[axis], inner: inner)
        case .stack:
            return .stack
        case .index(let position):
            return .slice(offset: position * node.shape.count)
        case .reshape, .constant, .leaf, .integral:
            preconditionFailure("internal error: \(node.op.name) has no step")
        }
    }
}
