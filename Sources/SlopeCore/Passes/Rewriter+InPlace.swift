/// The rewrite's first walk, in place: a pass that changes nothing builds nothing.
///
/// Most nodes of a long program are already what `simplify` would build: no rule applies,
/// nothing merges, nothing is dead. Rebuilding such a graph copied every node into a new one
/// for the same result (a sixth of the compile of a 100,000-node chain). So the rewrite first
/// walks the graph as it stands, offering each node to the rules exactly as the rebuild would,
/// and stops at the first node the rebuild would change: a rule applies to it, it merges with
/// an earlier node, it is dead or an integral. The nodes before that one are then the
/// rebuild's first nodes as they are, and it goes on from there; when no node stops the walk,
/// the graph is the result.
///
/// The one change made in place is the order of commutative operands (constants last, then by
/// position), since lowering builds `sin(t) + x` as written: the rebuild would put it in that
/// order, and a node keeps its position when its operands swap. The rules see each node after
/// its operands, as in the rebuild, so they see the same operands in the same order.
extension Rewriter {
    /// Where the walk in place ended.
    enum WalkInPlace {
        /// No node changes but for the order of commutative operands: `builder.graph` is the
        /// result, with the same node ids.
        case finished(reordered: Bool)
        /// The rebuild changes the node at `index`: `builder` holds the nodes before it (and
        /// their hash-consing entries), as the rebuild would have built them.
        case stopped(at: Int, reordered: Bool)
    }

    /// Walks `graph` in place (`live`: the nodes kept, nil for all).
    mutating func walkInPlace(_ graph: Graph, live: [Bool]?) -> WalkInPlace {
        let count = graph.count
        // Shares the nodes' storage: nothing is copied unless a node's operands swap or a rule
        // builds (and then once).
        builder.graph = graph
        builder.table.reserve(count, nodes: builder.graph.nodes)
        var reordered = false
        for index in 0..<count {
            let isLeaf = builder.graph.nodes[index].op.isLeaf
            if let live, !live[index], !isLeaf || builder.graph.nodes[index].op.constantValue != nil {
                return stop(at: index, count: count, reordered: reordered)
            }
            switch builder.graph.nodes[index].op {
            case .leaf: continue  // built as it is, never merged
            case .integral: return stop(at: index, count: count, reordered: reordered)
            case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
                break
            }
            let op = builder.graph.nodes[index].op
            var operands = builder.graph.nodes[index].operands
            let swaps = op.isCommutative && operands.count == 2 && GraphBuilder.comesFirst(operands[1], operands[0], in: builder.graph)
            if swaps { operands.swapAt(0, 1) }
            let frame = builder.graph.nodes[index].frame
            range = builder.graph.nodes[index].range
            reportRange = builder.graph.userRange(range, frame: frame)
            builder.currentFrame = frame
            // A rule that does not apply builds nothing; one that builds and returns nil all the
            // same would leave its nodes in the graph, so the rebuild takes over from there too.
            if firstApplyingRule(Match(op: op, operands: operands, shape: builder.graph.nodes[index].shape)) != nil
                || builder.graph.count != count {
                assert(!firings.isEmpty, "internal error: a rule built nodes and did not apply")
                return stop(at: index, count: count, reordered: reordered)
            }
            // One lookup that inserts the node when it is new, as the rebuild's `add` does.
            if builder.table.findOrInsert(op, operands, id: NodeID(index), in: builder.graph.nodes).int != index {
                return stop(at: index, count: count, reordered: reordered)
            }
            if swaps {
                builder.graph.nodes[index].operands = operands
                reordered = true
            }
        }
        return .finished(reordered: reordered)
    }

    /// The rebuild from the first node, without a walk in place.
    mutating func startingTheRebuild(count: Int) -> WalkInPlace {
        builder.graph.nodes.reserveCapacity(count)
        builder.table.reserve(count, nodes: builder.graph.nodes)
        return .stopped(at: 0, reordered: false)
    }

    /// Ends the walk before the node at `index`: forgets what a rule built for it, and keeps
    /// the nodes before it as the start of the rebuild.
    private mutating func stop(at index: Int, count: Int, reordered: Bool) -> WalkInPlace {
        for built in count..<builder.graph.count where !GraphBuilder.isUnique(builder.graph.nodes[built].op) {
            builder.table.remove(NodeID(built), in: builder.graph.nodes)
        }
        firings.removeAll()
        reachedDepthLimit = false
        // In place once the walk has its own copy of the nodes (after a swap or a rule's
        // build); while it shares them with `graph`, this copies the nodes before `index`.
        builder.graph.nodes.removeSubrange(index...)
        builder.graph.nodes.reserveCapacity(count)
        // The rebuild's graph starts without an interface, as a new one does: `Pass.run`
        // carries it over.
        (builder.graph.leaves, builder.graph.outputs, builder.graph.namedValues) = ([], [], [:])
        return .stopped(at: index, reordered: reordered)
    }
}
