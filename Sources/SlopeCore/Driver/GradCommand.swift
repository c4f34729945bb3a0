/// `slope grad`: the generated gradient program as `.graph` source, or with `--json` the value
/// and gradient at the program's values.
public enum GradCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation, request: GradientRequest
        switch GradientRequest.compile(arguments, reportingTo: console) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        // --no-opt shows reverse mode's output as it is, before the passes tidy it.
        let graph = arguments.noOpt ? request.differentiate(compilation.program.graph)
                                    : optimizedGradient(compilation.program, request)
        let (target, gradients) = GradientRequest.outputs(of: graph)
        if arguments.json {
            let executor = Executor(graph: graph, outputs: [target] + gradients, leafValues: graph.leafValues, options: execution)
            executor.run()
            let gradient = JSONValue.object(zip(request.wrt, gradients).map { ($0.name, JSONValue.tensor(executor.value($1))) })
            console.out(JSONValue.object([("of", .string(request.targetName)),
                                          ("value", .tensor(executor.value(target))),
                                          ("gradient", gradient)]).rendered() + "\n")
            return .success
        }
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
            console.err(DiagnosticRenderer.render([GradientMessages.expansionTooLong(error.name, limit: GraphSource.maximumLineLength,
                                                                                     at: range)]))
            return .programError
        }
        return .success
    }

    /// Inputs whose declaration writes a small value out (not drawn, not read from a file, not
    /// named in --wrt) held as constants: "the points held as constants" lets the passes fold
    /// them into the gradient.
    static let frozenInputLimit = 64

    /// Differentiates, then optimizes the forward and backward pass together: the graph of
    /// `GradientRequest.differentiate`, optimized.
    static func optimizedGradient(_ program: Program, _ request: GradientRequest) -> Graph {
        let wrtNames = Set(request.wrt.map(\.name))
        let kept = Set(program.leaves.filter { leaf in
            leaf.kind == .input && (wrtNames.contains(leaf.name) || leaf.value.shape.count > frozenInputLimit
                                    || leaf.source != .literal)
        }.map(\.name)).union(wrtNames)
        let frozen = program.freezingInputs(except: kept)
        return Optimizer.optimize(request.differentiate(frozen.graph)).graph
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
                       _ gradients: [NodeID], expanded: Bool = false) throws(GraphSource.LineTooLong) -> String {
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
