/// `sgd`'s step at batch shape: the same IR rebound, with the rows to gather each step.
extension Trainer {
    /// For sgd with a batch smaller than the data: the step at batch shape, the program's graph
    /// with the batched inputs rebound to batch-shaped values and its shapes inferred again.
    /// Its plan, the `extra` bytes and the batch order are admitted against the memory budget
    /// beside the `held` bytes.
    func makeBatched(values: [String: Tensor], live: [Bool], params: [Leaf], extra: Int, held: inout Int)
        throws(TrainingFailure) -> (graph: TrainingGraph, batches: MiniBatches, inputs: [(name: String, data: [Double], rowSize: Int)])? {
        let inputs = program.leaves.filter { $0.kind == .input && live[$0.node.int] && $0.value.shape.rank >= 1 }
        let rows = inputs.map { $0.value.shape[0] }.max() ?? 0
        let batchSize = spec.method.batch ?? 32
        guard rows > 0, batchSize < rows else { return nil }
        let batched = inputs.filter { $0.value.shape[0] == rows }
        var stepValues = values
        for leaf in batched {
            let value = values[leaf.name] ?? leaf.value
            stepValues[leaf.name] = Tensor(filling: Shape([batchSize] + Array(value.shape.dimensions.dropFirst())), with: 0)
        }
        let graph: Graph
        do { graph = try program.graph.rebinding(stepValues) } catch {
            throw failure(TrainingMessages.cannotBatch(error, in: program.graph, at: spec.method.range), values, params)
        }
        let step: TrainingGraph
        do {
            // The batch order and the indices of a batch: an Int per row.
            step = try TrainingGraph(program: graph, target: spec.target, params: params.map(\.name), newton: false,
                                     execution: execution, extra: extra + 2 * MemoryBudget.bytes(count: rows), held: &held)
        } catch { throw failure(error, values, params) }
        let batchInputs = batched.map { leaf -> (name: String, data: [Double], rowSize: Int) in
            (leaf.name, (values[leaf.name] ?? leaf.value).values, leaf.value.shape.count / rows)
        }
        return (step, MiniBatches(rows: rows, batch: batchSize, seed: program.seed, shuffle: spec.method.shuffle), batchInputs)
    }
}
