/// Checks the IR's invariants: operands point backwards, arity and shapes agree with the op's
/// rules, leaves are declared once, and the graph's interface names its own nodes (every leaf
/// table entry a leaf node of its kind and name, every output and named value a node of the
/// graph). A failure is a bug in Slope; the report shows the offending node with a few lines of
/// IR on either side.
public enum Verifier {
    public struct Failure: Error, CustomStringConvertible {
        public let node: NodeID
        public let problem: String
        public let neighbourhood: String
        public var description: String { "IR verification failed at \(node): \(problem)\n\(neighbourhood)" }
    }

    public static func verify(_ graph: Graph) -> Failure? {
        var leafNames: Set<String> = []
        for id in graph.ids {
            let node = graph[id]
            if let problem = check(node, at: id, in: graph, leafNames: &leafNames) {
                return Failure(node: id, problem: problem, neighbourhood: neighbourhood(of: id, in: graph))
            }
        }
        if let (id, problem) = checkInterface(of: graph) {
            let shown = NodeID(min(max(id.int, 0), graph.count - 1))
            return Failure(node: id, problem: problem, neighbourhood: graph.count == 0 ? "" : neighbourhood(of: shown, in: graph))
        }
        return nil
    }

    /// The first entry of the leaf table, outputs or named values that does not name a node of
    /// the graph as it should.
    static func checkInterface(of graph: Graph) -> (NodeID, String)? {
        func exists(_ id: NodeID) -> Bool { id.index >= 0 && id.int < graph.count }
        for leaf in graph.leaves {
            guard exists(leaf.node) else { return (leaf.node, "leaf '\(leaf.name)' names a node outside the graph") }
            guard graph[leaf.node].op == .leaf(leaf.kind, leaf.name) else {
                return (leaf.node, "leaf '\(leaf.name)' names a node that is not \(leaf.kind.rawValue) '\(leaf.name)'")
            }
        }
        for output in graph.outputs where !exists(output.node) {
            return (output.node, "output '\(output.name)' names a node outside the graph")
        }
        for (name, id) in graph.namedValues.sorted(by: { $0.key < $1.key }) where !exists(id) {
            return (id, "named value '\(name)' names a node outside the graph")
        }
        return nil
    }

    static func check(_ node: Node, at id: NodeID, in graph: Graph, leafNames: inout Set<String>) -> String? {
        for operand in node.operands where operand.index < 0 || operand >= id {
            return "operand \(operand) does not come before its user"
        }
        if let arity = node.op.arity, arity != node.operands.count {
            return "\(node.op.name) takes \(arity) operands, found \(node.operands.count)"
        }
        if let forward = node.adjointOf, forward >= id {
            return "adjoint of \(forward), which does not come before it"
        }
        if let frame = node.frame, frame < 0 || Int(frame) >= graph.frames.count {
            return "call frame \(frame) does not exist"
        }
        switch node.op {
        case .leaf(_, let name):
            if !leafNames.insert(name).inserted { return "leaf '\(name)' is declared twice" }
            return nil
        case .integral(let integrand):
            if let problem = check(integrand) { return problem }
            fallthrough
        case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum:
            switch node.op.inferShape(node.operands.map { graph[$0].shape }) {
            case .success(let shape):
                return shape == node.shape ? nil : "shape \(node.shape) recorded, \(shape) inferred"
            case .failure(let error):
                return error.message
            }
        }
    }

    /// An integrand's own invariants: its body verifies; its leaves are inputs, each the variable
    /// (a scalar) or one of the captures, each once; its one output is a node of the body.
    static func check(_ integrand: Integrand) -> String? {
        let body = integrand.body
        if let failure = verify(body) { return "in the integrand '\(integrand.name)': \(failure.problem)" }
        guard body.outputs.count == 1 else { return "the integrand '\(integrand.name)' has \(body.outputs.count) results, not 1" }
        guard let variable = integrand.variableNode else {
            return "the integrand '\(integrand.name)' has no leaf for its variable '\(integrand.variable)'"
        }
        guard body[variable].shape.isScalar else {
            return "the variable '\(integrand.variable)' of the integrand '\(integrand.name)' has shape \(body[variable].shape), not []"
        }
        let expected = Set([integrand.variable] + integrand.captures)
        guard expected.count == 1 + integrand.captures.count else {
            return "the integrand '\(integrand.name)' names a leaf twice among its variable and captures"
        }
        for node in body.nodes {
            guard case .leaf(let kind, let name) = node.op else { continue }
            guard kind == .input, expected.contains(name) else {
                return "the integrand '\(integrand.name)' reads \(kind.rawValue) '\(name)', which is neither its variable nor a capture"
            }
        }
        for (position, leaf) in integrand.captureNodes.enumerated() where leaf == nil {
            return "the integrand '\(integrand.name)' has no leaf for its capture '\(integrand.captures[position])'"
        }
        return nil
    }

    static func neighbourhood(of id: NodeID, in graph: Graph) -> String {
        let names = NameTable(graph)
        let low = max(0, id.int - 3), high = min(graph.count - 1, id.int + 3)
        return (low...high).map { index in
            let node = graph.nodes[index]
            let marker = index == id.int ? "-> " : "   "
            return marker + "\(names.names[index]): \(node.shape) = \(IRPrinter.describe(node, names, as: names.names[index]))"
        }.joined(separator: "\n")
    }
}
