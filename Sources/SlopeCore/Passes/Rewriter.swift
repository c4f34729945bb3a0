/// The engine shared by the rewriting passes (fold, cse, simplify, stabilize).
///
/// It rebuilds a graph node by node in topological order through a hash-consing
/// `GraphBuilder`, so equal (op, operands) pairs merge as they are built. Each node is first
/// offered to the pass's rules for its op; the first rule that returns a node wins, and nodes a
/// rule builds are offered to the rules in turn (to a bounded depth). Visiting in topological
/// order means the operands a rule sees are already rewritten. No recursion on graph depth.
struct Rewriter {
    /// Nesting of rule applications: a rule's new nodes are offered to the rules again up to
    /// this depth, then built as they are.
    static let maximumDepth = 6

    let rules: @Sendable (Op) -> [Rule]
    /// The classes of rules that may fire: those that keep values (`Exactness.keepsValues`) for
    /// a graph that is evaluated, more for the readable form of a gradient.
    let admitted: Set<Exactness>
    /// `admitted` as a bit per class, tested for every rule offered a node.
    let admittedBits: UInt32
    var builder: GraphBuilder
    /// The range given to new nodes: the range of the node being rewritten.
    var range: SourceRange?
    /// Where firings are reported: the user's line of the node being rewritten.
    var reportRange: SourceRange?
    var depth = 0
    /// Set when a rule's node was built without being offered to the rules (at the depth
    /// bound): the result may not be the pass's fixed point.
    var reachedDepthLimit = false
    var firings: [RuleFiring] = []
    /// Whether merges are reported (`cse`), for the bodies of integrals too.
    var reportsMerges = false
    /// Set while a debug build offers a node to a rule its kinds rule out (`appliesAnyway`).
    var checkingNeeds = false

    init(rules: @escaping @Sendable (Op) -> [Rule], admitted: Set<Exactness> = Exactness.keepingValues, frames: [CallFrame]) {
        self.rules = rules
        self.admitted = admitted
        admittedBits = admitted.reduce(0) { $0 | $1.bit }
        var graph = Graph()
        graph.frames = frames
        builder = GraphBuilder(graph, hashConsing: true)
    }

    /// Rewrites `graph` with those of `rules` whose class is `admitted` (by default the rules
    /// that keep values). `reportMerges` records every node merged into an equal one as a
    /// `merge-duplicate` firing (common-subexpression elimination's report).
    ///
    /// With `keeping` (the pass's roots), only what they or a named node read is rebuilt: the
    /// other nodes are neither offered to the rules nor copied, and map to nil. (Lowering
    /// leaves unnamed dead nodes behind, such as the partial sums a backward pass supersedes;
    /// rebuilding them only for the next pass to drop them was a sixth of the rewrite and all
    /// of that pass's copying.) A named node stays for its name, which moves to the node
    /// computing its value when they merge (`x*1` named `y` names `x`'s node), as it did when
    /// every node was rebuilt; dead-code elimination drops it later. Params and inputs stay.
    ///
    /// `walkingInPlace` off skips the walk in place, for tests that compare the two.
    static func rewrite(_ graph: Graph, keeping roots: [NodeID]? = nil, report: inout PassReport, reportMerges: Bool = false,
                        admitted: Set<Exactness> = Exactness.keepingValues, walkingInPlace: Bool = true,
                        rules: @escaping @Sendable (Op) -> [Rule]) -> PassResult {
        var rewriter = Rewriter(rules: rules, admitted: admitted, frames: graph.frames)
        rewriter.reportsMerges = reportMerges
        let live = roots.map { keptNodes(of: graph, roots: $0) }
        // The nodes the rebuild would build as they are stay where they are
        // (`Rewriter+InPlace.swift`); the rebuild starts at the first it would change.
        let start: Int
        var changed: Bool
        switch walkingInPlace ? rewriter.walkInPlace(graph, live: live) : rewriter.startingTheRebuild(count: graph.count) {
        case .finished(let reordered):
            guard reordered else { return .unchanged(graph) }
            return PassResult(graph: rewriter.builder.graph, replacement: graph.ids.map { Optional($0) }, changed: true,
                              atFixedPoint: true)
        case .stopped(let index, let reordered):
            (start, changed) = (index, reordered)
        }
        var map = [NodeID](repeating: NodeID(0), count: graph.count)
        for index in 0..<start { map[index] = NodeID(index) }
        var dropped = false
        for index in start..<graph.count {
            if let live, !live[index], !graph.nodes[index].op.isLeaf || graph.nodes[index].op.constantValue != nil {
                map[index] = Rewriter.dropped
                dropped = true
                continue
            }
            // The node's fields are read in place: a copy of the node retains and releases its
            // shape and name as well, for every node of the graph.
            let range = graph.nodes[index].range
            let frame = graph.nodes[index].frame
            rewriter.range = range
            rewriter.reportRange = graph.userRange(range, frame: frame)
            rewriter.builder.currentFrame = frame
            let countBefore = rewriter.builder.graph.count
            let firingsBefore = rewriter.firings.count
            let new: NodeID
            switch graph.nodes[index].op {
            case .leaf:
                new = rewriter.builder.add(graph.nodes[index].op, [], shape: graph.nodes[index].shape, range: range,
                                           name: graph.nodes[index].name)
            case .integral(let integrand):
                new = rewriter.integral(integrand, graph.nodes[index].operands.map { map[$0.int] }, range: range)
            case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
                // Rewritten operands have the shapes the old ones had (a rule keeps its node's
                // shape), so the old node's shape is the new one's: not inferred again.
                new = rewriter.emit(graph.nodes[index].op, graph.nodes[index].operands.remapped { map[$0.int] },
                                    shape: graph.nodes[index].shape)
            }
            map[index] = new
            // A merge, not a rule's result that happens to exist already (x·1 is x).
            if reportMerges, rewriter.firings.count == firingsBefore, rewriter.builder.graph.count == countBefore, new.int != index {
                rewriter.firings.append(RuleFiring(rule: "merge-duplicate", range: rewriter.reportRange))
            }
            rewriter.carryOver(name: graph.nodes[index].name, adjointOf: graph.nodes[index].adjointOf, to: new, map: map)
            if !changed {
                changed = new.int != index || rewriter.builder.graph.nodes[new.int].operands != graph.nodes[index].operands
                    || rewriter.builder.graph.nodes[new.int].op != graph.nodes[index].op
            }
        }
        report.append(contentsOf: rewriter.firings)
        if !changed && !dropped && rewriter.builder.graph.count == graph.count && rewriter.firings.isEmpty {
            return .unchanged(graph)
        }
        // Every node of the result was offered to every rule and none applied, and rules read
        // only a node's operands: the same walk over the result would change nothing.
        return PassResult(graph: rewriter.builder.graph, replacement: map.map { $0 == Rewriter.dropped ? nil : $0 }, changed: true,
                          atFixedPoint: !rewriter.reachedDepthLimit)
    }

    /// The nodes that `roots` or a named node read, named nodes included, as a mask.
    static func keptNodes(of graph: Graph, roots: [NodeID]) -> [Bool] {
        var kept = [Bool](repeating: false, count: graph.count)
        for root in roots { kept[root.int] = true }
        for index in stride(from: graph.count - 1, through: 0, by: -1) where kept[index] || graph.nodes[index].name != nil {
            kept[index] = true
            for operand in graph.nodes[index].operands { kept[operand.int] = true }
        }
        return kept
    }

    /// The map entry of a node the rewrite did not rebuild: no node of a graph has this id.
    static let dropped = NodeID(Int(Int32.max))

    /// Moves the user's name and the adjoint mark of `old` to the node now computing its value,
    /// unless that node already has its own.
    mutating func carryOver(name: String?, adjointOf: NodeID?, to new: NodeID, map: [NodeID]) {
        // A param's or input's name is its own; a constant takes the name of the value it
        // computes (`dt = 0.01`), as it has it before the rewrite.
        if case .leaf = builder.graph.nodes[new.int].op { return }
        if let name, builder.graph.nodes[new.int].name == nil { builder.setName(new, name) }
        if let forward = adjointOf, forward.int < map.count, map[forward.int] != Rewriter.dropped {
            builder.markAdjoint(new, of: map[forward.int])
        }
    }

    // MARK: Building

    /// The node for `op(operands)`: the first rule's replacement, else a new (or merged) node.
    mutating func emit(_ op: Op, _ operands: Operands, shape known: Shape? = nil) -> NodeID {
        var operands = operands
        if op.isCommutative, operands.count == 2, GraphBuilder.comesFirst(operands[1], operands[0], in: builder.graph) {
            operands.swapAt(0, 1)
        }
        let shape: Shape
        if let known {
            assert((try? GraphBuilder.inferShape(op, operands, in: builder.graph).get()).map { $0 == known } ?? true,
                   "internal error: \(op.name) rewritten with operands of other shapes")
            shape = known
        } else {
            switch GraphBuilder.inferShape(op, operands, in: builder.graph) {
            case .success(let inferred): shape = inferred
            case .failure(let error):
                if case .constant(let value) = op { shape = value.shape; break }
                preconditionFailure("internal error: rewriting built \(op.name) of \(operands.map { builder.graph[$0].shape }): \(error.message)")
            }
        }
        if depth < Rewriter.maximumDepth {
            if let result = firstApplyingRule(Match(op: op, operands: operands, shape: shape)) { return result }
        } else {
            reachedDepthLimit = true
        }
        return builder.add(op, operands, shape: shape, range: range)
    }

    /// The node the first admitted rule for `match` builds, its firing recorded; nil when none
    /// applies (and then nothing was built).
    mutating func firstApplyingRule(_ match: Match) -> NodeID? {
        // The rules read in place from one array held for the loop: `for rule in` copied
        // each rule out, retaining and releasing its name and function for every rule
        // offered every node.
        let candidates = rules(match.op)
        let present = operandKinds(match.operands)
        for index in candidates.indices where admittedBits & candidates[index].exactness.bit != 0 {
            guard candidates[index].needs.rawValue & present.rawValue != 0 else {
                assert(!appliesAnyway(candidates[index], match),
                       "internal error: rule \(candidates[index].name) applied to operands without the kinds it needs")
                continue
            }
            depth += 1
            let result = candidates[index].apply(&self, match)
            depth -= 1
            guard let result else { continue }
            guard builder.graph[result].shape == match.shape else {
                assertionFailure("internal error: rule \(candidates[index].name) changed shape \(match.shape) to \(builder.graph[result].shape)")
                continue
            }
            firings.append(RuleFiring(rule: candidates[index].name, range: reportRange))
            return result
        }
        return nil
    }

    /// The kinds of `operands` that rules look for (`Rule.needs`), `.always` included.
    func operandKinds(_ operands: Operands) -> OperandKinds {
        var kinds = OperandKinds.always
        for operand in operands { kinds.formUnion(OperandKinds.of(builder.graph.nodes[operand.int].op)) }
        if operands.count == 2, operands[0] == operands[1] { kinds.formUnion(.repeated) }
        return kinds
    }

    /// For a debug build's check of `Rule.needs`: whether `rule`, which its kinds rule out,
    /// applies all the same. A rule that does not apply builds nothing, so the check changes
    /// nothing; one that does is a wrong `needs`.
    mutating func appliesAnyway(_ rule: Rule, _ match: Match) -> Bool {
        (depth, checkingNeeds) = (depth + 1, true)
        defer { (depth, checkingNeeds) = (depth - 1, false) }
        return rule.apply(&self, match) != nil
    }

    mutating func add(_ a: NodeID, _ b: NodeID) -> NodeID { emit(.add, [a, b]) }
    mutating func sub(_ a: NodeID, _ b: NodeID) -> NodeID { emit(.sub, [a, b]) }
    mutating func mul(_ a: NodeID, _ b: NodeID) -> NodeID { emit(.mul, [a, b]) }
    mutating func div(_ a: NodeID, _ b: NodeID) -> NodeID { emit(.div, [a, b]) }
    mutating func neg(_ x: NodeID) -> NodeID { emit(.neg, [x]) }
    mutating func apply(_ op: UnaryOp, _ x: NodeID) -> NodeID { emit(.unary(op), [x]) }

    mutating func constant(_ value: Tensor) -> NodeID { builder.constant(value, range: range) }

    /// A constant of `shape` filled with `value`.
    mutating func constant(_ value: Double, shape: Shape = .scalar) -> NodeID {
        constant(Tensor(filling: shape, with: value))
    }

    /// `x` widened to `shape` (itself when it has that shape already).
    mutating func broadcast(_ x: NodeID, to shape: Shape) -> NodeID {
        builder.graph[x].shape == shape ? x : emit(.broadcast(shape), [x])
    }

    /// `op` applied to constants, computed now: the constant node, or nil when an operand is
    /// not constant or the result would be too large to keep as a literal.
    mutating func folded(_ op: Op, _ operands: Operands) -> NodeID? {
        var values: [Tensor] = []
        for operand in operands {
            guard let value = constantValue(operand) else { return nil }
            values.append(value)
        }
        guard let result = ConstantFolding.evaluate(op, values) else { return nil }
        return constant(result)
    }

    // MARK: Looking

    subscript(id: NodeID) -> Node {
        _read { yield builder.graph.nodes[id.int] }
    }
    func op(_ id: NodeID) -> Op { builder.graph.nodes[id.int].op }
    func shape(_ id: NodeID) -> Shape { builder.graph.nodes[id.int].shape }
    func constantValue(_ id: NodeID) -> Tensor? { builder.graph.nodes[id.int].op.constantValue }
    func isConstant(_ id: NodeID) -> Bool {
        if case .constant = builder.graph.nodes[id.int].op { return true }
        return false
    }

    /// The value of a constant whose elements are all equal.
    func uniform(_ id: NodeID) -> Double? { constantValue(id)?.uniformValue }

    /// Whether `id` is a constant with every element equal to `value` (0 matches -0).
    func isConstant(_ id: NodeID, _ value: Double) -> Bool { uniform(id).map { $0 == value } ?? false }
}

extension Rewriter {
    /// A value of `shape` with every element `value`: a literal when small, else a broadcast
    /// scalar (so `x*0` on a large tensor does not become a large literal).
    mutating func filled(_ value: Double, _ shape: Shape) -> NodeID {
        if shape.count <= ConstantFolding.maximumGrowth { return constant(value, shape: shape) }
        return broadcast(constant(value), to: shape)
    }

    /// The operand of a node with op `op`-like shape test, e.g. `operand(of: id, if: .neg)`.
    /// (These helpers, asked of every node by many rules, read the node's fields in place:
    /// a copy of the whole node retains and releases its shape, range and name.)
    func operand(of id: NodeID, if op: Op) -> NodeID? {
        builder.graph.nodes[id.int].op == op ? builder.graph.nodes[id.int].operands[0] : nil
    }

    /// `(x, c)` when `id` is `x * c` with c a constant.
    func scaled(_ id: NodeID) -> (x: NodeID, c: NodeID)? {
        guard builder.graph.nodes[id.int].op == .mul else { return nil }
        let operands = builder.graph.nodes[id.int].operands
        guard isConstant(operands[1]), !isConstant(operands[0]) else { return nil }
        return (operands[0], operands[1])
    }

    /// Whether `id` is a scalar, or a broadcast of one: a factor that sums can pull out.
    func scalarFactor(_ id: NodeID) -> NodeID? {
        if shape(id).isScalar { return id }
        if case .broadcast = op(id), shape(self[id].operands[0]).isScalar { return self[id].operands[0] }
        return nil
    }
}

extension Rewriter {
    /// The constant `op(a, b)` of two constant nodes (1 where a node is nil), or nil when it
    /// would be too large to keep. Builds nothing unless it succeeds.
    mutating func combined(_ op: Op, _ a: NodeID?, _ b: NodeID?) -> NodeID? {
        let one = Tensor(1)
        guard let lhs = a.map(constantValue) ?? one, let rhs = b.map(constantValue) ?? one,
              let value = ConstantFolding.evaluate(op, [lhs, rhs]) else { return nil }
        return constant(value)
    }

    /// `(base, coefficient)` of a term: `x * c` gives (x, c), anything else (x, nil) meaning 1.
    func term(_ id: NodeID) -> (base: NodeID, coefficient: NodeID?) {
        if let (x, c) = scaled(id) { return (x, c) }
        return (id, nil)
    }

    /// `(x, c)` when `id` is `x * c`, or `(nil, c)` when it is the constant c, with c a
    /// constant whose elements are all negative.
    func negativeTerm(_ id: NodeID) -> (x: NodeID?, c: NodeID)? {
        if let value = constantValue(id) { return value.values.allSatisfy({ $0 < 0 }) && !value.values.isEmpty ? (nil, id) : nil }
        guard let (x, c) = scaled(id), let value = constantValue(c), !value.values.isEmpty,
              value.values.allSatisfy({ $0 < 0 }) else { return nil }
        return (x, c)
    }

    /// `(x, c, op)` when `id` is `x + c` or `x - c` with c a constant and x not.
    func offset(_ id: NodeID) -> (x: NodeID, c: NodeID, op: Op)? {
        let op = builder.graph.nodes[id.int].op
        guard op == .add || op == .sub else { return nil }
        let operands = builder.graph.nodes[id.int].operands
        guard isConstant(operands[1]), !isConstant(operands[0]) else { return nil }
        return (operands[0], operands[1], op)
    }
}
