/// Sigmoids and softpluses of one value and of its negation inside a fused group, found so that
/// one `logistic` instruction computes them together: bce(sigmoid(z), y), stabilised, reads
/// sigmoid(z), softplus(z) and softplus(−z), which all start from e^−|z| — one exponential and one
/// logarithm an element instead of three and two. Each result keeps the bits of its own op
/// (`ElementwiseKernels.logistic`), so sharing changes speed only.
struct LogisticSharing {
    struct Family {
        /// x, whose sigmoid and softplus (and those of −x) the family computes.
        let base: NodeID
        var outputs: LogisticOutputs<NodeID>
    }

    /// The families of two or more members, keyed by the member at whose position the shared
    /// instruction runs (the first of them).
    private(set) var families: [NodeID: Family] = [:]
    /// Members with no instruction of their own: those a family computes, and negations read
    /// only by them (and not stored).
    private(set) var computedElsewhere: Set<NodeID> = []

    /// `sequence`: the group's members and reductions in order; `stored`: the members written to
    /// the arena.
    init(sequence: [NodeID], graph: Graph, stored: Set<NodeID>) {
        let members = Set(sequence)
        var found: [NodeID: (first: NodeID, outputs: LogisticOutputs<NodeID>, count: Int)] = [:]
        for id in sequence {
            guard case .unary(let op) = graph[id].op, op == .sigmoid || op == .softplus else { continue }
            var base = graph[id].operands[0]
            var negative = false
            // −x counts as x only when the negation is computed in this group, so x is at hand.
            if case .unary(.neg) = graph[base].op, members.contains(base) {
                base = graph[base].operands[0]
                negative = true
            }
            var family = found[base] ?? (id, LogisticOutputs(), 0)
            let path: WritableKeyPath<LogisticOutputs<NodeID>, NodeID?> =
                switch (op, negative) {
                case (.sigmoid, false): \.sigmoid
                case (.sigmoid, true): \.sigmoidOfNegative
                case (_, false): \.softplus
                case (_, true): \.softplusOfNegative
                }
            guard family.outputs[keyPath: path] == nil else { continue }
            family.outputs[keyPath: path] = id
            family.count += 1
            found[base] = family
        }
        for (base, family) in found where family.count >= 2 {
            families[family.first] = Family(base: base, outputs: family.outputs)
            for member in family.outputs.places { if let member { computedElsewhere.insert(member) } }
        }
        computedElsewhere.subtract(families.keys)
        // A negation whose every reader is computed by a family is not needed.
        var readers: [NodeID: [NodeID]] = [:]
        for id in sequence { for operand in graph[id].operands { readers[operand, default: []].append(id) } }
        let shared = computedElsewhere.union(families.keys)
        for id in sequence where !stored.contains(id) {
            guard case .unary(.neg) = graph[id].op, let reading = readers[id], reading.allSatisfy(shared.contains) else { continue }
            computedElsewhere.insert(id)
        }
    }
}
