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

        // How many contributions each active node awaits: one each time an active node reads it
        // (its rule may find one zero). A sum of contributions is finished when the last has come
        // (`DeferredSum`).
        var awaited = [Int32](repeating: 0, count: count - low)
        for index in low..<count where active[index - low] {
            for operand in builder.graph.nodes[index].operands where operand.int >= low && active[operand.int - low] {
                awaited[operand.int - low] += 1
            }
        }

        let range = builder[target].range
        let savedFrame = builder.currentFrame
        var adjoints = [NodeID?](repeating: nil, count: count - low)
        // With `combiningLinearTerms`, the sums still awaiting contributions, by index from `low`
        // (their entry in `adjoints` is nil).
        var sums: [Int: DeferredSum] = [:]
        var seed: NodeID?
        if active[target.int - low] {
            seed = distinctSeed ? builder.distinctConstant(Tensor(1), range: range) : builder.constant(1, range: range)
            adjoints[target.int - low] = seed
        }

        /// Adds `contribution` to the adjoint of `operand`: with `combiningLinearTerms` off the sum
        /// is built as the contributions come, with it on it is a `DeferredSum`.
        func add(_ contribution: NodeID, toAdjointOf operand: NodeID) {
            let entry = operand.int - low
            let (shape, range) = (builder[operand].shape, builder[operand].range)
            let readBack: GraphBuilder.LinearCombination
            if let existing = adjoints[entry] {
                guard builder.combiningLinearTerms else {
                    adjoints[entry] = builder.add(existing, contribution, at: range)
                    return
                }
                // The node's shape is the operand's, so it combines.
                readBack = builder.combinationOf(existing, as: shape)!
                adjoints[entry] = nil
            } else if let sum = sums[entry] {
                readBack = sum.readBack
            } else {
                adjoints[entry] = contribution
                return
            }
            // A contribution has the operand's shape too (summed to it).
            let sum = readBack.adding(builder.combinationOf(contribution, as: shape)!)
            // The sum's node starts with the terms it adds, in graph order, and a contribution's
            // terms mostly come after those before it: that partial sum starts the later sums
            // too. So it is built now, where it was built before: before the later terms, which
            // hash-consing then orders after it (`(a + b) + c`, not `c + (a + b)`).
            builder.materializePositiveTerms(of: sum, shape: shape, range: range)
            if let next = builder.readingBack(sum, shape: shape, range: range) {
                sums[entry] = DeferredSum(combination: sum, readBack: next)
            } else {
                sums[entry] = nil
                adjoints[entry] = builder.materialize(sum, shape: shape, range: range)
            }
        }

        for index in stride(from: target.int, through: low, by: -1) {
            guard builder.graph.count <= maximumNodes else {
                builder.currentFrame = savedFrame
                return nil
            }
            guard active[index - low] else { continue }
            // A node without an adjoint (every contribution to it was zero) contributes nothing,
            // but its operands stop awaiting it.
            let dy = adjoints[index - low]
            if let dy { builder.markAdjoint(dy, of: NodeID(index)) }
            if builder.graph.nodes[index].op.isLeaf { continue }
            // The fields the loop needs, copied one by one: a copy of the whole node retains and
            // releases its op, shape and name too.
            let (operands, nodeRange) = (builder.graph.nodes[index].operands, builder.graph.nodes[index].range)
            // Backward nodes belong to the same inlined call as the forward node they come from.
            builder.currentFrame = builder.graph.nodes[index].frame
            for (k, operand) in operands.enumerated() where operand.int >= low && active[operand.int - low] {
                if let dy, var contribution = AdjointRules.contribution(of: NodeID(index), operand: k, adjoint: dy, in: &builder) {
                    let operandShape = builder[operand].shape
                    if builder[contribution].shape != operandShape {
                        contribution = builder.sumTo(contribution, operandShape, at: nodeRange)
                    }
                    add(contribution, toAdjointOf: operand)
                }
                let entry = operand.int - low
                awaited[entry] -= 1
                if awaited[entry] == 0, adjoints[entry] == nil, let sum = sums.removeValue(forKey: entry) {
                    let (shape, range) = (builder[operand].shape, builder[operand].range)
                    adjoints[entry] = builder.materialize(sum.combination, shape: shape, range: range)
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

    /// A sum of contributions to an adjoint that awaits more. Built whole at each contribution,
    /// the sum ended in nodes the next one superseded: `materialize` adds the positive terms,
    /// then the constant, then subtracts the other terms, and `(d₄ + d₃) + 1` is dead once `d₂`
    /// makes `(d₄ + d₃ + d₂) + 1` (a sixth of a long chain's graph, for lowering, simplification
    /// and dead-code elimination to pay for). So the positive terms are built as they come and
    /// the rest when the last contribution comes, where it was built before: at that point of
    /// the graph (built when the pass reads it, the adjoint would come after nodes it came
    /// before, and as a term, `2·d_s`, sort after them in another sum, which would then add in
    /// another order) and in that contribution's frame. The adjoint is the same nodes as
    /// before, in the same order, without those nothing read.
    struct DeferredSum {
        /// The sum, whose node is `materialize(combination)`.
        var combination: GraphBuilder.LinearCombination
        /// What reading that node back would give (`GraphBuilder.readingBack`), which the next
        /// contribution is added to, as it was added to the node.
        var readBack: GraphBuilder.LinearCombination
    }
}
