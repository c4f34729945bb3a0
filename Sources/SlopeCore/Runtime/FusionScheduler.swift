/// Decides which nodes run as one fused loop. Chains of elementwise ops on one shape become a
/// `FusionGroup`, executed chunk by chunk so intermediate values stay in cache-sized registers
/// and never touch memory; full reductions (sum, mean, sum_to a scalar) and column sums (the
/// bias gradient, sum_to [m] of [n, m]) of its members are folded in as epilogues.
///
/// Nodes are visited in topological order with one group open at a time. A node joins the open
/// group when it has the group's shape and each operand is a member of the group or was
/// computed before the group started; operands may be full-size, a single value, a row vector
/// repeated along the leading axes, or a column whose values repeat along the trailing ones
/// (one period for the whole group). Outer products [m, 1] @ [1, n] join as multiplications, and
/// matrix–vector products Aᵀ · v over a group of A's shape as column sums (`isColumnDot`). A node
/// that reads a member of the open group and cannot join it closes the group first; one that
/// reads only the group's reductions waits until the group closes; anything else runs as its own
/// step without closing it.
struct FusionScheduler {
    enum Item {
        case single(NodeID)
        /// Boxed: a group inline made every item 56 bytes, and a long scalar program is a
        /// quarter of a million single steps (an 8-byte item each).
        indirect case group(FusionGroup)
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
    /// How many items ahead `sinkingColumnDots` looks for a group to move a column dot into.
    static let sinkingHorizon = 32

    let graph: Graph
    let live: [Bool]
    /// The node whose step produces a node's data: itself, or for a reshape view or a transpose
    /// folded into a matmul, the node it reads.
    let producer: [NodeID]

    /// The schedule: single steps and fused groups, in an order that respects every dependency.
    /// `skipped` marks nodes that need no step (leaves, constants, reshape views, transposes
    /// folded into matmuls).
    func schedule(skipped: [Bool]) -> [Item] {
        sinkingColumnDots(schedule((0..<graph.count).filter { live[$0] && !skipped[$0] }.map(NodeID.init), deferring: true))
    }

    /// The schedule of `nodes` (in topological order). With `deferring`, a node that would start
    /// a group of its own but does not depend on the open one waits, with whatever reads it,
    /// until the open group closes (then they are scheduled in turn, without deferring again),
    /// so the open group can keep growing past it: the bias gradient's 128 elements between
    /// the outer product and the rest of a layer's [8192, 128] backward chain.
    func schedule(_ nodes: [NodeID], deferring: Bool) -> [Item] {
        var items: [Item] = []
        var open: FusionGroup?
        // Steps that read the open group and cannot join it wait until it closes, so the group
        // can keep growing past them (the 2 · sum(r) of one gradient while x · r of the next
        // joins). A later node that reads one of them closes the group first.
        var pending: [NodeID] = []
        var pendingSet: Set<NodeID> = []
        var deferred: [NodeID] = []
        var deferredSet: Set<NodeID> = []
        func close() {
            if let group = open { items.append(.group(group)) }
            items.append(contentsOf: pending.map { .single($0) })
            if !deferred.isEmpty { items.append(contentsOf: schedule(deferred, deferring: false)) }
            open = nil
            pending.removeAll()
            pendingSet.removeAll()
            deferred.removeAll()
            deferredSet.removeAll()
        }
        func postpone(_ id: NodeID) {
            deferred.append(id)
            deferredSet.insert(id)
        }
        for id in nodes {
            // A node that starts no group, with none open and nothing waiting, is a step of its
            // own (most nodes of a scalar program): decided before the node is copied out.
            if open == nil, pending.isEmpty, deferred.isEmpty, startGroup(graph.nodes[id.int]) == nil {
                items.append(.single(id))
                continue
            }
            let node = graph[id]
            // (Each test of a set hashes its key, empty or not.)
            let readsPending = !pendingSet.isEmpty && node.operands.contains { pendingSet.contains(producer[$0.int]) }
            let readsDeferred = !deferredSet.isEmpty && node.operands.contains { deferredSet.contains(producer[$0.int]) }
            if var group = open {
                if !readsPending && !readsDeferred, canJoin(node, id, &group) {
                    open = group
                    continue
                }
                let readsGroup = node.operands.contains {
                    group.memberSet.contains(producer[$0.int]) || group.reductionSet.contains(producer[$0.int])
                }
                if readsDeferred {
                    // After what it reads: with it when independent of the group, else after
                    // everything that waits (closing the group first).
                    if !readsGroup && !readsPending {
                        postpone(id)
                        continue
                    }
                    close()
                } else if deferring, readsGroup, !readsPending, startGroup(node) != nil,
                          !node.operands.contains(where: { group.memberSet.contains(producer[$0.int]) }) {
                    // It reads only the group's reductions, final once the group has run: it
                    // waits with the independent nodes, so the group keeps growing past it (the
                    // update of a weight whose gradient is a column dot of the group).
                    postpone(id)
                    continue
                } else if (readsGroup || readsPending) && startGroup(node) == nil {
                    pending.append(id)
                    pendingSet.insert(id)
                    continue
                } else if readsGroup || readsPending {
                    close()
                } else if deferring, startGroup(node) != nil {
                    postpone(id)
                    continue
                }
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
        guard isMemberOp(node), node.shape.count > 1 else { return nil }
        return FusionGroup(shape: node.shape)
    }

    /// Elementwise ops; `broadcast`, which inside a group is only a way of reading its operand
    /// (as a single value, a tiled row or a spread column), never a copy; and outer products.
    func isMemberOp(_ node: Node) -> Bool {
        if case .broadcast = node.op { return true }
        return node.op.isElementwise || isOuterProduct(node)
    }

    /// A matrix product [m, 1] @ [1, n] with m, n > 1 (the backward pass of a matrix–vector
    /// product): element (i, j) is a[i] · b[j], one rounding like `MatmulKernels.outer`, so in
    /// a group it is a multiplication of A spread along the rows by B tiled down the columns.
    func isOuterProduct(_ node: Node) -> Bool {
        guard node.op == .matmul, node.shape.rank == 2, node.shape[0] > 1, node.shape[1] > 1,
              graph[node.operands[0]].shape.dimensions == [node.shape[0], 1] else { return false }
        return true
    }

    /// A matrix–vector product Aᵀ · v with A [rows, n] and v [rows, 1] (n, rows > 1), its
    /// transpose folded: element j is the sum over rows of A[i, j] · v[i], so over a group of
    /// A's shape it is the column sums of A times v spread along the rows — the weight gradient
    /// Hᵀ · dz of a layer with one output, whose group reads H anyway.
    func isColumnDot(_ node: Node) -> Bool {
        guard node.op == .matmul, node.shape.rank == 2, node.shape[1] == 1, node.shape[0] > 1 else { return false }
        let left = graph[node.operands[0]], vector = graph[node.operands[1]]
        guard left.op == .transpose, producer[node.operands[0].int] == producer[left.operands[0].int],
              vector.shape.rank == 2, vector.shape[1] == 1 else { return false }
        let a = graph[left.operands[0]].shape
        return a.rank == 2 && a[0] > 1 && a[0] == vector.shape[0] && a[1] == node.shape[0]
            && a[1] <= FusionScheduler.maximumPeriod
    }

    /// What a member or reduction of a group reads, as values: a column dot reads A itself, not
    /// the transpose folded into it.
    func groupOperands(_ node: Node) -> [NodeID] {
        guard isColumnDot(node) else { return Array(node.operands) }
        return [graph[node.operands[0]].operands[0], node.operands[1]]
    }

    /// Adds the node to the group (as a member or an epilogue reduction) when it fits.
    func canJoin(_ node: Node, _ id: NodeID, _ group: inout FusionGroup) -> Bool {
        if isColumnDot(node) {
            let operands = groupOperands(node)
            let a = operands[0], vector = operands[1]
            guard graph[a].shape == group.shape, !group.reductionSet.contains(producer[a.int]),
                  !group.memberSet.contains(producer[vector.int]), !group.reductionSet.contains(producer[vector.int]),
                  case .spread(let period)? = operandKind(graph[vector].shape, in: group.shape) else { return false }
            // A is read in place: as a member's register, or as a buffer computed before.
            guard group.memberSet.contains(a) || !group.memberSet.contains(producer[a.int]) else { return false }
            if let existing = group.period, existing != period { return false }
            group.period = period
            group.reductions.append(id)
            group.reductionSet.insert(id)
            return true
        }
        if isMemberOp(node) {
            guard node.shape == group.shape else { return false }
            var period = group.period
            for operand in node.operands {
                if group.memberSet.contains(operand) { continue }
                let source = producer[operand.int]
                if group.memberSet.contains(source) || group.reductionSet.contains(source) { return false }
                guard let kind = operandKind(graph[operand].shape, in: group.shape) else { return false }
                switch kind {
                case .tiled(let p), .spread(let p):
                    if let existing = period, existing != p { return false }
                    period = p
                case .full, .scalar:
                    break
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
        case full, scalar
        /// A row vector repeated along the leading axes: the period is its length.
        case tiled(Int)
        /// A column: the leading axes of the output with trailing 1s, each value repeated
        /// `period` times (the product of the output's trailing axes).
        case spread(Int)
    }

    /// How an operand of shape `operand` is read by an elementwise node of shape `output`.
    func operandKind(_ operand: Shape, in output: Shape) -> OperandKind? {
        if operand == output { return .full }
        if operand.count == 1 { return .scalar }
        if operand.rank == output.rank, let ones = operand.dimensions.lastIndex(where: { $0 != 1 }).map({ $0 + 1 }),
           ones < output.rank, operand.dimensions[..<ones] == output.dimensions[..<ones] {
            let period = output.dimensions[ones...].reduce(1, *)
            guard period <= FusionScheduler.maximumPeriod, period > 0 else { return nil }
            return .spread(period)
        }
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
        /// Column sums of A · v, v spread along the rows (`isColumnDot`): [rows · n] → [n].
        case columnDot(Int)
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
        case .matmul:
            return isColumnDot(node) && graph[graph[node.operands[0]].operands[0]].shape == shape ? .columnDot(shape[1]) : nil
        case .constant, .leaf, .unary, .binary, .transpose, .reshape, .broadcast, .stack, .index, .cumsum, .integral:
            return nil
        }
    }

    /// `items` with each column dot that runs as its own step moved into the next group of A's
    /// shape, when no item before that group reads it and the group's members do not: its sums
    /// then come from the group's pass over A instead of a pass of their own. (Reverse mode
    /// writes Hᵀ · dz while the chain that computes dH from H and dz is open, so it joins that
    /// group as it is scheduled; a program written by hand may compute it before the chain.)
    /// The group is looked for among the next `sinkingHorizon` items only, so a long program
    /// with many column dots is not scanned once for each.
    func sinkingColumnDots(_ items: [Item]) -> [Item] {
        var items = items
        var index = 0
        while index < items.count {
            guard case .single(let id) = items[index], isColumnDot(graph[id]) else {
                index += 1
                continue
            }
            let shape = graph[groupOperands(graph[id])[0]].shape
            func reads(_ item: Item) -> Bool {
                let nodes: [NodeID]
                switch item {
                case .single(let other): nodes = [other]
                case .group(let group): nodes = group.members + group.reductions
                }
                return nodes.contains { graph[$0].operands.contains { producer[$0.int] == id } }
            }
            let horizon = min(items.count, index + 1 + FusionScheduler.sinkingHorizon)
            var target = index + 1
            while target < horizon {
                if case .group(let group) = items[target], group.shape == shape { break }
                if reads(items[target]) { target = horizon; break }
                target += 1
            }
            guard target < horizon, !reads(items[target]), case .group(var group) = items[target],
                  canJoin(graph[id], id, &group) else {
                index += 1
                continue
            }
            items[target] = .group(group)
            items.remove(at: index)
        }
        return items
    }
}
