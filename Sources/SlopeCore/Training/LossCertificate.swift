/// A proof, step by step, that the loss is finite, so a step whose loss nobody sees can compute
/// only the gradient and still stop where a NaN or an infinity appears.
///
/// The loss's own nodes (those the gradients do not need: for a perceptron with log loss, the
/// softplus pair and their mean) read a few values the gradient computation produces anyway.
/// Bounds on those — the smallest and largest element of each tensor, fused into the gradient's
/// loops as two more reductions; a scalar's value; a fixed input's range, found once — are
/// carried through the loss's nodes by each op's bound rule (`Op.bounds`); a computed tensor
/// that is an elementwise function of fixed values and scalars is bounded through its own nodes
/// the same way, and nothing is measured for it. When the loss's bounds
/// exist they hold every value the loss could have, well inside the finite range, so the loss is
/// finite and need not be computed. When they do not (a log of something that may reach zero, a
/// sum that may overflow, a NaN among the values), the trainer computes the loss as well: the
/// certificate only ever saves work, it never decides that a step is good by itself.
struct LossCertificate {
    /// What a node the loss reads is bounded by.
    enum Source {
        /// Fixed for the whole training: a constant, or an input.
        case fixed(ValueBounds?)
        /// A scalar the step computes: its value.
        case scalar(NodeID)
        /// A tensor the step computes: its smallest and largest elements (nodes added to the graph).
        case extremes(min: NodeID, max: NodeID)
    }

    /// The nodes the loss reads but the gradient computation produces, and how each is bounded.
    let sources: [(node: NodeID, source: Source)]
    /// The loss's own nodes, in graph order, each with the positions (in `sources`, then in
    /// `nodes`) of its operands and its operands' shapes.
    let nodes: [(op: Op, operands: [Int], shapes: [Shape])]
    /// The nodes the step must compute for the certificate: the gradients' plan includes them.
    let outputs: [NodeID]

    /// Most nodes of a computed tensor's expression bounded through their rules (each further
    /// node loosens the bounds a little and costs a little per step).
    static let maximumExpandedNodes = 32

    /// The certificate for `target` in `graph`, which gains the extremes' reduction nodes; nil
    /// when some node of the loss has no bound rule worth trying (an integral), or when the loss
    /// has no nodes of its own (then the gradient run computes it anyway). `kept` are the nodes
    /// the gradient run computes (gradients and params); `varying` are the leaves that change
    /// from step to step (the trained params); every other leaf is fixed at `leafValues`.
    init?(target: NodeID, kept: [NodeID], varying: Set<NodeID>, in graph: inout Graph) {
        let computed = graph.reachable(from: kept)
        let needed = graph.reachable(from: [target])
        // A computed tensor that is an elementwise function of fixed values and scalars (z = w·x
        // + b of fixed inputs x and scalar params) is bounded through its own nodes' rules, like
        // the loss's, rather than by its extremes: the step then measures nothing for it.
        var derivable: [NodeID: Bool] = [:]
        func isDerivable(_ id: NodeID, budget: inout Int) -> Bool {
            if let known = derivable[id] { return known }
            let node = graph[id]
            var result: Bool
            switch node.op {
            case .constant: result = true
            case .leaf: result = !varying.contains(id) || node.shape.count == 1
            case .unary, .binary, .broadcast:
                budget -= 1
                result = node.shape.count == 1 || (budget > 0 && node.operands.allSatisfy { isDerivable($0, budget: &budget) })
            default: result = node.shape.count == 1 && computed[id.int]
            }
            derivable[id] = result
            return result
        }
        func isExpanded(_ id: NodeID) -> Bool {
            guard computed[id.int], graph[id].shape.count > 1, !graph[id].op.isLeaf else { return false }
            var budget = LossCertificate.maximumExpandedNodes
            return isDerivable(id, budget: &budget)
        }
        // Leaves and constants the loss reads are sources too: bounded once.
        func isSource(_ id: NodeID) -> Bool {
            if computed[id.int] { return !isExpanded(id) }
            switch graph[id].op {
            case .leaf, .constant: return true
            default: return false
            }
        }
        var own: [NodeID] = []
        for index in 0..<graph.count where needed[index] && !isSource(NodeID(index)) {
            if case .integral = graph.nodes[index].op { return nil }
            own.append(NodeID(index))
        }
        guard !own.isEmpty, own.last == target else { return nil }
        var position: [NodeID: Int] = [:]
        var read: [NodeID] = []
        for id in own {
            for operand in graph[id].operands where isSource(operand) && position[operand] == nil {
                position[operand] = read.count
                read.append(operand)
            }
        }
        // Positions of the loss's own nodes follow the sources'.
        for (offset, id) in own.enumerated() { position[id] = read.count + offset }
        let leafValues = graph.leafValues
        var builder = GraphBuilder(graph, hashConsing: true)
        var sources: [(NodeID, Source)] = []
        var outputs: [NodeID] = []
        for id in read {
            let node = builder[id]
            let source: Source
            if case .constant(let value) = node.op {
                source = .fixed(ValueBounds(of: value.values))
            } else if case .leaf = node.op, !varying.contains(id) {
                source = .fixed(leafValues[id].flatMap { ValueBounds(of: $0.values) })
            } else if case .leaf = node.op, !computed[id.int] {
                // A trained param only the loss reads has no buffer in the gradients' plan.
                return nil
            } else if node.shape.count == 1 {
                source = .scalar(id)
                outputs.append(id)
            } else {
                let least = builder.add(.reduce(.min, axis: nil), [id], range: node.range)
                let largest = builder.add(.reduce(.max, axis: nil), [id], range: node.range)
                source = .extremes(min: least, max: largest)
                outputs += [least, largest]
            }
            sources.append((id, source))
        }
        graph = builder.finish()
        let finished = graph
        self.nodes = own.map { id in
            let node = finished[id]
            return (node.op, node.operands.map { position[$0]! }, node.operands.map { finished[$0].shape })
        }
        self.sources = sources
        self.outputs = outputs
    }

    /// Whether the loss the last run would have computed is certainly finite, from the values
    /// the run left in `executor` (a run of the plan's partial steps is enough).
    func certifies(_ executor: Executor) -> Bool {
        var bounds: [ValueBounds] = []
        bounds.reserveCapacity(sources.count + nodes.count)
        for (_, source) in sources {
            let value: ValueBounds?
            switch source {
            case .fixed(let fixed): value = fixed
            case .scalar(let node): value = ValueBounds(point: executor.pointer(node)![0])
            case .extremes(let min, let max): value = ValueBounds(executor.pointer(min)![0], executor.pointer(max)![0])
            }
            guard let value else { return false }
            bounds.append(value)
        }
        for node in nodes {
            guard let value = node.op.bounds(node.operands.map { bounds[$0] }, shapes: node.shapes) else { return false }
            bounds.append(value)
        }
        return true
    }
}
