/// Decides which nodes run as one fused loop. Chains of elementwise ops on one shape become a
/// `FusionGroup`, executed chunk by chunk so intermediate values stay in cache-sized registers
/// and never touch memory; full reductions (sum, mean, sum_to a scalar) and column sums (the
/// bias gradient, sum_to [m] of [n, m]) of its members are folded in as epilogues.
///
/// Nodes are visited in topological order with one group open at a time. A node joins the open
/// group when it has the group's shape and each operand is a member of the group or was
/// computed before the group started; operands may be full-size, a single value, or a row
/// vector repeated along the leading axes (one period for the whole group). A node that reads a
/// member of the open group and cannot join it closes the group first; anything else runs as
/// its own step without closing it.
struct FusionScheduler {
    enum Item {
        case single(NodeID)
        case group(FusionGroup)
    }

    struct FusionGroup {
        let shape: Shape
        /// Period of the row vectors repeated along the leading axes, if any.
        var period: Int?
        var members: [NodeID] = []
        var reductions: [NodeID] = []
        var memberSet: Set<NodeID> = []
        var reductionSet: Set<NodeID> = []
    }

    /// The longest row period a group tiles; beyond it the op runs unfused.
    static let maximumPeriod = 2048

    let graph: Graph
    let live: [Bool]
    /// The node whose step produces a node's data: itself, or for a reshape view or a transpose
    /// folded into a matmul, the node it reads.
    let producer: [NodeID]

    /// The schedule: single steps and fused groups, in an order that respects every dependency.
    /// `skipped` marks nodes that need no step (leaves, constants, reshape views, transposes
    /// folded into matmuls).
    func schedule(skipped: [Bool]) -> [Item] {
        var items: [Item] = []
        var open: FusionGroup?
        // Steps that read the open group and cannot join it wait until it closes, so the group
        // can keep growing past them (the 2 · sum(r) of one gradient while x · r of the next
        // joins). A later node that reads one of them closes the group first.
        var pending: [NodeID] = []
        var pendingSet: Set<NodeID> = []
        func close() {
            if let group = open { items.append(.group(group)) }
            items.append(contentsOf: pending.map { .single($0) })
            open = nil
            pending.removeAll()
            pendingSet.removeAll()
        }
        for index in 0..<graph.count where live[index] && !skipped[index] {
            let id = NodeID(index)
            let node = graph[id]
            let readsPending = node.operands.contains { pendingSet.contains(producer[$0.int]) }
            if var group = open {
                if !readsPending, canJoin(node, id, &group) {
                    open = group
                    continue
                }
                let readsGroup = node.operands.contains {
                    group.memberSet.contains(producer[$0.int]) || group.reductionSet.contains(producer[$0.int])
                }
                if (readsGroup || readsPending) && startGroup(node) == nil {
                    pending.append(id)
                    pendingSet.insert(id)
                    continue
                }
                if readsGroup || readsPending { close() }
            }
            if var fresh = startGroup(node), canJoin(node, id, &fresh) {
                // One group is open at a time: a node that starts a new group closes the old one.
                close()
                open = fresh
            } else {
                items.append(.single(id))
            }
        }
        close()
        return items
    }

    /// A new group for an elementwise node (or a broadcast) of more than one element.
    func startGroup(_ node: Node) -> FusionGroup? {
        guard isMemberOp(node.op), node.shape.count > 1 else { return nil }
        return FusionGroup(shape: node.shape)
    }

    /// Elementwise ops, and `broadcast`, which inside a group is only a way of reading its
    /// operand (as a single value or a tiled row), never a copy.
    func isMemberOp(_ op: Op) -> Bool {
        if case .broadcast = op { return true }
        return op.isElementwise
    }

    /// Adds the node to the group (as a member or an epilogue reduction) when it fits.
    func canJoin(_ node: Node, _ id: NodeID, _ group: inout FusionGroup) -> Bool {
        if isMemberOp(node.op) {
            guard node.shape == group.shape else { return false }
            var period = group.period
            for operand in node.operands {
                if group.memberSet.contains(operand) { continue }
                let source = producer[operand.int]
                if group.memberSet.contains(source) || group.reductionSet.contains(source) { return false }
                guard let kind = operandKind(graph[operand].shape, in: group.shape) else { return false }
                if case .tiled(let p) = kind {
                    if let existing = period, existing != p { return false }
                    period = p
                }
            }
            group.period = period
            group.members.append(id)
            group.memberSet.insert(id)
            return true
        }
        guard let operand = node.operands.first, group.memberSet.contains(operand),
              let reduction = reductionKind(node, of: group.shape) else { return false }
        if case .columns(let p, _) = reduction {
            if let existing = group.period, existing != p { return false }
            group.period = p
        }
        group.reductions.append(id)
        group.reductionSet.insert(id)
        return true
    }

    enum OperandKind: Equatable {
        case full, scalar, tiled(Int)
    }

    /// How an operand of shape `operand` is read by an elementwise node of shape `output`.
    func operandKind(_ operand: Shape, in output: Shape) -> OperandKind? {
        if operand == output { return .full }
        if operand.count == 1 { return .scalar }
        // A row vector: after dropping leading 1s, the trailing dimensions of the output.
        var dimensions = operand.dimensions
        while dimensions.first == 1 { dimensions.removeFirst() }
        guard dimensions.count < output.rank,
              Array(output.dimensions.suffix(dimensions.count)) == dimensions else { return nil }
        let period = dimensions.reduce(1, *)
        guard period <= FusionScheduler.maximumPeriod, period > 0 else { return nil }
        return .tiled(period)
    }

    enum ReductionKind: Equatable {
        /// Everything to one value (divided by `divisor` for a mean; 1 for a sum).
        case all(divisor: Double)
        /// Column sums: [n·m] → [m] (divided by `divisor` for a mean along axis 0).
        case columns(Int, divisor: Double)
        /// The largest or the smallest element of everything (max or min).
        case extreme(ReduceOp)
    }

    /// How a reduction of a group's value runs as the group's epilogue: sums and means over
    /// everything or over the first axis, `sum_to` a row, and max and min over everything.
    func reductionKind(_ node: Node, of shape: Shape) -> ReductionKind? {
        switch node.op {
        case .reduce(let op, let axis):
            if op == .max || op == .min {
                return axis == nil || shape.rank == 1 ? .extreme(op) : nil
            }
            guard op == .sum || op == .mean else { return nil }
            switch axis {
            case nil:
                return .all(divisor: op.isMean ? Double(shape.count) : 1)
            case 0?:
                guard shape.rank >= 2 else { return .all(divisor: op.isMean ? Double(shape.count) : 1) }
                let period = shape.count / shape[0]
                guard period <= FusionScheduler.maximumPeriod else { return nil }
                return .columns(period, divisor: op.isMean ? Double(shape[0]) : 1)
            default:
                return nil
            }
        case .sumTo(let target):
            if target.count == 1 { return .all(divisor: 1) }
            if case .tiled(let period) = operandKind(target, in: shape) { return .columns(period, divisor: 1) }
            return nil
        case .constant, .leaf, .unary, .binary, .matmul, .transpose, .reshape, .broadcast, .stack, .index, .cumsum, .integral:
            return nil
        }
    }
}
