/// A pass: a named graph-to-graph function, registered in `Pipeline.standard`.
///
/// A pass receives the graph and the nodes whose values must survive (the roots: the graph's
/// outputs and any others the caller names) and returns the new graph with a replacement map
/// from every old node to the new node computing the same value (nil when the value was
/// dropped as dead). A pass that changes nothing returns the graph it was given with
/// `changed == false`, so "unchanged" is cheap to test. Rules that fire are recorded in the
/// `PassReport`.
///
/// `run` moves the graph's leaf table, outputs and named values onto the new graph through the
/// replacement map, once, so a pass body only rebuilds nodes and no caller renumbers anything.
public struct Pass: Sendable {
    /// The short name users see: `fold`, `cse`, `simplify`, `dce`, `stabilize`.
    public let name: String
    /// Whether the pass only removes nodes nothing live reads (`dce`): that leaves every other
    /// pass's fixed point in place, since rules read a node's operands, never its users.
    public let onlyRemovesDeadNodes: Bool
    let body: @Sendable (Graph, [NodeID], inout PassReport) -> PassResult

    public init(name: String, onlyRemovesDeadNodes: Bool = false,
                _ body: @escaping @Sendable (Graph, [NodeID], inout PassReport) -> PassResult) {
        self.name = name
        self.onlyRemovesDeadNodes = onlyRemovesDeadNodes
        self.body = body
    }

    public func run(_ graph: Graph, roots: [NodeID], report: inout PassReport) -> PassResult {
        var result = body(graph, roots + graph.outputs.map(\.node), &report)
        if result.changed { result.graph = graph.carryingInterface(to: result.graph, through: result.replacement) }
        return result
    }
}

/// What one run of a pass produced.
public struct PassResult: Sendable {
    public var graph: Graph
    /// For every node of the input graph, the node of `graph` computing its value, or nil.
    public var replacement: [NodeID?]
    public var changed: Bool
    /// Whether running the pass again on `graph` is known to change nothing (a rewrite whose
    /// every new node was offered to every rule), so the pipeline need not run it to find out.
    public var atFixedPoint: Bool

    public init(graph: Graph, replacement: [NodeID?], changed: Bool, atFixedPoint: Bool = false) {
        self.graph = graph
        self.replacement = replacement
        self.changed = changed
        self.atFixedPoint = atFixedPoint
    }

    /// The graph handed back as it was.
    public static func unchanged(_ graph: Graph) -> PassResult {
        PassResult(graph: graph, replacement: graph.ids.map { Optional($0) }, changed: false)
    }
}

/// How far a rewrite may move a result from the unoptimized program's. Graphs that are
/// evaluated (`Pipeline.standard`) use only the rules that keep values (`keepsValues`); the
/// readable gradient `slope grad` prints (`Pipeline.readable`) uses every rule.
public enum Exactness: String, Sendable, CaseIterable {
    /// The same bits for every input (a zero may change its sign).
    case exact
    /// Equal in exact arithmetic; rounding may differ in the last bits (reassociation).
    case lastBits
    /// Equal where the original is finite; where the original overflows or rounds to a
    /// non-finite value (log of a saturated sigmoid, exp overflowing), the rewrite gives the
    /// true, finite value instead.
    case stabilizing
    /// Equal in exact arithmetic, but may lose any number of digits when terms cancel:
    /// expanding a polynomial before summing it over data (`sum-polynomial`).
    case cancelling
    /// Equal when every operand is finite and in the op's domain; where the original is NaN
    /// because the value is undefined (0/0, inf − inf, inf · 0, log of a negative number), the
    /// rewrite gives a number.
    case finiteOnly

    /// Whether a graph that is evaluated may use rules of this class: the value stays what
    /// IEEE arithmetic gives for the program as written (to the last bits), or becomes the true
    /// value where that overflows. `cancelling` and `finiteOnly` rules serve only the printed,
    /// readable form of a gradient.
    public var keepsValues: Bool {
        switch self {
        case .exact, .lastBits, .stabilizing: return true
        case .cancelling, .finiteOnly: return false
        }
    }

    /// The classes a graph that is evaluated may use.
    public static let keepingValues = Set(allCases.filter(\.keepsValues))
}

extension Exactness {
    /// One bit per class, for sets of classes tested in inner loops.
    var bit: UInt32 {
        switch self {
        case .exact: 1
        case .lastBits: 2
        case .stabilizing: 4
        case .cancelling: 8
        case .finiteOnly: 16
        }
    }
}

/// One firing of a rule: which rule, and the user's source the rewritten node came from.
public struct RuleFiring: Sendable {
    public let rule: String
    public let range: SourceRange?

    public init(rule: String, range: SourceRange?) {
        self.rule = rule
        self.range = range
    }
}

/// What a pass records while it runs: the rules that fired, in order.
public struct PassReport: Sendable {
    public private(set) var firings: [RuleFiring] = []

    public init() {}

    public mutating func fired(_ rule: String, at range: SourceRange?) {
        firings.append(RuleFiring(rule: rule, range: range))
    }

    public mutating func append(contentsOf others: [RuleFiring]) { firings.append(contentsOf: others) }
}
