/// The training step compiled once: the program's graph extended with the gradient of the
/// target with respect to every trained param (and, for Newton's method, every row of the
/// Hessian, from differentiating the gradient graph again), planned once and executed every step.
struct TrainingGraph {
    /// Newton's method solves with the full Hessian; beyond this many scalar params it refuses.
    static let maximumNewtonParameters = 64

    let graph: Graph
    let target: NodeID
    /// The trained params, in declaration order.
    let params: [NodeID]
    let gradients: [NodeID]
    /// For Newton's method: `hessian[i][p]` is ∂gᵢ/∂(param p), where gᵢ is the i-th element of the
    /// flattened gradient.
    let hessian: [[NodeID]]
    /// Computes the gradients (and Hessian rows): the work of every step. The loss is not
    /// among its outputs, so what only the loss needs (log loss's logarithms, say) is not run.
    let executor: Executor
    /// Computes the loss alone, when it is wanted (the first and last steps, progress lines, --log).
    let lossExecutor: Executor

    /// Total number of scalar parameters.
    var dimension: Int { params.reduce(0) { $0 + graph[$1].shape.count } }

    init(program graph: Graph, target: NodeID, params: [NodeID], leafValues: [NodeID: Tensor], newton: Bool) {
        var builder = GraphBuilder(graph, hashConsing: true)
        let gradients = ReverseMode.gradients(of: target, wrt: params, in: &builder)
        var hessian: [[NodeID]] = []
        if newton {
            for gradient in gradients {
                let shape = builder[gradient].shape
                let flat = builder.reshape(gradient, Shape([shape.count]), at: builder[gradient].range)
                for element in 0..<shape.count {
                    let component = shape.isScalar ? gradient : builder.add(.index(element), [flat], range: builder[gradient].range)
                    hessian.append(ReverseMode.gradients(of: component, wrt: params, in: &builder))
                }
            }
        }
        let built = builder.finish()
        self.graph = built
        self.target = target
        self.params = params
        self.gradients = gradients
        self.hessian = hessian
        self.executor = Executor(graph: built, outputs: gradients + hessian.flatMap { $0 }, leafValues: leafValues)
        self.lossExecutor = Executor(graph: built, outputs: [target], leafValues: leafValues)
    }

    /// The loss at the step executor's current leaf values.
    func loss(leaves: [NodeID]) -> Double {
        for leaf in leaves {
            guard let source = executor.pointer(leaf), let target = lossExecutor.pointer(leaf) else { continue }
            target.update(from: source, count: graph[leaf].shape.count)
        }
        lossExecutor.run()
        return lossExecutor.pointer(target)![0]
    }
}
