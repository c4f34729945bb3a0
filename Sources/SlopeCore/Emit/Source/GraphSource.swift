/// Writes a graph as `.graph` source that parses and runs with `slope run`: declarations, one
/// statement per named or shared value (the rest written inline by `ExpressionPrinter`, so an
/// optimized gradient reads `d_m = 28*m + 12*b - 42`), each with a comment tying it to the
/// user's source, and a closing `print`.
public enum GraphSource {
    /// One declaration to open the program with: its source text as the user wrote it (so
    /// `csv(...)`, `normal(...)` keep their meaning) or, when the value was replaced, a literal.
    public struct Declaration: Sendable {
        /// The declared name: it is the declaration's, whether or not the graph still has the
        /// leaf (an input held as a constant does not).
        public let name: String
        public let node: NodeID
        public let text: String
        public init(name: String, node: NodeID, text: String) {
            self.name = name
            self.node = node
            self.text = text
        }
    }

    /// A printed value that cannot be written: written out in full on one line, it would be
    /// longer than `maximumLineLength` bytes or nest deeper than the parser reads; or it needs
    /// an integrand no `fn` can express (`IntegrandSource.Unwritable`).
    public struct Unwritable: Error, Sendable {
        public enum Reason: Sendable { case lineTooLong, integrand(String) }
        public let name: String
        public let node: NodeID
        public var reason: Reason = .lineTooLong
    }

    /// The longest statement whose comment is aligned with the others: a statement longer than
    /// this keeps its comment close rather than pushing every comment far to the right.
    public static let commentColumnLimit = 60

    /// The longest line `write` writes a value out in full on: 1,000,000 bytes. Written out in
    /// full, a value repeats every shared value at each use, which can be exponentially long.
    public static let maximumLineLength = 1_000_000

    /// With `shareSubexpressions` off every printed value is written out in full (for
    /// `--expand`, where a sum of monomials should read as one line), or `Unwritable` thrown
    /// when one would be too long to write; `comments` adds the source comments.
    public static func write(_ graph: Graph, header: [String], seed: UInt64?, declarations: [Declaration],
                             roots: [NodeID], printed: [(name: String, node: NodeID)],
                             shareSubexpressions: Bool = true, comments: Bool = true) throws(Unwritable) -> String {
        // The printed names (`d_x`) are reserved: another value of the user's with that name
        // takes another, and a printed value the user did not name is named as printed (one the
        // user named, `df = grad(f, x)`, keeps its name and gets an alias line). Only a
        // declaration keeps its name against them (`param d_x`), as it is written out as the
        // user wrote it, so such a printed name takes a suffix instead.
        let declared = Set(declarations.map(\.name))
        let printed = printableNames(printed, avoiding: declared.union(graph.leaves.map(\.name)))
        var preferred: [NodeID: String] = [:]
        for (name, node) in printed where !graph[node].op.isLeaf && (graph[node].name ?? name) == name && preferred[node] == nil {
            preferred[node] = name
        }
        // A declared name the graph no longer has as a leaf (an input held as a constant) is
        // still taken by its declaration line.
        let withoutLeaf = declared.subtracting(graph.leaves.map(\.name))
        // Bind what is printed, and the gradients of named values, so they read as d_name lines.
        var extra = Set(printed.map(\.node).filter { !graph[$0].op.isLeaf })
        for id in graph.ids {
            if let forward = graph[id].adjointOf, graph[forward].name != nil, !graph[id].op.isLeaf { extra.insert(id) }
        }
        // Each integral the printed values use is a statement of its own with its `fn` above it
        // (`IntegrandSource`); the texts of its captures are what the function body reads.
        let live = graph.reachable(from: printed.map(\.node))
        let integrals = graph.ids.filter { live[$0.int] && graph[$0].op.integrand != nil }
        let captures = integrals.flatMap { graph[$0].operands.dropFirst(2) }
        if shareSubexpressions { extra.formUnion(integrals) }
        // Values are named after what they are, and only those on the page are counted when
        // names are made unique.
        var shown = Set(printed.map(\.node)).union(captures)
        if shareSubexpressions {
            shown.formUnion(ExpressionPrinter.statements(graph, roots: printed.map(\.node) + captures, alsoBinding: extra))
        }
        let names = NameTable(graph, reserving: Set(printed.map(\.name)).union(withoutLeaf), avoiding: BuiltinFunctions.reservedNames,
                              preferring: preferred, style: .descriptive, shown: shown)
        var functions = IntegrandSource(globals: Set(names.names).union(declared).union(printed.map(\.name)))
        var functionNames: [NodeID: String] = [:]
        for id in integrals { functionNames[id] = functions.fresh(graph[id].op.integrand!.name) }
        var definitions: [ExpressionPrinter.Definition] = [], rootTexts: [String] = [], captureTexts: [String] = []
        if shareSubexpressions {
            (definitions, rootTexts) = ExpressionPrinter.program(graph, roots: printed.map(\.node) + captures, names: names,
                                                                 alsoBinding: extra, functionNames: functionNames)
            captureTexts = Array(rootTexts.dropFirst(printed.count))
            rootTexts = Array(rootTexts.prefix(printed.count))
        } else {
            for (name, node) in printed {
                guard let text = ExpressionPrinter.expression(graph, node, names: names, limit: maximumLineLength,
                                                              functionNames: functionNames) else {
                    throw Unwritable(name: name, node: node)
                }
                rootTexts.append(text)
            }
            captureTexts = captures.map { ExpressionPrinter.expression(graph, $0, names: names) }
        }
        // The functions, by the integral that calls them.
        var functionLines: [NodeID: [(String, String?)]] = [:]
        var captureOffset = 0
        for id in integrals {
            let integrand = graph[id].op.integrand!
            let texts = captureTexts[captureOffset..<(captureOffset + integrand.captures.count)].map(IntegrandSource.parenthesized)
            captureOffset += integrand.captures.count
            let before = functions.lines.count
            do {
                _ = try functions.define(integrand, named: functionNames[id]!, captures: Array(texts))
            } catch {
                throw Unwritable(name: names[id], node: id, reason: .integrand(error.integrand))
            }
            let comment = comments ? functionComment(for: graph[id], integrand) : nil
            functionLines[id] = functions.lines[before...].enumerated().map { offset, line in
                (line, offset == functions.lines.count - before - 1 ? comment : nil)
            }
        }
        var lines = header.map { "# " + $0 }
        if let seed { lines.append("seed \(seed)") }
        for declaration in declarations { lines.append(declaration.text) }
        var rows: [(String, String?)] = []
        if !shareSubexpressions { for id in integrals { rows += functionLines[id] ?? [] } }
        for definition in definitions {
            rows += functionLines[definition.node] ?? []
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
        // The comments start in one column, two spaces after the longest statement that fits
        // under `commentColumnLimit`; a longer statement has its comment two spaces after it.
        let width = rows.filter { $0.1 != nil }.map(\.0.count).filter { $0 <= commentColumnLimit }.max() ?? 0
        for (statement, comment) in rows {
            guard let comment else { lines.append(statement); continue }
            lines.append(statement + String(repeating: " ", count: max(2, width - statement.count + 2)) + comment)
        }
        if !printed.isEmpty { lines.append("print " + printed.map(\.name).joined(separator: ", ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The printed names, each made unique and kept clear of the declared names and the
    /// language's reserved names with a suffix `_2`, `_3`, ….
    static func printableNames(_ printed: [(name: String, node: NodeID)], avoiding declared: Set<String>) -> [(name: String, node: NodeID)] {
        var used = declared.union(BuiltinFunctions.reservedNames)
        var seen: [String: NodeID] = [:]
        return printed.map { entry in
            // The same value printed twice under one name is one name.
            if seen[entry.name] == entry.node { return entry }
            var candidate = entry.name
            var suffix = 2
            while used.contains(candidate) {
                candidate = "\(entry.name)_\(suffix)"
                suffix += 1
            }
            used.insert(candidate)
            seen[candidate] = entry.node
            return (candidate, entry.node)
        }
    }

    /// `# the integrand of line 4: integral(g, 0, 1)`, or for the integrand of a derivative
    /// `# derivative of the integrand of line 4: …`.
    static func functionComment(for node: Node, _ integrand: Integrand) -> String? {
        guard let range = node.range else { return nil }
        let what = integrand.name.hasPrefix("d_") ? "derivative of the integrand" : "the integrand"
        return "# \(what) of line \(range.line): \(oneLine(range))"
    }

    /// `# from line 9: m*x`, `# gradient of p, from line 8: sigmoid(X @ w + b)`, or
    /// `# inside bce(...): log(p)` for code inlined from the prelude.
    static func comment(for node: Node, in graph: Graph, names: NameTable) -> String? {
        guard let range = node.range else { return nil }
        let text = oneLine(range)
        var place = "from line \(range.line): \(text)"
        if range.isPrelude {
            place = node.frame.map { "inside \(graph.frames[Int($0)].function)(...): \(text)" } ?? "in the prelude: \(text)"
        }
        if let forward = node.adjointOf { return "# gradient of \(names[forward]), \(place)" }
        return "# " + place
    }

    static func oneLine(_ text: String) -> String { oneLineCut(text).text }

    /// `oneLine(range.text)`, decoding no more of a long range than the comment shows: a
    /// window from the start, doubled until the text is cut or the window reaches the end. (Every
    /// node of `a*a*…*a` spans all the factors before it, so decoding whole ranges made the
    /// comments of its gradient quadratic.)
    static func oneLine(_ range: SourceRange) -> String {
        var window = 256
        while true {
            let end = min(range.end, range.start + window)
            let head = oneLineCut(range.file.text(range.start, end))
            // A cut keeps 47 characters of a longer head, so a character split at the window's
            // edge is never among them.
            if end == range.end || head.cut { return head.text }
            window *= 2
        }
    }

    static func oneLineCut(_ text: String) -> (text: String, cut: Bool) {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > 50 ? (String(flat.prefix(47)) + "...", true) : (flat, false)
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
