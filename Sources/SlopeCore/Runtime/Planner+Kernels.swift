extension Planner {
    /// The kernel of a step that computes one node, with its sizes, strides and layouts worked
    /// out once.
    /// The node is read in place, field by field: passed as a `Node`, it was copied out of the
    /// graph for every step (its op, shape and name retained and released).
    static func kernel(for id: NodeID, in graph: Graph, folded: [Bool]) -> ExecutionPlan.Kernel {
        // The operands' shapes, read without building an array for every step.
        let operands = graph.nodes[id.int].operands
        let shape = graph.nodes[id.int].shape
        let first = operands.first.map { graph[$0].shape } ?? .scalar
        let second = operands.count > 1 ? graph[operands[1]].shape : .scalar
        let shapes = (first, second)
        switch graph.nodes[id.int].op {
        case .unary(let op):
            return .unary(op)
        case .binary(let op):
            if shapes.0 == shape && shapes.1 == shape { return .binary(op) }
            if shapes.0.count == 1 && shapes.1 == shape { return .binaryScalarLHS(op) }
            if shapes.1.count == 1 && shapes.0 == shape { return .binaryScalarRHS(op) }
            return .binaryBroadcast(op, BroadcastLayout(output: shape, lhs: shapes.0, rhs: shapes.1))
        case .reduce(let op, let axis):
            guard let axis else { return .reduceAll(op, n: shapes.0.count) }
            let dimensions = shapes.0.dimensions
            let outer = dimensions[..<axis].reduce(1, *), inner = dimensions[(axis + 1)...].reduce(1, *)
            return .reduceAxis(op, outer: outer, n: dimensions[axis], inner: inner)
        case .broadcast:
            return .broadcast(BroadcastLayout(output: shape, lhs: shapes.0, rhs: shape))
        case .sumTo:
            return .sumTo(BroadcastLayout(output: shapes.0, lhs: shape, rhs: shapes.0))
        case .transpose:
            return .transpose(shapes.0.dimensions)
        case .matmul:
            // A folded transpose is read in its source's layout, with transposed indexing.
            let transposeA = folded[operands[0].int], transposeB = folded[operands[1].int]
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
            return .slice(offset: position * shape.count)
        case .reshape, .constant, .leaf, .integral:
            preconditionFailure("internal error: \(graph.nodes[id.int].op.name) has no step")
        }
    }
}
