import SlopeCore

/// The round trip every graph's IR text must survive (SPEC.md 3.3): printed, parsed back and
/// printed again it gives the same text, and the parsed graph has the same nodes in the same
/// order: the same ops with the same attributes (constants bit for bit, leaves by kind and
/// name), the same operands and the same shapes. The `# LINE:COL` comments are ignored, so text
/// printed with them parses to the same graph.
public enum IRRoundTrip {
    /// Every way the round trip fails for `graph`, or for the part of it `roots` reach when
    /// they are given (empty when it holds).
    public static func problems(_ graph: Graph, roots: [NodeID]? = nil) -> [String] {
        let text = IRPrinter.print(graph, roots: roots, locations: false)
        let live = roots.map { graph.reachable(from: $0) } ?? [Bool](repeating: true, count: graph.count)
        let kept = graph.ids.filter { live[$0.int] }
        var problems: [String] = []
        for (form, printed) in [("without comments", text), ("with comments", IRPrinter.print(graph, roots: roots))] {
            let parsed = IRParser.parse(printed)
            guard let reread = parsed.graph else {
                let messages = parsed.diagnostics.map { "\($0.range.map { "\($0.line):\($0.column)" } ?? "?"): \($0.message)" }
                problems.append("the text \(form) does not parse:\n" + messages.joined(separator: "\n") + "\n--- text\n" + printed)
                continue
            }
            let again = IRPrinter.print(reread, locations: false)
            if again != text {
                problems.append("printing the parsed text \(form) gives other text:\n" + Golden.firstDifference(text, again))
            }
            problems += differences(graph, kept: kept, reread).map { "parsed \(form): \($0)" }
        }
        return problems
    }

    /// How `parsed` differs from the nodes `kept` of `original`, position by position.
    public static func differences(_ original: Graph, kept: [NodeID], _ parsed: Graph) -> [String] {
        guard parsed.count == kept.count else { return ["\(kept.count) nodes printed, \(parsed.count) parsed"] }
        var position = [Int](repeating: -1, count: original.count)
        for (index, id) in kept.enumerated() { position[id.int] = index }
        var differences: [String] = []
        for (index, id) in kept.enumerated() {
            let a = original[id], b = parsed.nodes[index]
            let operands = a.operands.map { NodeID(position[$0.int]) }
            if a.op != b.op { differences.append("node \(index): " + describe(a.op, b.op)) }
            if operands != b.operands { differences.append("node \(index): operands \(operands) became \(b.operands)") }
            if a.shape != b.shape { differences.append("node \(index): shape \(a.shape) became \(b.shape)") }
        }
        return differences
    }

    /// What changed between two ops, briefly: a constant's first element whose bits differ.
    static func describe(_ a: Op, _ b: Op) -> String {
        if let x = a.constantValue, let y = b.constantValue, x.shape == y.shape {
            for (index, (u, v)) in zip(x.values, y.values).enumerated() where u.bitPattern != v.bitPattern {
                return "constant element \(index) \(u) (bits \(String(u.bitPattern, radix: 16))) became \(v) (bits \(String(v.bitPattern, radix: 16)))"
            }
        }
        func short(_ op: Op) -> String {
            if let value = op.constantValue { return "constant of shape \(value.shape)" }
            return "\(op)"
        }
        return "op \(short(a)) became \(short(b))"
    }
}
