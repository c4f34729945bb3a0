/// `--plot FILE.svg`: the loss curve of the last training statement and, for one or two scalar
/// params, the function with the optimizer's path (drawn by `SVGPlot`).
enum TrainingPlots {
    /// Writes the picture; returns an error message, or nil on success.
    static func write(_ outcomes: [TrainingOutcome], program: Program, values: [String: Tensor], to path: String,
                      execution: ExecutionOptions, memoryInUse: Int = 0) -> String? {
        guard let outcome = outcomes.last else { return "--plot needs a minimize or maximize statement to draw" }
        let spec = outcome.spec
        let method = spec.method
        var title = "\(spec.direction.rawValue) \(spec.targetText) by \(method.kind.rawValue)"
        title += method.kind == .newton ? "(steps: \(method.steps))" : "(rate: \(ValueFormatter.number(method.rate)), steps: \(method.steps))"
        let trace = outcome.trace
        let data = TrainingPlotData(title: title, losses: trace.losses, parameterNames: outcome.parameterNames,
                                    path: outcome.parameterNames.isEmpty ? [] : trace.points, maximize: spec.direction == .maximize,
                                    steps: trace.steps)
        var evaluate: (([Double]) -> Double)?
        let leaves = outcome.parameterNames.compactMap { program.leaf(named: $0)?.node }
        // The function is drawn only when its plan fits the memory budget beside what is held.
        var held = memoryInUse
        if !leaves.isEmpty && leaves.count == outcome.parameterNames.count,
           case let plan = Planner.plan(program.graph, outputs: [spec.target]),
           (try? execution.memory.admit(plan, held: &held)) != nil {
            let executor = Executor(plan: plan, leafValues: program.graph.leafValues(values), options: execution)
            evaluate = { point in
                for (leaf, value) in zip(leaves, point) { executor.setValue(leaf, Tensor(value)) }
                executor.run()
                return executor.pointer(spec.target)![0]
            }
        }
        return FileOutput.writeAtomically(SVGPlot.render(data, evaluate: evaluate), to: path)
    }
}
