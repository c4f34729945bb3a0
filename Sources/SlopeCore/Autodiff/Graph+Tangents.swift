/// Appending a forward-mode derivative to a graph: what `jvp(...)` lowers to.
extension Graph {
    /// Appends the tangent of `output` along `direction` at `x` (forward mode, SPEC.md section
    /// 4.2), sharing every node it can with the graph (hash-consed), and returns it. Tangent
    /// nodes belong to the inlined call of the forward node they come from; a zero tangent to
    /// `frame`.
    public mutating func appendTangent(of output: NodeID, wrt x: NodeID, along direction: NodeID,
                                       frame: Int32? = nil) -> NodeID {
        var builder = GraphBuilder(self, hashConsing: true)
        // Sums in the normal form reverse mode builds them in, so a tangent of a tangent shares.
        builder.combiningLinearTerms = true
        builder.currentFrame = frame
        let tangent = ForwardMode.tangent(of: output, wrt: x, along: direction, in: &builder)
        self = builder.finish()
        return tangent
    }
}
