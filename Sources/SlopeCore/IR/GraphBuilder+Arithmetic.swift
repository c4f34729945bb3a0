/// Shorthands for building nodes by their op, so derivative and rewrite rules read like the
/// mathematics: `b.mul(dy, y, at: range)`.
extension GraphBuilder {
    public mutating func add(_ lhs: NodeID, _ rhs: NodeID, at range: SourceRange?) -> NodeID { add(.add, [lhs, rhs], range: range) }
    public mutating func sub(_ lhs: NodeID, _ rhs: NodeID, at range: SourceRange?) -> NodeID { add(.sub, [lhs, rhs], range: range) }
    public mutating func mul(_ lhs: NodeID, _ rhs: NodeID, at range: SourceRange?) -> NodeID { add(.mul, [lhs, rhs], range: range) }
    public mutating func div(_ lhs: NodeID, _ rhs: NodeID, at range: SourceRange?) -> NodeID { add(.div, [lhs, rhs], range: range) }
    public mutating func neg(_ x: NodeID, at range: SourceRange?) -> NodeID { add(.neg, [x], range: range) }
    public mutating func apply(_ op: UnaryOp, _ x: NodeID, at range: SourceRange?) -> NodeID { add(.unary(op), [x], range: range) }
    public mutating func reshape(_ x: NodeID, _ shape: Shape, at range: SourceRange?) -> NodeID {
        graph[x].shape == shape ? x : add(.reshape(shape), [x], range: range)
    }
    public mutating func broadcast(_ x: NodeID, _ shape: Shape, at range: SourceRange?) -> NodeID {
        graph[x].shape == shape ? x : add(.broadcast(shape), [x], range: range)
    }
    /// Sums `x` down to `shape` over the axes broadcasting added or widened (identity when equal).
    public mutating func sumTo(_ x: NodeID, _ shape: Shape, at range: SourceRange?) -> NodeID {
        graph[x].shape == shape ? x : add(.sumTo(shape), [x], range: range)
    }
    public mutating func matmul(_ lhs: NodeID, _ rhs: NodeID, at range: SourceRange?) -> NodeID { add(.matmul, [lhs, rhs], range: range) }
    public mutating func transpose(_ x: NodeID, at range: SourceRange?) -> NodeID { add(.transpose, [x], range: range) }
    public mutating func zeros(_ shape: Shape, at range: SourceRange?) -> NodeID {
        constant(Tensor(filling: shape, with: 0), range: range)
    }

    /// A constant that hash-consing neither returns for an equal constant nor hands out later:
    /// a node of its own (the seed of a backward pass that a picture labels).
    public mutating func distinctConstant(_ value: Tensor, range: SourceRange?) -> NodeID {
        let (sharing, indexed) = (hashConsing, indexing)
        (hashConsing, indexing) = (false, false)
        defer { (hashConsing, indexing) = (sharing, indexed) }
        return constant(value, range: range)
    }

    /// Marks a node made by reverse mode as the adjoint of a forward node (for names such as
    /// `d_m` and for the dashed edges in pictures). The first mark wins, and only a node made
    /// after its forward node is marked: hash-consing can hand reverse mode an earlier value
    /// as an adjoint (in nested `grad`s), and that value is not the later node's gradient.
    public mutating func markAdjoint(_ id: NodeID, of forward: NodeID) {
        guard graph.nodes[id.int].adjointOf == nil, !graph.nodes[id.int].op.isLeaf, forward < id else { return }
        graph.nodes[id.int].adjointOf = forward
    }
}
