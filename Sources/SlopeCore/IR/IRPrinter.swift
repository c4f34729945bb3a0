/// The text form of the IR (SPEC.md 3.3), one node per line:
///
///     NAME: SHAPE = OP(OPERAND, …, ATTRIBUTE)    # LINE:COL source text
///
/// `slope ir` prints it; `IRParser` reads it back, so pass tests are text in, text out. Only
/// nodes reachable from `roots` are printed when roots are given. What the text keeps is
/// what a pass can see: ops with their attributes (constants bit for bit), operands, shapes,
/// leaf kinds and names, and node names; the comments are for people and are not read back.
public enum IRPrinter {
    public static func print(_ graph: Graph, roots: [NodeID]? = nil, locations: Bool = true) -> String {
        var rows: [(text: String, comment: String?)] = []
        appendRows(of: graph, roots: roots, indent: "", locations: locations, to: &rows)
        let width = min(rows.map(\.text.count).max() ?? 0, 60)
        let lines = rows.map { text, comment in
            guard let comment else { return text }
            return text + String(repeating: " ", count: max(1, width - text.count + 2)) + comment
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// One row per node; an integral's row opens a block holding its integrand's body, indented
    /// by four more spaces, closed by `return RESULT` and `}` (recursion on the nesting of
    /// integrals only, which lowering and the parser bound).
    static func appendRows(of graph: Graph, roots: [NodeID]?, indent: String, locations: Bool,
                           to rows: inout [(text: String, comment: String?)]) {
        let names = NameTable(graph)
        let live = roots.map { graph.reachable(from: $0) }
        for id in graph.ids where live?[id.int] ?? true {
            let node = graph[id]
            var text = indent + "\(names[id]): \(node.shape) = \(describe(node, names, as: names[id]))"
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
            guard case .integral(let integrand) = node.op else {
                rows.append((text, comment))
                continue
            }
            text += " {"
            rows.append((text, comment))
            let inner = indent + "    "
            let body = integrand.body
            appendRows(of: body, roots: nil, indent: inner, locations: locations, to: &rows)
            rows.append((inner + "return \(NameTable(body)[body.outputs[0].node])", nil))
            rows.append((indent + "}", nil))
        }
    }

    /// `op(operands, attributes)` for one node printed as `name`. A leaf shows its own name
    /// when the node's differs (`m_2: [] = param "m"`).
    static func describe(_ node: Node, _ names: NameTable, as name: String) -> String {
        var arguments = node.operands.map { names[$0] }
        switch node.op {
        case .constant(let value):
            return "constant(\(literal(value)))"
        case .leaf(let kind, let leafName):
            return leafName == name ? kind.rawValue : "\(kind.rawValue) \(quoted(leafName))"
        case .reduce(_, let axis):
            if let axis { arguments.append("axis: \(axis)") }
        case .cumsum(let axis):
            arguments.append("axis: \(axis)")
        case .reshape(let shape), .broadcast(let shape), .sumTo(let shape):
            arguments.append("\(shape)")
        case .index(let position):
            arguments.append("\(position)")
        case .integral(let integrand):
            arguments.append("fn: \(integrand.name)")
        case .unary, .binary, .matmul, .transpose, .stack:
            break
        }
        return "\(node.op.name)(\(arguments.joined(separator: ", ")))"
    }

    /// A constant's value: one number when every element has the same bits (the node's shape
    /// says how far it fills: `t5: [80, 4] = constant(0)`), else nested brackets, row-major.
    static func literal(_ value: Tensor) -> String {
        if let uniform = value.uniformValue { return number(uniform) }
        let shape = value.shape, strides = shape.strides
        var out = ""
        // Recursion on the rank only, which is small.
        func write(_ axis: Int, _ base: Int) {
            out += "["
            for index in 0..<shape[axis] {
                if index > 0 { out += ", " }
                if axis == shape.rank - 1 {
                    out += number(value.values[base + index])
                } else {
                    write(axis + 1, base + index * strides[axis])
                }
            }
            out += "]"
        }
        write(0, 0)
        return out
    }

    /// A number that reads back to the same bits: the shortest decimal that does
    /// (`ValueFormatter`), `inf`, `-inf`, `-0`, and for NaN `nan` or `-nan` (the quiet NaNs
    /// with and without the sign bit) or else all its bits, `nan(0x7ff4000000000001)`.
    static func number(_ value: Double) -> String {
        guard value.isNaN else { return ValueFormatter.number(value) }
        switch value.bitPattern {
        case Double.nan.bitPattern: return "nan"
        case (-Double.nan).bitPattern: return "-nan"
        default:
            let digits = String(value.bitPattern, radix: 16)
            return "nan(0x" + String(repeating: "0", count: 16 - digits.count) + digits + ")"
        }
    }

    /// A leaf's name as a string literal, with the escapes the lexer reads (`\"`, `\\`, `\n`, `\t`).
    static func quoted(_ name: String) -> String {
        var out = "\""
        for character in name {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
