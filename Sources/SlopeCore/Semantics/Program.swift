/// A lowered program: its graph and the statements to perform (prints and training) in
/// program order. The graph carries everything that names a node: the leaf table (every param
/// and input with its value and how it was given), the outputs the statements read (in
/// statement order) and the global names. So a program over an optimized or rebound graph is
/// the same program, with nothing to renumber.
public struct Program: Sendable {
    public var graph: Graph
    /// Global names in definition order, with where each was defined.
    public var definitions: [(name: String, range: SourceRange)]
    /// The statements, which read their values through `graph.outputs` by position.
    var statements: [Statement]
    /// The seed used for normal()/uniform() draws.
    public var seed: UInt64
    /// The program's source file: where diagnostics about the program as a whole point (1:1).
    public var file: SourceFile? = nil
    /// The global names defined as derivatives (`fx = grad(f, x)`, a `jvp`, or a `fn` whose
    /// body is one), which the default target of `grad`, `check` and `dot --grad` skips.
    public var derivatives: Set<String> = []
    /// The files the program read: its own, then every CSV file (resolved paths). An output
    /// file never replaces one of them (`OutputFile.open(_:protecting:)`).
    public var readFiles: [String] = []

    /// The start of the program's file, for a diagnostic about the whole program.
    public var start: SourceRange? { file.map { SourceRange(file: $0, start: 0, end: 0) } }

    /// A statement as the program keeps it: the values it reads are graph outputs, by position.
    enum Statement: Sendable {
        case print([(text: String, output: Int, range: SourceRange)])
        case train(direction: TrainDirection, output: Int, targetText: String, method: TrainingMethod, range: SourceRange)
    }

    /// The params and inputs, in declaration order: the graph's leaf table.
    public var leaves: [Leaf] { graph.leaves }

    public var params: [Leaf] { graph.params }

    public func leaf(named name: String) -> Leaf? { graph.leaf(named: name) }

    /// Every global name (params, inputs and named values) and the node it denotes.
    public var names: [String: NodeID] { graph.namedValues }

    /// The initial value of every leaf, by node, for the interpreter.
    public var leafValues: [NodeID: Tensor] { graph.leafValues }

    /// Nodes that statements read: printed values and training targets, in program order.
    public var roots: [NodeID] {
        statements.flatMap { statement -> [NodeID] in
            switch statement {
            case .print(let items): return items.map { graph.outputs[$0.output].node }
            case .train(_, let output, _, _, _): return [graph.outputs[output].node]
            }
        }
    }

    /// Whether any statement trains (`minimize` or `maximize`).
    public var trains: Bool {
        statements.contains { if case .train = $0 { return true } else { return false } }
    }

    /// The statements with the nodes they read in this program's graph.
    public var actions: [Action] {
        statements.map { statement in
            switch statement {
            case .print(let items):
                return .print(items.map { PrintedValue(text: $0.text, node: graph.outputs[$0.output].node, range: $0.range) })
            case .train(let direction, let output, let targetText, let method, let range):
                return .train(TrainingSpec(direction: direction, target: graph.outputs[output].node, targetText: targetText,
                                           method: method, range: range))
            }
        }
    }
}

/// A statement with the nodes it reads, as `Program.actions` resolves them in the program's
/// current graph.
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
    /// sgd's `shuffle:` — false visits the rows in order, 0, 1, 2, …, instead of a fresh
    /// permutation each epoch.
    public var shuffle = true
}
