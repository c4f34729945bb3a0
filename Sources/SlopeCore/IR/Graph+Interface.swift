/// The graph's interface: reading and building its leaf table, outputs and named values, and
/// moving all three onto a rebuilt graph (the one renumbering every pass goes through).
extension Graph {
    /// The leaf table entry called `name`, if any.
    public func leaf(named name: String) -> Leaf? { leaves.first { $0.name == name } }

    /// The params, in declaration order.
    public var params: [Leaf] { leaves.filter { $0.kind == .param } }

    /// The value of every leaf, by node, as the interpreter binds them.
    public var leafValues: [NodeID: Tensor] {
        Dictionary(uniqueKeysWithValues: leaves.map { ($0.node, $0.value) })
    }

    /// The leaf values by node with `values` (by name) in place of the table's where given.
    public func leafValues(_ values: [String: Tensor]) -> [NodeID: Tensor] {
        Dictionary(uniqueKeysWithValues: leaves.map { ($0.node, values[$0.name] ?? $0.value) })
    }

    /// The node of the output called `name` (the first one), if any.
    public func output(named name: String) -> NodeID? { outputs.first { $0.name == name }?.node }

    /// The same nodes asked for other values.
    public func withOutputs(_ outputs: [Output]) -> Graph {
        var result = self
        result.outputs = outputs
        return result
    }

    /// Asks the graph for one more value; returns its position among the outputs.
    @discardableResult
    public mutating func addOutput(_ name: String, _ node: NodeID) -> Int {
        outputs.append(Output(name: name, node: node))
        return outputs.count - 1
    }

    /// The graph without its nodes: the leaf table, outputs and named values alone, for a
    /// holder that still reads those once the nodes are no longer needed.
    public var interface: Graph {
        var result = Graph()
        result.leaves = leaves
        result.outputs = outputs
        result.namedValues = namedValues
        return result
    }

    /// `rebuilt` with this graph's leaf table, outputs and named values moved to the nodes now
    /// computing them: `replacement[i]` is the node of `rebuilt` for node i of this graph, or
    /// nil when that value is gone. Leaves and outputs must survive; a name whose value is gone
    /// is dropped.
    public func carryingInterface(to rebuilt: Graph, through replacement: [NodeID?]) -> Graph {
        func required(_ id: NodeID, _ what: String) -> NodeID {
            guard id.int < replacement.count, let mapped = replacement[id.int] else {
                preconditionFailure("internal error: \(what) \(id) was dropped")
            }
            return mapped
        }
        var result = rebuilt
        result.leaves = leaves.map { leaf in
            var moved = leaf
            moved.node = required(leaf.node, "leaf '\(leaf.name)'")
            return moved
        }
        result.outputs = outputs.map { Output(name: $0.name, node: required($0.node, "output '\($0.name)'")) }
        // Built at its final size: growing a dictionary of thousands of names rehashes them
        // again and again, and every pass moves the names.
        // When every name is kept, `mapValues` moves them without hashing a name again.
        if namedValues.values.allSatisfy({ $0.int < replacement.count && replacement[$0.int] != nil }) {
            result.namedValues = namedValues.mapValues { replacement[$0.int]! }
            return result
        }
        var named = [String: NodeID](minimumCapacity: namedValues.count)
        for (name, id) in namedValues where id.int < replacement.count {
            if let moved = replacement[id.int] { named[name] = moved }
        }
        result.namedValues = named
        return result
    }
}
