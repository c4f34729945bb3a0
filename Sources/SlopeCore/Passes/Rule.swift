/// A rewrite rule: a kebab-case name, the algebra it performs, its exactness, what its node's
/// operands must include for it to apply, and a function that returns the replacement node or
/// nil when the rule does not apply.
///
/// Rules live in tables grouped by the root op (`Rules/MulRules.swift`, …). A rule may build nodes
/// only once it has decided to fire, and must return a node of exactly the matched shape.
struct Rule: Sendable {
    let name: String
    let exactness: Exactness
    /// The rule applies only to a node with an operand of one of these kinds (`x + 0` needs a
    /// constant operand, `a + (-b)` a negation): the rewriter offers a node only to the rules
    /// whose kinds its operands include, so that the common node that no rule matches costs a
    /// few bit tests instead of a call per rule. `.always` for a rule that reads more than its
    /// operands' ops. A debug build offers the node to the other rules too and stops when one
    /// applies: a wrong kind is found by every test that rewrites a graph.
    let needs: OperandKinds
    let apply: @Sendable (inout Rewriter, Match) -> NodeID?

    init(_ name: String, _ exactness: Exactness, needs: OperandKinds = .always,
         _ apply: @escaping @Sendable (inout Rewriter, Match) -> NodeID?) {
        self.name = name
        self.exactness = exactness
        self.needs = needs
        self.apply = apply
    }
}

/// What a node's operands are, as the rules test them: a bit for each op a rule looks for
/// among a node's operands, and one for an operand read twice (`x + x`). `.always` is in every
/// node's kinds, so a rule that needs it is offered every node.
struct OperandKinds: OptionSet, Sendable {
    let rawValue: UInt32

    static let always = OperandKinds(rawValue: 1 << 0)
    static let repeated = OperandKinds(rawValue: 1 << 1)
    static let constant = OperandKinds(rawValue: 1 << 2)
    static let neg = OperandKinds(rawValue: 1 << 3)
    static let add = OperandKinds(rawValue: 1 << 4)
    static let sub = OperandKinds(rawValue: 1 << 5)
    static let mul = OperandKinds(rawValue: 1 << 6)
    static let div = OperandKinds(rawValue: 1 << 7)
    static let exp = OperandKinds(rawValue: 1 << 8)
    static let log = OperandKinds(rawValue: 1 << 9)
    static let sigmoid = OperandKinds(rawValue: 1 << 10)
    static let broadcast = OperandKinds(rawValue: 1 << 11)
    static let reduce = OperandKinds(rawValue: 1 << 12)

    /// The kind of an operand computed by `op` (empty for an op no rule looks for).
    static func of(_ op: Op) -> OperandKinds {
        switch op {
        case .constant: return .constant
        case .unary(let unary):
            switch unary {
            case .neg: return .neg
            case .exp: return .exp
            case .log: return .log
            case .sigmoid: return .sigmoid
            case .sqrt, .abs, .sin, .cos, .tanh, .relu, .softplus, .sign, .step: return []
            }
        case .binary(let binary):
            switch binary {
            case .add: return .add
            case .sub: return .sub
            case .mul: return .mul
            case .div: return .div
            case .pow, .mask, .equal, .max, .min: return []
            }
        case .broadcast: return .broadcast
        case .reduce: return .reduce
        case .leaf, .matmul, .transpose, .reshape, .sumTo, .stack, .index, .cumsum, .integral: return []
        }
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
