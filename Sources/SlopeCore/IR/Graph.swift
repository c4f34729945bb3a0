/// An SSA graph: nodes in topological order, every operand pointing to an earlier node.
/// The one representation that lowering, autodiff, the passes, the planner and the emitters share.
///
/// Besides its nodes a graph carries the program's interface, as a jaxpr carries its `invars`
/// and `outvars`: the leaf table (every param and input, with how its value was given), the
/// outputs (the values asked of the graph, in order) and the named values (every global name
/// and the node it denotes). A pass returns its graph with all three already moved to the
/// nodes that now compute them (`Pass.run`), so no caller keeps node ids to remap.
public struct Graph: Sendable {
    public internal(set) var nodes: [Node] = []
    public internal(set) var frames: [CallFrame] = []
    /// The params and inputs, in declaration order. Every entry's node is a leaf node of the
    /// same kind and name; passes always keep them.
    public internal(set) var leaves: [Leaf] = []
    /// The values asked of the graph, in order: printed values and training targets for a
    /// program, the target and its gradients for a gradient. Passes always keep them.
    public internal(set) var outputs: [Output] = []
    /// Every global name of the program (params, inputs and named values) and the node it
    /// denotes. A name does not keep its value alive: a pass that removes the value drops it.
    public internal(set) var namedValues: [String: NodeID] = [:]

    public init() {}

    public var count: Int { nodes.count }
    /// A node, lent rather than copied: `graph[id].op` reads one field without retaining the
    /// others (operands, shape, range, name), which a copy of the whole node would.
    public subscript(id: NodeID) -> Node {
        _read { yield nodes[id.int] }
    }
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

    /// Which nodes of `window` the node `root` (inside it) depends on, itself included, as flags
    /// from `window.lowerBound`: the work is the window's size, not the graph's, so derivatives
    /// of a small part of a large graph (lowering's `grad` in an `fn`) stay cheap.
    public func reachable(from root: NodeID, within window: Range<Int>) -> [Bool] {
        let low = window.lowerBound
        var live = [Bool](repeating: false, count: window.count)
        live[root.int - low] = true
        for index in stride(from: root.int, through: low, by: -1) where live[index - low] {
            for operand in nodes[index].operands where operand.int >= low { live[operand.int - low] = true }
        }
        return live
    }

    /// For each node, the nodes that use it (in increasing order).
    public func users() -> Users { Users(self) }

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

/// A param or input in a graph's leaf table: its name and kind, its node, its value, and how
/// the declaration gave that value.
public struct Leaf: Sendable {
    public let name: String
    public let kind: LeafKind
    public internal(set) var node: NodeID
    /// The value the leaf starts from: its initial value, or the value it was rebound to
    /// (`Graph.rebinding`).
    public internal(set) var value: Tensor
    /// How the declaration gives the value (still so when `--set` replaced it).
    public let source: ValueSource
    /// True when `--set` replaced the declared value.
    public let isSet: Bool
    /// The declaration, for diagnostics and for `slope grad`, which writes it out again.
    public let range: SourceRange

    public init(name: String, kind: LeafKind, node: NodeID, value: Tensor, source: ValueSource, isSet: Bool = false,
                range: SourceRange) {
        self.name = name
        self.kind = kind
        self.node = node
        self.value = value
        self.source = source
        self.isSet = isSet
        self.range = range
    }
}

/// How a declaration gives a leaf's value.
public enum ValueSource: String, Sendable {
    /// A number filling the declared shape, a tensor literal or another constant expression.
    case literal
    /// `normal(mean, std)` or `uniform(low, high)`, drawn from the program's seed.
    case random
    /// `csv(...)`: columns of a file.
    case csv
}

/// A value asked of a graph: a name for it (the printed expression's text, a target's text,
/// `d_W` for a gradient) and the node computing it.
public struct Output: Sendable {
    public let name: String
    public internal(set) var node: NodeID

    public init(name: String, node: NodeID) {
        self.name = name
        self.node = node
    }
}

/// Each node's users, in graph order and each once: one array for the whole graph, sliced by
/// node (compressed rows), not an array per node.
public struct Users: Sendable {
    private let start: [Int32]
    private let list: [NodeID]

    init(_ graph: Graph) {
        let count = graph.nodes.count
        var degree = [Int32](repeating: 0, count: count + 1)
        for node in graph.nodes {
            for (position, operand) in node.operands.enumerated() where !node.operands[..<position].contains(operand) {
                degree[operand.int + 1] += 1
            }
        }
        for index in 0..<count { degree[index + 1] += degree[index] }
        var next = degree
        var list = [NodeID](repeating: NodeID(0), count: Int(degree[count]))
        for (index, node) in graph.nodes.enumerated() {
            for (position, operand) in node.operands.enumerated() where !node.operands[..<position].contains(operand) {
                list[Int(next[operand.int])] = NodeID(index)
                next[operand.int] += 1
            }
        }
        start = degree
        self.list = list
    }

    public subscript(index: Int) -> ArraySlice<NodeID> { list[Int(start[index])..<Int(start[index + 1])] }
}
