/// The text form of the IR, one node per line:
///
///     NAME: SHAPE = OP(OPERAND, …, ATTRIBUTE: VALUE)    # LINE:COL source text
///
/// `slope ir` prints it; pass tests compare it. Only nodes reachable from `roots` are printed
/// when roots are given.
public enum IRPrinter {
    public static func print(_ graph: Graph, roots: [NodeID]? = nil, locations: Bool = true) -> String {
        let names = NameTable(graph)
        let live = roots.map { graph.reachable(from: $0) }
        var lines: [String] = []
        var width = 0
        var rows: [(String, String?)] = []
        for id in graph.ids where live?[id.int] ?? true {
            let node = graph[id]
            let text = "\(names[id]): \(node.shape) = \(describe(node, names))"
            var comment: String?
            if locations, let range = node.range {
                // Decode only the start of the range: at most 60 characters are shown, and
                // decoding whole ranges made a long one-line expression quadratic to print
                // (the k-th `+` of `1 + 1 + …` spans k terms).
                let head = range.file.text(range.start, min(range.end, range.start + 4 * 61))
                var source = head
                if head.utf8.contains(UInt8(ascii: "\n")) {
                    source = String(String.UnicodeScalarView(head.unicodeScalars.map { $0 == "\n" ? " " : $0 }))
                }
                let cut = source.count > 60 || range.end - range.start > 4 * 61
                let shown = cut ? String(source.prefix(57)) + "..." : source
                comment = "# \(range.line):\(range.column) \(shown)"
            }
            width = max(width, text.count)
            rows.append((text, comment))
        }
        width = min(width, 60)
        for (text, comment) in rows {
            if let comment {
                let pad = String(repeating: " ", count: max(1, width - text.count + 2))
                lines.append(text + pad + comment)
            } else {
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// `op(operands, attributes)` for one node.
    static func describe(_ node: Node, _ names: NameTable) -> String {
        var arguments = node.operands.map { names[$0] }
        switch node.op {
        case .constant(let value):
            return "constant(\(ValueFormatter.literal(value.values, shape: value.shape)))"
        case .leaf:
            return node.op.name
        case .reduce(_, let axis):
            if let axis { arguments.append("axis: \(axis)") }
        case .reshape(let shape), .broadcast(let shape), .sumTo(let shape):
            arguments.append("\(shape)")
        case .index(let position):
            arguments.append("\(position)")
        case .unary, .binary, .matmul, .transpose, .stack:
            break
        }
        return "\(node.op.name)(\(arguments.joined(separator: ", ")))"
    }
}
