/// The value, gradient and Hessian of a scalar target with respect to some of its scalar leaves,
/// at any number of points: what `slope tangent` writes out and `slope critical` steps on.
///
/// The derivatives are IR, compiled once: reverse mode gives the gradient (∂f/∂xᵢ), and reverse
/// mode again over each gradient gives a row of the Hessian (∂²f/∂xᵢ∂xⱼ), exactly as Newton's
/// training step builds its Hessian (`TrainingGraph`). The whole graph is optimized and planned
/// once; evaluating at a point writes the variables into the plan's buffers and runs it.
struct DerivativeEvaluator {
    /// The value, gradient and Hessian at one point (the Hessian empty for a first-order evaluator).
    struct Derivatives: Sendable {
        let value: Double
        let gradient: [Double]
        /// Symmetrized: ½(Hᵢⱼ + Hⱼᵢ), which the two reverse passes give equal up to rounding.
        let hessian: [[Double]]

        var isFinite: Bool {
            value.isFinite && gradient.allSatisfy(\.isFinite) && hessian.allSatisfy { $0.allSatisfy(\.isFinite) }
        }
    }

    /// The variables, scalar leaves of the graph, in the order points list their coordinates.
    let variables: [Leaf]
    let withHessian: Bool
    private let executor: Executor
    private let value: NodeID
    private let gradient: [NodeID]
    private let hessian: [[NodeID]]
    private let leaves: [UnsafeMutablePointer<Double>]

    /// Compiles the derivatives of `target` in `graph` (every other leaf held at its value in the
    /// graph's leaf table).
    init(graph: Graph, target: NodeID, variables: [Leaf], withHessian: Bool, execution: ExecutionOptions) {
        self.variables = variables
        self.withHessian = withHessian
        let nodes = variables.map(\.node)
        var extended = graph.withOutputs([Output(name: "f", node: target)])
        let gradients = extended.appendGradients(of: target, wrt: nodes)
        if withHessian {
            for (i, gradient) in gradients.enumerated() {
                let row = extended.appendGradients(of: gradient, wrt: nodes, asOutputs: false)
                for (j, entry) in row.enumerated() { extended.addOutput("d2_\(i)_\(j)", entry) }
            }
        }
        // The variables are outputs too, so each has a buffer to write points into even when
        // the value does not read it directly.
        for (i, node) in nodes.enumerated() { extended.addOutput("x_\(i)", node) }
        let optimized = Optimizer.optimize(extended).graph
        let outputs = optimized.outputs.map(\.node)
        let d = nodes.count
        value = outputs[0]
        gradient = Array(outputs[1...d])
        hessian = withHessian ? (0..<d).map { i in Array(outputs[(1 + d + i * d)..<(1 + d + (i + 1) * d)]) } : []
        let leafNodes = Array(outputs.suffix(d))
        let executor = Executor(graph: optimized, outputs: outputs, leafValues: optimized.leafValues, options: execution)
        self.executor = executor
        leaves = leafNodes.map { executor.pointer($0)! }
    }

    /// The first integral that failed at the last point evaluated, if one did.
    var integralFailure: IntegralFailure? { executor.integralFailure }

    /// The derivatives at `point` (one coordinate per variable).
    func evaluate(at point: [Double]) -> Derivatives {
        for (pointer, coordinate) in zip(leaves, point) { pointer[0] = coordinate }
        executor.run()
        func read(_ node: NodeID) -> Double { executor.pointer(node)![0] }
        let raw = hessian.map { $0.map(read) }
        let symmetric = raw.indices.map { i in raw.indices.map { j in i == j ? raw[i][i] : (raw[i][j] + raw[j][i]) / 2 } }
        return Derivatives(value: read(value), gradient: gradient.map(read), hessian: symmetric)
    }
}
