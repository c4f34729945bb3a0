/// Writing a scalar polynomial back as nodes, and `slope grad --expand`.
///
/// A polynomial is emitted as its terms in order (higher degree first, then the variables in
/// declaration order, higher powers first: `x^3*y^2`, `x^3*y`, `x^2*y^2`, …, the constant
/// last): each term is `monomial * coefficient` (the coefficient dropped when it is 1),
/// monomials are products of `x^k`, and a negative coefficient after the first term becomes a
/// subtraction, so the expression printer shows `28*m + 12*b - 42`. For `--expand` the
/// coefficient comes first and the factors follow from the left, `((c*x^2)*y^3)`, so that the
/// printed `c*x^2*y^3` is that graph exactly, and the nodes are built as written (no canonical
/// reordering of operands, no sharing with the graph's nodes), so every partial reads in the
/// same order.
extension Polynomial {
    /// Rewrites the scalar polynomial computed by `root` as a sum of monomials with like terms
    /// collected. Returns the graph with the new nodes appended (every existing node keeps its
    /// id, so leaves still bind) and the node of the expanded value; nil when `root` is not a
    /// polynomial in scalar params and inputs or exceeds `limits`.
    public static func expand(_ graph: Graph, root: NodeID, limits: Limits = Limits()) -> (graph: Graph, root: NodeID)? {
        guard graph[root].shape.isScalar,
              let (polynomial, _) = read(root, in: graph, variables: .leaves, limits: limits),
              polynomial.shape.isScalar, polynomial.terms.values.allSatisfy(\.isScalar) else { return nil }
        var maker = BuilderNodeMaker(builder: GraphBuilder(graph), range: graph[root].range)
        let expanded = polynomial.emit(into: &maker, coefficientFirst: true)
        return (maker.builder.graph, expanded)
    }

    /// The number of arithmetic nodes `emit` builds at most (constants not counted).
    var emissionCost: Int {
        var cost = 0
        var count = 0
        for (monomial, coefficient) in terms where coefficient.values.contains(where: { $0 != 0 }) {
            count += 1
            cost += monomial.factors.count - 1 + monomial.factors.filter { $0.exponent > 1 }.count
            if !monomial.factors.isEmpty && coefficient.uniformValue.map({ Swift.abs($0) }) != 1 { cost += 1 }
        }
        return cost + max(count - 1, 0)
    }

    /// Builds the scalar polynomial (scalar coefficients) with `maker`; with `coefficientFirst`
    /// each term is (c·x^a)·y^b… rather than (x^a·y^b…)·c.
    func emit<Maker: NodeMaking>(into maker: inout Maker, coefficientFirst: Bool = false) -> NodeID {
        var total: NodeID?
        for (monomial, coefficient) in sortedTerms {
            let c = coefficient.values.first ?? 0
            guard c != 0 || terms.count == 1 else { continue }
            let magnitude = total == nil ? c : Swift.abs(c)
            let scaledFirst = coefficientFirst && Swift.abs(magnitude) != 1 && !monomial.factors.isEmpty
            var product: NodeID? = scaledFirst ? maker.constant(magnitude) : nil
            for factor in monomial.factors {
                var power = factor.variable
                if factor.exponent > 1 {
                    power = maker.make(.pow, [factor.variable, maker.constant(Double(factor.exponent))])
                }
                product = product.map { maker.make(.mul, [$0, power]) } ?? power
            }
            let term: NodeID
            if let product {
                term = magnitude == 1 || scaledFirst ? product
                    : magnitude == -1 ? maker.make(.neg, [product]) : maker.make(.mul, [product, maker.constant(magnitude)])
            } else {
                term = maker.constant(magnitude)
            }
            if let sum = total {
                total = maker.make(c < 0 ? .sub : .add, [sum, term])
            } else {
                total = term
            }
        }
        return total ?? maker.constant(0)
    }
}

/// Where emitted nodes go: a `GraphBuilder` (for `expand`) or a `Rewriter` (inside a rule).
protocol NodeMaking {
    mutating func make(_ op: Op, _ operands: Operands) -> NodeID
    mutating func constant(_ value: Double) -> NodeID
}

struct BuilderNodeMaker: NodeMaking {
    var builder: GraphBuilder
    let range: SourceRange?
    mutating func make(_ op: Op, _ operands: Operands) -> NodeID { builder.add(op, operands, range: range) }
    mutating func constant(_ value: Double) -> NodeID { builder.constant(value, range: range) }
}

extension Rewriter: NodeMaking {
    mutating func make(_ op: Op, _ operands: Operands) -> NodeID { emit(op, operands) }
    mutating func constant(_ value: Double) -> NodeID { constant(value, shape: .scalar) }
}
