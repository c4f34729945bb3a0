/// The graph-size budget: lowering makes at most `maximumNodes` nodes. Inlining doubles a
/// program at every level of `fn fk(x) = f{k-1}(f{k-1}(x))`, and each `grad` (or `jvp`) adds a
/// derivative that a `grad` around it differentiates again, so a few lines can ask for more
/// nodes than any machine holds. The first call, derivative or statement that takes the graph
/// past the budget stops lowering; the diagnostic points at the call in the statement being
/// lowered (the outermost call), with a note where the limit was reached when that is another.
struct BudgetCrossing {
    /// What was being lowered: a call of a `fn`, a `grad` or `jvp`, or a statement.
    enum Site {
        case call(String)
        case derivative(String)
        case statement
    }

    /// The innermost call or derivative being lowered when the graph grew past the budget.
    let range: SourceRange
    let site: Site
    /// True once the diagnostic is recorded.
    var reported = false
}

extension Lowering {
    var overBudget: Bool { builder.graph.count > maximumNodes }

    /// Records the first crossing, at the innermost call or derivative lowered when it happened.
    mutating func noteCrossing(at range: SourceRange, _ site: BudgetCrossing.Site) {
        if budgetCrossing == nil { budgetCrossing = BudgetCrossing(range: range, site: site) }
    }

    /// After a call or derivative: when the graph is past the budget, the crossing is noted,
    /// and at the outermost one (nothing is being inlined around it) reported. True when
    /// lowering is to stop.
    mutating func stopsAtBudget(at range: SourceRange, _ site: BudgetCrossing.Site) -> Bool {
        if overBudget { noteCrossing(at: range, site) }
        guard let crossing = budgetCrossing else { return false }
        guard inlineStack.isEmpty, !crossing.reported else { return true }
        let same = crossing.range.isInSameFile(as: range) && crossing.range.start == range.start && crossing.range.end == range.end
        diagnostics.append(SemanticMessages.graphTooLarge(site, limit: maximumNodes, at: range,
                                                          reachedIn: same ? nil : (crossing.site, crossing.range)))
        budgetCrossing?.reported = true
        return true
    }

    /// After each statement: a statement without calls can cross the budget too.
    mutating func checkBudget(after statement: Statement) {
        if budgetCrossing == nil && overBudget { noteCrossing(at: statement.range, .statement) }
        guard let crossing = budgetCrossing, !crossing.reported else { return }
        let inner: (site: BudgetCrossing.Site, range: SourceRange)?
        if case .statement = crossing.site { inner = nil } else { inner = (crossing.site, crossing.range) }
        diagnostics.append(SemanticMessages.graphTooLarge(.statement, limit: maximumNodes, at: statement.range, reachedIn: inner))
        budgetCrossing?.reported = true
    }
}
