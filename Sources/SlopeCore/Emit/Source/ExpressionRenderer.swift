/// The rendering engine behind `ExpressionPrinter`: (text, precedence) per node, computed
/// bottom-up with an explicit stack. A node's text is a list of pieces, literal text and
/// references to operands' texts, joined only when a root is rendered. What each op looks like
/// is in `ExpressionRenderer+Notation.swift`; how signs move, in `ExpressionRenderer+Negation.swift`.
struct ExpressionRenderer {
    typealias Level = Precedence

    enum Piece {
        case text(String)
        case node(NodeID)
    }

    struct Rendering {
        var pieces: [Piece]
        var level: Level
        /// How deeply the text nests, as the parser counts: parentheses, brackets, unary minus
        /// and `^` (an upper bound: every minus counts).
        var depth: Int
        /// Whether `-` written before the text is the exact negation of its value: true for an
        /// atom, a power, and a product or quotient whose leftmost factor is one (`-2*x/y` is
        /// ((−2)·x)/y = −(2·x/y) exactly, as rounding is symmetric); false for a sum, a matrix
        /// product (its zeros would change sign) and a text that already starts with a minus.
        var minusNegates: Bool

        init(pieces: [Piece], level: Level, depth: Int, minusNegates: Bool) {
            self.pieces = pieces
            self.level = level
            self.depth = depth
            self.minusNegates = minusNegates
        }
    }

    let graph: Graph
    let names: NameTable
    /// The values written as statements and referred to by name.
    var bound: Set<NodeID>
    /// With a limit, a value nested deeper is bound where it stands.
    let bindingDeeperThan: Int?
    let users: Users
    var memo: [Rendering?]
    /// The `fn` name each integral is printed with.
    var functionNames: [NodeID: String] = [:]
    /// For each computed node that has one, a text of its exact negation that does not start
    /// with a minus (`NegationNotation`): `1/x` for −1/x, `x` for −x, `2*x` for x·(−2).
    var negations: [Rendering?]

    init(graph: Graph, names: NameTable, bound: Set<NodeID>, bindingDeeperThan: Int?) {
        self.graph = graph
        self.names = names
        self.bound = bound
        self.bindingDeeperThan = bindingDeeperThan
        self.users = graph.users()
        self.memo = [Rendering?](repeating: nil, count: graph.count)
        self.negations = [Rendering?](repeating: nil, count: graph.count)
    }

    /// A rendering of `pieces` at `level`, its depth read off the pieces.
    func rendering(_ pieces: [Piece], _ level: Level, deeper: Int = 0, minusNegates: Bool? = nil) -> Rendering {
        var open = 0, depth = 0
        for piece in pieces {
            switch piece {
            case .text(let text):
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "("), UInt8(ascii: "["): open += 1; depth = max(depth, open)
                    case UInt8(ascii: ")"), UInt8(ascii: "]"): open -= 1
                    case UInt8(ascii: "-"): depth = max(depth, open + 1)
                    default: break
                    }
                }
            case .node(let id):
                depth = max(depth, open + (memo[id.int]?.depth ?? 0))
            }
        }
        return Rendering(pieces: pieces, level: level, depth: depth + deeper, minusNegates: minusNegates ?? (level >= .power))
    }

    /// A name as a rendering: an atom.
    func named(_ id: NodeID) -> Rendering {
        Rendering(pieces: [.text(names[id])], level: .atom, depth: 0, minusNegates: true)
    }

    /// The text of each node in `ids`. With `definingBound`, a bound node in `ids` is written
    /// out (its definition) rather than referred to by name.
    mutating func render(_ ids: [NodeID], definingBound: Bool = false) -> [String] {
        ids.map { id in text(of: id, expandingBound: definingBound) }
    }

    mutating func text(of root: NodeID, expandingBound: Bool) -> String {
        if !expandingBound, bound.contains(root) { return names[root] }
        if expandingBound, bound.contains(root) {
            // Render the definition itself: its operands may be bound names.
            for operand in graph[root].operands { compute(operand) }
            return joined(describe(root).pieces)
        }
        compute(root)
        return joined(memo[root.int]?.pieces ?? [.text(names[root])])
    }

    /// Fills `memo` (and `negations`) for `root` and everything it needs, iteratively.
    mutating func compute(_ root: NodeID) {
        var stack = [root]
        while let id = stack.last {
            if memo[id.int] != nil { stack.removeLast(); continue }
            if bound.contains(id) {
                memo[id.int] = named(id)
                stack.removeLast()
                continue
            }
            let pending = graph[id].operands.filter { memo[$0.int] == nil }
            if !pending.isEmpty { stack.append(contentsOf: pending); continue }
            stack.removeLast()
            let described = describe(id)
            if let limit = bindingDeeperThan, described.depth > limit, !graph[id].op.isLeaf {
                bound.insert(id)
                memo[id.int] = named(id)
            } else {
                memo[id.int] = described
                negations[id.int] = negation(of: id)
            }
        }
    }

    /// The pieces written out, with an explicit stack.
    func joined(_ pieces: [Piece]) -> String {
        var out = ""
        var stack = Array(pieces.reversed())
        while let piece = stack.popLast() {
            switch piece {
            case .text(let text): out += text
            case .node(let id): stack.append(contentsOf: (memo[id.int]?.pieces ?? [.text(names[id])]).reversed())
            }
        }
        return out
    }

    /// The length in bytes of a computed node's text, saturating: one pass over the nodes it
    /// refers to, in graph order, so it is counted without being written.
    func length(of root: NodeID) -> Int {
        var lengths = [Int](repeating: 0, count: root.int + 1)
        for index in 0...root.int {
            guard let rendering = memo[index] else { continue }
            var total = 0
            for piece in rendering.pieces {
                switch piece {
                case .text(let text): total = total.addingSaturating(text.utf8.count)
                case .node(let id): total = total.addingSaturating(lengths[id.int])
                }
            }
            lengths[index] = total
        }
        return lengths[root.int]
    }

    /// The level of a computed node's text.
    func level(of id: NodeID) -> Level { memo[id.int]?.level ?? .atom }

    /// A computed node's text as an operand that must stand at `level` or tighter:
    /// parenthesised when it is looser.
    func operand(_ id: NodeID, atLeast level: Level) -> [Piece] {
        self.level(of: id) >= level ? [.node(id)] : [.text("("), .node(id), .text(")")]
    }

    /// A rendering as an operand at `level` or tighter.
    func grouped(_ rendering: Rendering, atLeast level: Level) -> [Piece] {
        rendering.level >= level ? rendering.pieces : [.text("(")] + rendering.pieces + [.text(")")]
    }
}

private extension Int {
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? Int.max : sum
    }
}
