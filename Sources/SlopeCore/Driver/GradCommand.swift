/// `slope grad`: the generated gradient program as `.graph` source, or with `--json` the value
/// and gradient at the program's values.
public enum GradCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation, request: GradientRequest
        switch GradientRequest.compile(arguments, reportingTo: console, memory: execution.memory) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        if arguments.json {
            // Values come from the graph as evaluation optimizes it (no inputs held as constants,
            // only rules that keep values), never from the readable form printed below, and
            // --no-opt, which only changes what is shown, does not change them: they are the
            // values `slope run` gives the printed program (slope-fuzz seed 3 input 26082, where
            // the unoptimized 1 - sigmoid(1/p0) cancelled to 0 and gave NaN).
            let graph = Optimizer.optimize(request.differentiate(compilation.program.graph)).graph
            let value: Tensor, gradients: [Tensor]
            do { (value, gradients) = try evaluate(graph, execution: execution) } catch {
                console.err(DiagnosticRenderer.render(error))
                return .programError
            }
            let gradient = JSONValue.object(zip(request.wrt, gradients).map { ($0.name, JSONValue.tensor($1)) })
            console.out(JSONValue.object([("of", .string(request.targetName)),
                                          ("value", .tensor(value)),
                                          ("gradient", gradient)]).rendered() + "\n")
            return .success
        }
        // --no-opt shows reverse mode's output as it is, before the passes tidy it.
        let graph = arguments.noOpt ? request.differentiate(compilation.program.graph)
                                    : optimizedGradient(compilation.program, request, execution: execution)
        let (target, gradients) = GradientRequest.outputs(of: graph)
        var gradientGraph = (graph, gradients)
        if arguments.expand {
            gradientGraph = expanded(graph, gradients)
        }
        do {
            console.out(try source(compilation, request, gradientGraph.0, target, gradientGraph.1, expanded: arguments.expand))
        } catch {
            // The target's definition (`y = f16(x)`), not the node inside a function it is.
            let program = compilation.program
            let range = program.definitions.last { $0.name == request.targetName }?.range ?? program.graph[request.target].range
            switch error.reason {
            case .lineTooLong:
                console.err(DiagnosticRenderer.render([GradientMessages.expansionTooLong(error.name, limit: GraphSource.maximumLineLength,
                                                                                         at: range)]))
            case .integrand(let integrand):
                console.err(DiagnosticRenderer.render([GradientMessages.unwritableIntegrand(error.name, integrand: integrand, at: range)]))
            }
            return .programError
        }
        return .success
    }

    /// Inputs whose declaration writes a small value out (not drawn, not read from a file, not
    /// named in --wrt) held as constants: "the points held as constants" lets the passes fold
    /// them into the gradient.
    static let frozenInputLimit = 64

    /// Differentiates, then optimizes the forward and backward pass together for reading: the
    /// graph of `GradientRequest.differentiate`, with small literal inputs held as constants,
    /// through `Pipeline.readable` (every rule, so `x*0` is 0 and a sum over the data held as
    /// constants expands into one polynomial, `28*m + 12*b - 42`). `--json` values never come
    /// from it, but the printed program is run by people, so it must give those values at the
    /// program's own: when a rule that does not keep values fired, the readable gradient is
    /// evaluated beside the evaluated one, and where they disagree it is optimized again without
    /// the `cancelling` rules (an expansion that cancels: with x = 1e9, 1e9 + 1, 1e9 + 2 the
    /// coefficients need more digits than a float64 has), then with only the rules that keep
    /// values (a `finiteOnly` rule such as exp(log(x)) = x, whose last bits an `equal` or `step`
    /// downstream turns into a different answer, or which gives a number where IEEE gives NaN).
    ///
    /// Holding the inputs is worth it only where the data folds away: when the gradient held
    /// so writes more tensor literals than the one that names the inputs (a two-layer network's
    /// `X` would print as a matrix in place of `X`), the inputs keep their names.
    static func optimizedGradient(_ program: Program, _ request: GradientRequest, execution: ExecutionOptions) -> Graph {
        let wrtNames = Set(request.wrt.map(\.name))
        let allInputs = Set(program.leaves.filter { $0.kind == .input }.map(\.name)).union(wrtNames)
        let kept = Set(program.leaves.filter { leaf in
            leaf.kind == .input && (wrtNames.contains(leaf.name) || leaf.value.shape.count > frozenInputLimit
                                    || leaf.source != .literal)
        }.map(\.name)).union(wrtNames)
        let held = readableGradient(program, request, keeping: kept, execution: execution)
        guard kept != allInputs else { return held }
        let named = readableGradient(program, request, keeping: allInputs, execution: execution)
        return tensorLiteralElements(in: held) <= tensorLiteralElements(in: named) ? held : named
    }

    /// The elements of the constants of more than one element that the printed gradients use.
    static func tensorLiteralElements(in graph: Graph) -> Int {
        let live = graph.reachable(from: GradientRequest.outputs(of: graph).gradients)
        return graph.ids.reduce(0) { total, id in
            guard live[id.int], case .constant = graph[id].op, graph[id].shape.count > 1 else { return total }
            return total + graph[id].shape.count
        }
    }

    /// The readable gradient with the inputs not in `kept` held as constants.
    static func readableGradient(_ program: Program, _ request: GradientRequest, keeping kept: Set<String>,
                                 execution: ExecutionOptions) -> Graph {
        let differentiated = request.differentiate(program.freezingInputs(except: kept).graph)
        let readable = Optimizer.optimize(differentiated, pipeline: .readable)
        let valueChanging = Set(AlgebraicSimplification.allRules.filter { !$0.exactness.keepsValues }.map(\.name))
        guard readable.firings.contains(where: { valueChanging.contains($0.rule) }) else { return readable.graph }
        // (A program too large to evaluate within the memory budget keeps only the rules that
        // keep values.)
        let keepingValues = Optimizer.optimize(differentiated, pipeline: .readable(admitting: Exactness.keepingValues)).graph
        guard let evaluated = try? evaluate(Optimizer.optimize(request.differentiate(program.graph)).graph, execution: execution)
        else { return keepingValues }
        func reproduces(_ graph: Graph) -> Bool {
            guard let shown = try? evaluate(graph, execution: execution) else { return false }
            return agree(shown.gradients, evaluated.gradients) && agree([shown.value], [evaluated.value])
        }
        if reproduces(readable.graph) { return readable.graph }
        let cancelling = Set(AlgebraicSimplification.allRules.filter { $0.exactness == .cancelling }.map(\.name))
        if readable.firings.contains(where: { cancelling.contains($0.rule) }) {
            let withoutExpansion = Optimizer.optimize(differentiated, pipeline: .readable(admitting: Set(Exactness.allCases).subtracting([.cancelling]))).graph
            if reproduces(withoutExpansion) { return withoutExpansion }
        }
        return keepingValues
    }

    /// The target's value and its gradients, from a graph whose outputs are the target and then
    /// the gradients (`GradientRequest.outputs`), at the values of its leaf table; the diagnostic
    /// when that does not fit the memory budget, or an integral fails.
    static func evaluate(_ graph: Graph, execution: ExecutionOptions) throws(Diagnostic) -> (value: Tensor, gradients: [Tensor]) {
        let (target, gradients) = GradientRequest.outputs(of: graph)
        let outputs = [target] + gradients
        let plan = Planner.plan(graph, outputs: outputs)
        var held = MemoryBudget.bytes(ofLeaves: graph)
        try execution.memory.admit(plan, extra: MemoryBudget.bytes(count: outputs.reduce(0) { $0 + graph[$1].shape.count }),
                                   held: &held)
        let executor = Executor(plan: plan, leafValues: graph.leafValues, options: execution)
        try executor.runCheckingIntegrals()
        return (executor.value(target), gradients.map(executor.value))
    }

    /// Whether a printed gradient reproduces the evaluated one: every element within 1e-9 of
    /// the larger magnitude (so a gradient that is exactly 0 at an optimum must print as 0), or
    /// both NaN, or both the same infinity.
    static func agree(_ shown: [Tensor], _ evaluated: [Tensor]) -> Bool {
        zip(shown, evaluated).allSatisfy { a, b in
            zip(a.values, b.values).allSatisfy { x, y in
                if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
                if !x.isFinite || !y.isFinite { return x == y }
                return Swift.abs(x - y) <= 1e-9 * Swift.max(Swift.abs(x), Swift.abs(y))
            }
        }
    }

    /// `--expand`: scalar polynomial gradients as sums of monomials, like terms collected.
    static func expanded(_ graph: Graph, _ gradients: [NodeID]) -> (Graph, [NodeID]) {
        var current = graph
        var roots: [NodeID] = []
        for gradient in gradients {
            if let (expandedGraph, root) = Polynomial.expand(current, root: gradient) {
                current = expandedGraph
                roots.append(root)
            } else {
                roots.append(gradient)
            }
        }
        return (current, roots)
    }

    /// The gradient program: the declarations as written, the forward and backward nodes, and
    /// one print of `d_<name>` for every --wrt name.
    static func source(_ compilation: Compilation, _ request: GradientRequest, _ graph: Graph, _ target: NodeID,
                       _ gradients: [NodeID], expanded: Bool = false) throws(GraphSource.Unwritable) -> String {
        let program = compilation.program
        let declarations = program.leaves.map { declared -> GraphSource.Declaration in
            // A frozen input is a constant now; its declaration still opens the program.
            guard let leaf = graph.leaf(named: declared.name) else {
                return .init(name: declared.name, node: declared.node, text: declared.range.text)
            }
            guard leaf.isSet else { return .init(name: leaf.name, node: leaf.node, text: leaf.range.text) }
            let keyword = leaf.kind == .param ? "param" : "input"
            return .init(name: leaf.name, node: leaf.node, text: "\(keyword) \(leaf.name) = \(GraphSource.literal(leaf.value))")
        }
        let usesRandom = program.leaves.contains { $0.source == .random }
        let names = request.wrt.map(\.name).joined(separator: ", ")
        var header = [
            "Gradient of \(request.targetName) with respect to \(names),",
            "generated by slope grad from \(compilation.source.path).",
        ]
        if program.leaves.contains(where: { $0.source == .csv }) {
            header.append("Paths in csv(...) are relative to the folder of that file.")
        }
        if expanded { header.append("Polynomial gradients are expanded into monomials with like terms collected.") }
        return try GraphSource.write(graph, header: header, seed: usesRandom ? program.seed : nil, declarations: declarations,
                                 roots: [target] + gradients,
                                 printed: zip(graph.outputs.dropFirst(), gradients).map { ($0.name, $1) },
                                 shareSubexpressions: !expanded, comments: !expanded)
    }

}
