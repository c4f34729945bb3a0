/// The graph-size budget: lowering makes at most `maximumNodes` nodes. Inlining doubles a
/// program at every level of `fn fk(x) = f{k-1}(f{k-1}(x))`, and each `grad` adds a backward
/// pass that a `grad` around it differentiates again, so a few lines can ask for more nodes than
/// any machine holds. The first call, `grad` or statement that takes the graph past the budget
/// stops lowering; the diagnostic points at the call in the statement being lowered (the
/// outermost call), with a note at the call where the limit was reached when that is another.
struct BudgetCrossing {
    /// The innermost call or `grad` being lowered when the graph grew past the budget.
    let range: SourceRange
    /// The function of that call, or nil for a `grad`.
    let function: String?
    /// True once the diagnostic is recorded.
    var reported = false
}

extension Lowering {
    var overBudget: Bool { builder.graph.count > maximumNodes }

    /// Records the first crossing, at the innermost call or `grad` lowered when it happened.
    mutating func noteCrossing(at range: SourceRange, function: String?) {
        if budgetCrossing == nil { budgetCrossing = BudgetCrossing(range: range, function: function) }
    }

    /// At the outermost call or `grad` (nothing is being inlined around it): the diagnostic.
    mutating func reportCrossing(at range: SourceRange, function: String?) {
        guard inlineStack.isEmpty, let crossing = budgetCrossing, !crossing.reported else { return }
        let inner = crossing.range.file === range.file && crossing.range.start == range.start && crossing.range.end == range.end
            ? nil : crossing
        diagnostics.append(SemanticMessages.graphTooLarge(function, limit: maximumNodes, at: range,
                                                          reachedIn: inner.map { ($0.function, $0.range) }))
        budgetCrossing?.reported = true
    }

    /// After each statement: a statement without calls can cross the budget too.
    mutating func checkBudget(after statement: Statement) {
        if budgetCrossing == nil && overBudget { noteCrossing(at: statement.range, function: nil) }
        guard let crossing = budgetCrossing, !crossing.reported else { return }
        diagnostics.append(SemanticMessages.graphTooLarge(statementOf: maximumNodes, at: statement.range))
        budgetCrossing?.reported = true
    }
}
