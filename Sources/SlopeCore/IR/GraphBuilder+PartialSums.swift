extension GraphBuilder {
    /// The partial sums of the positive terms the last `materialize` built, for the next to
    /// start from. Reverse mode materializes an adjoint's running sum at every contribution, and
    /// each time the sum starts with the terms of the last one: with hash-consing, building
    /// those again finds the same nodes, one table lookup per term (a long program's adjoint of
    /// x read by 50,000 nodes made 400,000 such lookups). A shared prefix is taken from here
    /// instead: the same nodes, without the lookups.
    ///
    /// Valid while the nodes it names keep their places: recorded only with hash-consing on,
    /// and cleared when the graph is truncated or a `sharing` run starts or ends.
    struct PartialSums {
        private var terms = InlineArray<8, NodeID>(repeating: NodeID(0))
        private var coefficients = InlineArray<8, UInt64>(repeating: 0)
        private var sums = InlineArray<8, NodeID>(repeating: NodeID(0))
        private(set) var count = 0
        /// The shape the sums were built with.
        private(set) var shape = Shape.scalar

        /// The sum of the first `step + 1` terms, when term `step` is `term · coefficient`
        /// (coefficients compared by their bits) and the terms before it matched.
        func sum(at step: Int, _ term: NodeID, _ coefficient: Double) -> NodeID? {
            guard step < count, terms[step] == term, coefficients[step] == coefficient.bitPattern else { return nil }
            return sums[step]
        }

        /// Records that the first `step + 1` terms sum to `sum`, forgetting what came after.
        mutating func record(at step: Int, _ term: NodeID, _ coefficient: Double, sum: NodeID) {
            guard step < InlineArray<8, NodeID>.count else { return }
            terms[step] = term
            coefficients[step] = coefficient.bitPattern
            sums[step] = sum
            count = step + 1
        }

        /// Starts over for sums of `shape`.
        mutating func removeAll(shape: Shape = .scalar) {
            count = 0
            self.shape = shape
        }
    }
}
