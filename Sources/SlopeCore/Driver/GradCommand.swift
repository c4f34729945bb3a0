/// `slope grad`: the generated gradient program as `.graph` source, or with `--json` the value
/// and gradient at the program's values.
public enum GradCommand {
    public static func execute(_ arguments: Arguments, console: Console) -> ExitStatus {
        let compilation: Compilation, request: GradientRequest
        switch GradientRequest.compile(arguments, reportingTo: console) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        // --no-opt shows reverse mode's output as it is, before the passes tidy it.
        let (graph, target, gradients) = arguments.noOpt
            ? { let (graph, gradients) = request.differentiate(compilation.program.graph); return (graph, request.target, gradients) }()
            : optimizedGradient(compilation.program, request)
        if arguments.json {
            let executor = Executor(graph: graph, outputs: [target] + gradients, leafValues: leafValues(compilation.program, graph))
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
        console.out(source(compilation, request, gradientGraph.0, target, gradientGraph.1, expanded: arguments.expand))
        return .success
    }

    /// Inputs with small literal values (not named in --wrt) held as constants: "the points
    /// held as constants" lets the passes fold them into the gradient.
    static let frozenInputLimit = 64

    /// Differentiates, then optimizes the forward and backward pass together. Returns the new
    /// graph with the target and gradients in it.
    static func optimizedGradient(_ program: Program, _ request: GradientRequest) -> (Graph, NodeID, [NodeID]) {
        let wrtNames = Set(request.wrt.map(\.name))
        let kept = Set(program.leaves.filter { leaf in
            leaf.kind == .input && (wrtNames.contains(leaf.name) || leaf.value.shape.count > frozenInputLimit
                                    || leaf.range.text.contains("csv(") || leaf.range.text.contains("normal(")
                                    || leaf.range.text.contains("uniform("))
        }.map(\.name)).union(wrtNames)
        let frozen = program.freezingInputs(except: kept)
        let (graph, gradients) = request.differentiate(frozen.graph)
        let optimized = Optimizer.optimize(graph, roots: [request.target] + gradients)
        let map = { (id: NodeID) in optimized.replacement[id.int]! }
        return (optimized.graph, map(request.target), gradients.map(map))
    }

    /// Leaf values by node of an optimized graph (leaves keep their names).
    static func leafValues(_ program: Program, _ graph: Graph) -> [NodeID: Tensor] {
        var values: [NodeID: Tensor] = [:]
        for id in graph.ids {
            if let name = graph[id].op.leaf?.name, let leaf = program.leaf(named: name) { values[id] = leaf.value }
        }
        return values
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
                       _ gradients: [NodeID], expanded: Bool = false) -> String {
        let program = compilation.program
        let overridden = Set(compilation.options.overrides.map(\.name))
        var declarations: [GraphSource.Declaration] = []
        for id in graph.ids {
            if let name = graph[id].op.leaf?.name {
                guard let leaf = program.leaf(named: name) else { continue }
                if overridden.contains(name) {
                    let keyword = leaf.kind == .param ? "param" : "input"
                    declarations.append(.init(node: id, text: "\(keyword) \(name) = \(GraphSource.literal(leaf.value))"))
                } else {
                    declarations.append(.init(node: id, text: leaf.range.text))
                }
            }
        }
        // Frozen inputs are constants now; their declarations still open the program.
        for leaf in program.leaves where !declarations.contains(where: { graph[$0.node].name == leaf.name }) {
            declarations.append(.init(node: NodeID(0), text: leaf.range.text))
        }
        declarations.sort { (program.leaf(named: Self.declaredName($0.text))?.range.start ?? 0)
                            < (program.leaf(named: Self.declaredName($1.text))?.range.start ?? 0) }
        let usesRandom = program.leaves.contains { $0.range.text.contains("normal(") || $0.range.text.contains("uniform(") }
        let names = request.wrt.map(\.name).joined(separator: ", ")
        var header = [
            "Gradient of \(request.targetName) with respect to \(names),",
            "generated by slope grad from \(compilation.source.path).",
        ]
        if program.leaves.contains(where: { $0.range.text.contains("csv(") }) {
            header.append("Paths in csv(...) are relative to the folder of that file.")
        }
        if expanded { header.append("Polynomial gradients are expanded into monomials with like terms collected.") }
        return GraphSource.write(graph, header: header, seed: usesRandom ? program.seed : nil, declarations: declarations,
                                 roots: [target] + gradients,
                                 printed: zip(request.wrt, gradients).map { ("d_" + $0.name, $1) },
                                 shareSubexpressions: !expanded, comments: !expanded)
    }

    /// The name a declaration's text declares: `param W: [2] = …` → `W`.
    static func declaredName(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "=" })
        return words.count > 1 ? String(words[1]) : ""
    }
}
