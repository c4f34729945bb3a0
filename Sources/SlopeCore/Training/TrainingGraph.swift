/// The training step compiled once: the program's graph extended with the gradient of the
/// target with respect to every trained param (and, for Newton's method, every row of the
/// Hessian, from differentiating the gradient graph again), planned once and executed every step.
struct TrainingGraph {
    let graph: Graph
    let target: NodeID
    /// The trained params, in declaration order.
    let params: [NodeID]
    let gradients: [NodeID]
    /// For Newton's method: `hessian[i][p]` is ∂gᵢ/∂(param p), where gᵢ is the i-th element of the
    /// flattened gradient.
    let hessian: [[NodeID]]
    /// Computes the loss and the gradients (and Hessian rows): the work of every step. The loss
    /// is computed on every step, whatever is shown, so what decides that training failed never
    /// depends on --quiet, --log or --plot.
    let executor: Executor
    /// For a first-order method on the full data: the proof that a step's loss is finite, from
    /// what the plan's partial steps (the gradients, without the loss) compute. Nil when the
    /// loss cannot be bounded that way; every step then computes the loss.
    let certificate: LossCertificate?

    /// Total number of scalar parameters.
    var dimension: Int { params.reduce(0) { $0 + graph[$1].shape.count } }

    /// For Newton's method on independent points: `blocks[p][q]` holds, for every element i,
    /// ∂g_p[i]/∂θ_q[i]. Set when every param has one shape and each element of the gradient
    /// depends only on the same element of the params (see `Newton.isSeparable`); the Hessian is then
    /// block-diagonal and each element's small system is solved on its own.
    let blocks: [[NodeID]]

    /// The step for `target` of `program`, whose leaf table holds the values to start from
    /// (the program's graph rebound to the current values). `params` are the trained params'
    /// names, in declaration order.
    ///
    /// The plan is admitted against the memory budget (`execution.memory`) beside the `held`
    /// bytes, with `extra` bytes the trainer allocates beside it, before its arena is allocated.
    ///
    /// With `certified`, the plan also gets partial steps that compute the gradients and what the
    /// loss's `LossCertificate` reads, but not the loss (first-order methods on the full data).
    init(program: Graph, target: NodeID, params names: [String], newton: Bool, separable: Bool = false,
         certified: Bool = false, execution: ExecutionOptions, extra: Int = 0, held: inout Int) throws(Diagnostic) {
        let params = names.map { program.leaf(named: $0)!.node }
        // Outputs: the loss, the gradients, then the Hessian rows or the blocks.
        var graph = program.withOutputs([Output(name: "loss", node: target)])
        let gradients = graph.appendGradients(of: target, wrt: params)
        var hessianRows = 0
        if newton && separable {
            // ∂/∂θ_q of sum(g_p) is, element by element, ∂g_p[i]/∂θ_q[i]: one reverse pass per param.
            for gradient in gradients {
                var builder = GraphBuilder(graph, hashConsing: true)
                let total = builder.add(.reduce(.sum, axis: nil), [gradient], range: builder[gradient].range)
                graph = builder.finish()
                graph.appendGradients(of: total, wrt: params)
            }
        } else if newton {
            for gradient in gradients {
                var builder = GraphBuilder(graph, hashConsing: true)
                let shape = builder[gradient].shape
                let flat = builder.reshape(gradient, Shape([shape.count]), at: builder[gradient].range)
                graph = builder.finish()
                for element in 0..<shape.count {
                    var component = gradient
                    if !shape.isScalar {
                        var builder = GraphBuilder(graph, hashConsing: true)
                        component = builder.add(.index(element), [flat], range: builder[gradient].range)
                        graph = builder.finish()
                    }
                    graph.appendGradients(of: component, wrt: params)
                    hessianRows += 1
                }
            }
        }
        // The forward and backward pass optimized together, once, before planning.
        var optimized = Optimizer.optimize(graph).graph
        let p = params.count
        let outputs = optimized.outputs.map(\.node)
        func rows(_ count: Int, from start: Int) -> [[NodeID]] {
            (0..<count).map { Array(outputs[(start + $0 * p)..<(start + ($0 + 1) * p)]) }
        }
        self.target = outputs[0]
        self.params = names.map { optimized.leaf(named: $0)!.node }
        self.gradients = Array(outputs[1..<(1 + p)])
        self.hessian = rows(hessianRows, from: 1 + p)
        self.blocks = newton && separable ? rows(p, from: 1 + p) : []
        // The params are outputs too: the trainer updates them in the step's buffers, and a param
        // whose gradient does not depend on it (f = 3x has the constant gradient 3) would
        // otherwise not be live in the plan and have no buffer.
        var certificate: LossCertificate?
        let kept = self.gradients + self.hessian.flatMap { $0 } + self.blocks.flatMap { $0 } + self.params
        if certified && !newton {
            certificate = LossCertificate(target: self.target, kept: kept, varying: Set(self.params), in: &optimized)
        }
        self.graph = optimized
        self.certificate = certificate
        let partial = certificate.map { kept + $0.outputs }
        let plan = Planner.plan(self.graph, outputs: [self.target] + kept + (certificate?.outputs ?? []), partialOutputs: partial)
        try execution.memory.admit(plan, extra: extra, held: &held)
        self.executor = Executor(plan: plan, leafValues: optimized.leafValues, options: execution)
    }

    /// The loss the last `executor.run()` computed.
    var loss: Double { executor.pointer(target)![0] }
}
