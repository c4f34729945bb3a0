/// Choosing what the differentiating commands (`grad`, `check`, `dot --grad`) differentiate and
/// by what, with the contract's defaults:
///
/// - the target is `--of NAME`, else the target of the last `minimize`/`maximize` statement,
///   else the last value the program defines;
/// - the names are `--wrt A,B,...` (params or inputs), else every param the target depends on,
///   in declaration order.

/// A scalar value to differentiate and the leaves to differentiate it by.
public struct GradientTarget: Sendable {
    /// The name the user knows the target by: the `--of` name, the defined name, or the source
    /// text of a training statement's target (`mse(pred, y)`).
    public let name: String
    public let node: NodeID
    /// The params and inputs to differentiate by, in order (possibly empty).
    public let wrt: [Leaf]
}

public enum TargetSelection {
    /// The target when `--of` is not given: the last minimize/maximize target, else the last
    /// defined name (a param or input counts), else nil for a program that defines nothing.
    public static func defaultTarget(in program: Program) -> (name: String, node: NodeID)? {
        for action in program.actions.reversed() {
            if case .train(let spec) = action { return (spec.targetText, spec.target) }
        }
        for definition in program.definitions.reversed() {
            if let node = program.names[definition.name] { return (definition.name, node) }
        }
        return nil
    }

    /// The names when `--wrt` is not given: every param `target` depends on, in declaration order.
    public static func defaultWrt(for target: NodeID, in program: Program) -> [Leaf] {
        let live = program.graph.reachable(from: [target])
        return program.params.filter { live[$0.node.int] }
    }

    /// Resolves `--of` and `--wrt` (nil when not given) against the program. Failures are
    /// diagnostics: a usage error for a name the command line got wrong, a program error when
    /// the default target is unusable.
    public static func select(of: String?, wrt: [String]?, in program: Program) throws(Compilation.Failure) -> GradientTarget {
        let available = program.definitions.map(\.name)
        let name: String
        let target: NodeID
        if let of {
            guard let node = program.names[of] else {
                throw Compilation.Failure(diagnostics: [DriverMessages.unknownName("--of", of, available: available)],
                                          status: .usageError)
            }
            (name, target) = (of, node)
        } else {
            guard let found = defaultTarget(in: program) else {
                throw Compilation.Failure(diagnostics: [TargetMessages.noTarget(at: program.start)], status: .programError)
            }
            (name, target) = found
        }
        let shape = program.graph[target].shape
        guard shape.isScalar else {
            let range = definitionRange(of: name, in: program) ?? program.graph[target].range
            let diagnostic = TargetMessages.nonScalarTarget(name, shape, named: of != nil, at: range)
            throw Compilation.Failure(diagnostics: [diagnostic], status: of != nil ? .usageError : .programError)
        }
        guard let wrt else {
            return GradientTarget(name: name, node: target, wrt: defaultWrt(for: target, in: program))
        }
        var leaves: [Leaf] = []
        for wrtName in wrt {
            if let leaf = program.leaf(named: wrtName) {
                leaves.append(leaf)
            } else if program.names[wrtName] != nil {
                let range = definitionRange(of: wrtName, in: program)
                throw Compilation.Failure(diagnostics: [TargetMessages.wrtNotLeaf(wrtName, at: range)], status: .usageError)
            } else {
                let leafNames = program.leaves.map(\.name)
                throw Compilation.Failure(diagnostics: [DriverMessages.unknownName("--wrt", wrtName, available: leafNames)],
                                          status: .usageError)
            }
        }
        return GradientTarget(name: name, node: target, wrt: leaves)
    }

    /// Where the program defines `name`, for diagnostics that point at it.
    static func definitionRange(of name: String, in program: Program) -> SourceRange? {
        program.definitions.first { $0.name == name }?.range
    }
}
