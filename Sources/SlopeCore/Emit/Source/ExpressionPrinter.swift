/// Writes the value of a node as infix source of the language: `28*m + 12*b - 42`. This is how
/// `slope grad` prints gradients as readable .graph source; the readability comes from the
/// passes (constants folded, like terms collected), and the printer only chooses, among the
/// spellings that compute the same bits, the one a course would write.
///
/// The contract: evaluated as written (lowered without the optimizer), the printed text computes
/// what the graph computes, bit for bit (SPEC.md, "Printed gradients"). So every liberty the
/// printer takes is exact in IEEE arithmetic:
/// - operators follow the grammar's precedence (`+ -`, `* / @`, unary `-`, `^`), with
///   parentheses only where the grammar needs them, around a right operand of equal
///   precedence (`a - (b - c)`, `a*(b*c)`: the graph's evaluation order), and around a negated
///   right operand of `*`, `/` and `@` (`x*(-y)`);
/// - a product with a constant prints the constant first, `2*x` for x*2 (multiplication
///   commutes exactly), and so `2*(x*y)` for (x*y)*2: `2*x*y` would be (2*x)*y, another rounding;
/// - signs are moved where negation is exact (`NegationNotation`): `a + -b` is `a - b`,
///   `a - -b` is `a + b`, `-(-a)` is `a`, `x*(-1)` is `-x`, `-(2*x)` is `-2*x`, `-1/x` keeps its
///   sign in front: `exp(x) - -1/x` is printed `exp(x) + 1/x`;
/// - x*x is `x^2` and (x*x)*x is `x^3` (the interpreter computes those powers as those products);
/// - reshape(u, [n, 1]) @ reshape(v, [1, m]) of vectors is `outer(u, v)`, the prelude's
///   function, which lowers to exactly those nodes;
/// - a constant that is exactly the float64 nearest a small fraction prints as it, `1/30`
///   (`SourceNumber`), and a non-finite constant as the division that makes it: `0/0` (nan),
///   `1/0` (inf), `-1/0` (-inf), so the output parses;
/// - `broadcast` is implicit where an elementwise op consumes it, as in the language;
/// - the structural ops print as the language's calls (`sum_to(x, [1, 3])`, `reshape(x, [3, 1])`,
///   `index(x, 0)`, `mask(x, v)`, `broadcast(x, [3])`).
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
        var printer = ExpressionRenderer(graph: graph, names: names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames),
                                         bound: [], bindingDeeperThan: nil)
        printer.functionNames = functionNames
        return printer.render([root])[0]
    }

    /// `expression(graph, root)`, or nil when it would be longer than `limit` bytes or nest
    /// deeper than the parser reads (`Parser.maximumNesting`): written out in full, a shared
    /// value is repeated at every use, so the text can be exponentially longer than the graph.
    /// Its length is counted before anything is written.
    public static func expression(_ graph: Graph, _ root: NodeID, names: NameTable? = nil, limit: Int,
                                  functionNames: [NodeID: String] = [:]) -> String? {
        var printer = ExpressionRenderer(graph: graph, names: names ?? NameTable(graph, avoiding: BuiltinFunctions.reservedNames),
                                         bound: [], bindingDeeperThan: nil)
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
        var printer = layout(graph, roots: roots, names: names, alsoBinding: extra, functionNames: functionNames)
        let order = printer.bound.sorted()
        let bodies = printer.render(order, definingBound: true)
        let definitions = zip(order, bodies).map { Definition(node: $0.0, name: names[$0.0], expression: $0.1) }
        return (definitions, printer.render(roots))
    }

    /// The values `program` writes as statements, found without writing anything: which values
    /// get a statement does not depend on their names, so a caller can name only what is shown.
    public static func statements(_ graph: Graph, roots: [NodeID], alsoBinding extra: Set<NodeID> = []) -> Set<NodeID> {
        layout(graph, roots: roots, names: NameTable(graph), alsoBinding: extra).bound
    }

    /// The renderer with every value `roots` need laid out and the statements chosen.
    static func layout(_ graph: Graph, roots: [NodeID], names: NameTable, alsoBinding extra: Set<NodeID>,
                       functionNames: [NodeID: String] = [:]) -> ExpressionRenderer {
        let live = graph.reachable(from: roots)
        // Every occurrence in the text counts (`t*u*t` uses t twice; `t^2`, the printed t*t, once),
        // and an implicit node, written inline wherever it is used, uses its operand as often as
        // it is used itself: a value written out more than once gets a statement, so the output
        // is linear in the graph.
        // A node nothing writes out (the square inside a printed `x^3`) writes nothing itself.
        var uses = [Int](repeating: 0, count: graph.count)
        let written = Set(roots).union(extra)
        for index in stride(from: graph.count - 1, through: 0, by: -1) where live[index] {
            guard uses[index] > 0 || written.contains(NodeID(index)) else { continue }
            let weight = isImplicit(graph.nodes[index].op) ? max(uses[index], 1) : 1
            for operand in ExpressionRenderer.writtenOperands(of: NodeID(index), in: graph) {
                uses[operand.int] = min(2, uses[operand.int] + weight)
            }
        }
        var bound: Set<NodeID> = []
        for index in 0..<graph.count where live[index] {
            let node = graph.nodes[index]
            guard !node.op.isLeaf, !isImplicit(node.op) else { continue }
            if uses[index] >= 2 || (node.name != nil && uses[index] >= 1) || extra.contains(NodeID(index)) {
                bound.insert(NodeID(index))
            }
        }
        var printer = ExpressionRenderer(graph: graph, names: names, bound: bound, bindingDeeperThan: maximumNesting)
        printer.functionNames = functionNames
        // Everything is laid out first, as laying out may bind more values.
        for id in bound.sorted() { for operand in graph[id].operands { printer.compute(operand) } }
        for root in roots { printer.compute(root) }
        return printer
    }

    static func isImplicit(_ op: Op) -> Bool {
        if case .broadcast = op { return true }
        return false
    }
}

