/// Lowering of `jvp(expr, name, direction)`: forward mode, the twin of `grad`.
extension Lowering {
    /// jvp(e, x, v): the directional derivative of e (any shape) with respect to x along v, a
    /// value of x's shape — Σ ∂e/∂x · v, by forward mode (SPEC.md section 4.2). x is a param,
    /// an input, a named value (e's derivative with x perturbed and what x is computed from held
    /// fixed) or, inside a `fn`, one of the function's parameters, handled as `grad` handles
    /// them: the expression is lowered with the parameter bound to a placeholder, differentiated,
    /// and the placeholder replaced by the argument.
    mutating func jvp(_ arguments: [Argument], range: SourceRange, source: Int, locals: [String: NodeID]) -> NodeID? {
        guard budgetCrossing == nil else { return nil }
        let tangent = tangent(arguments, range: range, source: source, locals: locals)
        return stopsAtBudget(at: range, .derivative("jvp")) ? nil : tangent
    }

    mutating func tangent(_ arguments: [Argument], range: SourceRange, source: Int, locals: [String: NodeID]) -> NodeID? {
        guard checkArguments("jvp", arguments, count: 3, at: range) else { return nil }
        let ast = sources[source]
        guard case .name(let name) = ast[arguments[1].value].kind else {
            diagnostics.append(SemanticMessages.jvpNeedsName(at: ast[arguments[1].value].range))
            return nil
        }
        let nameRange = ast[arguments[1].value].range
        let directionRange = ast[arguments[2].value].range
        if let argument = locals[name] {
            guard let direction = lower(arguments[2].value, source: source, locals: locals),
                  checkDirection(direction, of: argument, name: name, at: directionRange) else { return nil }
            placeholderCount += 1
            let placeholder = builder.add(.leaf(.input, "jvp:\(name)#\(placeholderCount)"), [], shape: builder[argument].shape,
                                          range: nameRange, name: name)
            markScratch(placeholder)
            var inner = locals
            inner[name] = placeholder
            guard let output = lower(arguments[0].value, source: source, locals: inner) else { return nil }
            let tangent = differentiateForward(output, wrt: placeholder, along: direction)
            return substitute(placeholder, with: argument, in: tangent)
        }
        guard let x = resolve(name, at: nameRange, locals: locals),
              let output = lower(arguments[0].value, source: source, locals: locals),
              let direction = lower(arguments[2].value, source: source, locals: locals),
              checkDirection(direction, of: x, name: name, at: directionRange) else { return nil }
        return differentiateForward(output, wrt: x, along: direction)
    }

    /// The direction has x's shape exactly (a scalar direction for a scalar x).
    mutating func checkDirection(_ direction: NodeID, of x: NodeID, name: String, at range: SourceRange) -> Bool {
        let shape = builder[x].shape, given = builder[direction].shape
        guard given == shape else {
            diagnostics.append(SemanticMessages.jvpDirectionShape(given, name: name, shape, at: range))
            return false
        }
        return true
    }

    /// Forward mode on the graph built so far, sharing what it can with it.
    mutating func differentiateForward(_ output: NodeID, wrt x: NodeID, along direction: NodeID) -> NodeID {
        builder.sharing { builder in ForwardMode.tangent(of: output, wrt: x, along: direction, in: &builder) }
    }
}
