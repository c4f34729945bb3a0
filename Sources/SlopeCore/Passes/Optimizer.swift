/// The optimizer's entry point: runs `Pipeline.standard` on a graph between lowering (or
/// differentiation) and execution.
///
///     let optimized = Optimizer.optimize(graph, roots: [loss, dW])
///     optimized.graph              // the new graph
///     optimized.map(loss)          // the node computing the loss in it
///
/// Guarantees, relied on by the interpreter and the commands:
/// - `replacement` maps EVERY node of the input graph to the node of the new graph computing
///   the same value, or to nil when that value is no longer computed (it was unreachable from
///   the roots, or a rewrite made it so). Roots are never nil.
/// - Every `param` and `input` leaf survives with the same op (name) and shape, whether or not
///   the roots use it, so leaf values bind by `replacement[leaf]`.
/// - A replacement node carries the source range of the node it replaces, and the user's name
///   moves to the node that now computes the named value when that node has no name yet.
public enum Optimizer {
    public static func optimize(_ graph: Graph, roots: [NodeID], pipeline: Pipeline = .standard,
                                recordGraphs: Bool = false) -> Optimized {
        pipeline.run(graph, roots: roots, recordGraphs: recordGraphs)
    }

    /// Optimizes a lowered program for its roots (printed values and training targets) and
    /// renumbers everything the program refers to. Names whose value is gone are dropped.
    public static func optimize(_ program: Program, extraRoots: [NodeID] = [],
                                pipeline: Pipeline = .standard) -> (program: Program, optimized: Optimized) {
        let optimized = pipeline.run(program.graph, roots: program.roots + extraRoots)
        // Leaves always survive and roots are never dropped, so the renumbering cannot fail.
        let result = program.renumbered(optimized.graph) { optimized.replacement[$0.int] }
        return (result, optimized)
    }
}

/// The result of optimizing a graph.
public struct Optimized: Sendable {
    public let graph: Graph
    /// The roots, in the order given, as nodes of `graph`.
    public let roots: [NodeID]
    /// For each node of the input graph, the node of `graph` computing its value, or nil when
    /// the value is no longer computed. See `Optimizer` for the guarantees.
    public let replacement: [NodeID?]
    /// Every pass run that changed the graph, in order.
    public let runs: [PassRun]
    /// True when a phase hit its round bound (a bug: rules should converge).
    public let limitReached: Bool

    /// The node computing `id`'s value, or nil.
    public func map(_ id: NodeID) -> NodeID? {
        id.int < replacement.count ? replacement[id.int] : nil
    }

    /// Every rule firing, in order.
    public var firings: [RuleFiring] { runs.flatMap(\.firings) }
}
