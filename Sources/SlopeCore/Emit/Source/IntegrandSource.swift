/// Writes integrands as `fn` statements of the language, so a printed program's
/// `integral(g, a, b)` has its `g`: `slope grad` prints a derivative's integral as
/// `integral(d_g_w, 0, 1)` with `fn d_g_w(t) = …` above it.
///
/// A function body is one expression over its parameter and the program's global values, so
/// - the variable is the parameter (renamed when a global of the printed program has its name);
/// - each capture is written as the enclosing program's text for it: a name, a literal, or an
///   expression of globals in parentheses (which lowering moves out of the body again);
/// - a value the body uses more than once becomes a helper function of the variable,
///   `fn d_g_w_5(t) = …`, called where it is used, so the text stays linear in the body's size
///   (inlining the helpers again, lowering builds the same graph, and CSE merges the calls);
/// - a nested integral is written as its own function first; it can only read values that do
///   not depend on the variable (a function sees its parameter and globals, not the caller's
///   parameter), so an integrand whose nested integral reads the variable cannot be written
///   (`Unwritable`), which only derivatives of nested integrals produce.
struct IntegrandSource {
    /// An integrand that no function of the language can express.
    struct Unwritable: Error {
        let integrand: String
    }

    /// Names no function may take: the language's reserved names, and those already defined.
    var used: Set<String>
    /// Global names of the printed program, which a parameter must not shadow.
    let globals: Set<String>
    /// The `fn` statements written so far, in order (nested and helper functions first).
    var lines: [String] = []

    init(globals: Set<String>) {
        self.globals = globals
        used = BuiltinFunctions.reservedNames
    }

    /// A name based on `base` that no function has yet; taken.
    mutating func fresh(_ base: String) -> String {
        var name = base, suffix = 2
        while used.contains(name) {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        used.insert(name)
        return name
    }

    /// Writes `integrand`'s function (after any it needs) under `name` (a fresh one when nil),
    /// its captures read as `captures` (the enclosing program's text for each), and returns
    /// the name.
    @discardableResult
    mutating func define(_ integrand: Integrand, named given: String? = nil, captures: [String]) throws(Unwritable) -> String {
        let name = given ?? fresh(integrand.name)
        var body = integrand.body
        for index in body.nodes.indices where body.nodes[index].op.leaf == nil {
            body.nodes[index] = body.nodes[index].renamed(nil)
        }
        var variable = integrand.variable, suffix = 2
        while globals.contains(variable) || BuiltinFunctions.reservedNames.contains(variable) {
            variable = "\(integrand.variable)_\(suffix)"
            suffix += 1
        }
        var preferred: [NodeID: String] = [:]
        if let leaf = integrand.variableNode { preferred[leaf] = variable }
        for (leaf, text) in zip(integrand.captureNodes, captures) { if let leaf { preferred[leaf] = text } }
        for id in body.ids where !body[id].op.isLeaf {
            preferred[id] = fresh("\(name)_\(id.index)") + "(\(variable))"
        }
        let names = NameTable(body, preferring: preferred)

        // Nested integrals first: each is a function of its own, reading this body's values.
        let dependent = Self.dependence(of: body, on: integrand.variableNode)
        var functionNames: [NodeID: String] = [:]
        for id in body.ids {
            guard case .integral(let inner) = body[id].op else { continue }
            let innerCaptures = body[id].operands.dropFirst(2)
            if innerCaptures.contains(where: { dependent[$0.int] }) { throw Unwritable(integrand: integrand.name) }
            let texts = innerCaptures.map { Self.parenthesized(ExpressionPrinter.expression(body, $0, names: names)) }
            functionNames[id] = try define(inner, captures: texts)
        }
        let (helpers, roots) = ExpressionPrinter.program(body, roots: [integrand.result], names: names, functionNames: functionNames)
        for helper in helpers { lines.append("fn \(helper.name) = \(helper.expression)") }
        lines.append("fn \(name)(\(variable)) = \(roots[0])")
        return name
    }

    /// Which nodes of `body` depend on `variable`.
    static func dependence(of body: Graph, on variable: NodeID?) -> [Bool] {
        var dependent = [Bool](repeating: false, count: body.count)
        guard let variable else { return dependent }
        dependent[variable.int] = true
        for (index, node) in body.nodes.enumerated() where node.operands.contains(where: { dependent[$0.int] }) {
            dependent[index] = true
        }
        return dependent
    }

    /// A capture's text as it is written inside a function body: a name or a number as it is,
    /// anything else in parentheses.
    static func parenthesized(_ text: String) -> String {
        let isName = text.first.map { $0.isLetter || $0 == "_" } ?? false
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let isNumber = Double(text) != nil && !text.hasPrefix("-")
        return isName || isNumber ? text : "(\(text))"
    }
}
