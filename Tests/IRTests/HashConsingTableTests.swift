import Testing
@testable import SlopeCore
import SlopeTestSupport

// The hash-consing index and the other per-node tables that replaced dictionaries and arrays
// of arrays: checked against the plain structures they stand for, on random graphs.

/// A random graph of `count` nodes over two leaves, with many repeated (op, operands) pairs, built
/// without hash-consing so duplicates stay.
private func randomGraph(_ count: Int, seed: UInt64) -> Graph {
    var random = SplitMix64(state: seed)
    var builder = GraphBuilder()
    builder.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
    builder.add(.leaf(.param, "y"), [], shape: .scalar, range: nil, name: "y")
    let ops: [Op] = [.add, .mul, .sub, .unary(.exp), .unary(.sin), .constant(Tensor(2)), .constant(Tensor(-0.0))]
    while builder.graph.count < count {
        let op = ops[random.below(ops.count)]
        // Operands from a small window, so the same pair comes up again and again.
        let pick = { NodeID(max(0, builder.graph.count - 1 - random.below(6))) }
        switch op.arity {
        case 0?: builder.add(op, [], shape: .scalar, range: nil)
        case 1?: builder.add(op, [pick()], range: nil)
        default: builder.add(op, [pick(), pick()], range: nil)
        }
    }
    return builder.graph
}

private struct Key: Hashable {
    let op: Op
    let operands: Operands
}

@Test(arguments: [1, 2, 3]) func theTableFindsTheFirstNodeOfEachPairAsADictionaryDoes(seed: UInt64) {
    let graph = randomGraph(5_000, seed: seed)
    var table = HashConsingTable()
    table.removeAll(reservingCapacity: 4)  // small, so it grows many times
    var reference: [Key: NodeID] = [:]
    for (index, node) in graph.nodes.enumerated() {
        let first = table.findOrInsert(node.op, node.operands, id: NodeID(index), in: graph.nodes)
        let expected = reference[Key(op: node.op, operands: node.operands), default: NodeID(index)]
        reference[Key(op: node.op, operands: node.operands)] = expected
        #expect(first == expected)
        if first != expected { return }
    }
    for (key, id) in reference { #expect(table.find(key.op, key.operands, in: graph.nodes) == id) }
    #expect(reference.count < graph.count * 3 / 4, "the graph should repeat many pairs")
}

@Test func removedEntriesAreForgottenAndTheirSlotsReused() {
    let graph = randomGraph(3_000, seed: 7)
    var table = HashConsingTable()
    var firsts: [NodeID] = []
    for (index, node) in graph.nodes.enumerated()
    where table.findOrInsert(node.op, node.operands, id: NodeID(index), in: graph.nodes) == NodeID(index) {
        firsts.append(NodeID(index))
    }
    // Forget the later half of the first nodes, as `truncate(to:)` does, then insert them again.
    let kept = firsts.count / 2
    for id in firsts[kept...].reversed() { table.remove(id, in: graph.nodes) }
    for id in firsts[..<kept] { #expect(table.find(graph[id].op, graph[id].operands, in: graph.nodes) == id) }
    for id in firsts[kept...] { #expect(table.find(graph[id].op, graph[id].operands, in: graph.nodes) == nil) }
    for id in firsts[kept...] {
        #expect(table.findOrInsert(graph[id].op, graph[id].operands, id: id, in: graph.nodes) == id)
    }
    for id in firsts { #expect(table.find(graph[id].op, graph[id].operands, in: graph.nodes) == id) }
    // A node that is not its pair's entry is not removed by name.
    if let duplicate = graph.ids.first(where: { !firsts.contains($0) && !graph[$0].op.isLeaf }) {
        let entry = table.find(graph[duplicate].op, graph[duplicate].operands, in: graph.nodes)
        table.remove(duplicate, in: graph.nodes)
        #expect(table.find(graph[duplicate].op, graph[duplicate].operands, in: graph.nodes) == entry)
    }
}

@Test func constantsMergeByTheirBitsAsTensorEqualityDoes() {
    var b = GraphBuilder(hashConsing: true)
    let zero = b.constant(0, range: nil), negativeZero = b.constant(-0.0, range: nil)
    let nan = b.constant(.nan, range: nil)
    #expect(zero != negativeZero)
    #expect(b.constant(-0.0, range: nil) == negativeZero)
    #expect(b.constant(.nan, range: nil) == nan)
    let long = Tensor(shape: Shape([20]), values: (0..<20).map(Double.init))
    var changed = long.values
    changed[19] = 100  // past the values the hash reads
    let a = b.constant(long, range: nil)
    #expect(b.constant(Tensor(shape: Shape([20]), values: changed), range: nil) != a)
    #expect(b.constant(long, range: nil) == a)
}

@Test func usersListEachReaderOnceInGraphOrder() {
    let graph = randomGraph(2_000, seed: 11)
    let users = graph.users()
    var reference = [[NodeID]](repeating: [], count: graph.count)
    for (index, node) in graph.nodes.enumerated() {
        for operand in Set(node.operands) { reference[operand.int].append(NodeID(index)) }
    }
    for index in 0..<graph.count { #expect(Array(users[index]) == reference[index]) }
}

@Test func combinationsStartEmptyInEachSharingRun() throws {
    var b = GraphBuilder(indexing: true)
    let x = b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
    let y = b.add(.leaf(.param, "y"), [], shape: .scalar, range: nil, name: "y")
    let sum = b.sharing { $0.add(x, y, at: nil) }
    b.sharing { builder in
        #expect(builder.combinations[sum] == nil)
        _ = builder.linearCombination(of: sum)
        #expect(builder.combinations[sum]?.terms.map(\.term) == [x, y])
    }
    b.sharing { builder in #expect(builder.combinations[sum] == nil) }
    var store = GraphBuilder.CombinationStore()
    store[NodeID(5)] = .term(NodeID(5))
    store[NodeID(9)] = .term(NodeID(9))
    store.removeAll(from: 6)
    #expect(store[NodeID(5)]?.terms.first?.term == NodeID(5))
    #expect(store[NodeID(9)] == nil)
    #expect(store[NodeID(1_000)] == nil)
}
