import Testing
@testable import SlopeCore

/// The inline terms of a linear combination: room for two capped combinations merged, and a
/// stop, not a silently dropped term, past that.
private typealias LinearCombination = GraphBuilder.LinearCombination

/// Σ coefficient·%id over `ids`, with coefficient id + 0.5 so that merged ones are told apart.
private func combination(_ ids: [Int]) -> LinearCombination {
    var terms = GraphBuilder.LinearTerms()
    for id in ids { terms.append((NodeID(id), Double(id) + 0.5)) }
    return LinearCombination(terms: terms)
}

@Test func linearTermsHoldTwoCappedCombinationsMerged() {
    #expect(GraphBuilder.LinearTerms.capacity == 2 * GraphBuilder.maximumTerms)
    // The two interleave in graph order; none is shared, so all eight stay.
    let merged = combination([1, 4, 6, 7]).adding(combination([0, 2, 3, 9]))
    #expect(merged.terms.map(\.term) == [0, 1, 2, 3, 4, 6, 7, 9].map(NodeID.init))
    #expect(merged.terms.map(\.coefficient) == [0.5, 1.5, 2.5, 3.5, 4.5, 6.5, 7.5, 9.5])
    // Like terms merge to one: (1.5 + 1.5)·%1.
    let overlapping = combination([1, 4, 6, 7]).adding(combination([1, 2, 3, 9]))
    #expect(overlapping.terms.count == 7 && overlapping.terms[0] == (NodeID(1), 3))
    #expect(merged.scaled(by: -1).terms.map(\.coefficient) == [-0.5, -1.5, -2.5, -3.5, -4.5, -6.5, -7.5, -9.5])
}

@Test func aNinthLinearTermStopsRatherThanBeingDropped() async {
    await #expect(processExitsWith: .failure) {
        var terms = GraphBuilder.LinearTerms()
        for id in 0...8 { terms.append((NodeID(id), 1)) }
    }
}
