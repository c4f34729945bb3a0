/// A rewrite rule: a kebab-case name, the algebra it performs, its exactness, and a function
/// that returns the replacement node or nil when the rule does not apply.
///
/// Rules live in tables grouped by the root op (`Rules/MulRules.swift`, …). A rule may build nodes
/// only once it has decided to fire, and must return a node of exactly the matched shape.
struct Rule: Sendable {
    let name: String
    let exactness: Exactness
    let apply: @Sendable (inout Rewriter, Match) -> NodeID?

    init(_ name: String, _ exactness: Exactness, _ apply: @escaping @Sendable (inout Rewriter, Match) -> NodeID?) {
        self.name = name
        self.exactness = exactness
        self.apply = apply
    }
}

/// The node a rule is offered: its op, its operands (already rewritten, commutative ones in
/// canonical order, constants last) and its shape.
struct Match {
    let op: Op
    let operands: Operands
    let shape: Shape

    var x: NodeID { operands[0] }
    var lhs: NodeID { operands[0] }
    var rhs: NodeID { operands[1] }
}
