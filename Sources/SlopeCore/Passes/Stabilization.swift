/// Numerical stabilization (`stabilize`): rewrites forms that overflow or lose everything to
/// rounding into equal forms that stay finite — log(sigmoid(z)) as -softplus(-z),
/// log(1 - sigmoid(z)) as -softplus(z), log(1 + exp(z)) as softplus(z) (`Rules/LogRules.swift`), and
/// in gradients built before those rewrites, the quotients by a saturated sigmoid that the
/// sigmoid's own derivative cancels (`Rules/MulRules.swift`). So log loss on a sigmoid at z = ±1000
/// has a finite loss and a finite gradient.
///
/// `warnings` finds the unstable forms the pass cannot rewrite, for `slope run` to report.
public enum Stabilization {
    public static let pass = Pass(name: "stabilize") { graph, _, report in
        // Every rule rewrites a form built on a sigmoid (log-sigmoid-to-softplus,
        // log-one-minus-sigmoid-to-softplus, sigmoid-adjoint-cancel) or an exp
        // (log-one-plus-exp-to-softplus): a graph with neither needs no rebuilding.
        // An integral's body may hold either; it is rewritten with the rest.
        // (Ops read in place by index: `contains(where:)` handed the test a copy of each node.)
        guard graph.nodes.indices.contains(where: { index in
            let op = graph.nodes[index].op
            return op == .sigmoid || op == .exp || op.integrand != nil
        }) else {
            return .unchanged(graph)
        }
        return Rewriter.rewrite(graph, report: &report, rules: rules(for:))
    }

    static func rules(for op: Op) -> [Rule] {
        switch op {
        case .unary(.log): return LogRules.stable
        case .binary(.mul): return MulRules.stable
        case .constant, .leaf, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack, .index, .cumsum,
             .integral:
            return []
        }
    }

    static var allRules: [Rule] { LogRules.stable + MulRules.stable }

    /// Warnings (`stabilize.unstable-pattern`) for numerically unstable forms left in `graph`,
    /// one per source location. Call it on the optimized graph, so forms the pipeline rewrote
    /// are not reported:
    /// - log(1 - x) with x not a sigmoid: -inf, with an infinite gradient, once x reaches 1;
    /// - log(sigmoid(z)) left unrewritten (when the pipeline was not run);
    /// - log(sum(exp(x))) and log(mean(exp(x))): exp overflows once x exceeds about 709.
    /// Only nodes the roots depend on are checked when roots are given.
    public static func warnings(_ graph: Graph, roots: [NodeID]? = nil) -> [Diagnostic] {
        // The logs first, in place: most graphs have none, and then neither the reachable
        // nodes nor an array of every id is built.
        let logs = graph.nodes.indices.filter { if case .unary(.log) = graph.nodes[$0].op { true } else { false } }
        guard !logs.isEmpty else { return [] }
        let live = roots.map { graph.reachable(from: $0) }
        var seen: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for id in logs.map(NodeID.init) where live?[id.int] ?? true {
            guard let diagnostic = warning(for: id, in: graph) else { continue }
            let key = diagnostic.range.map { "\($0.file.path):\($0.start):\($0.end)" } ?? "\(id)"
            if seen.insert(key).inserted { diagnostics.append(diagnostic) }
        }
        return diagnostics
    }

    static func warning(for log: NodeID, in graph: Graph) -> Diagnostic? {
        let argument = graph[graph[log].operands[0]]
        let range = graph.userRange(of: log)
        switch argument.op {
        case .binary(.sub):
            let minuend = graph[argument.operands[0]], x = argument.operands[1]
            guard minuend.op.constantValue?.uniformValue == 1, graph[x].op.constantValue == nil else { return nil }
            if graph[x].op == .sigmoid { return StabilizationMessages.unrewrittenSigmoid(at: range) }
            return StabilizationMessages.logOneMinus(describe(x, in: graph), at: range)
        case .unary(.sigmoid):
            return StabilizationMessages.unrewrittenSigmoid(at: range)
        case .reduce(.sum, _), .reduce(.mean, _):
            guard graph[argument.operands[0]].op == .exp else { return nil }
            return StabilizationMessages.logSumExp(at: range)
        default:
            return nil
        }
    }

    /// How a warning names a value: the user's name, else its source text.
    static func describe(_ id: NodeID, in graph: Graph) -> String {
        let node = graph[id]
        if let name = node.name { return name }
        if let leaf = node.op.leaf { return leaf.name }
        return graph.userRange(of: id)?.text ?? "x"
    }
}
