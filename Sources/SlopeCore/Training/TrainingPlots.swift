/// `--plot FILE.svg`: the loss curve of the last training statement that ran and, when it
/// finished with one or two scalar params, the function with the optimizer's path (drawn by
/// `SVGPlot`). A statement that failed is drawn up to its last good step.
enum TrainingPlots {
    /// The picture of the last statement that finished; the function is drawn only when its
    /// plan fits the memory budget beside the `memoryInUse` bytes the run holds.
    static func svg(_ outcome: TrainingOutcome, program: Program, values: [String: Tensor], execution: ExecutionOptions,
                    memoryInUse: Int = 0) -> String {
        let spec = outcome.spec
        let trace = outcome.trace
        let data = TrainingPlotData(title: title(spec), losses: trace.losses, parameterNames: outcome.parameterNames,
                                    path: outcome.parameterNames.isEmpty ? [] : trace.points, maximize: spec.direction == .maximize,
                                    steps: trace.steps)
        var evaluate: (([Double]) -> Double)?
        let leaves = outcome.parameterNames.compactMap { program.leaf(named: $0)?.node }
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
        return SVGPlot.render(data, evaluate: evaluate)
    }

    /// The picture of a statement that failed: its losses up to the last good step, so the
    /// plot of a failed run is this run's, not an earlier one's left in place.
    static func svg(failed spec: TrainingSpec, trace: TrainingTrace) -> String {
        let data = TrainingPlotData(title: title(spec) + ", stopped by an error", losses: trace.losses, parameterNames: [], path: [],
                                    maximize: spec.direction == .maximize, steps: trace.steps)
        return SVGPlot.render(data, evaluate: nil)
    }

    /// "minimize E by gd(rate: 0.05, steps: 1000)"
    static func title(_ spec: TrainingSpec) -> String {
        let method = spec.method
        let settings = method.kind == .newton ? "(steps: \(method.steps))"
            : "(rate: \(ValueFormatter.number(method.rate)), steps: \(method.steps))"
        return "\(spec.direction.rawValue) \(spec.targetText) by \(method.kind.rawValue)" + settings
    }
}
