/// The only way to add nodes to a graph. It infers each node's shape and, when `hashConsing`
/// is on (autodiff and passes), returns the existing node for a repeated (op, operands) pair and
/// orders commutative operands canonically (constants last, then by position).
/// Lowering builds the program as written, with hash-consing off.
public struct GraphBuilder {
    public internal(set) var graph: Graph
    public var hashConsing: Bool
    /// Attached to every node added while set: the inlined call being lowered.
    public var currentFrame: Int32?
    /// When set (by reverse mode), sums, differences, negations and scalings are built as
    /// linear combinations in a normal form (`GraphBuilder+LinearCombinations.swift`), so the
    /// backward pass of a backward pass shares what it computes again. Needs `hashConsing`.
    public var combiningLinearTerms = false
    var table: [Key: NodeID] = [:]
    /// What each node combines, for `combiningLinearTerms`.
    var combinations: [NodeID: LinearCombination] = [:]

    struct Key: Hashable {
        let op: Op
        let operands: [NodeID]
    }

    public init(_ graph: Graph = Graph(), hashConsing: Bool = false) {
        self.graph = graph
        self.hashConsing = hashConsing
        if hashConsing { rebuildTable() }
    }

    mutating func rebuildTable() {
        table.removeAll(keepingCapacity: true)
        for (index, node) in graph.nodes.enumerated() where !Self.isUnique(node.op) {
            let key = Key(op: node.op, operands: node.operands)
            if table[key] == nil { table[key] = NodeID(index) }
        }
    }

    /// Leaves are never merged: two params with one name cannot exist, and a param is not a value.
    static func isUnique(_ op: Op) -> Bool {
        switch op {
        case .leaf: return true
        case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum,
             .integral:
            return false
        }
    }

    public subscript(id: NodeID) -> Node { graph[id] }

    /// Adds a node, inferring its shape. A shape failure here is a bug in Slope, since lowering
    /// checked shapes already and autodiff builds only well-shaped nodes.
    @discardableResult
    public mutating func add(_ op: Op, _ operands: [NodeID] = [], range: SourceRange?, name: String? = nil,
                             adjointOf: NodeID? = nil) -> NodeID {
        switch op.inferShape(operands.map { graph[$0].shape }) {
        case .success(let shape):
            return add(op, operands, shape: shape, range: range, name: name, adjointOf: adjointOf)
        case .failure(let error):
            preconditionFailure("internal error: \(op.name) of \(operands.map { graph[$0].shape }): \(error.message)")
        }
    }

    /// Adds a node with a known shape (leaves, whose shape comes from their declaration).
    @discardableResult
    public mutating func add(_ op: Op, _ operands: [NodeID], shape: Shape, range: SourceRange?, name: String? = nil,
                             adjointOf: NodeID? = nil) -> NodeID {
        if combiningLinearTerms, let combined = linearForm(op, operands, shape: shape, range: range) { return combined }
        var operands = operands
        if hashConsing && op.isCommutative && operands.count == 2 && Self.comesFirst(operands[1], operands[0], in: graph) {
            operands.swapAt(0, 1)
        }
        let key = Key(op: op, operands: operands)
        if hashConsing && !Self.isUnique(op), let existing = table[key] {
            return existing
        }
        precondition(operands.allSatisfy { $0.int < graph.nodes.count }, "internal error: operand after its user")
        graph.nodes.append(Node(op: op, operands: operands, shape: shape, range: range, name: name,
                                frame: currentFrame, adjointOf: adjointOf))
        let id = NodeID(graph.nodes.count - 1)
        if hashConsing && !Self.isUnique(op) { table[key] = id }
        return id
    }

    /// Canonical order of commutative operands: non-constants by position, constants last.
    static func comesFirst(_ a: NodeID, _ b: NodeID, in graph: Graph) -> Bool {
        let aConstant = graph[a].op.constantValue != nil, bConstant = graph[b].op.constantValue != nil
        if aConstant != bConstant { return bConstant }
        return a < b
    }

    public mutating func constant(_ value: Double, range: SourceRange?) -> NodeID {
        add(.constant(Tensor(value)), [], shape: .scalar, range: range)
    }

    public mutating func constant(_ value: Tensor, range: SourceRange?) -> NodeID {
        add(.constant(value), [], shape: value.shape, range: range)
    }

    /// Gives a node a user name after the fact (`y = x` names nothing new; `y = x + 1` names the add).
    public mutating func setName(_ id: NodeID, _ name: String?) {
        graph.nodes[id.int] = graph.nodes[id.int].renamed(name)
    }

    /// Starts an inlined call frame and returns the frame to restore afterwards.
    public mutating func enterFrame(function: String, range: SourceRange) -> Int32? {
        let saved = currentFrame
        graph.frames.append(CallFrame(function: function, range: range, parent: currentFrame))
        currentFrame = Int32(graph.frames.count - 1)
        return saved
    }

    public mutating func leaveFrame(restoring saved: Int32?) { currentFrame = saved }

    public func finish() -> Graph { graph }
}
