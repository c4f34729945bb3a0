/// The only way to add nodes to a graph. It infers each node's shape and, when `hashConsing`
/// is on (autodiff and passes), returns the existing node for a repeated (op, operands) pair and
/// orders commutative operands canonically (constants last, then by position).
/// Lowering builds the program as written, with hash-consing off.
public struct GraphBuilder {
    public internal(set) var graph: Graph
    public var hashConsing: Bool
    /// Keeps the hash-consing table up to date while `hashConsing` is off, so that turning it on
    /// for a while (lowering's `grad`, `jvp` and `fn` substitutions) finds every node built so
    /// far without rebuilding the table over the whole graph each time.
    public var indexing: Bool
    /// Attached to every node added while set: the inlined call being lowered.
    public var currentFrame: Int32?
    /// When set (by reverse mode), sums, differences, negations and scalings are built as
    /// linear combinations in a normal form (`GraphBuilder+LinearCombinations.swift`), so the
    /// backward pass of a backward pass shares what it computes again. Needs `hashConsing`.
    public var combiningLinearTerms = false
    var table = HashConsingTable()
    /// What each node combines, for `combiningLinearTerms`.
    var combinations = CombinationStore()
    /// The nodes `linearCombination(of:)` has yet to read: empty between calls, kept for its
    /// capacity.
    var combinationStack: [NodeID] = []
    /// The partial sums the last `materialize` built (`GraphBuilder+PartialSums.swift`).
    var partialSums = PartialSums()

    public init(_ graph: Graph = Graph(), hashConsing: Bool = false, indexing: Bool = false) {
        self.graph = graph
        self.hashConsing = hashConsing
        self.indexing = indexing
        if hashConsing || indexing { rebuildTable() }
    }

    mutating func rebuildTable() {
        // Room for the graph and as many new nodes again, so the table is not rehashed while a
        // backward pass doubles the graph.
        table.removeAll(reservingCapacity: 2 * graph.nodes.count)
        for (index, node) in graph.nodes.enumerated() where !Self.isUnique(node.op) {
            _ = table.findOrInsert(node.op, node.operands, id: NodeID(index), in: graph.nodes)
        }
    }

    /// Makes room in the node array (and the hash-consing table) for the nodes a backward pass
    /// over `count` active nodes may add, a few per node, before it starts: growing by
    /// doubling instead copies the array each time, into freshly mapped pages the kernel has
    /// to clear. Reserving never shrinks, and grows at least geometrically, so repeated small
    /// backward passes over a long graph stay linear.
    mutating func reserveRoom(forAdjointsOf count: Int) {
        let wanted = graph.nodes.count + Self.nodesPerAdjoint * count
        let capacity = graph.nodes.capacity
        if wanted > capacity { graph.nodes.reserveCapacity(max(wanted, 2 * capacity)) }
        if hashConsing || indexing { table.reserve(Self.nodesPerAdjoint * count, nodes: graph.nodes) }
    }

    /// Makes room for `count` more nodes in the node array and the hash-consing table.
    mutating func reserveRoom(forNodes count: Int) {
        graph.nodes.reserveCapacity(graph.nodes.count + count)
        if hashConsing || indexing { table.reserve(count, nodes: graph.nodes) }
    }

    /// An estimate of the nodes reverse mode builds per active forward node (a contribution
    /// per operand, a sum, sometimes a reduction): 1.5 for a chain of unary and binary ops.
    /// Reserved memory is not free: the heap follower (`HeapFollower`) populates it, and 4 held
    /// 80 MB of the 200,000-node chain's 270 MB that no node used. A backward pass that builds
    /// more grows the array by doubling, once or twice.
    static let nodesPerAdjoint = 2

    /// Leaves are never merged: two params with one name cannot exist, and a param is not a value.
    static func isUnique(_ op: Op) -> Bool {
        switch op {
        case .leaf: return true
        case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum,
             .integral:
            return false
        }
    }

    public subscript(id: NodeID) -> Node {
        _read { yield graph.nodes[id.int] }
    }

    /// Adds a node, inferring its shape. A shape failure here is a bug in Slope, since lowering
    /// checked shapes already and autodiff builds only well-shaped nodes.
    @discardableResult
    public mutating func add(_ op: Op, _ operands: Operands = [], range: SourceRange?, name: String? = nil,
                             adjointOf: NodeID? = nil) -> NodeID {
        switch Self.inferShape(op, operands, in: graph) {
        case .success(let shape):
            return add(op, operands, shape: shape, range: range, name: name, adjointOf: adjointOf)
        case .failure(let error):
            preconditionFailure("internal error: \(op.name) of \(operands.map { graph[$0].shape }): \(error.message)")
        }
    }

    /// Adds a node with a known shape (leaves, whose shape comes from their declaration).
    @discardableResult
    public mutating func add(_ op: Op, _ operands: Operands, shape: Shape, range: SourceRange?, name: String? = nil,
                             adjointOf: NodeID? = nil) -> NodeID {
        if combiningLinearTerms, let combined = linearForm(op, operands, shape: shape, range: range) { return combined }
        var operands = operands
        if hashConsing && op.isCommutative && operands.count == 2 && Self.comesFirst(operands[1], operands[0], in: graph) {
            operands.swapAt(0, 1)
        }
        precondition(operands.allSatisfy { $0.int < graph.nodes.count }, "internal error: operand after its user")
        let id = NodeID(graph.nodes.count)
        if (hashConsing || indexing) && !Self.isUnique(op) {
            // One lookup that inserts `id` when the key is new: the first node of each key is
            // the one hash-consing hands out.
            let first = table.findOrInsert(op, operands, id: id, in: graph.nodes)
            if hashConsing && first != id { return first }
        }
        graph.nodes.append(Node(op: op, operands: operands, shape: shape, range: range, name: name,
                                frame: currentFrame, adjointOf: adjointOf))
        return id
    }

    /// `op.inferShape` of the operands' shapes, without building an array of them for the
    /// common elementwise ops (one operand, or two of one shape or a scalar and a shape).
    static func inferShape(_ op: Op, _ operands: Operands, in graph: Graph) -> Result<Shape, Op.ShapeError> {
        switch op {
        case .unary where operands.count == 1:
            return .success(graph.nodes[operands[0].int].shape)
        case .binary where operands.count == 2:
            let lhs = graph.nodes[operands[0].int].shape, rhs = graph.nodes[operands[1].int].shape
            if lhs == rhs || rhs.isScalar { return .success(lhs) }
            if lhs.isScalar { return .success(rhs) }
        default:
            break
        }
        return op.inferShape(operands.map { graph.nodes[$0.int].shape })
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
        graph.nodes[id.int].name = name
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

    /// Runs `body` with hash-consing on and sums built as linear combinations, as reverse and
    /// forward mode build them, then restores the settings: lowering's derivatives, built in
    /// place on its indexed builder. Each run starts with no combinations recorded, as a builder
    /// made for it would.
    mutating func sharing<Result>(_ body: (inout GraphBuilder) -> Result) -> Result {
        precondition(indexing || hashConsing, "internal error: sharing without the hash-consing index")
        let saved = (hashConsing, combiningLinearTerms)
        (hashConsing, combiningLinearTerms) = (true, true)
        combinations.removeAll()
        partialSums.removeAll()
        let result = body(&self)
        (hashConsing, combiningLinearTerms) = saved
        combinations.removeAll()
        partialSums.removeAll()
        return result
    }

    /// Removes the nodes from `count` on (a derivative that crossed the size budget), with their
    /// entries in the hash-consing table.
    mutating func truncate(to count: Int) {
        guard count < graph.nodes.count else { return }
        for index in count..<graph.nodes.count where !Self.isUnique(graph.nodes[index].op) {
            table.remove(NodeID(index), in: graph.nodes)
        }
        graph.nodes.removeSubrange(count...)
        combinations.removeAll(from: count)
        partialSums.removeAll()
    }
}
