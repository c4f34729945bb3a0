/// `slope dot`: the program as a Graphviz picture.
///
///     compile → [--grad: append the backward pass] → [--opt: optimize]
///             → [--values: evaluate every node at the initial values] → DOTWriter
///
/// Nothing is trained: a program with `minimize` is drawn, and evaluated, at its initial values.
public enum DotCommand {
    public static func execute(_ arguments: Arguments, console: Console) -> ExitStatus {
        let compilation: Compilation
        switch Compilation.compile(arguments, reportingTo: console) {
        case .success(let compiled): compilation = compiled
        case .failure(let status): return status
        }
        do {
            let picture = try picture(of: compilation.program, arguments)
            console.out(DOTWriter.render(picture))
            return .success
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
    }

    /// Everything the options ask to draw, gathered into one picture.
    public static func picture(of program: Program, _ arguments: Arguments) throws(Compilation.Failure) -> GraphPicture {
        var graph = program.graph
        var leafValues = program.leafValues
        var captions: [NodeID: [String]] = [:]
        func caption(_ node: NodeID, _ text: String) {
            if captions[node]?.contains(text) != true { captions[node, default: []].append(text) }
        }
        for action in program.actions {
            switch action {
            case .print(let items):
                for item in items { caption(item.node, "print " + DOTEscaping.abbreviated(item.text)) }
            case .train(let spec):
                caption(spec.target, spec.direction.rawValue + " " + DOTEscaping.abbreviated(spec.targetText))
            }
        }
        var roots = program.roots
        var adjoints: [NodeID: NodeID] = [:]
        var subtitle: String?
        // Nodes from here on are appended by reverse mode; the requested gradients are among them.
        let firstGradientNode = graph.count
        var gradientRoots: [NodeID] = []

        if arguments.grad {
            let target = try TargetSelection.select(of: arguments.of, wrt: arguments.wrt, in: program)
            var builder = GraphBuilder(graph, hashConsing: true)
            // Differentiating by every active node as well as the leaves yields the same backward
            // pass and also returns each intermediate adjoint, for the `grad` lines and edges.
            let wrt = target.wrt.map(\.node)
            let intermediates = activeNodes(from: wrt, to: target.node, in: graph).filter { !wrt.contains($0) }
            let gradients = ReverseMode.gradients(of: target.node, wrt: wrt + intermediates, in: &builder)
            for (forward, adjoint) in zip(wrt + intermediates, gradients) where adjoints[forward] == nil {
                adjoints[forward] = adjoint
            }
            gradientRoots = Array(gradients.prefix(wrt.count))
            graph = builder.finish()
            roots += [target.node] + gradientRoots
            subtitle = "gradient of \(target.name)"
                + (target.wrt.isEmpty ? " (it depends on no param)" : " by " + target.wrt.map(\.name).joined(separator: ", "))
        }

        // Gradient scratch that no requested gradient reads (zeros for dead ends) is not drawn.
        let neededGradients = graph.reachable(from: gradientRoots)
        var visible = graph.ids.map { $0.int < firstGradientNode || neededGradients[$0.int] }
        let backward = GraphPicture.backwardNodes(in: graph, roots: program.roots)
        var isGradient = graph.ids.map { $0.int >= firstGradientNode || backward[$0.int] }

        if arguments.opt {
            // The optimizer's output for the program's roots (and the gradients, with --grad).
            let liveRoots = roots.isEmpty ? graph.ids.filter { visible[$0.int] } : roots
            let optimized = Optimizer.optimize(graph, roots: liveRoots)
            let map = { (id: NodeID) in optimized.replacement[id.int] }
            let compacted = optimized.graph
            visible = [Bool](repeating: true, count: compacted.count)
            // A node is drawn as gradient code when everything it replaces was.
            var gradientFlags = [Bool?](repeating: nil, count: compacted.count)
            for old in graph.ids {
                guard let new = map(old) else { continue }
                gradientFlags[new.int] = (gradientFlags[new.int] ?? true) && isGradient[old.int]
            }
            isGradient = compacted.ids.map { gradientFlags[$0.int] ?? (compacted[$0].adjointOf != nil) }
            // Values the optimizer merged share one node: their captions join, the first adjoint wins.
            captions = Dictionary(captions.compactMap { key, value in map(key).map { ($0, value) } }, uniquingKeysWith: +)
            adjoints = Dictionary(adjoints.compactMap { forward, adjoint in
                guard let forward = map(forward), let adjoint = map(adjoint) else { return nil }
                return (forward, adjoint)
            }, uniquingKeysWith: { first, _ in first })
            leafValues = Dictionary(leafValues.compactMap { node, value in map(node).map { ($0, value) } },
                                    uniquingKeysWith: { first, _ in first })
            graph = compacted
        }

        var picture = GraphPicture(graph: graph, title: arguments.file)
        picture.subtitle = subtitle
        picture.visible = visible
        picture.isGradient = isGradient
        picture.captions = captions
        picture.adjoints = adjoints
        if arguments.values { picture.values = evaluate(graph, visible: visible, adjoints: adjoints, leafValues: leafValues) }
        return picture
    }

    /// The nodes on a path from one of `leaves` to `target`: those reverse mode gives an adjoint.
    static func activeNodes(from leaves: [NodeID], to target: NodeID, in graph: Graph) -> [NodeID] {
        let needed = graph.reachable(from: [target])
        var active = [Bool](repeating: false, count: target.int + 1)
        for leaf in leaves where leaf.int <= target.int { active[leaf.int] = true }
        for index in 0...target.int where !active[index] {
            active[index] = graph.nodes[index].operands.contains { active[$0.int] }
        }
        return (0...target.int).filter { active[$0] && needed[$0] }.map(NodeID.init)
    }

    /// Every drawn node's value, and every adjoint's, at the program's initial values.
    static func evaluate(_ graph: Graph, visible: [Bool], adjoints: [NodeID: NodeID], leafValues: [NodeID: Tensor]) -> [NodeID: Tensor] {
        var wanted = visible
        for adjoint in adjoints.values { wanted[adjoint.int] = true }
        let outputs = graph.ids.filter { wanted[$0.int] }
        let executor = Executor(graph: graph, outputs: outputs, leafValues: leafValues)
        executor.run()
        return Dictionary(uniqueKeysWithValues: outputs.map { ($0, executor.value($0)) })
    }
}
