import Testing
@testable import SlopeCore
import SlopeTestSupport

/// %0 a, %1 b, %2 exp(a), %3 a*b, %4 exp(a) + a*b, %5 neg(b) (unused)
private func sample() -> Graph {
    var b = GraphBuilder()
    let a = b.add(.leaf(.param, "a"), [], shape: .scalar, range: nil, name: "a")
    let bb = b.add(.leaf(.input, "b"), [], shape: .scalar, range: nil, name: "b")
    let e = b.apply(.exp, a, at: nil)
    let p = b.mul(a, bb, at: nil)
    _ = b.add(e, p, at: nil)
    _ = b.neg(bb, at: nil)
    return b.finish()
}

@Test func reachabilityFollowsOperandsBackwards() {
    let graph = sample()
    #expect(graph.reachable(from: [NodeID(4)]) == [true, true, true, true, true, false])
    #expect(graph.reachable(from: [NodeID(2)]) == [true, false, true, false, false, false])
    #expect(graph.leaves(reachableFrom: [NodeID(2)]) == [NodeID(0)])
    #expect(graph.leaves(reachableFrom: [NodeID(4)]) == [NodeID(0), NodeID(1)])
}

@Test func usersListEachUserOnce() {
    var b = GraphBuilder()
    let a = b.add(.leaf(.param, "a"), [], shape: .scalar, range: nil)
    let square = b.mul(a, a, at: nil)
    let graph = b.finish()
    #expect(graph.users()[a.int] == [square])
}

@Test func compactingRemovesNodesAndRenumbersOperands() throws {
    let graph = sample()
    // Remove exp(a) and everything using it (%2, %4); keep the rest.
    let removed = [false, false, true, false, true, false]
    let (compacted, remap) = graph.compacting(removing: removed)
    #expect(compacted.count == 4)
    #expect(remap.map { $0?.index } == [0, 1, nil, 2, nil, 3])
    // a*b moved from %3 to %2 and still reads %0 and %1; neg(b) moved to %3 and reads %1.
    #expect(compacted[NodeID(2)].op == .mul)
    #expect(compacted[NodeID(2)].operands == [NodeID(0), NodeID(1)])
    #expect(compacted[NodeID(3)].operands == [NodeID(1)])
    #expect(compacted[NodeID(0)].name == "a")
    #expect(Verifier.verify(compacted) == nil)
}

@Test func compactingKeepsFramesAndAdjointMarks() {
    var b = GraphBuilder()
    let range = SourceRange(file: SourceFile(path: "t", text: "f(x)"), start: 0, end: 4)
    let saved = b.enterFrame(function: "f", range: range)
    let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil)
    let junk = b.constant(7, range: nil)
    let d = b.mul(x, x, at: nil)
    b.markAdjoint(d, of: x)
    b.leaveFrame(restoring: saved)
    let (compacted, _) = b.finish().compacting(removing: [false, true, false])
    _ = junk
    #expect(compacted.frames.map(\.function) == ["f"])
    #expect(compacted[NodeID(1)].frame == 0)
    #expect(compacted[NodeID(1)].adjointOf == NodeID(0))
}

@Test func compactingNothingGivesTheSameGraph() {
    let graph = sample()
    let (compacted, remap) = graph.compacting(removing: Array(repeating: false, count: graph.count))
    #expect(IRPrinter.print(compacted) == IRPrinter.print(graph))
    #expect(remap.map { $0?.int } == Array(0..<graph.count))
}
