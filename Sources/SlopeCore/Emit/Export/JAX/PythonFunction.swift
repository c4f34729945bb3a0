/// A graph as the body of a Python function: one assignment per node the roots need, in the
/// graph's order, named as `slope grad` names them (`NameTable`: the user's names, `d_<name>`
/// for a gradient, and the descriptive names of the rest: `error`, `d_z_hidden`, `x_squared`) and commented as it comments them (`# gradient of p, from
/// line 8: sigmoid(X @ w + b)`). Scalar constants are written inline.
struct PythonFunction {
    /// Names Python or the module's helpers own; a value with such a name takes a trailing `_`.
    static let reserved: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
        "params", "inputs", "np", "jnp", "jax", "lax", "math", "os", "sys", "csv", "json",
        "sigmoid", "softplus", "relu", "sign", "step", "mask", "power", "logsumexp", "sum_to",
    ]

    let graph: Graph
    let names: NameTable
    private(set) var lines: [String] = []
    /// The integrands' functions (`def _integrand_speed_1(inputs): …`), written before `lines`.
    private(set) var integrands: [String] = []
    private var integrandCount = 0
    /// The Python text of each node written so far: its name, or an inline constant.
    private var values: [NodeID: String] = [:]

    init(_ graph: Graph) {
        self.graph = graph
        names = NameTable(graph, avoiding: Self.reserved, style: .descriptive)
    }

    /// Writes the assignments `roots` need (once each, across calls), or throws the diagnostic
    /// of an op the module cannot write out, at its line.
    mutating func define(_ roots: [NodeID]) throws(Diagnostic) {
        let live = graph.reachable(from: roots)
        var rows: [(String, String?)] = []
        for id in graph.ids where live[id.int] && values[id] == nil {
            let node = graph[id]
            if let scalar = node.op.constantValue?.scalarValue {
                values[id] = PythonExpression.number(scalar)
                continue
            }
            let operands = node.operands.map { values[$0]! }
            let name = names[id]
            if let integrand = node.op.integrand {
                let function = try integrandFunction(integrand)
                let captures = zip(integrand.captures, operands.dropFirst(2))
                    .map { "\(PythonExpression.string($0)): \($1)" }.joined(separator: ", ")
                rows.append(("\(name) = integral(\(function), \(PythonExpression.string(integrand.variable)), \(operands[0]), "
                             + "\(operands[1]), {\(captures)}, \(PythonExpression.tuple(integrand.shape)))",
                             GraphSource.comment(for: node, in: graph, names: names)))
                values[id] = name
                continue
            }
            guard let text = PythonExpression.of(node, operands: operands, in: graph) else {
                throw ExportMessages.unsupportedOp(node.op.name, target: "JAX", at: node.range)
            }
            rows.append(("\(name) = \(text)", node.op.isLeaf ? nil : GraphSource.comment(for: node, in: graph, names: names)))
            values[id] = name
        }
        // Comments aligned as `slope grad` aligns them (`GraphSource.commentColumnLimit`).
        let width = rows.filter { $0.1 != nil }.map(\.0.count).filter { $0 <= GraphSource.commentColumnLimit }.max() ?? 0
        for (statement, comment) in rows {
            guard let comment else { lines.append(statement); continue }
            lines.append(statement + String(repeating: " ", count: max(2, width - statement.count + 2)) + comment)
        }
    }

    /// Writes the function of one integrand (its body, reading the variable and the captures
    /// from a dict by name) into `integrands`, and returns its name.
    mutating func integrandFunction(_ integrand: Integrand) throws(Diagnostic) -> String {
        integrandCount += 1
        let name = "_integrand_\(integrand.name)_\(integrandCount)"
        var body = PythonFunction(integrand.body)
        try body.define([integrand.result])
        var text = "def \(name)(inputs):\n"
        for line in body.integrands + body.lines { text += "    " + line + "\n" }
        text += "    return " + body.value(integrand.result)
        integrands += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return name
    }

    /// The Python text of a defined node.
    func value(_ id: NodeID) -> String { values[id]! }

    /// `def NAME(params, inputs):` with the body indented and `return RESULT`.
    func function(_ name: String, doc: String, returning result: String) -> String {
        var text = "def \(name)(params, inputs):\n    \"\"\"\(doc)\"\"\"\n"
        for line in integrands + lines { text += "    " + line + "\n" }
        return text + "    return " + result + "\n"
    }
}
