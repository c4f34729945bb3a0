/// Making integrands and using their bodies in another graph: what lowering, the derivative
/// rules (Leibniz's rule inlines the body at the bounds and differentiates it for the captures)
/// and the optimizer share.
extension Integrand {
    /// A capture of an integrand under construction: its shape and a name hint (the outer
    /// value's name, when it has one).
    public struct CaptureLeaf: Sendable {
        public let shape: Shape
        public let hint: String?
        public init(shape: Shape, hint: String?) {
            self.shape = shape
            self.hint = hint
        }
    }

    /// Builds an integrand: a body whose leaves are the scalar variable and one input per
    /// capture (named after their hints, made unique), followed by what `build` adds; `build`
    /// returns the result. The body is built hash-consed (as autodiff and the passes build),
    /// and left with only what the result needs besides the leaves.
    public static func build(name: String, variable: String, captures: [CaptureLeaf],
                             _ build: (inout GraphBuilder, _ variable: NodeID, _ captures: [NodeID]) -> NodeID) -> Integrand {
        let names = leafNames(variable: variable, hints: captures.map(\.hint))
        var builder = GraphBuilder(hashConsing: true)
        let t = builder.add(.leaf(.input, variable), [], shape: .scalar, range: nil, name: variable)
        let leaves = zip(captures, names).map { capture, name in
            builder.add(.leaf(.input, name), [], shape: capture.shape, range: nil, name: name)
        }
        let result = build(&builder, t, leaves)
        var body = builder.finish()
        body.outputs = [Output(name: name, node: result)]
        return Integrand(body: body.withoutDeadNodes(), variable: variable, captures: names, name: name)
    }

    /// Leaf names for the body: the variable's, then each capture's hint when it is free (else
    /// `c1`, `c2`, …), all distinct.
    static func leafNames(variable: String, hints: [String?]) -> [String] {
        var used: Set<String> = [variable]
        var counter = 0
        return hints.map { hint in
            if let hint, !hint.isEmpty, used.insert(hint).inserted { return hint }
            while true {
                counter += 1
                if used.insert("c\(counter)").inserted { return "c\(counter)" }
            }
        }
    }

    /// Copies the body into `builder`'s graph with the variable bound to `point` and capture i
    /// to `operands[i]`, and returns the copy of the result: g(point), as ordinary IR.
    public func inline(at point: NodeID, captures operands: [NodeID], in builder: inout GraphBuilder) -> NodeID {
        var map = [NodeID?](repeating: nil, count: body.count)
        let bound = Dictionary(uniqueKeysWithValues: zip(captures, operands))
        for (index, node) in body.nodes.enumerated() {
            if case .leaf(_, let leafName) = node.op {
                guard let value = leafName == variable ? point : bound[leafName] else {
                    preconditionFailure("internal error: integrand leaf '\(leafName)' is neither the variable nor a capture")
                }
                map[index] = value
                continue
            }
            map[index] = builder.add(node.op, node.operands.remapped { map[$0.int]! }, shape: node.shape, range: node.range)
        }
        return map[result.int]!
    }

    /// The integrand without the captures its result does not read, and the positions (among
    /// the captures) of those it keeps, so the integral's operands can follow.
    public func pruned() -> (integrand: Integrand, kept: [Int]) {
        let live = body.reachable(from: [result])
        let kept = captures.indices.filter { position in captureNodes[position].map { live[$0.int] } ?? false }
        guard kept.count < captures.count else { return (self, kept) }
        let keptNames = Set(kept.map { captures[$0] })
        var removed = [Bool](repeating: false, count: body.count)
        for (index, node) in body.nodes.enumerated() {
            guard case .leaf(_, let leafName) = node.op else { removed[index] = !live[index]; continue }
            removed[index] = leafName != variable && !keptNames.contains(leafName)
        }
        let compacted = body.compacting(removing: removed).graph
        return (Integrand(body: compacted, variable: variable, captures: kept.map { captures[$0] }, name: name), kept)
    }
}

extension Graph {
    /// The graph without the nodes its outputs do not need, leaves kept.
    func withoutDeadNodes() -> Graph {
        var live = reachable(from: outputs.map(\.node))
        for (index, node) in nodes.enumerated() where node.op.leaf != nil { live[index] = true }
        guard live.contains(false) else { return self }
        return compacting(removing: live.map { !$0 }).graph
    }
}

extension GraphBuilder {
    /// ∫ₐᵇ integrand, reading `captures` (one per capture leaf, in order); captures the body
    /// does not read are dropped first.
    public mutating func integral(_ integrand: Integrand, from a: NodeID, to b: NodeID, captures: [NodeID],
                                  at range: SourceRange?) -> NodeID {
        let (pruned, kept) = integrand.pruned()
        return add(.integral(pruned), Operands([a, b] + kept.map { captures[$0] }), shape: pruned.shape, range: range)
    }
}
