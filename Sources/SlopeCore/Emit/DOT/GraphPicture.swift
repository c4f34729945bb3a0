/// What one `slope dot` picture shows: a graph and the facts about its nodes that are not in
/// the IR — which nodes to draw, which belong to the gradient, which statements read them, and
/// (with `--values`) their values. `DotCommand` gathers it; `DOTWriter` draws it.
public struct GraphPicture {
    public var graph: Graph
    /// The first title line: the program's path as the user gave it.
    public var title: String
    /// A second title line saying what is drawn, such as `gradient of loss by W, b`.
    public var subtitle: String?
    /// A third title line saying how a default target was chosen: `differentiating f (the last
    /// value that is not a derivative; choose another with --of)`.
    public var announcement: String?
    /// Which nodes to draw; the set must contain the operands of every node in it.
    public var visible: [Bool]
    /// Nodes drawn in the gradient colour.
    public var isGradient: [Bool]
    /// What reads a node: `print cost`, `minimize cost`, in program order.
    public var captions: [NodeID: [String]] = [:]
    /// Forward node → the node holding its gradient, for the `grad` line and for dashed edges
    /// beyond `Node.adjointOf` (which records only the first forward node an adjoint belongs to).
    public var adjoints: [NodeID: NodeID] = [:]
    /// The seed of the backward pass `--grad` appended: a constant 1 of its own, the adjoint of
    /// the target, drawn as `d_loss = 1` (a constant node is otherwise never named as a gradient).
    public var seed: (node: NodeID, target: NodeID)?
    /// Every node's value, when `--values` asked for them.
    public var values: [NodeID: Tensor]?
    /// Whether each outermost `fn` or prelude call is drawn as one box (`CallBoxes`); false
    /// with `--expand`, which draws the nodes inside each call in a cluster.
    public var collapsesCalls = false

    /// A picture of the whole graph, with the backward passes of `grad(...)` expressions (see
    /// `backwardNodes`) in the gradient colour.
    public init(graph: Graph, title: String, roots: [NodeID] = []) {
        self.graph = graph
        self.title = title
        visible = [Bool](repeating: true, count: graph.count)
        isGradient = GraphPicture.backwardNodes(in: graph, roots: roots)
    }

    /// The nodes that belong to a backward pass: adjoints (`Node.adjointOf`), and the nodes
    /// only they lead to — everything a gradient reads except what a forward value (a named one,
    /// or one of `roots`) reads without going through a gradient. Params and inputs never count.
    /// Reverse mode marks only the adjoints themselves; this also colours the steps between them,
    /// such as the `2 * x` inside `grad(x^2, x)`.
    public static func backwardNodes(in graph: Graph, roots: [NodeID]) -> [Bool] {
        let marked = graph.nodes.map { $0.adjointOf != nil }
        var isRoot = [Bool](repeating: false, count: graph.count)
        for root in roots where root.int < graph.count { isRoot[root.int] = true }
        var forward = [Bool](repeating: false, count: graph.count)
        var backward = marked
        for index in stride(from: graph.count - 1, through: 0, by: -1) {
            let node = graph.nodes[index]
            if !marked[index] && !node.op.isLeaf && (node.name != nil || isRoot[index]) { forward[index] = true }
            for operand in node.operands {
                if forward[index] && !marked[index] { forward[operand.int] = true }
                if backward[index] { backward[operand.int] = true }
            }
        }
        return graph.nodes.enumerated().map { index, node in
            node.op.leaf == nil && (marked[index] || (backward[index] && !forward[index]))
        }
    }

    /// The node's kind: gradient, then leaf kinds, then result, then operation.
    public func kind(of id: NodeID) -> DOTStyle.Kind {
        if isGradient[id.int] { return .gradient }
        switch graph[id].op {
        case .leaf(.param, _): return .param
        case .leaf(.input, _): return .input
        case .constant: return .constant
        case .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum, .integral:
            return captions[id] == nil ? .operation : .result
        }
    }
}
