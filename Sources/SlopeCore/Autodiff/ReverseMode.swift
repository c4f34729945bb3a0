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
        // Only nodes from the first leaf to the target can be active, so the work is that
        // window's size, however large the graph before it (lowering's `grad` inside an `fn`
        // differentiates a few nodes at the end of a long graph). Arrays below are indexed from
        // `low`. The forward nodes are read through the builder, never from a copy of its
        // graph: a copy would make the builder's first new node copy the whole node array.
        let low = min(leaves.lazy.map(\.int).filter { $0 < count }.min() ?? target.int, target.int)
        let needed = builder.graph.reachable(from: target, within: low..<count)
        var active = [Bool](repeating: false, count: count - low)
        for leaf in leaves where leaf.int < count { active[leaf.int - low] = true }
        // A piecewise-constant op (step, sign, equal) passes no derivative: its value is
        // inactive even when its operands are not.
        for index in low..<count where !active[index - low] && needed[index - low] {
            guard !builder.graph.nodes[index].op.hasZeroDerivative else { continue }
            active[index - low] = builder.graph.nodes[index].operands.contains { $0.int >= low && active[$0.int - low] }
        }
        for index in low..<count where !needed[index - low] { active[index - low] = false }

        builder.reserveRoom(forAdjointsOf: active.lazy.filter { $0 }.count)

        let range = builder[target].range
        let savedFrame = builder.currentFrame
        var adjoints = [NodeID?](repeating: nil, count: count - low)
        var seed: NodeID?
        if active[target.int - low] {
            seed = distinctSeed ? builder.distinctConstant(Tensor(1), range: range) : builder.constant(1, range: range)
            adjoints[target.int - low] = seed
        }

        for index in stride(from: target.int, through: low, by: -1) {
            guard builder.graph.count <= maximumNodes else {
                builder.currentFrame = savedFrame
                return nil
            }
            guard active[index - low], let dy = adjoints[index - low] else { continue }
            builder.markAdjoint(dy, of: NodeID(index))
            if builder.graph.nodes[index].op.isLeaf { continue }
            // The fields the loop needs, copied one by one: a copy of the whole node retains and
            // releases its op, shape and name too.
            let (operands, nodeRange) = (builder.graph.nodes[index].operands, builder.graph.nodes[index].range)
            // Backward nodes belong to the same inlined call as the forward node they come from.
            builder.currentFrame = builder.graph.nodes[index].frame
            for (k, operand) in operands.enumerated() where operand.int >= low && active[operand.int - low] {
                guard var contribution = AdjointRules.contribution(of: NodeID(index), operand: k, adjoint: dy, in: &builder) else {
                    continue
                }
                let operandShape = builder[operand].shape
                if builder[contribution].shape != operandShape {
                    contribution = builder.sumTo(contribution, operandShape, at: nodeRange)
                }
                if let existing = adjoints[operand.int - low] {
                    adjoints[operand.int - low] = builder.add(existing, contribution, at: builder[operand].range)
                } else {
                    adjoints[operand.int - low] = contribution
                }
            }
        }
        builder.currentFrame = savedFrame
        let gradients = leaves.map { leaf in
            if leaf.int < count, let adjoint = adjoints[leaf.int - low] { return adjoint }
            return builder.zeros(builder[leaf].shape, at: builder[leaf].range)
        }
        return (gradients, seed)
    }
}
