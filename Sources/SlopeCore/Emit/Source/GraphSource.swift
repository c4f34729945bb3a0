/// Writes a graph as `.graph` source that parses and runs with `slope run`: declarations, one
/// statement per named or shared value (the rest written inline by `ExpressionPrinter`, so an
/// optimized gradient reads `d_m = 28*m + 12*b - 42`), each with a comment tying it to the
/// user's source, and a closing `print`.
public enum GraphSource {
    /// One declaration to open the program with: its source text as the user wrote it (so
    /// `csv(...)`, `normal(...)` keep their meaning) or, when the value was replaced, a literal.
    public struct Declaration: Sendable {
        public let node: NodeID
        public let text: String
        public init(node: NodeID, text: String) {
            self.node = node
            self.text = text
        }
    }

    /// With `shareSubexpressions` off every printed value is written out in full (for
    /// `--expand`, where a sum of monomials should read as one line); `comments` adds the
    /// source comments.
    public static func write(_ graph: Graph, header: [String], seed: UInt64?, declarations: [Declaration],
                             roots: [NodeID], printed: [(name: String, node: NodeID)],
                             shareSubexpressions: Bool = true, comments: Bool = true) -> String {
        // A printed name another value already uses is reserved, so the alias line can take it.
        var names = NameTable(graph, avoiding: BuiltinFunctions.reservedNames)
        let clashes = Set(printed.filter { entry in
            graph.ids.contains { names[$0] == entry.name && $0 != entry.node }
        }.map(\.name))
        if !clashes.isEmpty { names = NameTable(graph, reserving: clashes, avoiding: BuiltinFunctions.reservedNames) }
        // Bind what is printed, and the gradients of named values, so they read as d_name lines.
        var extra = Set(printed.map(\.node).filter { !graph[$0].op.isLeaf })
        for id in graph.ids {
            if let forward = graph[id].adjointOf, graph[forward].name != nil, !graph[id].op.isLeaf { extra.insert(id) }
        }
        let (definitions, rootTexts) = shareSubexpressions
            ? ExpressionPrinter.program(graph, roots: printed.map(\.node), names: names, alsoBinding: extra)
            : ([], printed.map { ExpressionPrinter.expression(graph, $0.node, names: names) })
        var lines = header.map { "# " + $0 }
        if let seed { lines.append("seed \(seed)") }
        for declaration in declarations { lines.append(declaration.text) }
        var rows: [(String, String?)] = []
        for definition in definitions {
            rows.append(("\(definition.name) = \(definition.expression)",
                         comments ? comment(for: graph[definition.node], in: graph, names: names) : nil))
        }
        // A printed value needs its own line unless a definition above already has its name.
        // (Comparing names alone is not enough: a gradient that is a `broadcast`, such as
        // d_W = broadcast(b, [2, 3]), is named d_W but never bound, as broadcasts print inline.)
        let defined = Set(definitions.map(\.node))
        for ((name, node), text) in zip(printed, rootTexts) where !(defined.contains(node) && names[node] == name) {
            rows.append(("\(name) = \(text)", graph[node].op.isLeaf || !comments ? nil : comment(for: graph[node], in: graph, names: names)))
        }
        let width = min(56, rows.map(\.0.count).max() ?? 0)
        for (statement, comment) in rows {
            guard let comment else { lines.append(statement); continue }
            lines.append(statement + String(repeating: " ", count: max(2, width - statement.count + 2)) + comment)
        }
        if !printed.isEmpty { lines.append("print " + printed.map(\.name).joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `# from line 9: m*x`, `# gradient of p, from line 8: sigmoid(X @ w + b)`, or
    /// `# inside bce(...): log(p)` for code inlined from the prelude.
    static func comment(for node: Node, in graph: Graph, names: NameTable) -> String? {
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

    /// A tensor as a literal of the language; non-finite entries as expressions that produce
    /// them (`[1, 0/0]`).
    static func literal(_ tensor: Tensor) -> String {
        ValueFormatter.literal(tensor.values, shape: tensor.shape, spelling: literalNumber)
    }

    /// A number as source that reads back as the same float64: `nan`, `inf` and `-inf` are no
    /// literals of the language, so they are written as the divisions that make them, `0/0`,
    /// `1/0` and `-1/0` (a multiplicative expression: parenthesised as an operand).
    static func literalNumber(_ value: Double) -> String {
        if value.isNaN { return "0/0" }
        if value.isInfinite { return value < 0 ? "-1/0" : "1/0" }
        return ValueFormatter.number(value)
    }
}

import Foundation
