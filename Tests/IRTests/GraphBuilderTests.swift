import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A builder holding two scalar params x (%0) and y (%1) and the constant 2 (%2).
private func builder(hashConsing: Bool) -> GraphBuilder {
    var builder = GraphBuilder(hashConsing: hashConsing)
    builder.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
    builder.add(.leaf(.param, "y"), [], shape: .scalar, range: nil, name: "y")
    _ = builder.constant(2, range: nil)
    return builder
}

private let x = NodeID(0), y = NodeID(1), two = NodeID(2)

@Test func askingTwiceForTheSameNodeReturnsTheSameNode() {
    var b = builder(hashConsing: true)
    let first = b.add(.exp, [x], range: nil)
    let second = b.add(.exp, [x], range: nil)
    #expect(first == second)
    #expect(b.graph.count == 4)
    // Different attributes are different nodes.
    let sum0 = b.add(.reduce(.sum, axis: nil), [first], range: nil)
    let mean0 = b.add(.reduce(.mean, axis: nil), [first], range: nil)
    #expect(sum0 != mean0)
}

@Test func commutativeOperandsAreOrderedCanonically() {
    var b = builder(hashConsing: true)
    // Constants last: 2 + x is stored as x + 2.
    let a = b.add(two, x, at: nil)
    #expect(b[a].operands == [x, two])
    // Otherwise by position: y * x is stored as x * y, and so x * y is the same node.
    let p = b.mul(y, x, at: nil)
    #expect(b[p].operands == [x, y])
    #expect(b.mul(x, y, at: nil) == p)
    #expect(b.add(x, two, at: nil) == a)
}

@Test func nonCommutativeOperandsKeepTheirOrder() {
    var b = builder(hashConsing: true)
    let d1 = b.sub(y, x, at: nil)
    let d2 = b.sub(x, y, at: nil)
    #expect(d1 != d2)
    #expect(b[d1].operands == [y, x])
    let q = b.div(two, x, at: nil)
    #expect(b[q].operands == [two, x])
}

@Test func leavesAreNeverMerged() {
    var b = builder(hashConsing: true)
    let again = b.add(.leaf(.input, "z"), [], shape: .scalar, range: nil)
    let other = b.add(.leaf(.input, "z2"), [], shape: .scalar, range: nil)
    #expect(again != other)
    #expect(b.graph.count == 5)
}

@Test func withoutHashConsingTheGraphIsBuiltAsWritten() {
    var b = builder(hashConsing: false)
    let first = b.add(two, x, at: nil)
    let second = b.add(two, x, at: nil)
    #expect(first != second)
    #expect(b[first].operands == [two, x])
}

@Test func theBuilderInfersShapes() {
    var b = GraphBuilder()
    let m = b.constant(Tensor(shape: Shape([2, 3]), values: [1, 2, 3, 4, 5, 6]), range: nil)
    let v = b.constant(Tensor(shape: Shape([3]), values: [1, 1, 1]), range: nil)
    let product = b.matmul(m, v, at: nil)
    let sum = b.add(m, v, at: nil)
    let transposed = b.transpose(m, at: nil)
    let columns = b.add(.reduce(.sum, axis: 0), [m], range: nil)
    #expect(b[product].shape == Shape([2]))
    #expect(b[sum].shape == Shape([2, 3]))
    #expect(b[transposed].shape == Shape([3, 2]))
    #expect(b[columns].shape == Shape([3]))
}

@Test func shapeShorthandsAreIdentitiesWhenNothingChanges() {
    var b = builder(hashConsing: false)
    let count = b.graph.count
    #expect(b.reshape(x, .scalar, at: nil) == x)
    #expect(b.broadcast(x, .scalar, at: nil) == x)
    #expect(b.sumTo(x, .scalar, at: nil) == x)
    #expect(b.graph.count == count)
    let wide = b.broadcast(x, Shape([2, 2]), at: nil)
    #expect(b[wide].shape == Shape([2, 2]))
    let narrow = b.sumTo(wide, Shape([2]), at: nil)
    #expect(b[narrow].shape == Shape([2]))
}

@Test func adjointMarksKeepTheFirstForwardNode() {
    var b = builder(hashConsing: false)
    let d = b.mul(x, two, at: nil)
    b.markAdjoint(d, of: x)
    b.markAdjoint(d, of: y)
    #expect(b[d].adjointOf == x)
    // Leaves are never marked.
    b.markAdjoint(x, of: y)
    #expect(b[x].adjointOf == nil)
}

@Test func framesNestAndRestore() {
    var b = GraphBuilder()
    let call = SourceRange(file: SourceFile(path: "t", text: "f(g(1))"), start: 0, end: 7)
    let outer = b.enterFrame(function: "f", range: call)
    let inner = b.enterFrame(function: "g", range: call)
    let node = b.constant(1, range: nil)
    b.leaveFrame(restoring: inner)
    let after = b.constant(2, range: nil)
    b.leaveFrame(restoring: outer)
    let outside = b.constant(3, range: nil)
    #expect(b.graph.frames.map(\.parent) == [nil, 0])
    #expect(b[node].frame == 1)
    #expect(b[after].frame == 0)
    #expect(b[outside].frame == nil)
}

@Test func anAdjointMarkNeverPointsToALaterNode() {
    // Hash-consing can hand reverse mode a node built before the forward node it is
    // differentiating (a broadcast an inner grad made); marking it would name it after a
    // node the printer has not named yet.
    var b = builder(hashConsing: true)
    let early = b.add(.exp, [x], range: nil)
    let late = b.add(.neg, [y], range: nil)
    b.markAdjoint(early, of: late)
    #expect(b.graph[early].adjointOf == nil)
    let adjoint = b.add(.mul, [late, two], range: nil)
    b.markAdjoint(adjoint, of: late)
    #expect(b.graph[adjoint].adjointOf == late)
    #expect(NameTable(b.graph).names.last == "d_t4")
}

// MARK: Linear combinations (reverse mode's normal form)

/// x (%0), y (%1), 2 (%2), with hash-consing and the normal form on.
private func combining() -> GraphBuilder {
    var b = builder(hashConsing: true)
    b.combiningLinearTerms = true
    return b
}

@Test func timesOneAndDoubleNegationAreTheValueItself() {
    var b = combining()
    let one = b.constant(1, range: nil)
    #expect(b.mul(x, one, at: nil) == x)
    #expect(b.mul(one, y, at: nil) == y)
    #expect(b.neg(b.neg(x, at: nil), at: nil) == x)
    #expect(b.graph.count == 5, "x, y, 2, 1 and the one −x")
}

@Test func sumsOfTheSameTermsInAnyOrderAreOneNode() {
    var b = combining()
    let e = b.add(.exp, [x], range: nil)
    let xy = b.add(x, y, at: nil)
    let first = b.add(xy, e, at: nil)                                  // (x + y) + exp(x)
    let second = b.add(e, b.add(y, x, at: nil), at: nil)               // exp(x) + (y + x)
    let third = b.sub(b.add(e, b.add(x, b.add(y, y, at: nil), at: nil), at: nil), y, at: nil)  // exp(x) + x + 2y − y
    #expect(first == second)
    #expect(third == first, "2y − y merges to y")
}

@Test func likeTermsMergeAndScalingsComeOut() throws {
    var b = combining()
    let e = b.add(.exp, [x], range: nil)
    // exp(x)·2 + exp(x) = 3·exp(x); (−(x·2))·y = −2·(x·y).
    let tripled = b.add(b.mul(e, two, at: nil), e, at: nil)
    #expect(b.graph[tripled].op == .mul && b.graph[tripled].operands[0] == e)
    #expect(b.graph[b.graph[tripled].operands[1]].op.constantValue == Tensor(3))
    // A negative combination is built as the negation of its positive: −(2·(x·y)).
    let product = b.mul(b.neg(b.mul(x, two, at: nil), at: nil), y, at: nil)
    try #require(b.graph[product].op == .neg)
    let scaled = b.graph[product].operands[0]
    try #require(b.graph[scaled].op == .mul)
    let (inner, factor) = (b.graph[scaled].operands[0], b.graph[scaled].operands[1])
    #expect(b.graph[inner].op == .mul && b.graph[inner].operands == [x, y])
    #expect(factor == two)
}

@Test func aSumScaledByAConstantStaysOneProduct() {
    // 2·(x − y) is one product, as written, not 2·x − 2·y.
    var b = combining()
    let difference = b.sub(x, y, at: nil)
    let scaled = b.mul(difference, two, at: nil)
    #expect(b.graph[scaled].op == .mul && b.graph[scaled].operands == [difference, two])
}

@Test func aCancelledTermStaysAsTimesZero() throws {
    // exp(x) + y − exp(x) is 0·exp(x) + y: for an infinite exp(x) it is NaN, as inf − inf is.
    var b = combining()
    let e = b.add(.exp, [x], range: nil)
    let result = b.sub(b.add(e, y, at: nil), e, at: nil)
    // Terms in graph order: y (%1), then exp(x)·0.
    try #require(b.graph[result].op == .add && b.graph[result].operands.count == 2)
    #expect(b.graph[result].operands[0] == y)
    let zeroTerm = b.graph[result].operands[1]
    try #require(b.graph[zeroTerm].op == .mul)
    #expect(b.graph[zeroTerm].operands[0] == e)
    #expect(b.graph[b.graph[zeroTerm].operands[1]].op.constantValue == Tensor(0))
}

@Test func valuesOfOtherShapesDoNotCombine() {
    // A vector plus a scalar broadcasts: it is built as written.
    var b = combining()
    let v = b.add(.leaf(.param, "v"), [], shape: Shape([3]), range: nil, name: "v")
    let sum = b.add(v, x, at: nil)
    #expect(b.graph[sum].op == .add && b.graph[sum].operands == [x, v])
    #expect(b.graph[sum].shape == Shape([3]))
}

@Test(arguments: [nil, 2, -2] as [Double?])
func readingBackASumOfEightTermsGivesWhatItsNodeReadsAndRoomForFourMore(constant: Double?) throws {
    // For every sign pattern of eight terms: reading back the node `materialize` builds is a
    // partial sum of five terms as one, and the three after it, so reverse mode's deferred sum
    // (that, plus a contribution of at most four terms) never needs more than eight.
    for negatives in 0..<256 {
        var b = combining()
        let leaves = (0..<8).map { b.add(.leaf(.param, "p\($0)"), [], shape: .scalar, range: nil, name: "p\($0)") }
        var terms = GraphBuilder.LinearTerms()
        for (k, leaf) in leaves.enumerated() { terms.append((leaf, negatives >> k & 1 == 1 ? -1 : 1)) }
        let sum = GraphBuilder.LinearCombination(terms: terms, constant: constant)
        b.materializePositiveTerms(of: sum, shape: .scalar, range: nil)
        let reading = b.readingBack(sum, shape: .scalar, range: nil)
        let readBack = try #require(reading, "signs \(negatives)")
        let read = b.linearCombination(of: b.materialize(sum, shape: .scalar, range: nil))
        #expect(readBack.terms.map(\.term) == read.terms.map(\.term), "signs \(negatives)")
        #expect(readBack.terms.map(\.coefficient) == read.terms.map(\.coefficient), "signs \(negatives)")
        #expect(readBack.constant == read.constant, "signs \(negatives)")
        #expect(readBack.terms.count == GraphBuilder.maximumTerms, "signs \(negatives)")
    }
}

/// A hash-consing builder with five scalar params t0…t4 (%0…%4).
private func termsBuilder() -> GraphBuilder {
    var builder = GraphBuilder(hashConsing: true)
    for k in 0..<5 { builder.add(.leaf(.param, "t\(k)"), [], shape: .scalar, range: nil) }
    return builder
}

/// Σ terms[k] with coefficient 1 (the first two scaled by 2 and 3 when `scaled`).
private func combination(_ count: Int, scaled: Bool = false) -> GraphBuilder.LinearCombination {
    var terms = GraphBuilder.LinearTerms()
    for k in 0..<count { terms.append((NodeID(k), scaled && k < 2 ? Double(k + 2) : 1)) }
    return GraphBuilder.LinearCombination(terms: terms)
}

@Test(arguments: [false, true])
func aSumThatExtendsTheLastOneStartsFromItsPartialSums(scaled: Bool) {
    // Reverse mode materializes an adjoint's running sum at each contribution: t0 + t1 + t2,
    // then t0 + t1 + t2 + t3, … The second is built from the first's partial sums, and must be
    // the graph a builder that remembers nothing builds.
    var remembering = termsBuilder(), forgetting = termsBuilder()
    var sums: [(NodeID, NodeID)] = []
    for count in [3, 4, 2, 5, 5] {
        let a = remembering.materialize(combination(count, scaled: scaled), shape: .scalar, range: nil)
        forgetting.partialSums.removeAll()
        let b = forgetting.materialize(combination(count, scaled: scaled), shape: .scalar, range: nil)
        sums.append((a, b))
    }
    #expect(sums.allSatisfy { $0.0 == $0.1 })
    #expect(remembering.graph.count == forgetting.graph.count)
    for index in 0..<remembering.graph.count {
        #expect(remembering.graph.nodes[index].op == forgetting.graph.nodes[index].op)
        #expect(remembering.graph.nodes[index].operands == forgetting.graph.nodes[index].operands)
    }
    // Each sum of k terms adds one node past the sum of k − 1 (and the scalings two products
    // and their constants).
    #expect(remembering.graph.count == 5 + 4 + (scaled ? 4 : 0))
}

@Test func partialSumsAreForgottenWithTheNodesTheyName() {
    var b = termsBuilder()
    _ = b.materialize(combination(4), shape: .scalar, range: nil)
    b.truncate(to: 5)
    // The partial sums named nodes 5…7, now gone: the sum is built anew, not taken from them.
    let sum = b.materialize(combination(4), shape: .scalar, range: nil)
    #expect(b.graph.count == 8)
    #expect(sum == NodeID(7))
    #expect(b[sum].op == .add && b[sum].operands.contains { b[$0].op == .add })
}
