/// The loss on the full data at given params, planned once: a training statement's initial
/// loss (for `sgd`, whose steps see batches) and its final loss, after the last update.
struct FullDataLoss {
    let graph: Graph
    let target: NodeID
    /// The trained params' nodes, by name.
    let params: [String: NodeID]
    let executor: Executor

    /// The loss of `target` in `program` (the program's graph with the current leaf values),
    /// optimized for the loss alone; its plan admitted against the memory budget beside `held`.
    init(program: Graph, target: NodeID, params names: [String], execution: ExecutionOptions, held: inout Int) throws(Diagnostic) {
        let optimized = Optimizer.optimize(program.withOutputs([Output(name: "loss", node: target)])).graph
        graph = optimized
        self.target = optimized.outputs[0].node
        params = Dictionary(uniqueKeysWithValues: names.map { ($0, optimized.leaf(named: $0)!.node) })
        let plan = Planner.plan(optimized, outputs: [self.target])
        try execution.memory.admit(plan, held: &held)
        executor = Executor(plan: plan, leafValues: optimized.leafValues, options: execution)
    }

    /// The loss with the params at `values` (the other leaves keep their values).
    func loss(at values: [String: Tensor]) -> Double {
        for (name, node) in params {
            if let value = values[name] { executor.setValue(node, value) }
        }
        executor.run()
        return executor.pointer(target)![0]
    }
}
