/// Rewriting an integral: its integrand's body is a graph of its own, rewritten by the same
/// pass (the same rules, recursively for nested integrals), then its invariant values are moved
/// out to the enclosing graph and its constant captures moved in (`Integrand.hoisting`), so
/// every pass optimizes the body as it does the rest of the program, and the body computes per
/// point only what depends on the variable.
extension Rewriter {
    mutating func integral(_ integrand: Integrand, _ operands: [NodeID], range: SourceRange?) -> NodeID {
        var report = PassReport()
        let inner = Rewriter.rewrite(integrand.body, report: &report, reportMerges: reportsMerges, admitted: admitted, rules: rules)
        firings += report.firings
        let body = inner.changed ? integrand.body.carryingInterface(to: inner.graph, through: inner.replacement) : integrand.body
        let rewritten = Integrand(body: body, variable: integrand.variable, captures: integrand.captures, name: integrand.name)
        let captures = Array(operands.dropFirst(2))
        let (hoisted, captured) = rewritten.hoisting(captures: captures, constants: captures.map { builder.graph[$0].op.constantValue }) {
            op, operands, _ in
            let id = emit(op, operands)
            return (id, builder.graph[id].op.constantValue)
        }
        let (pruned, kept) = hoisted.pruned()
        let finalCaptures = kept.map { captured[$0] }
        return builder.add(.integral(pruned), Array(operands.prefix(2)) + finalCaptures, shape: pruned.shape, range: range)
    }
}
