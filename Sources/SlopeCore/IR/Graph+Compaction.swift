/// Removing nodes from a graph while keeping it in topological order.
extension Graph {
    /// The graph without the nodes marked in `removed`, and for each old position its new
    /// position (or nil for a removed node). A kept node must not use a removed one; leaves and
    /// outputs must be kept, and move with the graph's interface.
    public func compacting(removing removed: [Bool]) -> (graph: Graph, remap: [NodeID?]) {
        var result = Graph()
        result.frames = frames
        result.nodes.reserveCapacity(nodes.count)
        var remap = [NodeID?](repeating: nil, count: nodes.count)
        for index in nodes.indices where !removed[index] {
            // One copy of the node, renumbered in place: building a new node from the copy's
            // fields retained and released every field again.
            var node = nodes[index]
            node.operands = node.operands.remapped { operand -> NodeID in
                guard let mapped = remap[operand.int] else {
                    preconditionFailure("internal error: kept node %\(index) uses removed node \(operand)")
                }
                return mapped
            }
            node.adjointOf = node.adjointOf.flatMap { remap[$0.int] }
            result.nodes.append(node)
            remap[index] = NodeID(result.nodes.count - 1)
        }
        return (carryingInterface(to: result, through: remap), remap)
    }
}
