/// `slope dot`: the program as a Graphviz picture.
///
///     compile → [--grad: append the backward pass] → [--opt: optimize]
///             → [--values: evaluate every node at the initial values] → DOTWriter
///
/// Nothing is trained: a program with `minimize` is drawn, and evaluated, at its initial values
/// (or at the params `--load` reads, such as those `run --save` wrote after training).
public enum DotCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        var compilation: Compilation
        switch Compilation.compile(arguments, reportingTo: console, memory: execution.memory) {
        case .success(let compiled): compilation = compiled
        case .failure(let status): return status
        }
        do {
            try compilation.loadParams(from: arguments.load)
            let picture = try picture(of: compilation.program, arguments, execution: execution)
            console.out(DOTWriter.render(picture))
            return .success
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
    }

    /// Everything the options ask to draw, gathered into one picture.
    public static func picture(of program: Program, _ arguments: Arguments,
                               execution: ExecutionOptions = ExecutionOptions()) throws(Compilation.Failure) -> GraphPicture {
        var drawn = program
        var adjoints: [NodeID: NodeID] = [:]
        var subtitle: String?
        var announcement: String?
        var seed: (node: NodeID, target: NodeID)?
        // Nodes from here on are appended by reverse mode; the requested gradients are among them.
        let firstGradientNode = program.graph.count
        var gradientRoots: [NodeID] = []
        var targetNode: NodeID?

        if arguments.grad {
            let target = try TargetSelection.select(of: arguments.of, wrt: arguments.wrt, in: program)
            targetNode = target.node
            // Differentiating by every active node as well as the leaves yields the same backward
            // pass and also returns each intermediate adjoint, for the `grad` lines and edges.
            let wrt = target.wrt.map(\.node)
            let intermediates = activeNodes(from: wrt, to: target.node, in: program.graph).filter { !wrt.contains($0) }
            // Drawn as the textbook draws reverse mode, one adjoint per value (dL/dd = 1·f), not
            // in the normal form that would make f itself the adjoint of d. The seed, d_target = 1,
            // is a node of its own: a hash-consed `1` could be a forward one.
            let (gradients, seedNode) = drawn.graph.appendGradientsWithDistinctSeed(of: target.node, wrt: wrt + intermediates,
                                                                                    combiningLinearTerms: false)
            seed = seedNode.map { ($0, target.node) }
            for (forward, adjoint) in zip(wrt + intermediates, gradients) where adjoints[forward] == nil {
                adjoints[forward] = adjoint
            }
            gradientRoots = Array(gradients.prefix(wrt.count))
            // The target and the requested gradients are outputs too, after the statements' values.
            drawn.graph.addOutput(target.name, target.node)
            for (leaf, gradient) in zip(target.wrt, gradientRoots) { drawn.graph.addOutput("d_" + leaf.name, gradient) }
            subtitle = "gradient of \(target.name)"
                + (target.wrt.isEmpty ? " (it depends on no param)" : " by " + target.wrt.map(\.name).joined(separator: ", "))
            announcement = target.announcement
        }

        var graph = drawn.graph
        // Gradient scratch that no requested gradient reads (zeros for dead ends) is not drawn,
        // nor, with --grad, the values neither the target nor its gradient needs (a printed
        // accuracy beside the loss).
        let neededGradients = graph.reachable(from: gradientRoots)
        let needed = arguments.grad ? graph.reachable(from: gradientRoots + (targetNode.map { [$0] } ?? []))
                                    : [Bool](repeating: true, count: graph.count)
        var visible = graph.ids.map { ($0.int < firstGradientNode && needed[$0.int]) || neededGradients[$0.int] }
        let backward = GraphPicture.backwardNodes(in: graph, roots: program.roots)
        var isGradient = graph.ids.map { $0.int >= firstGradientNode || backward[$0.int] }

        if arguments.opt {
            // The optimizer's output for the outputs (or, in a program without any, everything drawn).
            let optimized = graph.outputs.isEmpty ? Optimizer.optimize(graph, roots: graph.ids.filter { visible[$0.int] })
                                                  : Optimizer.optimize(graph)
            // The picture's own marks (gradient code, adjoints) move with the values they mark;
            // the program's leaves and outputs moved with the graph.
            let compacted = optimized.graph
            visible = [Bool](repeating: true, count: compacted.count)
            // A node is drawn as gradient code when everything it replaces was.
            var gradientFlags = [Bool?](repeating: nil, count: compacted.count)
            for old in graph.ids {
                guard let new = optimized.map(old) else { continue }
                gradientFlags[new.int] = (gradientFlags[new.int] ?? true) && isGradient[old.int]
            }
            isGradient = compacted.ids.map { gradientFlags[$0.int] ?? (compacted[$0].adjointOf != nil) }
            // Values the optimizer merged share one node: the first adjoint wins.
            // The seed keeps its label only while it is a node of its own: the passes may fold it
            // away, or merge it with another `1`, which is then no longer only the seed.
            seed = seed.flatMap { old in
                guard let node = optimized.map(old.node), let target = optimized.map(old.target),
                      !graph.ids.contains(where: { $0 != old.node && optimized.map($0) == node }) else { return nil }
                return (node, target)
            }
            adjoints = Dictionary(adjoints.compactMap { forward, adjoint in
                guard let forward = optimized.map(forward), let adjoint = optimized.map(adjoint) else { return nil }
                return (forward, adjoint)
            }, uniquingKeysWith: { first, _ in first })
            graph = compacted
            drawn.graph = compacted
        }

        var picture = GraphPicture(graph: graph, title: arguments.file)
        picture.subtitle = subtitle
        picture.announcement = announcement
        picture.visible = visible
        picture.isGradient = isGradient
        picture.captions = captions(of: drawn)
        picture.adjoints = adjoints
        picture.seed = seed
        picture.collapsesCalls = !arguments.expand
        if arguments.values {
            do {
                picture.values = try evaluate(graph, visible: visible, adjoints: adjoints, leafValues: graph.leafValues,
                                              execution: execution)
            } catch { throw Compilation.Failure(diagnostics: [error], status: .programError) }
        }
        return picture
    }

    /// `print …`, `minimize …` on the nodes the statements read (values merged by the optimizer
    /// share one node, and their captions).
    static func captions(of program: Program) -> [NodeID: [String]] {
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
        return captions
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

    /// Every drawn node's value, and every adjoint's, at the program's initial values; the
    /// diagnostic when the plan and the copies of its values do not fit the memory budget, or
    /// an integral fails.
    static func evaluate(_ graph: Graph, visible: [Bool], adjoints: [NodeID: NodeID], leafValues: [NodeID: Tensor],
                         execution: ExecutionOptions) throws(Diagnostic) -> [NodeID: Tensor] {
        var wanted = visible
        for adjoint in adjoints.values { wanted[adjoint.int] = true }
        let outputs = graph.ids.filter { wanted[$0.int] }
        let plan = Planner.plan(graph, outputs: outputs)
        var held = MemoryBudget.bytes(ofLeaves: graph)
        try execution.memory.admit(plan, extra: MemoryBudget.bytes(count: outputs.reduce(0) { $0 + graph[$1].shape.count }),
                                   held: &held)
        let executor = Executor(plan: plan, leafValues: leafValues, options: execution)
        try executor.runCheckingIntegrals()
        return Dictionary(uniqueKeysWithValues: outputs.map { ($0, executor.value($0)) })
    }
}
