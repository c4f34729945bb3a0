/// Checks the IR's invariants: operands point backwards, arity and shapes agree with the op's
/// rules, and leaves are declared once. A failure is a bug in Slope; the report shows the
/// offending node with a few lines of IR on either side.
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
        case .constant, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index:
            switch node.op.inferShape(node.operands.map { graph[$0].shape }) {
            case .success(let shape):
                return shape == node.shape ? nil : "shape \(node.shape) recorded, \(shape) inferred"
            case .failure(let error):
                return error.message
            }
        }
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
