/// Polynomials in scalar variables with tensor coefficients: the algebra behind
/// `slope grad --expand` and the `sum-polynomial` rule.
///
/// A polynomial is a map from monomials (products of variables with positive integer
/// exponents) to coefficients. Coefficients are tensors so that a vector expression such as
/// `(m*x + b - y)^2` with constant vectors x and y is a polynomial in the scalars m and b whose
/// coefficients are vectors; summing it sums the coefficients, which is how the gradient of
/// the sum of squares becomes `28*m + 12*b - 42`.
public struct Polynomial: Sendable {
    /// Variables (node ids) with exponents, sorted by variable: x²y is [(x, 2), (y, 1)].
    public struct Monomial: Hashable, Sendable {
        public var factors: [Factor]
        public struct Factor: Hashable, Sendable {
            public let variable: NodeID
            public let exponent: Int
        }
        public var degree: Int { factors.reduce(0) { $0 + $1.exponent } }

        static let one = Monomial(factors: [])

        func times(_ other: Monomial) -> Monomial {
            var exponents: [NodeID: Int] = [:]
            for factor in factors + other.factors { exponents[factor.variable, default: 0] += factor.exponent }
            return Monomial(factors: exponents.keys.sorted().map { Factor(variable: $0, exponent: exponents[$0]!) })
        }

        /// Higher degree first, then by variables in graph order.
        static func precedes(_ a: Monomial, _ b: Monomial) -> Bool {
            if a.degree != b.degree { return a.degree > b.degree }
            for (x, y) in zip(a.factors, b.factors) where x != y {
                return x.variable != y.variable ? x.variable < y.variable : x.exponent > y.exponent
            }
            return a.factors.count < b.factors.count
        }
    }

    /// Bounds that keep expansion from blowing up: `(a + b)^20` is not worth expanding.
    public struct Limits: Sendable {
        public var maximumTerms: Int
        public var maximumDegree: Int
        public init(maximumTerms: Int = 64, maximumDegree: Int = 16) {
            self.maximumTerms = maximumTerms
            self.maximumDegree = maximumDegree
        }
    }

    public internal(set) var terms: [Monomial: Tensor]
    /// The shape of the value the polynomial computes (every coefficient broadcasts to it).
    public internal(set) var shape: Shape

    init(constant: Tensor) {
        terms = [.one: constant]
        shape = constant.shape
    }

    init(variable: NodeID) {
        terms = [Monomial(factors: [.init(variable: variable, exponent: 1)]): Tensor(1)]
        shape = .scalar
    }

    /// The terms in printing order, constant last.
    public var sortedTerms: [(monomial: Monomial, coefficient: Tensor)] {
        terms.keys.sorted(by: Monomial.precedes).map { ($0, terms[$0]!) }
    }

    public var degree: Int { terms.keys.map(\.degree).max() ?? 0 }

    // MARK: Arithmetic (nil when a limit is exceeded or shapes do not broadcast)

    static func combine(_ a: Polynomial, _ b: Polynomial, _ op: Op, limits: Limits) -> Polynomial? {
        guard let shape = Shape.broadcast(a.shape, b.shape) else { return nil }
        var result = a
        result.shape = shape
        for (monomial, coefficient) in b.terms {
            if let existing = result.terms[monomial] {
                guard let sum = ConstantFolding.evaluate(op, [existing, coefficient]) else { return nil }
                result.terms[monomial] = sum
            } else {
                guard let value = op == .sub ? ConstantFolding.evaluate(.neg, [coefficient]) : coefficient else { return nil }
                result.terms[monomial] = value
            }
        }
        return result.terms.count <= limits.maximumTerms ? result : nil
    }

    static func multiply(_ a: Polynomial, _ b: Polynomial, limits: Limits) -> Polynomial? {
        guard let shape = Shape.broadcast(a.shape, b.shape) else { return nil }
        var terms: [Monomial: Tensor] = [:]
        for (x, cx) in a.terms {
            for (y, cy) in b.terms {
                let monomial = x.times(y)
                guard monomial.degree <= limits.maximumDegree, let product = ConstantFolding.evaluate(.mul, [cx, cy]) else { return nil }
                if let existing = terms[monomial] {
                    guard let sum = ConstantFolding.evaluate(.add, [existing, product]) else { return nil }
                    terms[monomial] = sum
                } else {
                    terms[monomial] = product
                }
                guard terms.count <= limits.maximumTerms else { return nil }
            }
        }
        var result = Polynomial(constant: Tensor(0))
        result.terms = terms
        result.shape = shape
        return result
    }

    /// Every coefficient mapped through a unary op on tensors (negation, division by a constant).
    func mapCoefficients(shape newShape: Shape? = nil, _ transform: (Tensor) -> Tensor?) -> Polynomial? {
        var result = self
        if let newShape { result.shape = newShape }
        for (monomial, coefficient) in terms {
            guard let value = transform(coefficient) else { return nil }
            result.terms[monomial] = value
        }
        return result
    }

    /// The polynomial whose coefficients are the sums (or means) of this one's coefficients
    /// over every element of `shape`: sum(p) as a scalar polynomial.
    func reduced(mean: Bool) -> Polynomial {
        var result = self
        result.shape = .scalar
        let count = shape.count
        for (monomial, coefficient) in terms {
            var total = 0.0
            if let value = coefficient.scalarValue {
                total = value * Double(count)
            } else {
                let repeats = count / max(coefficient.shape.count, 1)
                for value in coefficient.values { total += value }
                total *= Double(repeats)
            }
            result.terms[monomial] = Tensor(mean ? total / Double(max(count, 1)) : total)
        }
        return result
    }
}

extension Polynomial {
    /// How variables are recognised while reading a polynomial from a graph.
    enum Variables {
        /// Only scalar params and inputs; anything else that is not polynomial arithmetic fails.
        case leaves
        /// Any scalar node that is not polynomial arithmetic (`sigmoid(w)` is a variable).
        case scalarNodes
    }

    /// Reads the polynomial computed by `root`: constants, variables, +, -, *, unary minus,
    /// integer powers, division by a constant and broadcasts. Returns it with the number of
    /// arithmetic nodes read, or nil when `root` is not such a polynomial. Iterative.
    static func read(_ root: NodeID, in graph: Graph, variables: Variables, limits: Limits) -> (Polynomial, operations: Int)? {
        var memo: [NodeID: Polynomial] = [:]
        var stack: [NodeID] = [root]
        var operations = 0
        while let id = stack.last {
            if memo[id] != nil { stack.removeLast(); continue }
            let node = graph[id]
            if let value = node.op.constantValue {
                memo[id] = Polynomial(constant: value)
                stack.removeLast()
                continue
            }
            guard isArithmetic(node, in: graph) else {
                let isLeaf = node.op.isLeaf
                guard node.shape.isScalar, variables == .scalarNodes || isLeaf else { return nil }
                memo[id] = Polynomial(variable: id)
                stack.removeLast()
                continue
            }
            let pending = node.operands.filter { memo[$0] == nil }
            if !pending.isEmpty { stack.append(contentsOf: pending); continue }
            stack.removeLast()
            operations += 1
            let operands = node.operands.compactMap { memo[$0] }
            var result: Polynomial?
            switch node.op {
            case .binary(.add), .binary(.sub): result = combine(operands[0], operands[1], node.op, limits: limits)
            case .binary(.mul): result = multiply(operands[0], operands[1], limits: limits)
            case .unary(.neg): result = operands[0].mapCoefficients { ConstantFolding.evaluate(.neg, [$0]) }
            case .binary(.div):
                guard let divisor = graph[node.operands[1]].op.constantValue else { return nil }
                result = operands[0].mapCoefficients(shape: node.shape) { ConstantFolding.evaluate(.div, [$0, divisor]) }
            case .binary(.pow):
                guard let exponent = graph[node.operands[1]].op.constantValue?.uniformValue else { return nil }
                result = power(operands[0], Int(exponent), limits: limits)
                result?.shape = node.shape
            case .broadcast(let shape):
                result = operands[0]
                result?.shape = shape
            default:
                return nil
            }
            guard let result else { return nil }
            memo[id] = result
        }
        guard let polynomial = memo[root] else { return nil }
        return (polynomial, operations)
    }

    static func isArithmetic(_ node: Node, in graph: Graph) -> Bool {
        switch node.op {
        case .binary(.add), .binary(.sub), .binary(.mul), .unary(.neg), .broadcast: return true
        case .binary(.div): return graph[node.operands[1]].op.constantValue != nil
        case .binary(.pow):
            guard let n = graph[node.operands[1]].op.constantValue?.uniformValue else { return false }
            return n >= 0 && n <= 16 && n == n.rounded()
        default: return false
        }
    }

    static func power(_ base: Polynomial, _ n: Int, limits: Limits) -> Polynomial? {
        var result = Polynomial(constant: Tensor(1))
        result.shape = base.shape
        for _ in 0..<n {
            guard let next = multiply(result, base, limits: limits) else { return nil }
            result = next
        }
        return result
    }
}
