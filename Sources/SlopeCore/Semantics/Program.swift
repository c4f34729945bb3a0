/// A lowered program: the graph, its leaves with their initial values, its global names, and
/// the statements to perform (prints and training) in program order.
public struct Program: Sendable {
    public var graph: Graph
    public var leaves: [Leaf]
    /// Every global name (params, inputs and named values) and the node it denotes.
    public var names: [String: NodeID]
    /// Global names in definition order, with where each was defined.
    public var definitions: [(name: String, range: SourceRange)]
    public var actions: [Action]
    /// The seed used for normal()/uniform() draws.
    public var seed: UInt64

    public var params: [Leaf] { leaves.filter { $0.kind == .param } }

    public func leaf(named name: String) -> Leaf? { leaves.first { $0.name == name } }

    /// The initial value of every leaf, by node, for the interpreter.
    public var leafValues: [NodeID: Tensor] {
        Dictionary(uniqueKeysWithValues: leaves.map { ($0.node, $0.value) })
    }

    /// Nodes that statements read: printed values and training targets.
    public var roots: [NodeID] {
        actions.flatMap { action -> [NodeID] in
            switch action {
            case .print(let items): return items.map(\.node)
            case .train(let spec): return [spec.target]
            }
        }
    }
}

/// A param or input: its leaf node and initial value.
public struct Leaf: Sendable {
    public let name: String
    public let kind: LeafKind
    public let node: NodeID
    public var value: Tensor
    /// The declaration, for diagnostics.
    public let range: SourceRange
}

public enum Action: Sendable {
    case print([PrintedValue])
    case train(TrainingSpec)
}

/// One expression of a print statement.
public struct PrintedValue: Sendable {
    /// The expression's source text as written (`--json` reports it as `expr`).
    public let text: String
    public let node: NodeID
    public let range: SourceRange
}

/// A `minimize` or `maximize` statement after checking.
public struct TrainingSpec: Sendable {
    public let direction: TrainDirection
    public let target: NodeID
    public let targetText: String
    public let method: TrainingMethod
    public let range: SourceRange
}

/// A training method and its settings, validated at lowering.
public struct TrainingMethod: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case gd, sgd, momentum, adam, newton }
    public let kind: Kind
    public var rate: Double
    public var steps: Int
    public var batch: Int?
    public var beta: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var tolerance: Double?
    public let range: SourceRange
}

extension Program {
    /// The program over a rebuilt graph: every node the program refers to (leaves, printed
    /// values, training targets, names) moved by `map`, which must keep leaves and roots;
    /// names whose value is gone (`map` returns nil) are dropped.
    public func renumbered(_ graph: Graph, by map: (NodeID) -> NodeID?) -> Program {
        func required(_ id: NodeID) -> NodeID {
            guard let mapped = map(id) else { preconditionFailure("internal error: a root or leaf was dropped") }
            return mapped
        }
        var result = self
        result.graph = graph
        result.leaves = leaves.map { Leaf(name: $0.name, kind: $0.kind, node: required($0.node), value: $0.value, range: $0.range) }
        result.names = names.compactMapValues(map)
        result.actions = actions.map { action in
            switch action {
            case .print(let items):
                return .print(items.map { PrintedValue(text: $0.text, node: required($0.node), range: $0.range) })
            case .train(let spec):
                return .train(TrainingSpec(direction: spec.direction, target: required(spec.target), targetText: spec.targetText,
                                           method: spec.method, range: spec.range))
            }
        }
        return result
    }
}
