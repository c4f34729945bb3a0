/// `--plot FILE.svg` for a program that trains nothing: the first printed value that is a
/// scalar function of one or two scalar params or inputs, drawn over a range around their
/// current values (`SVGPlot.render(_: FunctionPlotData, …)`) — what a learner wants to see of
/// `f = x^2 + y^2` first. Tensor params and inputs (data) are held at their values.
struct FunctionPlot {
    /// The printed expression as written.
    let text: String
    let node: NodeID
    /// The scalar params and inputs it depends on, in declaration order: one or two.
    let variables: [Leaf]

    /// The first printed integral of a scalar integrand (its area, `AreaPlot`), else the first
    /// printed value that is a function of one or two variables, or the diagnostic saying why
    /// none qualifies (before anything runs, like every other problem with an output file).
    static func choose(in program: Program) -> Result<PrintedPlot, Diagnostic> {
        for action in program.actions {
            guard case .print(let items) = action else { continue }
            for item in items { if let area = AreaPlot.of(item, in: program) { return .success(.area(area)) } }
        }
        var reasons: [Diagnostic.Note] = []
        for action in program.actions {
            guard case .print(let items) = action else { continue }
            for item in items {
                let node = program.graph[item.node]
                let live = program.graph.reachable(from: [item.node])
                let variables = program.leaves.filter { live[$0.node.int] && $0.value.shape.isScalar }
                let why: String
                if let leaf = node.op.leaf {
                    why = "'\(item.text)' is \(leaf.kind == .param ? "a param" : "an input") itself, not a function of one"
                } else if !node.shape.isScalar {
                    why = "'\(item.text)' has shape \(node.shape), not a single number"
                } else if variables.isEmpty {
                    why = "'\(item.text)' depends on no scalar param or input"
                } else if variables.count > 2 {
                    why = "'\(item.text)' depends on \(variables.count) scalar params or inputs ("
                        + variables.map(\.name).joined(separator: ", ") + "); a plot has room for one or two"
                } else {
                    return .success(.function(FunctionPlot(text: item.text, node: item.node, variables: variables)))
                }
                reasons.append(.init(why, at: item.range))
            }
        }
        return .failure(DriverMessages.plotWithoutTraining(notes: Array(reasons.prefix(3))))
    }

    /// The range drawn around a variable's current value v: v ± 2·max(1, |v|), so 0 is drawn
    /// on [-2, 2], 3 on [-3, 9] and -50 on [-150, 50]. The radius stops at a quarter of the
    /// largest float64, so the ends stay finite; a value that is not finite is drawn as 0 is.
    static func range(around value: Double) -> ClosedRange<Double> {
        guard value.isFinite else { return -2...2 }
        let radius = min(2 * max(1, Swift.abs(value)), Double.greatestFiniteMagnitude / 4)
        return (value - radius)...(value + radius)
    }

    /// The picture at the current `values` (by name) of every leaf. The function is evaluated
    /// only when its plan fits the memory budget beside the `memoryInUse` bytes the run holds
    /// (else the axes and the point are drawn without it, as a training plot leaves out its
    /// function panel).
    func svg(program: Program, values: [String: Tensor], execution: ExecutionOptions, memoryInUse: Int = 0) -> String {
        let point = variables.map { values[$0.name]?.values.first ?? $0.value.values[0] }
        let names = variables.map(\.name)
        let isName = text.first.map { $0.isLetter || $0 == "_" } == true && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let function = isName ? "\(text)(\(names.joined(separator: ", ")))" : text
        let at = zip(names, point).map { "\($0) = \(PlotNumberFormat.compact($1))" }.joined(separator: ", ")
        let data = FunctionPlotData(title: "\(text) around \(at)", function: function, valueName: isName ? text : nil,
                                    names: names, point: point,
                                    ranges: point.map(Self.range(around:)))
        let plan = Planner.plan(program.graph, outputs: [node])
        var held = memoryInUse
        guard (try? execution.memory.admit(plan, held: &held)) != nil else { return SVGPlot.render(data) { _ in .nan } }
        let executor = Executor(plan: plan, leafValues: program.graph.leafValues(values), options: execution)
        return SVGPlot.render(data) { coordinates in
            for (leaf, value) in zip(variables, coordinates) { executor.setValue(leaf.node, Tensor(value)) }
            executor.run()
            return executor.pointer(node)![0]
        }
    }
}
