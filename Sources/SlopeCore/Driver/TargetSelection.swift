/// Choosing what the differentiating commands (`grad`, `check`, `dot --grad`) differentiate and
/// by what, with the contract's defaults:
///
/// - the target is `--of NAME`, else the target of the last `minimize`/`maximize` statement,
///   else the last value the program defines that is not itself a derivative (`fx = grad(f, x)`
///   defined last is skipped for f), unless every value the program computes is one;
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
    /// How the target was chosen: nil when `--of` named it.
    public var choice: TargetChoice? = nil

    /// The line `grad` and `check` print on stderr, and `dot --grad` in its title, when the
    /// target was chosen for the user: `differentiating f (the last value that is not a
    /// derivative; choose another with --of)`. Nil when `--of` named it.
    public var announcement: String? {
        choice.map { "differentiating \(name) (\($0.reason); choose another with --of)" }
    }
}

/// Why the default target is the one it is.
public enum TargetChoice: Sendable, Equatable {
    /// The target of the last `minimize`/`maximize` statement.
    case training(TrainDirection)
    /// The last value the program defines.
    case lastValue
    /// The last value that is not a derivative: derivatives defined after it were skipped.
    case lastBesidesDerivatives

    public var reason: String {
        switch self {
        case .training(let direction): return "the target of the last \(direction.rawValue) statement"
        case .lastValue: return "the last value the program defines"
        case .lastBesidesDerivatives: return "the last value that is not a derivative"
        }
    }
}

public enum TargetSelection {
    /// The target when `--of` is not given: the last minimize/maximize target, else the last
    /// defined name (a param or input counts) that is not a derivative — unless every value the
    /// program computes is a derivative, then simply the last — else nil for a program that
    /// defines nothing.
    public static func defaultTarget(in program: Program) -> (name: String, node: NodeID)? {
        defaultChoice(in: program).map { ($0.name, $0.node) }
    }

    /// `defaultTarget`, with how it was chosen.
    static func defaultChoice(in program: Program) -> (name: String, node: NodeID, choice: TargetChoice)? {
        for action in program.actions.reversed() {
            if case .train(let spec) = action { return (spec.targetText, spec.target, .training(spec.direction)) }
        }
        let defined = program.definitions.compactMap { definition in program.names[definition.name].map { (definition.name, $0) } }
        guard let last = defined.last else { return nil }
        let computesOnlyDerivatives = defined.allSatisfy { name, node in
            program.derivatives.contains(name) || program.graph[node].op.leaf != nil
        }
        if computesOnlyDerivatives { return (last.0, last.1, .lastValue) }
        // Some value is not a derivative, so this finds one.
        guard let chosen = defined.last(where: { !program.derivatives.contains($0.0) }) else { return nil }
        return (chosen.0, chosen.1, chosen.0 == last.0 ? .lastValue : .lastBesidesDerivatives)
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
        var choice: TargetChoice?
        if let of {
            guard let node = program.names[of] else {
                throw Compilation.Failure(diagnostics: [DriverMessages.unknownName("--of", of, available: available)],
                                          status: .usageError)
            }
            (name, target) = (of, node)
        } else {
            guard let found = defaultChoice(in: program) else {
                throw Compilation.Failure(diagnostics: [TargetMessages.noTarget(at: program.start)], status: .programError)
            }
            (name, target, choice) = found
        }
        let shape = program.graph[target].shape
        guard shape.isScalar else {
            let range = definitionRange(of: name, in: program) ?? program.graph[target].range
            let diagnostic = TargetMessages.nonScalarTarget(name, shape, named: of != nil, at: range)
            throw Compilation.Failure(diagnostics: [diagnostic], status: of != nil ? .usageError : .programError)
        }
        guard let wrt else {
            return GradientTarget(name: name, node: target, wrt: defaultWrt(for: target, in: program), choice: choice)
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
        return GradientTarget(name: name, node: target, wrt: leaves, choice: choice)
    }

    /// Where the program defines `name`, for diagnostics that point at it.
    static func definitionRange(of name: String, in program: Program) -> SourceRange? {
        program.definitions.first { $0.name == name }?.range
    }
}
