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
/// Traversals are iterative, so deep graphs print without recursion.
public enum ExpressionPrinter {
    /// One operand binding: a statement `name = expression`.
    public struct Definition: Sendable {
        public let node: NodeID
        public let name: String
        public let expression: String
    }

    /// The value of `root` as one expression, every operand written out inline (shared
    /// subexpressions are repeated; use `program` to bind them once).
    public static func expression(_ graph: Graph, _ root: NodeID, names: NameTable? = nil) -> String {
        var printer = Printer(graph: graph, names: names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames), bound: [], roots: [root])
        return printer.render([root])[0]
    }

    /// Statements for the values `roots` share or the user named, then one expression per root.
    /// Params, inputs and constants are never bound. Definitions come in graph order, so each
    /// statement only uses names defined above it.
    public static func program(_ graph: Graph, roots: [NodeID], names: NameTable? = nil, alsoBinding extra: Set<NodeID> = [])
        -> (definitions: [Definition], roots: [String]) {
        let names = names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames)
        let live = graph.reachable(from: roots)
        var uses = [Int](repeating: 0, count: graph.count)
        for index in 0..<graph.count where live[index] {
            for operand in Set(graph.nodes[index].operands) { uses[operand.int] += 1 }
        }
        var bound: Set<NodeID> = []
        for index in 0..<graph.count where live[index] {
            let node = graph.nodes[index]
            guard !node.op.isLeaf, !isImplicit(node.op) else { continue }
            if uses[index] >= 2 || (node.name != nil && uses[index] >= 1) || extra.contains(NodeID(index)) {
                bound.insert(NodeID(index))
            }
        }
        var printer = Printer(graph: graph, names: names, bound: bound, roots: roots)
        let order = bound.sorted()
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
private struct Printer {
    typealias Level = Precedence

    let graph: Graph
    let names: NameTable
    let bound: Set<NodeID>
    let users: [[NodeID]]
    var memo: [NodeID: (text: String, level: Level)] = [:]

    init(graph: Graph, names: NameTable, bound: Set<NodeID>, roots: [NodeID]) {
        self.graph = graph
        self.names = names
        self.bound = bound
        self.users = graph.users()
    }

    /// The text of each node in `ids`. With `definingBound`, a bound node in `ids` is written
    /// out (its definition) rather than referred to by name.
    mutating func render(_ ids: [NodeID], definingBound: Bool = false) -> [String] {
        ids.map { id in
            if definingBound { return text(of: id, expandingBound: true) }
            return text(of: id, expandingBound: false)
        }
    }

    mutating func text(of root: NodeID, expandingBound: Bool) -> String {
        if !expandingBound, bound.contains(root) { return names[root] }
        if expandingBound, bound.contains(root) {
            // Render the definition itself: its operands may be bound names.
            for operand in graph[root].operands { compute(operand) }
            return describe(root).text
        }
        compute(root)
        return memo[root]?.text ?? names[root]
    }

    /// Fills `memo` for `root` and everything it needs, iteratively.
    mutating func compute(_ root: NodeID) {
        var stack = [root]
        while let id = stack.last {
            if memo[id] != nil { stack.removeLast(); continue }
            if bound.contains(id) { memo[id] = (names[id], .atom); stack.removeLast(); continue }
            let pending = graph[id].operands.filter { memo[$0] == nil }
            if !pending.isEmpty { stack.append(contentsOf: pending); continue }
            stack.removeLast()
            memo[id] = describe(id)
        }
    }

    func operand(_ id: NodeID, atLeast level: Level) -> String {
        let (text, own) = memo[id] ?? (names[id], .atom)
        return own >= level ? text : "(\(text))"
    }

    func describe(_ id: NodeID) -> (text: String, level: Level) {
        let node = graph[id]
        let operands = node.operands
        switch node.op {
        case .constant(let value):
            if let scalar = value.scalarValue {
                return (ValueFormatter.number(scalar), scalar.sign == .minus && !scalar.isNaN ? .unary : .atom)
            }
            return (ValueFormatter.literal(value), .atom)
        case .leaf:
            return (names[id], .atom)
        case .unary(let op):
            switch op.notation {
            case .prefix(let symbol): return (symbol + operand(operands[0], atLeast: .power), .unary)
            case .infix, .call: return call(op.name, operands)
            }
        case .binary(let op):
            switch op.notation {
            case .infix(let symbol, let level): return infix(op, symbol, level, operands)
            case .prefix, .call: return call(op.name, operands)
            }
        case .matmul:
            return (operand(operands[0], atLeast: .multiplicative) + " @ " + operand(operands[1], atLeast: .unary), .multiplicative)
        case .broadcast(let shape):
            // Implicit where every user is elementwise and has another operand of its full
            // shape, so broadcasting restores the shape; explicit otherwise.
            let implicit = !users[id.int].isEmpty && users[id.int].allSatisfy { user in
                let node = graph[user]
                return node.op.isElementwise && node.operands.contains { $0 != id && graph[$0].shape == node.shape }
            }
            if implicit { return memo[operands[0]] ?? (names[operands[0]], .atom) }
            return ("broadcast(\(operand(operands[0], atLeast: .additive)), \(shape))", .atom)
        case .reduce(_, let axis):
            let argument = operand(operands[0], atLeast: .additive)
            return ("\(node.op.name)(\(argument)\(axis.map { ", axis: \($0)" } ?? ""))", .atom)
        case .sumTo(let shape):
            return (sumTo(operands[0], to: shape), .atom)
        case .reshape(let shape):
            return ("reshape(\(operand(operands[0], atLeast: .additive)), \(shape))", .atom)
        case .index(let position):
            return ("index(\(operand(operands[0], atLeast: .additive)), \(position))", .atom)
        case .cumsum(let axis):
            // A vector's running sum needs no axis, as the language writes it.
            let argument = operand(operands[0], atLeast: .additive)
            return (graph[operands[0]].shape.rank == 1 ? "cumsum(\(argument))" : "cumsum(\(argument), axis: \(axis))", .atom)
        case .stack:
            return ("[" + operands.map { operand($0, atLeast: .additive) }.joined(separator: ", ") + "]", .atom)
        case .transpose:
            return call("transpose", operands)
        }
    }

    /// `name(a, b, …)`.
    func call(_ name: String, _ operands: [NodeID]) -> (text: String, level: Level) {
        ("\(name)(" + operands.map { operand($0, atLeast: .additive) }.joined(separator: ", ") + ")", .atom)
    }

    /// An infix operator at its grammar level. A right operand of equal precedence keeps its
    /// parentheses, so `a - (b - c)` keeps the graph's order; `x + -c` prints as `x - c`, and a
    /// product with a constant puts the constant first (`2*x`).
    func infix(_ op: BinaryOp, _ symbol: String, _ level: Level, _ operands: [NodeID]) -> (text: String, level: Level) {
        let lhs = operands[0], rhs = operands[1]
        switch op {
        case .add:
            if let c = graph[rhs].op.constantValue?.scalarValue, c < 0 {
                return (operand(lhs, atLeast: .additive) + " - " + ValueFormatter.number(-c), .additive)
            }
            if graph[rhs].op == .neg {
                let negated = graph[rhs].operands[0]
                return (operand(lhs, atLeast: .additive) + " - " + operand(negated, atLeast: .multiplicative), .additive)
            }
        case .mul:
            if graph[rhs].op.constantValue?.scalarValue != nil, graph[lhs].op.constantValue == nil {
                // `2*x*y` for (x*y)*2; a matrix product keeps its parentheses: `2*(A @ B)`.
                let level: Level = graph[lhs].op == .matmul ? .unary : .multiplicative
                return (operand(rhs, atLeast: .unary) + "*" + operand(lhs, atLeast: level), .multiplicative)
            }
        case .sub, .div, .pow, .mask, .equal, .max, .min:
            break
        }
        let spaced = level == .additive ? " \(symbol) " : symbol
        if level == .power {
            return (operand(lhs, atLeast: .atom) + spaced + operand(rhs, atLeast: .unary), .power)
        }
        return (operand(lhs, atLeast: level) + spaced + operand(rhs, atLeast: level.next), level)
    }

    /// sum_to as the language writes it: `sum(x)` to a scalar, `sum(x, axis: 0)` per leading
    /// axis removed; other targets keep the IR's name.
    func sumTo(_ x: NodeID, to shape: Shape) -> String {
        let source = graph[x].shape
        var text = operand(x, atLeast: .additive)
        if shape.isScalar { return "sum(\(text))" }
        let removed = source.rank - shape.rank
        guard removed >= 0, Array(source.dimensions.suffix(shape.rank)) == shape.dimensions else {
            return "sum_to(\(text), \(shape))"
        }
        for _ in 0..<removed { text = "sum(\(text), axis: 0)" }
        return text
    }
}
