/// An SSA graph: nodes in topological order, every operand pointing to an earlier node.
/// The one representation that lowering, autodiff, the passes, the planner and the emitters share.
public struct Graph: Sendable {
    public internal(set) var nodes: [Node] = []
    public internal(set) var frames: [CallFrame] = []

    public init() {}

    public var count: Int { nodes.count }
    public subscript(id: NodeID) -> Node { nodes[id.int] }
    public var ids: [NodeID] { (0..<nodes.count).map(NodeID.init) }

    /// The nodes every node in `roots` depends on, roots included, as a mask over positions.
    /// Iterative: walks positions downwards, so depth is never a problem.
    public func reachable(from roots: [NodeID]) -> [Bool] {
        var live = [Bool](repeating: false, count: nodes.count)
        for root in roots { live[root.int] = true }
        for index in stride(from: nodes.count - 1, through: 0, by: -1) where live[index] {
            for operand in nodes[index].operands { live[operand.int] = true }
        }
        return live
    }

    /// For each node, the nodes that use it (in increasing order).
    public func users() -> [[NodeID]] {
        var users = [[NodeID]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for operand in node.operands where users[operand.int].last != NodeID(index) {
                users[operand.int].append(NodeID(index))
            }
        }
        return users
    }

    /// The leaves (params and inputs) a root depends on, in graph order.
    public func leaves(reachableFrom roots: [NodeID]) -> [NodeID] {
        let live = reachable(from: roots)
        return ids.filter { live[$0.int] && nodes[$0.int].op.isLeaf && nodes[$0.int].op.constantValue == nil }
    }

    /// A node whose user name is `name` (the last one, as names are unique in lowered programs).
    public func node(named name: String) -> NodeID? {
        nodes.lastIndex { $0.name == name }.map(NodeID.init)
    }
}
