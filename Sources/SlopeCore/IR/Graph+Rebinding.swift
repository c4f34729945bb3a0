/// Giving a graph's leaves other values, of other shapes if need be: `sgd` runs the training
/// step on mini-batches by rebinding the batched inputs to values of batch shape, so the step
/// at batch shape is the same IR with its shapes inferred again, not a program lowered again.
extension Graph {
    /// Why a graph cannot take the new leaf shapes: the first node that does not fit.
    public struct RebindingFailure: Error, Sendable {
        public enum Reason: Sendable {
            /// Shape inference rejects the node's new operand shapes (`[32, 2] @ [3]`).
            case shapes
            /// A `reshape`, `broadcast` or `sum_to` whose operand changed shape: its shape
            /// attribute was chosen for the old shape (as reverse mode chooses it in `grad(...)`).
            case fixedShape(Shape)
            /// An elementwise operand that matched the result's shape would now be broadcast
            /// (a batch of one row spread over a constant of the old row count).
            case newlyBroadcast
        }
        public let node: NodeID
        public let reason: Reason
        /// Every node's shape at the new leaf shapes, as far as inference got: the nodes before
        /// `node` have their new shapes, `node` and the later ones still their old ones.
        public let shapes: [Shape]
    }

    /// The graph with the leaves named in `values` starting from those values, which must have
    /// their leaves' shapes (the current values of a program: initial, loaded or trained).
    public func withLeafValues(_ values: [String: Tensor]) -> Graph {
        var result = self
        for (index, leaf) in leaves.enumerated() {
            guard let value = values[leaf.name] else { continue }
            precondition(value.shape == nodes[leaf.node.int].shape, "internal error: '\(leaf.name)' rebound to another shape")
            result.leaves[index].value = value
        }
        return result
    }

    /// The graph with the leaves named in `values` bound to those values, and every node's shape
    /// inferred again from the new leaf shapes. Fails at the first node that no longer fits the
    /// new shapes, or would fit with another meaning (see `RebindingFailure.Reason`). Values of
    /// the same shapes as before just replace the table's values.
    public func rebinding(_ values: [String: Tensor]) throws(RebindingFailure) -> Graph {
        var result = self
        var leafShapes: [Int: Shape] = [:]
        for (index, leaf) in leaves.enumerated() {
            guard let value = values[leaf.name] else { continue }
            result.leaves[index].value = value
            if value.shape != nodes[leaf.node.int].shape { leafShapes[leaf.node.int] = value.shape }
        }
        guard !leafShapes.isEmpty else { return result }
        result.nodes = try inferringShapes(leafShapes).nodes
        return result
    }

    /// The graph with the leaves at the positions in `leafShapes` given those shapes, and every
    /// other node's shape inferred again (see `rebinding`). An integral whose captures change
    /// shape gets its integrand's body rebound the same way. With `broadcasting`, an operand
    /// that matched its node's shape may be broadcast to the new one (a scalar integrand's
    /// values of one point spread over a batch of points, `IntegralProgram`).
    func inferringShapes(_ leafShapes: [Int: Shape], broadcasting: Bool = false) throws(RebindingFailure) -> Graph {
        var shapes = nodes.map(\.shape)
        for (index, shape) in leafShapes { shapes[index] = shape }
        var ops: [Int: Op] = [:]
        for (index, node) in nodes.enumerated() {
            if node.op.isLeaf { continue }
            let operands = node.operands.map { shapes[$0.int] }
            let changed = zip(node.operands, operands).contains { nodes[$0.int].shape != $1 }
            var op = node.op
            if case .integral(let integrand) = node.op, changed {
                do {
                    op = .integral(try integrand.rebinding(captures: Array(operands.dropFirst(2))))
                } catch {
                    throw RebindingFailure(node: NodeID(index), reason: error.reason, shapes: shapes)
                }
                ops[index] = op
            }
            guard case .success(let shape) = op.inferShape(operands) else {
                throw RebindingFailure(node: NodeID(index), reason: .shapes, shapes: shapes)
            }
            switch node.op {
            case .reshape(let fixed), .broadcast(let fixed), .sumTo(let fixed):
                if changed { throw RebindingFailure(node: NodeID(index), reason: .fixedShape(fixed), shapes: shapes) }
            case .binary where !broadcasting:
                for (operand, new) in zip(node.operands, operands) where nodes[operand.int].shape == node.shape && new != shape {
                    throw RebindingFailure(node: NodeID(index), reason: .newlyBroadcast, shapes: shapes)
                }
            case .constant, .leaf, .unary, .binary, .reduce, .matmul, .transpose, .stack, .index, .cumsum, .integral:
                break
            }
            shapes[index] = shape
        }
        var result = self
        result.nodes = nodes.enumerated().map { index, node in
            let op = ops[index] ?? node.op
            return node.shape == shapes[index] && ops[index] == nil ? node
                : Node(op: op, operands: node.operands, shape: shapes[index], range: node.range,
                       name: node.name, frame: node.frame, adjointOf: node.adjointOf)
        }
        return result
    }
}

extension Integrand {
    /// The integrand with its captures of these shapes (in order), its body's shapes inferred
    /// again: what an integral over a batch of the data reads when `sgd` rebinds the inputs.
    func rebinding(captures shapes: [Shape]) throws(Graph.RebindingFailure) -> Integrand {
        var leafShapes: [Int: Shape] = [:]
        for (leaf, shape) in zip(captureNodes, shapes) {
            if let leaf, body[leaf].shape != shape { leafShapes[leaf.int] = shape }
        }
        guard !leafShapes.isEmpty else { return self }
        return Integrand(body: try body.inferringShapes(leafShapes), variable: variable, captures: captures, name: name)
    }
}

extension Graph.RebindingFailure {
    /// The first-axis length the rebound leaves had and have: the data's rows and the batch.
    public func rows(in graph: Graph) -> (old: Int, new: Int)? {
        for leaf in graph.leaves {
            let old = graph[leaf.node].shape, new = shapes[leaf.node.int]
            if old != new, old.rank >= 1, new.rank >= 1 { return (old[0], new[0]) }
        }
        return nil
    }

    /// What cannot follow the batch: the first param, input or constant that the failing node
    /// reads through values whose shape did not change, and whose own shape has a dimension of
    /// the data's row count (a param with one entry per row). Nil when there is none.
    public func unbatchedValue(in graph: Graph) -> NodeID? {
        guard let rows = rows(in: graph)?.old else { return nil }
        var stack = graph[node].operands.reversed().filter { shapes[$0.int] == graph[$0].shape }
        var seen: Set<NodeID> = []
        while let id = stack.popLast() {
            guard seen.insert(id).inserted else { continue }
            let current = graph[id]
            if current.operands.isEmpty {
                if current.shape.dimensions.contains(rows) { return id }
                continue
            }
            // Operands that changed shape were batched: what they hold follows the batch.
            stack.append(contentsOf: current.operands.reversed().filter { shapes[$0.int] == graph[$0].shape })
        }
        return nil
    }
}
