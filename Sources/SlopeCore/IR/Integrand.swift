/// The integrand of an `integral` node: a function of one scalar variable, held as a graph of
/// its own (a region, as MLIR calls it), which the quadrature evaluates at each point.
///
/// The body's leaves are `input` leaves: the variable of integration (the `fn`'s parameter, `t`)
/// and one per capture — a value of the enclosing graph the function reads (a param, an input, a
/// named value, or anything computed from them that does not depend on the variable) — in the
/// order of the node's operands after the bounds: `integral(a, b, c₁, …, cₖ)` binds the body's
/// leaf `captures[i]` to operand 2 + i. Its one output is the integrand's value, a scalar or a
/// tensor (integrated componentwise). Lowering moves everything that does not depend on the
/// variable out of the body into captures, so it is computed once per integral, not per point.
///
/// An immutable class, so an `Op` stays small; equality and hashing are structural (the body's
/// ops, operands and shapes, the leaf names and the result), so hash-consing and CSE merge two
/// integrals only when they compute the same function. `name` is only a hint for printing.
public final class Integrand: Hashable, Sendable, CustomStringConvertible {
    /// The body: the leaves (variable and captures, first, in that order) and the computation;
    /// `outputs[0]` is the integrand's value.
    public let body: Graph
    /// The variable's leaf name: the function's parameter.
    public let variable: String
    /// The capture leaves' names, in operand order (after a and b).
    public let captures: [String]
    /// What printed source calls the function: the user's `fn` (`g`), or for a derivative a
    /// name saying what it is (`d_g_w`). Not part of the value.
    public let name: String

    public init(body: Graph, variable: String, captures: [String], name: String) {
        precondition(body.outputs.count == 1, "internal error: an integrand has one output")
        self.body = Integrand.leavesFirst(body, order: [variable] + captures)
        self.variable = variable
        self.captures = captures
        self.name = name
    }

    /// `body` with the leaves named in `order` first, in that order (the text form says which
    /// leaf is which by their order); the other nodes keep theirs. Leaves have no operands, so
    /// moving them forward keeps the graph in topological order.
    static func leavesFirst(_ body: Graph, order names: [String]) -> Graph {
        let leaves = names.compactMap { name in body.nodes.firstIndex { $0.op == .leaf(.input, name) }.map(NodeID.init) }
        let moved = Set(leaves)
        let order = leaves + body.ids.filter { !moved.contains($0) }
        if order == body.ids { return body }
        var position = [Int](repeating: 0, count: body.count)
        for (new, old) in order.enumerated() { position[old.int] = new }
        var graph = Graph()
        for old in order {
            let node = body[old]
            graph.nodes.append(Node(op: node.op, operands: node.operands.remapped { NodeID(position[$0.int]) }, shape: node.shape,
                                    range: node.range, name: node.name,
                                    adjointOf: node.adjointOf.map { NodeID(position[$0.int]) }))
        }
        graph.outputs = body.outputs.map { Output(name: $0.name, node: NodeID(position[$0.node.int])) }
        return graph
    }

    /// The node of the body computing the integrand.
    public var result: NodeID { body.outputs[0].node }
    /// The integrand's shape, and the integral's.
    public var shape: Shape { body[result].shape }

    /// The body's leaf node called `name`.
    public func leaf(named name: String) -> NodeID? {
        body.nodes.firstIndex { $0.op == .leaf(.input, name) }.map(NodeID.init)
    }

    /// The variable's node (the verifier checks that it exists).
    public var variableNode: NodeID? { leaf(named: variable) }

    /// The capture leaves' nodes, in operand order.
    public var captureNodes: [NodeID?] { captures.map { leaf(named: $0) } }

    public var description: String { "integrand \(name)(\(variable)) of \(body.count) nodes" }

    public static func == (lhs: Integrand, rhs: Integrand) -> Bool {
        if lhs === rhs { return true }
        guard lhs.variable == rhs.variable, lhs.captures == rhs.captures, lhs.result == rhs.result,
              lhs.body.count == rhs.body.count else { return false }
        return zip(lhs.body.nodes, rhs.body.nodes).allSatisfy { $0.op == $1.op && $0.operands == $1.operands && $0.shape == $1.shape }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variable)
        hasher.combine(captures)
        hasher.combine(result)
        hasher.combine(body.count)
        // The last nodes say most about what the body computes; the leaves come first and are
        // already hashed by name.
        for node in body.nodes.suffix(8) {
            hasher.combine(node.op)
            hasher.combine(node.operands)
        }
    }
}
