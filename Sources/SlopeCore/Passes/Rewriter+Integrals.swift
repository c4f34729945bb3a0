/// Rewriting an integral: its integrand's body is a graph of its own, rewritten by the same
/// pass (the same rules, recursively for nested integrals), then its invariant values are moved
/// out to the enclosing graph and its constant captures moved in (`Integrand.hoisting`), so
/// every pass optimizes the body as it does the rest of the program, and the body computes per
/// point only what depends on the variable.
extension Rewriter {
    mutating func integral(_ integrand: Integrand, _ operands: [NodeID], range: SourceRange?) -> NodeID {
        // Invariants out and constants in first, so the body's rewrite sees the constants.
        let captures = Array(operands.dropFirst(2))
        let (hoisted, captured) = integrand.hoisting(captures: captures, constants: captures.map { builder.graph[$0].op.constantValue }) {
            op, operands, _ in
            let id = emit(op, Operands(operands))
            return (id, builder.graph[id].op.constantValue)
        }
        var report = PassReport()
        let inner = Rewriter.rewrite(hoisted.body, report: &report, reportMerges: reportsMerges, admitted: admitted, rules: rules)
        firings += report.firings
        let body = inner.changed ? hoisted.body.carryingInterface(to: inner.graph, through: inner.replacement).withoutDeadNodes()
                                 : hoisted.body
        let rewritten = Integrand(body: body, variable: hoisted.variable, captures: hoisted.captures, name: hoisted.name)
        let (pruned, kept) = rewritten.pruned()
        return builder.add(.integral(pruned), Operands(Array(operands.prefix(2)) + kept.map { captured[$0] }), shape: pruned.shape, range: range)
    }
}
