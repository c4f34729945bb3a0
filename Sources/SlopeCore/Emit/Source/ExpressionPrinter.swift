/// Writes the value of a node as infix source of the language: `28*m + 12*b - 42`. This is how
/// `slope grad` prints gradients as readable .graph source; the readability comes from the
/// passes (constants folded, like terms collected), not from special cases here.
///
/// Conventions:
/// - operators follow the grammar's precedence (`+ -`, `* / @`, unary `-`, `^`), with
///   parentheses only where the grammar needs them and around a right operand of equal
///   precedence, so `a - (b - c)` and `a + (b + c)` keep the graph's evaluation order;
/// - a product with a constant prints the constant first (`2*x`, `-0.5*x*y`), and adding a
///   negative constant prints as a subtraction (`x - 42`): these may change the last bits;
/// - `broadcast` is implicit where an elementwise op consumes it, as in the language;
/// - the structural ops print as the language's calls (`sum_to(x, [1, 3])`, `reshape(x, [3, 1])`,
///   `index(x, 0)`, `mask(x, v)`, `broadcast(x, [3])`).
///
/// - a non-finite constant prints as the division that makes it: `0/0` (nan), `1/0` (inf),
///   `-1/0` (-inf), so the output parses.
///
/// Traversals are iterative, so deep graphs print without recursion, and printing is linear in
/// the size of what it writes: a node's text is kept as pieces that refer to its operands' texts
/// and joined once at the end, so a chain of 32,000 nested products is never copied at each level.
public enum ExpressionPrinter {
    /// One operand binding: a statement `name = expression`.
    public struct Definition: Sendable {
        public let node: NodeID
        public let name: String
        public let expression: String
    }

    /// The value of `root` as one expression, every operand written out inline (shared
    /// subexpressions are repeated; use `program` to bind them once).
    public static func expression(_ graph: Graph, _ root: NodeID, names: NameTable? = nil,
                                  functionNames: [NodeID: String] = [:]) -> String {
        var printer = Printer(graph: graph, names: names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames), bound: [],
                              bindingDeeperThan: nil)
        printer.functionNames = functionNames
        return printer.render([root])[0]
    }

    /// `expression(graph, root)`, or nil when it would be longer than `limit` bytes or nest
    /// deeper than the parser reads (`Parser.maximumNesting`): written out in full, a shared
    /// value is repeated at every use, so the text can be exponentially longer than the graph.
    /// Its length is counted before anything is written.
    public static func expression(_ graph: Graph, _ root: NodeID, names: NameTable? = nil, limit: Int,
                                  functionNames: [NodeID: String] = [:]) -> String? {
        var printer = Printer(graph: graph, names: names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames), bound: [],
                              bindingDeeperThan: nil)
        printer.functionNames = functionNames
        printer.compute(root)
        guard printer.length(of: root) <= limit, (printer.memo[root.int]?.depth ?? 0) <= Parser.maximumNesting else { return nil }
        return printer.render([root])[0]
    }

    /// Deepest nesting a printed statement reaches before a value inside it gets a statement of
    /// its own, well within what the parser reads, so a chain of 32,000 nested products prints
    /// as a program that parses.
    static let maximumNesting = Parser.maximumNesting / 2

    /// Statements for the values `roots` share or the user named, then one expression per root.
    /// Params, inputs and constants are never bound. A value nested deeper than
    /// `maximumNesting` inside a statement gets a statement too. Definitions come in graph
    /// order, so each statement only uses names defined above it.
    /// `functionNames` gives the `fn` name each integral is written with (`integral(g, 0, 1)`).
    public static func program(_ graph: Graph, roots: [NodeID], names: NameTable? = nil, alsoBinding extra: Set<NodeID> = [],
                               functionNames: [NodeID: String] = [:]) -> (definitions: [Definition], roots: [String]) {
        let names = names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames)
        let live = graph.reachable(from: roots)
        // Every occurrence counts (`t*t` uses t twice), and an implicit node, written inline
        // wherever it is used, uses its operand as often as it is used itself: a value written
        // out more than once gets a statement, so the output is linear in the graph.
        var uses = [Int](repeating: 0, count: graph.count)
        for index in stride(from: graph.count - 1, through: 0, by: -1) where live[index] {
            let weight = isImplicit(graph.nodes[index].op) ? max(uses[index], 1) : 1
            for operand in graph.nodes[index].operands { uses[operand.int] = min(2, uses[operand.int] + weight) }
        }
        var bound: Set<NodeID> = []
        for index in 0..<graph.count where live[index] {
            let node = graph.nodes[index]
            guard !node.op.isLeaf, !isImplicit(node.op) else { continue }
            if uses[index] >= 2 || (node.name != nil && uses[index] >= 1) || extra.contains(NodeID(index)) {
                bound.insert(NodeID(index))
            }
        }
        var printer = Printer(graph: graph, names: names, bound: bound, bindingDeeperThan: maximumNesting)
        printer.functionNames = functionNames
        // Everything is laid out first, as laying out may bind more values.
        for id in bound.sorted() { for operand in graph[id].operands { printer.compute(operand) } }
        for root in roots { printer.compute(root) }
        let order = printer.bound.sorted()
        let bodies = printer.render(order, definingBound: true)
        let definitions = zip(order, bodies).map { Definition(node: $0.0, name: names[$0.0], expression: $0.1) }
        return (definitions, printer.render(roots))
    }

    static func isImplicit(_ op: Op) -> Bool {
        if case .broadcast = op { return true }
        return false
    }
}

/// The rendering engine: (text, precedence) per node, computed bottom-up with an explicit stack.
/// A node's text is a list of pieces, literal text and references to operands' texts, joined
/// only when a root is rendered.
private struct Printer {
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

        init(pieces: [Piece], level: Level, depth: Int) {
            self.pieces = pieces
            self.level = level
            self.depth = depth
        }
    }

    let graph: Graph
    let names: NameTable
    /// The values written as statements and referred to by name.
    var bound: Set<NodeID>
    /// With a limit, a value nested deeper is bound where it stands.
    let bindingDeeperThan: Int?
    let users: [[NodeID]]
    var memo: [Rendering?]
    /// The `fn` name each integral is printed with.
    var functionNames: [NodeID: String] = [:]

    init(graph: Graph, names: NameTable, bound: Set<NodeID>, bindingDeeperThan: Int?) {
        self.graph = graph
        self.names = names
        self.bound = bound
        self.bindingDeeperThan = bindingDeeperThan
        self.users = graph.users()
        self.memo = [Rendering?](repeating: nil, count: graph.count)
    }

    /// A rendering of `pieces` at `level`, its depth read off the pieces.
    func rendering(_ pieces: [Piece], _ level: Level, deeper: Int = 0) -> Rendering {
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
        return Rendering(pieces: pieces, level: level, depth: depth + deeper)
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

    /// Fills `memo` for `root` and everything it needs, iteratively.
    mutating func compute(_ root: NodeID) {
        var stack = [root]
        while let id = stack.last {
            if memo[id.int] != nil { stack.removeLast(); continue }
            if bound.contains(id) {
                memo[id.int] = Rendering(pieces: [.text(names[id])], level: .atom, depth: 0)
                stack.removeLast()
                continue
            }
            let pending = graph[id].operands.filter { memo[$0.int] == nil }
            if !pending.isEmpty { stack.append(contentsOf: pending); continue }
            stack.removeLast()
            let described = describe(id)
            if let limit = bindingDeeperThan, described.depth > limit, !graph[id].op.isLeaf {
                bound.insert(id)
                memo[id.int] = Rendering(pieces: [.text(names[id])], level: .atom, depth: 0)
            } else {
                memo[id.int] = described
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

    func operand(_ id: NodeID, atLeast level: Level) -> [Piece] {
        let own = memo[id.int]?.level ?? .atom
        return own >= level ? [.node(id)] : [.text("("), .node(id), .text(")")]
    }

    func describe(_ id: NodeID) -> Rendering {
        let node = graph[id]
        let operands = node.operands
        switch node.op {
        case .constant(let value):
            if let scalar = value.scalarValue {
                if !scalar.isFinite { return rendering([.text(GraphSource.literalNumber(scalar))], .multiplicative) }
                return rendering([.text(ValueFormatter.number(scalar))], scalar.sign == .minus ? .unary : .atom)
            }
            return rendering([.text(GraphSource.literal(value))], .atom)
        case .leaf:
            return rendering([.text(names[id])], .atom)
        case .unary(let op):
            switch op.notation {
            case .prefix(let symbol):
                var negated = rendering(operand(operands[0], atLeast: .power), .unary, deeper: 1)
                negated.pieces.insert(.text(symbol), at: 0)
                return negated
            case .infix, .call: return call(op.name, operands)
            }
        case .binary(let op):
            switch op.notation {
            case .infix(let symbol, let level): return infix(op, symbol, level, operands)
            case .prefix, .call: return call(op.name, operands)
            }
        case .matmul:
            return rendering(operand(operands[0], atLeast: .multiplicative) + [.text(" @ ")] + operand(operands[1], atLeast: .unary),
                             .multiplicative)
        case .broadcast(let shape):
            // Implicit where every user is elementwise and has another operand of its full
            // shape, so broadcasting restores the shape; explicit otherwise.
            let implicit = !users[id.int].isEmpty && users[id.int].allSatisfy { user in
                let node = graph[user]
                return node.op.isElementwise && node.operands.contains { $0 != id && graph[$0].shape == node.shape }
            }
            if implicit { return rendering([.node(operands[0])], memo[operands[0].int]?.level ?? .atom) }
            return rendering([.text("broadcast(")] + operand(operands[0], atLeast: .additive) + [.text(", \(shape))")], .atom)
        case .reduce(_, let axis):
            return rendering([.text("\(node.op.name)(")] + operand(operands[0], atLeast: .additive)
                                + [.text((axis.map { ", axis: \($0)" } ?? "") + ")")], .atom)
        case .sumTo(let shape):
            return rendering(sumTo(operands[0], to: shape), .atom)
        case .reshape(let shape):
            return rendering([.text("reshape(")] + operand(operands[0], atLeast: .additive) + [.text(", \(shape))")], .atom)
        case .index(let position):
            return rendering([.text("index(")] + operand(operands[0], atLeast: .additive) + [.text(", \(position))")], .atom)
        case .cumsum(let axis):
            // A vector's running sum needs no axis, as the language writes it.
            let argument = operand(operands[0], atLeast: .additive)
            return rendering([.text("cumsum(")] + argument
                                + [.text(graph[operands[0]].shape.rank == 1 ? ")" : ", axis: \(axis))")], .atom)
        case .stack:
            return rendering([.text("[")] + separated(operands) + [.text("]")], .atom)
        case .transpose:
            return call("transpose", operands)
        // `integral(g, a, b)`: the function is written as its own `fn` statement by
        // `GraphSource`, under the name `functionNames` gives; the captures are its globals.
        case .integral(let integrand):
            let function = functionNames[id] ?? integrand.name
            return rendering([.text("integral(\(function), ")] + separated(Array(operands.prefix(2))) + [.text(")")], .atom)
        }
    }

    /// `a, b, …` at the loosest level, as arguments and elements are written.
    func separated(_ operands: [NodeID]) -> [Piece] {
        var pieces: [Piece] = []
        for (position, id) in operands.enumerated() {
            if position > 0 { pieces.append(.text(", ")) }
            pieces += operand(id, atLeast: .additive)
        }
        return pieces
    }

    /// `name(a, b, …)`.
    func call(_ name: String, _ operands: [NodeID]) -> Rendering {
        rendering([.text("\(name)(")] + separated(operands) + [.text(")")], .atom)
    }

    /// An infix operator at its grammar level. A right operand of equal precedence keeps its
    /// parentheses, so `a - (b - c)` keeps the graph's order; `x + -c` prints as `x - c`, and a
    /// product with a constant puts the constant first (`2*x`).
    func infix(_ op: BinaryOp, _ symbol: String, _ level: Level, _ operands: [NodeID]) -> Rendering {
        let lhs = operands[0], rhs = operands[1]
        switch op {
        case .add:
            if let c = graph[rhs].op.constantValue?.scalarValue, c < 0, c.isFinite {
                return rendering(operand(lhs, atLeast: .additive) + [.text(" - " + ValueFormatter.number(-c))], .additive)
            }
            if graph[rhs].op == .neg {
                let negated = graph[rhs].operands[0]
                return rendering(operand(lhs, atLeast: .additive) + [.text(" - ")] + operand(negated, atLeast: .multiplicative),
                                 .additive)
            }
        case .mul:
            if graph[rhs].op.constantValue?.scalarValue != nil, graph[lhs].op.constantValue == nil {
                // `2*x*y` for (x*y)*2; a matrix product keeps its parentheses: `2*(A @ B)`.
                let level: Level = graph[lhs].op == .matmul ? .unary : .multiplicative
                return rendering(operand(rhs, atLeast: .unary) + [.text("*")] + operand(lhs, atLeast: level), .multiplicative)
            }
        case .sub, .div, .pow, .mask, .equal, .max, .min:
            break
        }
        let spaced = level == .additive ? " \(symbol) " : symbol
        if level == .power {
            let base = operand(lhs, atLeast: .atom), exponent = operand(rhs, atLeast: .unary)
            var power = rendering(base + [.text(spaced)] + exponent, .power)
            power.depth = max(rendering(base, .power).depth, rendering(exponent, .power).depth + 1)
            return power
        }
        return rendering(operand(lhs, atLeast: level) + [.text(spaced)] + operand(rhs, atLeast: level.next), level)
    }

    /// sum_to as the language writes it: `sum(x)` to a scalar, `sum(x, axis: 0)` per leading
    /// axis removed; other targets keep the IR's name.
    func sumTo(_ x: NodeID, to shape: Shape) -> [Piece] {
        let source = graph[x].shape
        let argument = operand(x, atLeast: .additive)
        if shape.isScalar { return [.text("sum(")] + argument + [.text(")")] }
        let removed = source.rank - shape.rank
        guard removed >= 0, Array(source.dimensions.suffix(shape.rank)) == shape.dimensions else {
            return [.text("sum_to(")] + argument + [.text(", \(shape))")]
        }
        return [.text(String(repeating: "sum(", count: removed))] + argument + [.text(String(repeating: ", axis: 0)", count: removed))]
    }
}

private extension Int {
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? Int.max : sum
    }
}
