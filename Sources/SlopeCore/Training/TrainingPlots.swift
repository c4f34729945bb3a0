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
        var losses = trace.losses
        // sgd on batches: the curve is the batch losses (the final point, after the last update,
        // had no batch: it is left out of the curve), the summary the full data's initial and final.
        if outcome.lossesPerBatch, !losses.isEmpty { losses[losses.count - 1] = .nan }
        var data = TrainingPlotData(title: title(spec), losses: losses, parameterNames: outcome.parameterNames,
                                    path: outcome.parameterNames.isEmpty ? [] : trace.points, maximize: spec.direction == .maximize,
                                    steps: trace.steps)
        if outcome.lossesPerBatch {
            data.perBatch = true
            data.fullData = (outcome.initial, outcome.final)
        }
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
    static func svg(failed spec: TrainingSpec, trace: TrainingTrace, perBatch: Bool = false) -> String {
        var data = TrainingPlotData(title: title(spec) + ", stopped by an error", losses: trace.losses, parameterNames: [], path: [],
                                    maximize: spec.direction == .maximize, steps: trace.steps)
        data.perBatch = perBatch
        return SVGPlot.render(data, evaluate: nil)
    }

    /// "minimize E by gd(rate: 0.05, steps: 1000)", "… by sgd(rate: 0.1, steps: 7000, batch: 1, shuffle: false)"
    static func title(_ spec: TrainingSpec) -> String {
        let method = spec.method
        var settings = method.kind == .newton ? ["steps: \(method.steps)"]
            : ["rate: \(ValueFormatter.number(method.rate))", "steps: \(method.steps)"]
        if method.kind == .sgd {
            settings.append("batch: \(method.batch ?? 32)")
            if !method.shuffle { settings.append("shuffle: false") }
        }
        return "\(spec.direction.rawValue) \(spec.targetText) by \(method.kind.rawValue)(" + settings.joined(separator: ", ") + ")"
    }
}
