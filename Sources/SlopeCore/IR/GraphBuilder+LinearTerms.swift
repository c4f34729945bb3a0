extension GraphBuilder {
    /// The terms of a `LinearCombination`, (term, coefficient) pairs in graph order, held inline:
    /// building, merging and storing combinations allocates nothing (as an array, a single term
    /// was an allocation, and every merge and scaling another, over a million per long chain).
    ///
    /// Eight terms always suffice. A combination read from a node is capped at `maximumTerms`
    /// (4) and every combination built is at most two of those merged: a node's sum or
    /// difference in `linearForm` and `linearCombination(of:)`, and in reverse mode a deferred
    /// sum, which adds a contribution (read from a node) to what reading the sum back gives
    /// (`readingBack`: at most 4 terms, since it keeps at most 3 of a sum of at most 8 and adds
    /// one for the partial sum it builds); scaling and filtering only keep or drop terms. A
    /// ninth term is a bug in that reasoning, so `append` stops there rather than drop it.
    struct LinearTerms: RandomAccessCollection {
        typealias Element = (term: NodeID, coefficient: Double)

        /// Two combinations of `maximumTerms` terms, merged.
        static var capacity: Int { InlineArray<8, NodeID>.count }

        // Terms and coefficients apart, so the padding of a pair is not paid eight times.
        private var ids = InlineArray<8, NodeID>(repeating: NodeID(0))
        private var coefficients = InlineArray<8, Double>(repeating: 0)
        private var storedCount: UInt8 = 0

        init() {}

        init(_ term: NodeID, coefficient: Double) { append((term, coefficient)) }

        var startIndex: Int { 0 }
        var endIndex: Int { Int(storedCount) }

        subscript(position: Int) -> Element {
            precondition(position >= 0 && position < endIndex, "internal error: linear term index out of range")
            return (ids[position], coefficients[position])
        }

        mutating func append(_ element: Element) {
            precondition(endIndex < Self.capacity, "internal error: a linear combination of more than \(Self.capacity) terms")
            ids[endIndex] = element.term
            coefficients[endIndex] = element.coefficient
            storedCount += 1
        }
    }
}
