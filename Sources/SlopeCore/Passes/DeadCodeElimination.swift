/// Dead-code elimination (`dce`): removes the nodes the roots do not depend on. Params and
/// inputs are kept even when unused, so leaf values always have a node to bind to.
public enum DeadCodeElimination {
    public static let pass = Pass(name: "dce", onlyRemovesDeadNodes: true) { graph, roots, _ in
        var live = graph.reachable(from: roots)
        for index in 0..<graph.count where graph.nodes[index].op.isLeaf && graph.nodes[index].op.constantValue == nil {
            live[index] = true
        }
        guard live.contains(false) else { return .unchanged(graph) }
        let (compacted, remap) = graph.compacting(removing: live.map { !$0 })
        return PassResult(graph: compacted, replacement: remap, changed: true, atFixedPoint: true)
    }
}
