/// Appending a backward pass to a graph: the one way every caller sets up reverse mode
/// (`grad(...)` in lowering, `slope grad`, `check` and `dot --grad`, the training step and
/// Newton's Hessian).
extension Graph {
    /// Appends the gradient of the scalar `target` with respect to each of `wrt` (reverse mode,
    /// SPEC.md section 4), sharing every node it can with the graph (hash-consed), and returns
    /// the gradients in order. With `asOutputs` each gradient also becomes an output named
    /// `d_` and the name of what it differentiates by. Backward nodes belong to the inlined
    /// call of the forward node they come from; the rest (the seed `1`, zeros for names the
    /// target ignores) to `frame`.
    ///
    /// Sums of contributions are built as linear combinations in a normal form
    /// (`GraphBuilder+LinearCombinations.swift`), so a gradient of a gradient shares what it
    /// computes again; `combiningLinearTerms: false` builds every rule's nodes as written
    /// (`dL/dd = 1·f`), as `slope dot --grad` draws them.
    @discardableResult
    public mutating func appendGradients(of target: NodeID, wrt: [NodeID], asOutputs: Bool = true,
                                         frame: Int32? = nil, combiningLinearTerms: Bool = true) -> [NodeID] {
        appendGradients(of: target, wrt: wrt, asOutputs: asOutputs, frame: frame, combiningLinearTerms: combiningLinearTerms,
                        maximumNodes: Int.max)!
    }

    /// `appendGradients`, or nil, leaving the graph as it was, when the graph would hold more
    /// than `maximumNodes` nodes (lowering's budget, `Lowering.maximumNodes`).
    public mutating func appendGradients(of target: NodeID, wrt: [NodeID], asOutputs: Bool = true,
                                         frame: Int32? = nil, combiningLinearTerms: Bool = true,
                                         maximumNodes: Int) -> [NodeID]? {
        var builder = GraphBuilder(self, hashConsing: true)
        builder.combiningLinearTerms = combiningLinearTerms
        builder.currentFrame = frame
        guard let gradients = ReverseMode.gradients(of: target, wrt: wrt, in: &builder, maximumNodes: maximumNodes) else {
            return nil
        }
        self = builder.finish()
        if asOutputs {
            for (x, gradient) in zip(wrt, gradients) { addOutput("d_" + (nodes[x.int].name ?? "t\(x.index)"), gradient) }
        }
        return gradients
    }

    /// For pictures: appends the gradients as `appendGradients` does (not as outputs), with the
    /// seed, the adjoint `1` of the target, as a node of its own (`ReverseMode.backwardPass`),
    /// and returns both; the seed is nil when the target depends on none of `wrt`.
    public mutating func appendGradientsWithDistinctSeed(of target: NodeID, wrt: [NodeID], frame: Int32? = nil,
                                                         combiningLinearTerms: Bool = true) -> (gradients: [NodeID], seed: NodeID?) {
        var builder = GraphBuilder(self, hashConsing: true)
        builder.combiningLinearTerms = combiningLinearTerms
        builder.currentFrame = frame
        let pass = ReverseMode.backwardPass(of: target, wrt: wrt, in: &builder, distinctSeed: true)!
        self = builder.finish()
        return pass
    }

    /// The graph with the gradients appended as outputs (see `appendGradients`).
    public func appendingGradients(of target: NodeID, wrt: [NodeID]) -> (graph: Graph, gradients: [NodeID]) {
        var graph = self
        let gradients = graph.appendGradients(of: target, wrt: wrt)
        return (graph, gradients)
    }
}
