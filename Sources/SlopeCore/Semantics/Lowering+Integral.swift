import Foundation

/// Lowering of `integral(g, a, b)`: the function's body becomes the integrand of an
/// `integral` node (SPEC.md 2.5).
///
/// The body is lowered as a call would be, with its parameter bound to a placeholder leaf (as
/// `grad` treats a function parameter), so everything a `fn` body may hold — other calls,
/// `grad`, `jvp`, nested integrals — lowers as usual. The nodes that depend on the placeholder
/// are then copied into the integrand's own graph; what they read from outside it (params,
/// inputs, named values, and whatever the body computes from them alone) becomes the captures,
/// computed once in the program rather than at every point. The placeholder and its dependents
/// are scratch, removed when lowering ends.
extension Lowering {
    mutating func integral(_ arguments: [Argument], _ operands: [NodeID], range: SourceRange, source: Int,
                           locals: [String: NodeID]) -> NodeID? {
        guard budgetCrossing == nil, checkArguments("integral", arguments, count: 3, at: range), operands.count == 2 else { return nil }
        let ast = sources[source]
        let functionExpression = ast[arguments[0].value]
        for bound in 0..<2 where !builder[operands[bound]].shape.isScalar {
            diagnostics.append(IntegralMessages.boundNotScalar(bound, builder[operands[bound]].shape,
                                                                at: ast[arguments[1 + bound].value].range))
            return nil
        }
        guard case .name(let name) = functionExpression.kind else {
            let bounds = arguments.dropFirst().map { oneLine(ast[$0.value].range.text) }.joined(separator: ", ")
            diagnostics.append(IntegralMessages.expressionAsIntegrand(
                oneLine(functionExpression.range.text), variable: variableGuess(in: arguments[0].value, source: source, locals: locals),
                function: ["g", "h", "f", "integrand"].first { functions[$0] == nil && globals[$0] == nil } ?? "integrand",
                bounds: bounds, at: functionExpression.range))
            return nil
        }
        let nameRange = functionExpression.range
        let variable: String
        let placeholder: NodeID
        let result: NodeID
        if let function = functions[name] {
            guard function.parameters.count == 1 else {
                diagnostics.append(IntegralMessages.integrandArity(name, parameters: function.parameters.count, at: nameRange,
                                                                   definition: function.range))
                return nil
            }
            variable = function.parameters[0]
            placeholder = makePlaceholder(variable, at: nameRange)
            guard let body = inline(function, [placeholder], calleeRange: nameRange, range: range) else { return nil }
            result = body
        } else if let builtin = BuiltinFunctions[name], case .unary(let op) = builtin.form {
            // A built-in function of one argument integrates as `fn g(t) = sin(t)` would.
            variable = "t"
            placeholder = makePlaceholder(variable, at: nameRange)
            result = builder.add(.unary(op), [placeholder], range: range)
        } else if locals[name] != nil || globals[name] != nil {
            diagnostics.append(IntegralMessages.valueAsIntegrand(name, at: nameRange))
            return nil
        } else if BuiltinFunctions[name] != nil {
            diagnostics.append(IntegralMessages.builtinAsIntegrand(name, at: nameRange))
            return nil
        } else {
            let candidates = Array(functions.keys) + BuiltinFunctions.all.compactMap { if case .unary = $0.form { return $0.name }; return nil }
            diagnostics.append(SemanticMessages.undefinedFunction(name, suggestion: Suggestions.closest(to: name, among: candidates),
                                                                  at: nameRange))
            return nil
        }
        if stopsAtBudget(at: range, .call(name)) { return nil }
        let (integrand, captures) = extractIntegrand(name: name, variable: variable, placeholder: placeholder, result: result)
        return builder.add(.integral(integrand), Operands(operands + captures), shape: integrand.shape, range: range)
    }

    /// A scalar input standing for the variable while the body is lowered; scratch.
    mutating func makePlaceholder(_ variable: String, at range: SourceRange) -> NodeID {
        placeholderCount += 1
        let placeholder = builder.add(.leaf(.input, "integral:\(variable)#\(placeholderCount)"), [], shape: .scalar, range: range,
                                      name: variable)
        markScratch(placeholder)
        return placeholder
    }

    /// The integrand computing `result` from `placeholder`: the nodes between them that depend
    /// on the placeholder, copied into a graph of their own with the placeholder as the variable;
    /// every other value they read is a capture (a constant is copied in instead). Returns the
    /// integrand and its captures' nodes, in order.
    mutating func extractIntegrand(name: String, variable: String, placeholder: NodeID, result: NodeID)
        -> (integrand: Integrand, captures: [NodeID]) {
        let graph = builder.graph
        let start = placeholder.int
        // What the result needs, among the nodes since the placeholder (a walk down from the
        // result that never goes below the placeholder), and what depends on the placeholder.
        var needed = [Bool](repeating: false, count: graph.count - start)
        if result.int >= start { needed[result.int - start] = true }
        for index in stride(from: graph.count - 1, through: start, by: -1) where needed[index - start] {
            for operand in graph.nodes[index].operands where operand.int >= start { needed[operand.int - start] = true }
        }
        var dependent = [Bool](repeating: false, count: graph.count - start)
        dependent[0] = true
        for index in (start + 1)..<graph.count where needed[index - start] {
            dependent[index - start] = graph.nodes[index].operands.contains { $0.int >= start && dependent[$0.int - start] }
        }
        func isDependent(_ id: NodeID) -> Bool { id.int >= start && dependent[id.int - start] }

        var body = GraphBuilder(hashConsing: false)
        let t = body.add(.leaf(.input, variable), [], shape: .scalar, range: nil, name: variable)
        var map: [Int: NodeID] = [start: t]
        var captures: [NodeID] = []
        var captureLeaves: [NodeID] = []
        /// The body's node for a value of the program: its copy, a constant, or a capture.
        func inBody(_ id: NodeID) -> NodeID {
            if let mapped = map[id.int] { return mapped }
            let node = graph[id]
            let leaf: NodeID
            if let value = node.op.constantValue {
                leaf = body.constant(value, range: node.range)
            } else {
                leaf = body.add(.leaf(.input, "capture#\(captures.count)"), [], shape: node.shape, range: nil)
                captures.append(id)
                captureLeaves.append(leaf)
            }
            map[id.int] = leaf
            return leaf
        }
        for index in (start + 1)..<graph.count where needed[index - start] && dependent[index - start] {
            let node = graph.nodes[index]
            let operands = node.operands.map { isDependent($0) ? map[$0.int]! : inBody($0) }
            map[index] = body.add(node.op, Operands(operands), shape: node.shape, range: node.range, name: node.name)
        }
        let output = inBody(result)
        var bodyGraph = body.finish()
        let names = Integrand.leafNames(variable: variable, hints: captures.map { graph[$0].op.leaf?.name ?? graph[$0].name })
        for (leaf, leafName) in zip(captureLeaves, names) {
            bodyGraph.nodes[leaf.int] = Node(op: .leaf(.input, leafName), operands: [], shape: bodyGraph[leaf].shape, range: nil,
                                             name: leafName)
        }
        bodyGraph.outputs = [Output(name: name, node: output)]
        return (Integrand(body: bodyGraph, variable: variable, captures: names, name: name), captures)
    }

    /// The name to suggest for the variable of `integral(x^2, 0, 1)`: the one name the
    /// expression uses that is not defined (`x`), else `t`.
    func variableGuess(in expression: ExpressionID, source: Int, locals: [String: NodeID]) -> String {
        let ast = sources[source]
        var free: Set<String> = []
        var stack = [expression]
        while let id = stack.popLast() {
            let node = ast[id]
            if case .name(let name) = node.kind, locals[name] == nil, globals[name] == nil, functions[name] == nil,
               BuiltinFunctions[name] == nil {
                free.insert(name)
            }
            stack.append(contentsOf: node.children)
        }
        return free.count == 1 ? free.first! : "t"
    }

    /// Source text for a message: on one line, and cut after 60 characters.
    func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
    }
}
