/// Forward-mode automatic differentiation as a transformation of IR into IR, beside
/// `ReverseMode` and built the same way: the engine here, the rules in `TangentRules`.
///
/// Given a value x and a direction v of x's shape, it appends to the graph the nodes that
/// compute the tangent of each node between x and the output — its directional derivative
/// along v, with everything upstream of x held fixed — visiting them once each in topological
/// order. The result is the Jacobian–vector product J·v, of the output's shape, as ordinary IR:
/// printed, optimized, run and differentiated again (reverse over forward, or forward over
/// reverse for Hessian–vector products) like any other graph.
public enum ForwardMode {
    /// The tangent of `output` along `direction` at `x`: Σ ∂output/∂x · v. An output that does
    /// not depend on x gets a constant zero of its shape.
    public static func tangent(of output: NodeID, wrt x: NodeID, along direction: NodeID,
                               in builder: inout GraphBuilder) -> NodeID {
        let graph = builder.graph
        let outputShape = graph[output].shape
        guard x <= output else { return builder.zeros(outputShape, at: graph[output].range) }
        let count = output.int + 1
        let needed = graph.reachable(from: [output])
        let savedFrame = builder.currentFrame
        var tangents = [NodeID?](repeating: nil, count: count)
        tangents[x.int] = direction
        for index in (x.int + 1)..<count where needed[index] {
            let node = graph.nodes[index]
            guard !node.op.hasZeroDerivative, node.operands.contains(where: { tangents[$0.int] != nil }) else { continue }
            // Tangent nodes belong to the same inlined call as the forward node they come from.
            builder.currentFrame = node.frame
            let operandTangents = node.operands.map { tangents[$0.int] }
            guard var tangent = TangentRules.tangent(of: NodeID(index), operandTangents: operandTangents, in: &builder) else {
                continue
            }
            if builder[tangent].shape != node.shape {
                tangent = builder.broadcast(tangent, node.shape, at: node.range)
            }
            tangents[index] = tangent
        }
        builder.currentFrame = savedFrame
        return tangents[output.int] ?? builder.zeros(outputShape, at: graph[output].range)
    }
}
