/// What `grad`, `check` and `dot --grad` differentiate: the target (`--of`) and the names to
/// differentiate by (`--wrt`), resolved against the program.
///
/// - `--of` defaults to the target of the last minimize/maximize statement, else the last
///   defined value;
/// - `--wrt` defaults to every param the target depends on, in declaration order; an input may
///   be named too.
public struct GradientRequest: Sendable {
    public let targetName: String
    public let target: NodeID
    public let wrt: [(name: String, node: NodeID)]
    /// "the target does not depend on 'q'" warnings.
    public let warnings: [Diagnostic]

    public struct Failure: Error, Sendable {
        public let diagnostic: Diagnostic
        public let status: ExitStatus
    }

    public static func resolve(_ arguments: Arguments, in program: Program) throws(Failure) -> GradientRequest {
        let graph = program.graph
        let defined = program.definitions.map(\.name)
        var targetName: String
        var target: NodeID
        if let of = arguments.of {
            guard let node = program.names[of] else {
                throw Failure(diagnostic: DriverMessages.unknownName("--of", of, available: defined), status: .usageError)
            }
            targetName = of
            target = node
        } else if let spec = program.actions.reversed().compactMap({ action -> TrainingSpec? in
            if case .train(let spec) = action { return spec }
            return nil
        }).first {
            targetName = spec.targetText
            target = spec.target
        } else if let last = program.definitions.last(where: { program.leaf(named: $0.name) == nil }) ?? program.definitions.last,
                  let node = program.names[last.name] {
            targetName = last.name
            target = node
        } else {
            throw Failure(diagnostic: GradientMessages.nothingToDifferentiate(), status: .programError)
        }
        guard graph[target].shape.isScalar else {
            let range = program.definitions.first { $0.name == targetName }?.range ?? graph[target].range
            throw Failure(diagnostic: GradientMessages.nonScalarTarget(targetName, graph[target].shape, at: range), status: .programError)
        }
        if !targetName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) || targetName.first?.isNumber == true {
            targetName = "target"
        }

        let live = graph.reachable(from: [target])
        var wrt: [(String, NodeID)] = []
        var warnings: [Diagnostic] = []
        if let names = arguments.wrt {
            for name in names {
                guard let leaf = program.leaf(named: name) else {
                    let leaves = program.leaves.map(\.name)
                    throw Failure(diagnostic: DriverMessages.unknownName("--wrt", name, available: leaves), status: .usageError)
                }
                if !live[leaf.node.int] {
                    warnings.append(GradientMessages.independent(targetName, of: name, at: leaf.range))
                }
                wrt.append((name, leaf.node))
            }
        } else {
            wrt = program.params.filter { live[$0.node.int] }.map { ($0.name, $0.node) }
            guard !wrt.isEmpty else {
                throw Failure(diagnostic: GradientMessages.noParams(targetName, at: graph[target].range), status: .programError)
            }
        }
        return GradientRequest(targetName: targetName, target: target, wrt: wrt, warnings: warnings)
    }

    /// The program's graph with the gradient nodes appended (hash-consed with the forward pass).
    public func differentiate(_ graph: Graph) -> (graph: Graph, gradients: [NodeID]) {
        var builder = GraphBuilder(graph, hashConsing: true)
        let gradients = ReverseMode.gradients(of: target, wrt: wrt.map(\.node), in: &builder)
        return (builder.finish(), gradients)
    }
}
