import Foundation

extension Graph {
    /// Graphs with fewer nodes are freed where they are dropped: a thread costs more.
    static let nodesFreedElsewhere = 50_000

    /// Lets go of `graph` on a thread of its own when it is large, so that the caller does not
    /// wait while its nodes are freed (each a shape and a name to release: 7 ms for the lowered
    /// 100,000-node chain, whose plan is built meanwhile).
    static func release(_ graph: consuming Graph) {
        guard graph.count >= nodesFreedElsewhere else { return }
        let dropped = graph
        Thread.detachNewThread { _ = dropped.count }
    }
}
