/// What one `slope dot` picture shows: a graph and the facts about its nodes that are not in
/// the IR — which nodes to draw, which belong to the gradient, which statements read them, and
/// (with `--values`) their values. `DotCommand` gathers it; `DOTWriter` draws it.
public struct GraphPicture {
    public var graph: Graph
    /// The first title line: the program's path as the user gave it.
    public var title: String
    /// A second title line saying what is drawn, such as `gradient of loss by W, b`.
    public var subtitle: String?
    /// Which nodes to draw; the set must contain the operands of every node in it.
    public var visible: [Bool]
    /// Nodes drawn in the gradient colour.
    public var isGradient: [Bool]
    /// What reads a node: `print cost`, `minimize cost`, in program order.
    public var captions: [NodeID: [String]] = [:]
    /// Forward node → the node holding its gradient, for the `grad` line and for dashed edges
    /// beyond `Node.adjointOf` (which records only the first forward node an adjoint belongs to).
    public var adjoints: [NodeID: NodeID] = [:]
    /// Every node's value, when `--values` asked for them.
    public var values: [NodeID: Tensor]?

    /// A picture of the whole graph, with nodes marked by reverse mode in the gradient colour.
    public init(graph: Graph, title: String) {
        self.graph = graph
        self.title = title
        visible = [Bool](repeating: true, count: graph.count)
        isGradient = graph.nodes.map { $0.adjointOf != nil }
    }

    /// The node's kind: gradient, then leaf kinds, then result, then operation.
    public func kind(of id: NodeID) -> DOTStyle.Kind {
        if isGradient[id.int] { return .gradient }
        switch graph[id].op {
        case .param: return .param
        case .input: return .input
        case .constant: return .constant
        default: return captions[id] == nil ? .operation : .result
        }
    }
}
