/// Algebraic simplification (`simplify`): the rule tables of `Rules/`, by root op. Each node is
/// offered to the rules of its op in table order; the first that applies replaces it.
/// `Rules/*.swift` state each rule's algebra and exactness; SPEC.md section 9 lists them all.
///
/// The same rebuild folds constants (`fold-constants` is every op's first rule) and merges
/// duplicates (the hash-consing builder, reported as `merge-duplicate`): what `fold` and `cse`
/// do on their own, done in one walk over the graph instead of three. Nodes the roots do not
/// read are not rebuilt: the walk leaves out what `dce` would drop after it.
public enum AlgebraicSimplification {
    /// For graphs that are evaluated: the rules that keep values (`Exactness.keepsValues`).
    public static let pass = pass(admitting: Exactness.keepingValues)

    /// The pass with the rules of the `admitted` classes: the readable gradient `slope grad`
    /// prints admits `finiteOnly` rules (x*0 = 0) and, when it does not cancel, `cancelling`
    /// ones (sum-polynomial).
    public static func pass(admitting admitted: Set<Exactness>) -> Pass {
        Pass(name: "simplify") { graph, roots, report in
            Rewriter.rewrite(graph, keeping: roots, report: &report, reportMerges: true, admitted: admitted, rules: rulesFolding(for:))
        }
    }

    /// Constant folding first, then the rules of the op: a table joined once, not per node.
    static func rulesFolding(for op: Op) -> [Rule] {
        switch op {
        case .leaf, .constant: return []
        case .binary(let binary):
            switch binary {
            case .add: return Table.Folding.add
            case .sub: return Table.Folding.sub
            case .mul: return Table.Folding.mul
            case .div: return Table.Folding.div
            case .pow: return Table.Folding.pow
            case .mask, .equal: return Table.Folding.elementwise
            case .max, .min: return Table.Folding.extremum
            }
        case .unary(let unary):
            switch unary {
            case .neg: return Table.Folding.neg
            case .exp: return Table.Folding.exp
            case .log: return Table.Folding.log
            case .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step: return Table.Folding.unary
            }
        case .reduce(let reduction, _):
            switch reduction {
            case .sum, .mean: return Table.Folding.reductions
            case .max, .min: return Table.Folding.reductionExtremum
            case .logsumexp: return Table.Folding.logsumexp
            }
        case .sumTo: return Table.Folding.sumTo
        case .broadcast: return Table.Folding.broadcast
        case .reshape: return Table.Folding.reshape
        case .transpose: return Table.Folding.transpose
        case .matmul: return Table.Folding.matmul
        case .stack, .index, .cumsum, .integral: return ConstantFolding.rules
        }
    }

    /// The rules tried on a node with root op `op`.
    static func rules(for op: Op) -> [Rule] {
        switch op {
        case .binary(let binary):
            switch binary {
            case .add: return Table.add
            case .sub: return Table.sub
            case .mul: return Table.mul
            case .div: return Table.div
            case .pow: return Table.pow
            case .mask, .equal: return BroadcastRules.elementwise
            case .max, .min: return Table.extremum
            }
        case .unary(let unary):
            switch unary {
            case .neg: return Table.neg
            case .exp: return Table.exp
            case .log: return Table.log
            case .sqrt, .abs, .sin, .cos, .tanh, .sigmoid, .relu, .softplus, .sign, .step: return BroadcastRules.unary
            }
        case .reduce(let reduction, _):
            switch reduction {
            case .sum, .mean: return ReductionRules.all
            case .max, .min: return ReductionRules.extremum
            case .logsumexp: return ReductionRules.logsumexp
            }
        case .sumTo: return ReductionRules.sumTo
        case .broadcast: return BroadcastRules.broadcast
        case .reshape: return ReshapeRules.all
        case .transpose: return TransposeRules.all
        case .matmul: return MatmulRules.all
        case .constant, .leaf, .stack, .index, .cumsum: return []
        // An integral's body is rewritten by the same rules (`Rewriter+Integrals.swift`).
        case .integral: return []
        }
    }

    /// The tables joined once, not per node.
    enum Table {
        static let add = BroadcastRules.elementwise + AddRules.all
        static let sub = BroadcastRules.elementwise + SubRules.all
        static let mul = BroadcastRules.elementwise + MulRules.all
        static let div = BroadcastRules.elementwise + DivRules.all
        static let pow = BroadcastRules.elementwise + PowRules.all
        static let neg = BroadcastRules.unary + NegRules.all
        static let exp = BroadcastRules.unary + ExpRules.all
        static let log = BroadcastRules.unary + LogRules.all
        static let extremum = BroadcastRules.elementwise + ExtremumRules.all

        /// Every table with folding in front, joined once.
        enum Folding {
            static let add = ConstantFolding.rules + Table.add
            static let sub = ConstantFolding.rules + Table.sub
            static let mul = ConstantFolding.rules + Table.mul
            static let div = ConstantFolding.rules + Table.div
            static let pow = ConstantFolding.rules + Table.pow
            static let neg = ConstantFolding.rules + Table.neg
            static let exp = ConstantFolding.rules + Table.exp
            static let log = ConstantFolding.rules + Table.log
            static let elementwise = ConstantFolding.rules + BroadcastRules.elementwise
            static let extremum = ConstantFolding.rules + Table.extremum
            static let unary = ConstantFolding.rules + BroadcastRules.unary
            static let reductions = ConstantFolding.rules + ReductionRules.all
            static let reductionExtremum = ConstantFolding.rules + ReductionRules.extremum
            static let logsumexp = ConstantFolding.rules + ReductionRules.logsumexp
            static let sumTo = ConstantFolding.rules + ReductionRules.sumTo
            static let broadcast = ConstantFolding.rules + BroadcastRules.broadcast
            static let reshape = ConstantFolding.rules + ReshapeRules.all
            static let transpose = ConstantFolding.rules + TransposeRules.all
            static let matmul = ConstantFolding.rules + MatmulRules.all
        }
    }

    /// Every rule of the pass, for documentation and tests.
    static var allRules: [Rule] {
        BroadcastRules.elementwise + BroadcastRules.unary + BroadcastRules.broadcast + AddRules.all + SubRules.all
            + MulRules.all + DivRules.all + PowRules.all + NegRules.all + ExpRules.all + LogRules.all + ReductionRules.all
            + ExtremumRules.all + ReductionRules.sumTo + ReshapeRules.all + TransposeRules.all + MatmulRules.all
    }
}
