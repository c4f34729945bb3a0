/// Reverse-mode automatic differentiation as a transformation of IR into IR.
///
/// Given a scalar target and leaves, it appends to the graph the nodes that compute
/// ∂target/∂leaf for each leaf: it visits the nodes between the leaves and the target in
/// reverse topological order, asks `AdjointRules` for each operand's contribution, sums
/// contributions where a value fans out, and sums a contribution back to its operand's shape
/// where broadcasting widened it. The result is ordinary IR: printed, optimized, run and
/// differentiated again like any other graph.
public enum ReverseMode {
    /// The gradient of `target` with respect to each of `leaves`, in order. A leaf the target
    /// does not depend on gets a constant zero of its shape.
    public static func gradients(of target: NodeID, wrt leaves: [NodeID], in builder: inout GraphBuilder) -> [NodeID] {
        gradients(of: target, wrt: leaves, in: &builder, maximumNodes: Int.max)!
    }

    /// `gradients(of:wrt:in:)`, or nil as soon as the graph holds more than `maximumNodes`
    /// nodes (checked after each node's rule, so it stops within a few nodes of the limit).
    public static func gradients(of target: NodeID, wrt leaves: [NodeID], in builder: inout GraphBuilder,
                                 maximumNodes: Int) -> [NodeID]? {
        backwardPass(of: target, wrt: leaves, in: &builder, maximumNodes: maximumNodes, distinctSeed: false)?.gradients
    }

    /// The gradients, and the seed: the adjoint of the target itself, the constant 1 the
    /// backward pass starts from (nil when the target depends on none of `leaves`). Hash-consing
    /// shares that `1` with any other (a forward `1` in `1 - y`, the `1` of sigmoid's rule); with
    /// `distinctSeed` it is a node of its own, read only by what the target's adjoint feeds, so a
    /// picture can name it `d_loss` without naming a forward constant. Nil past `maximumNodes`.
    public static func backwardPass(of target: NodeID, wrt leaves: [NodeID], in builder: inout GraphBuilder,
                                    maximumNodes: Int = Int.max, distinctSeed: Bool) -> (gradients: [NodeID], seed: NodeID?)? {
        let count = target.int + 1
        let graph = builder.graph
        // Active nodes lie on a path from some leaf to the target.
        let needed = graph.reachable(from: [target])
        var active = [Bool](repeating: false, count: count)
        for leaf in leaves where leaf.int < count { active[leaf.int] = true }
        // A piecewise-constant op (step, sign, equal) passes no derivative: its value is
        // inactive even when its operands are not.
        for index in 0..<count where !active[index] && needed[index] && !graph.nodes[index].op.hasZeroDerivative {
            active[index] = graph.nodes[index].operands.contains { active[$0.int] }
        }
        for index in 0..<count where !needed[index] { active[index] = false }

        let range = graph[target].range
        let savedFrame = builder.currentFrame
        var adjoints = [NodeID?](repeating: nil, count: count)
        var seed: NodeID?
        if active[target.int] {
            seed = distinctSeed ? builder.distinctConstant(Tensor(1), range: range) : builder.constant(1, range: range)
            adjoints[target.int] = seed
        }

        for index in stride(from: target.int, through: 0, by: -1) {
            guard builder.graph.count <= maximumNodes else {
                builder.currentFrame = savedFrame
                return nil
            }
            guard active[index], let dy = adjoints[index] else { continue }
            builder.markAdjoint(dy, of: NodeID(index))
            let node = graph.nodes[index]
            if node.op.isLeaf { continue }
            // Backward nodes belong to the same inlined call as the forward node they come from.
            builder.currentFrame = node.frame
            for (k, operand) in node.operands.enumerated() where active[operand.int] {
                guard var contribution = AdjointRules.contribution(of: NodeID(index), operand: k, adjoint: dy, in: &builder) else {
                    continue
                }
                let operandShape = graph[operand].shape
                if builder[contribution].shape != operandShape {
                    contribution = builder.sumTo(contribution, operandShape, at: node.range)
                }
                if let existing = adjoints[operand.int] {
                    adjoints[operand.int] = builder.add(existing, contribution, at: graph[operand].range)
                } else {
                    adjoints[operand.int] = contribution
                }
            }
        }
        builder.currentFrame = savedFrame
        let gradients = leaves.map { leaf in
            if leaf.int < count, let adjoint = adjoints[leaf.int] { return adjoint }
            return builder.zeros(graph[leaf].shape, at: graph[leaf].range)
        }
        return (gradients, seed)
    }
}
