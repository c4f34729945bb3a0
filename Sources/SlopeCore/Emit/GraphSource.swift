/// Writes a graph as `.graph` source: one statement per node, named values, and comments that
/// tie every line to the user's source. `slope grad` prints gradient programs this way, and the
/// result parses and runs with `slope run`.
public enum GraphSource {
    /// One declaration to open the program with: its source text as the user wrote it (so
    /// `csv(...)`, `normal(...)` keep their meaning) or, when the value was replaced, a literal.
    public struct Declaration: Sendable {
        public let node: NodeID
        public let text: String
    }

    /// The program computing `roots` (in topological order), opened by `header` comment lines
    /// and the declarations, and closed by `print` of `printed` under the given names.
    public static func write(_ graph: Graph, header: [String], seed: UInt64?, declarations: [Declaration],
                             roots: [NodeID], printed: [(name: String, node: NodeID)]) -> String {
        let declared = Set(declarations.map(\.node))
        var reserved = Set(printed.map(\.name))
        for declaration in declarations { if let name = graph[declaration.node].name { reserved.remove(name) } }
        let names = NameTable(graph, reserving: [])
        let live = graph.reachable(from: roots)
        var lines = header.map { "# " + $0 }
        if let seed { lines.append("seed \(seed)") }
        for declaration in declarations { lines.append(declaration.text) }

        var rows: [(String, String?)] = []
        let printedNodes = Set(printed.map(\.node))
        for id in graph.ids where live[id.int] && !declared.contains(id) {
            let node = graph[id]
            // Scalar constants are written inline where they are used.
            if let constant = node.op.constantValue, constant.shape.isScalar, node.name == nil,
               !printedNodes.contains(id), !roots.contains(id) { continue }
            if case .param = node.op { continue }
            if case .input = node.op { continue }
            let statement = "\(names[id]) = \(expression(node, names, graph))"
            rows.append((statement, comment(for: node, id: id, in: graph, names: names)))
        }
        let width = min(56, rows.map(\.0.count).max() ?? 0)
        for (statement, comment) in rows {
            guard let comment else { lines.append(statement); continue }
            lines.append(statement + String(repeating: " ", count: max(2, width - statement.count + 2)) + comment)
        }
        // Aliases make every printed name exist, then one print lists them in order.
        for (name, node) in printed where names[node] != name {
            lines.append("\(name) = \(names[node])")
        }
        if !printed.isEmpty { lines.append("print " + printed.map(\.name).joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `# from line 9: m*x` for a node derived from the user's expression on line 9, and
    /// `# d/d t4 = m*x (line 9)` for the adjoint of a forward value.
    static func comment(for node: Node, id: NodeID, in graph: Graph, names: NameTable) -> String? {
        guard let range = node.range else { return nil }
        let text = oneLine(range.text)
        var place = "from line \(range.line): \(text)"
        if range.file.path == Prelude.path {
            place = node.frame.map { "inside \(graph.frames[Int($0)].function)(...): \(text)" } ?? "in the prelude: \(text)"
        }
        if let forward = node.adjointOf { return "# gradient of \(names[forward]), \(place)" }
        return "# " + place
    }

    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > 50 ? String(flat.prefix(47)) + "..." : flat
    }

    /// The right-hand side for a node, in the language's syntax. Operands are names, so
    /// precedence never needs parentheses; scalar constants are written inline.
    static func expression(_ node: Node, _ names: NameTable, _ graph: Graph) -> String {
        func operand(_ index: Int) -> String {
            let id = node.operands[index]
            if let constant = graph[id].op.constantValue, constant.shape.isScalar {
                let text = ValueFormatter.number(constant.values[0])
                return text.hasPrefix("-") || text == "nan" || text == "inf" ? "(\(literalNumber(constant.values[0])))" : text
            }
            return names[id]
        }
        switch node.op {
        case .constant(let value):
            return value.shape.isScalar ? literalNumber(value.values[0]) : literal(value)
        case .param, .input:
            return names[NodeID(0)]
        case .neg: return "-" + operand(0)
        case .add: return "\(operand(0)) + \(operand(1))"
        case .sub: return "\(operand(0)) - \(operand(1))"
        case .mul: return "\(operand(0)) * \(operand(1))"
        case .div: return "\(operand(0)) / \(operand(1))"
        case .pow: return "\(operand(0)) ^ \(operand(1))"
        case .matmul: return "\(operand(0)) @ \(operand(1))"
        case .mask: return "mask(\(operand(0)), \(operand(1)))"
        case .exp, .log, .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step, .transpose:
            return "\(node.op.name)(\(operand(0)))"
        case .sum(let axis), .mean(let axis):
            return "\(node.op.name)(\(operand(0))" + (axis.map { ", axis: \($0)" } ?? "") + ")"
        case .reshape(let shape), .broadcast(let shape), .sumTo(let shape):
            return "\(node.op.name)(\(operand(0)), \(shape))"
        case .index(let position):
            return "index(\(operand(0)), \(position))"
        case .stack:
            return "[" + node.operands.indices.map(operand).joined(separator: ", ") + "]"
        }
    }

    /// A number as the language reads it; non-finite values as expressions that produce them.
    static func literalNumber(_ value: Double) -> String {
        if value.isNaN { return "0/0" }
        if value.isInfinite { return value < 0 ? "-1/0" : "1/0" }
        return ValueFormatter.number(value)
    }

    static func literal(_ tensor: Tensor) -> String {
        if tensor.values.allSatisfy(\.isFinite) { return ValueFormatter.literal(tensor) }
        // Non-finite entries cannot be written as tensor literals of numbers.
        return ValueFormatter.literal(tensor.values.map { $0.isFinite ? $0 : 0 }, shape: tensor.shape)
    }
}

import Foundation
