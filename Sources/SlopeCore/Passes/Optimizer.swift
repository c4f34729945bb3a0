/// The optimizer's entry point: runs `Pipeline.standard` on a graph between lowering (or
/// differentiation) and execution.
///
///     let optimized = Optimizer.optimize(graph)    // keeps the graph's outputs
///     optimized.graph.outputs                      // the same outputs, in the new graph
///     optimized.graph.leaf(named: "W")             // the same leaves, in the new graph
///
/// Guarantees, relied on by the interpreter and the commands:
/// - The graph's outputs (and any further `roots` given) are kept, and the new graph's leaf
///   table, outputs and named values name the nodes now computing them; a named value that
///   is no longer computed loses its name.
/// - Every `param` and `input` leaf survives with the same op (name) and shape, whether or not
///   the outputs use it, so leaf values always bind.
/// - `replacement` maps every node of the input graph to the node of the new graph computing
///   the same value, or to nil when that value is no longer computed, or when the node was
///   unnamed and nothing kept read it (simplification does not rebuild it, so what would
///   compute its value is not looked for). It is there for tests
///   and for pictures of the optimizer's work (`slope dot --opt`); commands read the graph's
///   interface instead.
/// - A replacement node carries the source range of the node it replaces, and the user's name
///   moves to the node that now computes the named value when that node has no name yet.
public enum Optimizer {
    /// Optimizes for the graph's outputs.
    public static func optimize(_ graph: Graph, pipeline: Pipeline = .standard, recordGraphs: Bool = false) -> Optimized {
        pipeline.run(graph, roots: [], recordGraphs: recordGraphs)
    }

    /// Optimizes for the graph's outputs and `roots`; `Optimized.roots` are `roots` in the new graph.
    public static func optimize(_ graph: Graph, roots: [NodeID], pipeline: Pipeline = .standard,
                                recordGraphs: Bool = false) -> Optimized {
        pipeline.run(graph, roots: roots, recordGraphs: recordGraphs)
    }

    /// Optimizes a lowered program for its outputs (printed values and training targets). The
    /// program reads its statements' values through the graph's outputs, so it needs no
    /// renumbering; names whose value is gone are dropped.
    public static func optimize(_ program: Program, pipeline: Pipeline = .standard) -> (program: Program, optimized: Optimized) {
        let optimized = pipeline.run(program.graph, roots: [])
        var result = program
        result.graph = optimized.graph
        return (result, optimized)
    }
}

/// The result of optimizing a graph.
public struct Optimized: Sendable {
    /// The new graph, its leaf table, outputs and named values already moved onto it.
    public let graph: Graph
    /// The extra roots given to the optimizer, in order, as nodes of `graph`.
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
