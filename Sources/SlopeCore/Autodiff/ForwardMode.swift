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
        // The forward nodes are read through the builder, never from a copy of its graph: a
        // copy would make the builder's first new node copy the whole node array.
        let outputShape = builder[output].shape
        guard x <= output else { return builder.zeros(outputShape, at: builder[output].range) }
        // Only nodes from x to the output can carry a tangent: arrays are indexed from x.
        let count = output.int + 1, low = x.int
        let needed = builder.graph.reachable(from: output, within: low..<count)
        let savedFrame = builder.currentFrame
        var tangents = [NodeID?](repeating: nil, count: count - low)
        tangents[0] = direction
        func tangentOf(_ id: NodeID) -> NodeID? { id.int >= low ? tangents[id.int - low] : nil }
        for index in (low + 1)..<count where needed[index - low] {
            let node = builder.graph.nodes[index]
            guard !node.op.hasZeroDerivative, node.operands.contains(where: { tangentOf($0) != nil }) else { continue }
            // Tangent nodes belong to the same inlined call as the forward node they come from.
            builder.currentFrame = node.frame
            let operandTangents = node.operands.map(tangentOf)
            guard var tangent = TangentRules.tangent(of: NodeID(index), operandTangents: operandTangents, in: &builder) else {
                continue
            }
            if builder[tangent].shape != node.shape {
                tangent = builder.broadcast(tangent, node.shape, at: node.range)
            }
            tangents[index - low] = tangent
        }
        builder.currentFrame = savedFrame
        return tangents[output.int - low] ?? builder.zeros(outputShape, at: builder[output].range)
    }
}
