/// The normal form reverse mode builds in: sums, differences, negations and scalings as linear
/// combinations Σ cᵢ·tᵢ + c₀ with their terms in graph order and like terms merged.
///
/// Adjoints are sums of contributions, and the backward pass of a backward pass (a `grad` of a
/// `grad`) sums the same terms again in other orders and with other signs. Structural sharing
/// alone cannot see that `dy·b + dy·a - dy·b` and `dy·a` are one value, so each derivative of a
/// derivative was a new graph, larger by a constant factor: nested `grad` grew exponentially.
/// Written as a linear combination, the same value is the same node, and the twentieth
/// derivative of sin(x)·eˣ is a few hundred nodes.
///
/// The identities used, each exact in real arithmetic:
///     a + b = lc(a) + lc(b)        a − b = lc(a) − lc(b)        −a = −lc(a)
///     c·a = a·c = c·lc(a)          (c a uniform constant; a sum scaled by c ≠ ±1 stays
///                                   one product)
///     (c₁·t₁)·(c₂·t₂) = (c₁c₂)·(t₁·t₂)    (while 2⁻⁵³ ≤ |c₁c₂| ≤ 2⁵³)
///     c₁·t + c₂·t = (c₁ + c₂)·t    1·t = t    (terms in graph order)
/// so `x·1` is `x` and `−(−x)` is `x`. Reordering a sum and merging coefficients may change
/// the last bits (SPEC.md 4, like a `lastBits` rule); a coefficient that cancels to 0 keeps its
/// term as `t·0`, so an infinite or NaN term still makes the sum NaN, as it did (a finite
/// negative one gives −0 where the sum gave +0).
///
/// Only values of one shape combine (a constant term may be a scalar), and a combination of
/// more than `maximumTerms` terms is a term itself, so every step costs O(1) and allocates
/// nothing: no combination built holds more than two of those merged, held inline
/// (`GraphBuilder+LinearTerms.swift`).
extension GraphBuilder {
    /// Σ coefficient·term + constant, over terms of one shape, sorted by position.
    struct LinearCombination {
        var terms = LinearTerms()
        /// The constant part: nil when there is none (x + 0 is not x at x = −0).
        var constant: Double?

        static func term(_ id: NodeID) -> LinearCombination { LinearCombination(terms: LinearTerms(id, coefficient: 1)) }

        /// Whether this is `.term(id)`: `id` alone with coefficient +1 and no constant.
        func isTerm(_ id: NodeID) -> Bool {
            constant == nil && terms.count == 1 && terms[0].term == id && terms[0].coefficient.bitPattern == (1.0).bitPattern
        }

        /// c·a for the node a this combination is: distributed over a single term or a sign
        /// change; a sum scaled by another factor stays one term (`2*(p - y)`, not
        /// `2*p - 2*y`: one product, as written).
        func scaling(_ node: NodeID, by factor: Double) -> LinearCombination {
            if factor == 1 || factor == -1 || terms.isEmpty || (terms.count == 1 && constant == nil) { return scaled(by: factor) }
            return LinearCombination(terms: LinearTerms(node, coefficient: factor))
        }

        func scaled(by factor: Double) -> LinearCombination {
            var scaled = LinearTerms()
            for (term, c) in terms { scaled.append((term, c * factor)) }
            return LinearCombination(terms: scaled, constant: constant.map { $0 * factor })
        }

        /// The terms with a positive coefficient (sign plus, +0 included), without the constant.
        var positiveTerms: LinearCombination {
            var positive = LinearTerms()
            for element in terms where element.coefficient.sign == .plus { positive.append(element) }
            return LinearCombination(terms: positive)
        }

        func adding(_ other: LinearCombination) -> LinearCombination {
            var merged = LinearTerms()
            var i = 0, j = 0
            while i < terms.count || j < other.terms.count {
                if j == other.terms.count || (i < terms.count && terms[i].term < other.terms[j].term) {
                    merged.append(terms[i]); i += 1
                } else if i == terms.count || other.terms[j].term < terms[i].term {
                    merged.append(other.terms[j]); j += 1
                } else {
                    merged.append((terms[i].term, terms[i].coefficient + other.terms[j].coefficient)); i += 1; j += 1
                }
            }
            let sum: Double? = switch (constant, other.constant) {
            case (nil, nil): nil
            case (let a?, nil): a
            case (nil, let b?): b
            case (let a?, let b?): a + b
            }
            return LinearCombination(terms: merged, constant: sum)
        }
    }

    /// The combinations read or built so far, by node: an array by position with a generation
    /// stamp per node, so each `sharing` run starts empty without clearing the graph's length
    /// of entries, and a lookup hashes nothing.
    struct CombinationStore {
        private var entry: [Int32] = []
        private var stamp: [UInt32] = []
        private var generation: UInt32 = 1
        private var stored: [LinearCombination] = []
        /// The entry of a node that is its own combination (1·itself, no constant), as most
        /// nodes are: kept without a stored combination (120 bytes each, a page fault every 34
        /// nodes of a long graph).
        private static let itself: Int32 = -1

        /// Whether `id`'s combination is known: asked without copying the combination out.
        func contains(_ id: NodeID) -> Bool {
            id.int < stamp.count && stamp[id.int] == generation
        }

        subscript(id: NodeID) -> LinearCombination? {
            get {
                let index = id.int
                guard index < stamp.count, stamp[index] == generation else { return nil }
                let slot = entry[index]
                return slot == Self.itself ? .term(id) : stored[Int(slot)]
            }
            set {
                let index = id.int
                if index >= stamp.count {
                    guard newValue != nil else { return }
                    let count = Swift.max(index + 1, 2 * stamp.count)
                    stamp.append(contentsOf: repeatElement(0, count: count - stamp.count))
                    entry.append(contentsOf: repeatElement(0, count: count - entry.count))
                }
                guard let newValue else { stamp[index] = 0; return }
                if newValue.isTerm(id) {
                    stamp[index] = generation
                    entry[index] = Self.itself
                } else if stamp[index] == generation && entry[index] != Self.itself {
                    stored[Int(entry[index])] = newValue
                } else {
                    stamp[index] = generation
                    entry[index] = Int32(stored.count)
                    stored.append(newValue)
                }
            }
        }

        mutating func removeAll() {
            stored.removeAll(keepingCapacity: true)
            if generation == UInt32.max {
                generation = 1
                stamp = [UInt32](repeating: 0, count: stamp.count)
            } else {
                generation += 1
            }
        }

        /// Forgets the combinations of the nodes from `count` on.
        mutating func removeAll(from count: Int) {
            guard count < stamp.count else { return }
            for index in count..<stamp.count { stamp[index] = 0 }
        }
    }

    /// Most terms a combination keeps before it is treated as a term of its own.
    static let maximumTerms = 4

    /// Whether a factor pulled out of a product stays between 2⁻⁵³ and 2⁵³ (or is 0). Pulled
    /// out down a chain of products, factors multiply up (2·2·2·… for a chain of squares) apart
    /// from the values they scale, and could overflow where the interleaved product does not.
    static func isModest(_ factor: Double) -> Bool {
        let magnitude = Swift.abs(factor)
        return magnitude == 0 || (magnitude >= 0x1p-53 && magnitude <= 0x1p53)
    }

    /// The node for `op(operands)` in normal form, or nil when `op` is not one of the linear
    /// ops (or its operands do not combine) and the node is built as asked.
    mutating func linearForm(_ op: Op, _ operands: Operands, shape: Shape, range: SourceRange?) -> NodeID? {
        let combination: LinearCombination
        switch op {
        case .binary(.add), .binary(.sub):
            guard let a = combinationOf(operands[0], as: shape), let b = combinationOf(operands[1], as: shape) else { return nil }
            combination = a.adding(op == .add ? b : b.scaled(by: -1))
        case .unary(.neg):
            guard let a = combinationOf(operands[0], as: shape) else { return nil }
            combination = a.scaled(by: -1)
        case .binary(.mul):
            if let c = uniformConstant(operands[1], fitting: shape), let a = combinationOf(operands[0], as: shape) {
                combination = a.scaling(operands[0], by: c)
            } else if let c = uniformConstant(operands[0], fitting: shape), let b = combinationOf(operands[1], as: shape) {
                combination = b.scaling(operands[1], by: c)
            } else if let (t1, c1) = scaledTerm(operands[0]), let (t2, c2) = scaledTerm(operands[1]), c1 != 1 || c2 != 1,
                      Self.isModest(c1 * c2) {
                // t₁·t₂ itself is built as asked (the normal form is on while `linearForm` runs).
                combiningLinearTerms = false
                let product = add(.mul, [t1, t2], shape: shape, range: range)
                combiningLinearTerms = true
                combination = LinearCombination(terms: LinearTerms(product, coefficient: c1 * c2))
            } else {
                return nil
            }
        default:
            return nil
        }
        return materialize(combination, shape: shape, range: range)
    }

    /// A node's combination as a value of `shape` (a constant, or what its linear ops
    /// combine), or nil when its shape is another.
    mutating func combinationOf(_ id: NodeID, as shape: Shape) -> LinearCombination? {
        if let c = uniformConstant(id, fitting: shape) { return LinearCombination(constant: c) }
        guard graph.nodes[id.int].shape == shape else { return nil }
        return linearCombination(of: id)
    }

    /// c·t for a node whose combination is a single scaled term without a constant, else the
    /// node itself with coefficient 1.
    mutating func scaledTerm(_ id: NodeID) -> (NodeID, Double)? {
        let combination = linearCombination(of: id)
        guard combination.constant == nil, combination.terms.count == 1 else { return (id, 1) }
        return combination.terms[0]
    }

    /// The operands a linear node of its own shape combines: both of a sum or difference, the
    /// operand of a negation, the other operand of a scaling by a uniform constant;
    /// nil when the node is no such node (it is a term).
    func linearOperands(_ id: NodeID) -> Operands? {
        // The node's fields read in place: a copy of the whole node retains and releases each.
        let operands = graph.nodes[id.int].operands
        switch graph.nodes[id.int].op {
        case .binary(.add), .binary(.sub):
            let shape = graph.nodes[id.int].shape
            func fits(_ operand: NodeID) -> Bool {
                graph.nodes[operand.int].shape == shape || uniformConstant(operand, fitting: shape) != nil
            }
            return operands.allSatisfy(fits) ? operands : nil
        case .unary(.neg):
            return operands
        case .binary(.mul):
            let shape = graph.nodes[id.int].shape
            for k in 0..<2 {
                if uniformConstant(operands[k], fitting: shape) != nil, graph.nodes[operands[1 - k].int].shape == shape {
                    return [operands[1 - k]]
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// What a node combines, read from its structure (so nodes an earlier backward pass built
    /// combine again), capped at `maximumTerms`; iterative, as sums can be long.
    mutating func linearCombination(of root: NodeID) -> LinearCombination {
        if let known = combinations[root] { return known }
        // The builder's stack, empty between walks and kept for its capacity: a stack of its
        // own was an allocation and a free per combination read.
        combinationStack.append(root)
        while let id = combinationStack.last {
            if combinations.contains(id) { combinationStack.removeLast(); continue }
            guard let operands = linearOperands(id) else {
                combinations[id] = .term(id)
                combinationStack.removeLast()
                continue
            }
            let shape = graph.nodes[id.int].shape
            var pushed = false
            for operand in operands where !combinations.contains(operand) && uniformConstant(operand, fitting: shape) == nil {
                combinationStack.append(operand)
                pushed = true
            }
            if pushed { continue }
            combinationStack.removeLast()
            let nodeOperands = graph.nodes[id.int].operands
            func part(_ operand: NodeID) -> LinearCombination {
                if let c = uniformConstant(operand, fitting: shape) { return LinearCombination(constant: c) }
                return combinations[operand]!
            }
            var combination: LinearCombination
            switch graph.nodes[id.int].op {
            case .binary(.add): combination = part(nodeOperands[0]).adding(part(nodeOperands[1]))
            case .binary(.sub): combination = part(nodeOperands[0]).adding(part(nodeOperands[1]).scaled(by: -1))
            case .unary(.neg): combination = part(nodeOperands[0]).scaled(by: -1)
            default:
                // A scaling: `operands` is the other operand, so the constant is the one left.
                let constant = nodeOperands[0] == operands[0] ? nodeOperands[1] : nodeOperands[0]
                combination = part(operands[0]).scaling(operands[0], by: uniformConstant(constant, fitting: shape)!)
            }
            combinations[id] = combination.terms.count <= Self.maximumTerms ? combination : .term(id)
        }
        return combinations[root]!
    }

    /// The value of a constant node that is the same everywhere and broadcasts into `shape`
    /// without widening anything (a scalar, or one of that shape).
    func uniformConstant(_ id: NodeID, fitting shape: Shape) -> Double? {
        guard case .constant(let value) = graph.nodes[id.int].op, value.shape.isScalar || value.shape == shape else { return nil }
        return value.uniformValue
    }

    /// Builds a combination: positive terms in graph order, then the others subtracted, the
    /// constant last. A single term with coefficient 1 is that term.
    mutating func materialize(_ combination: LinearCombination, shape: Shape, range: SourceRange?) -> NodeID {
        let terms = combination.terms
        if combination.constant == nil, terms.count == 1, terms[0].coefficient == 1 { return terms[0].term }
        // The nodes are built as asked, with the normal form off until the sum is built. (Not
        // in a closure: its captures, the running sum and a helper, were boxed on the heap at
        // every call.) The terms are walked twice in place, positive then negative.
        let saved = combiningLinearTerms
        combiningLinearTerms = false
        defer { combiningLinearTerms = saved }
        var sum: NodeID?
        // The positive terms' partial sums: a prefix the last call built is taken as it was
        // (with hash-consing, building it again would find the same nodes), then recorded on.
        if !hashConsing || partialSums.shape != shape { partialSums.removeAll(shape: shape) }
        var step = 0, sharesPrefix = hashConsing
        for (term, c) in terms where c.sign == .plus {
            defer { step += 1 }
            if sharesPrefix, let known = partialSums.sum(at: step, term, c) {
                sum = known
                continue
            }
            sharesPrefix = false
            let part = scaledNode(term, by: c, shape: shape, range: range)
            sum = if let sum { add(.add, Operands(sum, part), shape: shape, range: range) } else { part }
            if hashConsing { partialSums.record(at: step, term, c, sum: sum!) }
        }
        if let c = combination.constant, c.sign == .plus {
            let part = constant(c, range: range)
            sum = if let sum { add(.add, Operands(sum, part), shape: shape, range: range) }
                  else { constant(Tensor(filling: shape, with: c), range: range) }
        }
        for (term, c) in terms where c.sign == .minus {
            let part = scaledNode(term, by: -c, shape: shape, range: range)
            sum = if let sum { add(.sub, Operands(sum, part), shape: shape, range: range) }
                  else { add(.neg, [part], shape: shape, range: range) }
        }
        if let c = combination.constant, c.sign == .minus {
            sum = if let sum { add(.sub, Operands(sum, constant(-c, range: range)), shape: shape, range: range) }
                  else { constant(Tensor(filling: shape, with: c), range: range) }
        }
        return sum ?? constant(Tensor(filling: shape, with: 0), range: range)
    }

    /// c·term, built as asked by `materialize` (term itself for c = 1).
    private mutating func scaledNode(_ term: NodeID, by c: Double, shape: Shape, range: SourceRange?) -> NodeID {
        c == 1 ? term : add(.mul, Operands(term, constant(c, range: range)), shape: shape, range: range)
    }

    /// Builds the start of `materialize(combination)`: the sum of its positive terms.
    mutating func materializePositiveTerms(of combination: LinearCombination, shape: Shape, range: SourceRange?) {
        let positive = combination.positiveTerms
        guard !positive.terms.isEmpty else { return }
        _ = materialize(positive, shape: shape, range: range)
    }

    /// What reading back the node `materialize(combination)` builds gives, building only what
    /// the reading stops at: within `maximumTerms` terms the combination itself, nothing built;
    /// past them the first partial sum holding more than `maximumTerms` terms, built (it is read
    /// as a term), with the terms added after it. Reverse mode adds an adjoint's next
    /// contribution to this instead of to the node, which it builds once the last has come.
    /// Nil when only the node tells: a term with coefficient ±1 that is a sum itself (the
    /// coefficient merged from like terms, `0.5·s + 0.5·s`) is read back as that sum's terms.
    mutating func readingBack(_ combination: LinearCombination, shape: Shape, range: SourceRange?) -> LinearCombination? {
        for (term, c) in combination.terms where c.magnitude == 1 && linearOperands(term) != nil {
            guard linearCombination(of: term).terms.first?.term == term else { return nil }
        }
        guard combination.terms.count > Self.maximumTerms else { return combination }
        // `materialize` adds the positive terms, then a positive constant, then subtracts the
        // negative terms, then a negative constant. The partial sum read back as a term holds
        // the first `stop` terms in that order; each part keeps graph order.
        let stop = Self.maximumTerms + 1
        let positiveCount = combination.terms.count { $0.coefficient.sign == .plus }
        var partialTerms = LinearTerms(), restTerms = LinearTerms()
        var positivesBefore = 0, negativesBefore = 0
        for element in combination.terms {
            let place: Int
            if element.coefficient.sign == .plus {
                place = positivesBefore
                positivesBefore += 1
            } else {
                place = positiveCount + negativesBefore
                negativesBefore += 1
            }
            if place < stop { partialTerms.append(element) } else { restTerms.append(element) }
        }
        let constantIsRead = positiveCount < stop && combination.constant.map { $0.sign == .plus } == true
        let partial = LinearCombination(terms: partialTerms, constant: constantIsRead ? combination.constant : nil)
        let rest = LinearCombination(terms: restTerms, constant: constantIsRead ? nil : combination.constant)
        return rest.adding(.term(materialize(partial, shape: shape, range: range)))
    }
}
