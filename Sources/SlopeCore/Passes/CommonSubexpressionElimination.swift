/// Common-subexpression elimination (`cse`): nodes with the same op on the same operands become
/// one node. The graph is rebuilt through a hash-consing builder, which orders the operands of
/// commutative ops canonically (constants last, then by position), so `a*b` and `b*a` merge too.
/// Constants merge by value (bit pattern), leaves never merge. Each merge is reported as
/// `merge-duplicate` at the line of the node that disappeared.
public enum CommonSubexpressionElimination {
    public static let pass = Pass(name: "cse") { graph, _, report in
        Rewriter.rewrite(graph, report: &report, reportMerges: true) { _ in [] }
    }
}
