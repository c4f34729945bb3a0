/// `--plot FILE.svg` for a program that trains nothing and prints an integral: the integrand
/// over the interval with the area shaded (`SVGPlot.render(_: AreaPlotData, …)`), evaluated at
/// the values the run ends with.
struct AreaPlot {
    /// The printed expression as written.
    let text: String
    /// The integral node, in the lowered program.
    let node: NodeID

    /// A plot of `item` when it is an integral of a scalar integrand.
    static func of(_ item: PrintedValue, in program: Program) -> AreaPlot? {
        guard let integrand = program.graph[item.node].op.integrand, integrand.shape.isScalar else { return nil }
        return AreaPlot(text: item.text, node: item.node)
    }

    /// The picture at the current `values` (by name) of every leaf: the bounds, the captures and
    /// the value from one run of the program, then the integrand at each point drawn. Within
    /// the memory budget beside `memoryInUse` bytes, else the axes alone.
    func svg(program: Program, values: [String: Tensor], execution: ExecutionOptions, memoryInUse: Int = 0) -> String {
        let graph = program.graph
        let integral = graph[node]
        let integrand = integral.op.integrand!
        let outputs = integral.operands + [node]
        let plan = Planner.plan(graph, outputs: outputs)
        let bodyPlan = Planner.plan(integrand.body, outputs: [integrand.result])
        var held = memoryInUse
        let fits = (try? execution.memory.admit(plan, held: &held)) != nil && (try? execution.memory.admit(bodyPlan, held: &held)) != nil
        let variable = integrand.variable
        var data = AreaPlotData(title: text, function: "\(integrand.name)(\(variable))", variable: variable,
                                lower: .nan, upper: .nan, value: .nan)
        guard fits else { return SVGPlot.render(data) { _ in .nan } }
        let executor = Executor(plan: plan, leafValues: graph.leafValues(values), options: execution)
        executor.run()
        data.lower = executor.value(integral.operands[0]).values[0]
        data.upper = executor.value(integral.operands[1]).values[0]
        data.value = executor.value(node).values[0]
        // `d = integral(v, 0, 2) = 12` for a printed name, `integral(v, 0, 2) = 12` for the call.
        let call = integral.range.map { GraphSource.oneLine($0) }
        let written = call == nil || call == text ? text : "\(text) = \(call!)"
        data.title = "\(written) = \(PlotNumberFormat.compact(data.value, significantDigits: 10))"
        var captures: [NodeID: Tensor] = [:]
        for (leaf, operand) in zip(integrand.captureNodes, integral.operands.dropFirst(2)) {
            if let leaf { captures[leaf] = executor.value(operand) }
        }
        let body = Executor(plan: bodyPlan, leafValues: captures, options: execution)
        let point = integrand.variableNode.flatMap { body.pointer($0) }
        let result = body.pointer(integrand.result)!
        return SVGPlot.render(data) { t in
            point?.pointee = t
            body.run()
            return result[0]
        }
    }
}

/// What `--plot` draws for a program that trains nothing: a printed function of its variables,
/// or a printed integral's area.
enum PrintedPlot {
    case function(FunctionPlot)
    case area(AreaPlot)

    func svg(program: Program, values: [String: Tensor], execution: ExecutionOptions, memoryInUse: Int = 0) -> String {
        switch self {
        case .function(let plot): return plot.svg(program: program, values: values, execution: execution, memoryInUse: memoryInUse)
        case .area(let plot): return plot.svg(program: program, values: values, execution: execution, memoryInUse: memoryInUse)
        }
    }
}
