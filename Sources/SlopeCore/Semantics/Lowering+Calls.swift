/// Lowering of calls: built-in functions, `fn` inlining, and `grad`.
extension Lowering {
    mutating func call(_ name: String, calleeRange: SourceRange, _ arguments: [Argument], operands: Operands,
                       expression: Expression, source: Int, locals: [String: NodeID]) -> NodeID? {
        let range = expression.range
        // A label given twice (`sum(x, axis: 0, axis: 1)`): no function reads the same setting twice.
        var labels: [String: SourceRange] = [:]
        for argument in arguments {
            guard let label = argument.label, let labelRange = argument.labelRange else { continue }
            if let first = labels[label] {
                diagnostics.append(SemanticMessages.duplicateArgument(label, name, first: first, at: labelRange))
                return nil
            }
            labels[label] = labelRange
        }
        if let builtin = BuiltinFunctions[name] {
            switch builtin.form {
            case .unary(let op):
                guard checkArguments(name, arguments, count: 1, at: range) else { return nil }
                return builder.add(.unary(op), operands, range: range)
            case .binary(let op):
                guard checkArguments(name, arguments, count: 2, at: range) else { return nil }
                return node(.binary(op), operands, range: range, errorRange: range)
            case .reduction(let op, let elementwise):
                if let elementwise, arguments.count == 2, arguments.allSatisfy({ $0.label == nil }) {
                    return node(.binary(elementwise), operands, range: range, errorRange: range)
                }
                return reduction(op, name, arguments, Array(operands), range: range, source: source)
            case .transpose:
                guard checkArguments(name, arguments, count: 1, at: range) else { return nil }
                return builder.add(.transpose, operands, range: range)
            case .structural:
                return structural(name, arguments, Array(operands), range: range, source: source)
            case .grad:
                return grad(arguments, range: range, source: source, locals: locals)
            case .jvp:
                return jvp(arguments, range: range, source: source, locals: locals)
            case .integral:
                return integral(arguments, Array(operands), range: range, source: source, locals: locals)
            case .softmax:
                return softmax(arguments, Array(operands), range: range, source: source)
            case .linspace:
                return linspace(arguments, range: range, source: source)
            case .cumsum:
                return cumsum(arguments, Array(operands), range: range, source: source)
            case .initializer:
                diagnostics.append(SemanticMessages.initializerOutsideDeclaration(name, at: calleeRange))
                return nil
            }
        }
        guard let function = functions[name] else {
            if globals[name] != nil || locals[name] != nil {
                diagnostics.append(SemanticMessages.valueAsFunction(name, at: calleeRange))
            } else {
                let candidates = Array(functions.keys) + Array(BuiltinFunctions.names)
                diagnostics.append(SemanticMessages.undefinedFunction(
                    name, suggestion: Suggestions.closest(to: name, among: candidates), at: calleeRange))
            }
            return nil
        }
        guard checkArguments(name, arguments, count: function.parameters.count, at: range) else { return nil }
        return inline(function, Array(operands), calleeRange: calleeRange, range: range)
    }

    /// Reports `name` when it is no function at all (used when its arguments already failed).
    mutating func reportUnknownFunction(_ name: String, at range: SourceRange, locals: [String: NodeID]) {
        guard BuiltinFunctions[name] == nil, functions[name] == nil,
              globals[name] == nil, locals[name] == nil else { return }
        let candidates = Array(functions.keys) + Array(BuiltinFunctions.names)
        diagnostics.append(SemanticMessages.undefinedFunction(name, suggestion: Suggestions.closest(to: name, among: candidates), at: range))
    }

    /// Positional arguments only, exactly `count` of them.
    mutating func checkArguments(_ name: String, _ arguments: [Argument], count: Int, at range: SourceRange) -> Bool {
        if let labelled = arguments.first(where: { $0.label != nil }) {
            diagnostics.append(SemanticMessages.labelNotAllowed(labelled.label!, name, at: labelled.labelRange ?? range))
            return false
        }
        guard arguments.count == count else {
            diagnostics.append(SemanticMessages.argumentCount(name, expected: count, found: arguments.count, at: range))
            return false
        }
        return true
    }

    /// sum(x), sum(x, axis: k), mean(x), mean(x, axis: k), and likewise max and min; a negative
    /// axis counts from the end.
    mutating func reduction(_ reduceOp: ReduceOp, _ name: String, _ arguments: [Argument], _ operands: [NodeID], range: SourceRange, source: Int) -> NodeID? {
        var axisExpression: ExpressionID?
        for argument in arguments {
            if let label = argument.label {
                guard label == "axis" else {
                    diagnostics.append(SemanticMessages.labelNotAllowed(label, name, at: argument.labelRange ?? range))
                    return nil
                }
                axisExpression = argument.value
            }
        }
        guard operands.count == 1 else {
            if let builtin = BuiltinFunctions[name], case .reduction(_, elementwise: _?) = builtin.form {
                diagnostics.append(SemanticMessages.argumentCount(builtin, found: arguments.count, at: range))
            } else {
                diagnostics.append(SemanticMessages.argumentCount(name, expected: 1, found: operands.count, at: range))
            }
            return nil
        }
        var axis: Int?
        if let axisExpression {
            var evaluator = ConstantEvaluator()
            axis = evaluator.integer(axisExpression, in: sources[source], what: "'axis'")
            diagnostics.append(contentsOf: evaluator.diagnostics)
            guard var value = axis else { return nil }
            let shape = builder[operands[0]].shape
            // Checked here, before a negative axis is counted from the end, so the message
            // names the axis the user wrote (-5), not the adjusted one (-3).
            guard value >= -shape.rank && value < shape.rank else {
                let op: Op = .reduce(reduceOp, axis: value)
                diagnostics.append(ShapeMessages.operation(op, .axis(value, shape), at: range))
                return nil
            }
            if value < 0 { value += shape.rank }
            axis = value
        }
        let op: Op = .reduce(reduceOp, axis: axis)
        return node(op, Operands(operands), range: range, errorRange: range)
    }

    /// reshape(x, [2, 3]), broadcast(x, [2, 3]), sum_to(x, [3]) and index(x, i): the structural
    /// ops that reverse mode emits, written in the language so gradient programs round-trip.
    /// As in NumPy, one dimension of a reshape may be -1, the one that makes the count match:
    /// reshape(u, [-1, 1]) is u as a column (the prelude's `outer` is written with it).
    mutating func structural(_ name: String, _ arguments: [Argument], _ operands: [NodeID], range: SourceRange, source: Int) -> NodeID? {
        guard checkArguments(name, arguments, count: 2, at: range), operands.count == 1 else { return nil }
        var evaluator = ConstantEvaluator()
        let op: Op
        if name == "index" {
            guard let position = evaluator.integer(arguments[1].value, in: sources[source], what: "the position") else {
                diagnostics.append(contentsOf: evaluator.diagnostics)
                return nil
            }
            op = .index(position)
        } else {
            let shapeRange = sources[source][arguments[1].value].range
            let inferable = name == "reshape"
            guard case .value(let tensor) = evaluator.evaluate(arguments[1].value, in: sources[source]), tensor.shape.rank == 1,
                  tensor.values.allSatisfy({ ($0 >= 0 || (inferable && $0 == -1)) && $0 == $0.rounded() && $0 < 1e9 }) else {
                diagnostics.append(contentsOf: evaluator.diagnostics)
                diagnostics.append(SemanticMessages.notConstant("the shape (a list of whole numbers such as [2, 3])", at: shapeRange))
                return nil
            }
            var dimensions = tensor.values.map { Int($0) }
            guard dimensions.filter({ $0 == -1 }).count <= 1 else {
                diagnostics.append(ShapeMessages.reshapeInferred(builder[operands[0]].shape, to: dimensions, at: shapeRange))
                return nil
            }
            if let inferred = dimensions.firstIndex(of: -1) {
                let count = builder[operands[0]].shape.count
                let known = dimensions.filter { $0 != -1 }.reduce(1, *)
                guard known > 0, count % known == 0 else {
                    diagnostics.append(ShapeMessages.reshapeInferred(builder[operands[0]].shape, to: dimensions, at: range))
                    return nil
                }
                dimensions[inferred] = count / known
            }
            let shape = Shape(dimensions)
            op = name == "reshape" ? .reshape(shape) : name == "broadcast" ? .broadcast(shape) : .sumTo(shape)
        }
        return node(op, Operands(operands), range: range, errorRange: range)
    }

    /// Inlines a function body with its parameters bound to the argument nodes. The nodes it
    /// adds belong to a call frame, so pictures can draw the call as a cluster.
    mutating func inline(_ function: FunctionDefinition, _ arguments: [NodeID], calleeRange: SourceRange, range: SourceRange) -> NodeID? {
        guard budgetCrossing == nil else { return nil }
        if inlineStack.contains(function.name) {
            diagnostics.append(SemanticMessages.recursiveFunction(function.name, at: calleeRange))
            return nil
        }
        guard inlineStack.count < Lowering.maximumInlineDepth else {
            diagnostics.append(SemanticMessages.unsupported(
                "functions nest more than \(Lowering.maximumInlineDepth) calls deep", at: calleeRange))
            return nil
        }
        var locals: [String: NodeID] = [:]
        for (parameter, argument) in zip(function.parameters, arguments) { locals[parameter] = argument }
        inlineStack.append(function.name)
        let saved = builder.enterFrame(function: function.name, range: range)
        let savedDefining = defining
        defining = nil
        let before = diagnostics.count
        let result = lower(function.body, source: function.source, locals: locals)
        defining = savedDefining
        builder.leaveFrame(restoring: saved)
        inlineStack.removeLast()
        // An error inside a body points into the function; a note says which call led there.
        for index in before..<diagnostics.count {
            diagnostics[index] = diagnostics[index].withNote(.init("in this call to '\(function.name)'", at: range))
        }
        if stopsAtBudget(at: calleeRange, .call(function.name)) { return nil }
        return result
    }

    /// grad(expr, name): the derivative of a scalar expression with respect to a param, an
    /// input, a named value (its adjoint), or, inside a `fn`, one of the function's parameters.
    ///
    /// For a function parameter the expression is lowered with the parameter bound to a fresh
    /// placeholder leaf, differentiated with respect to it, and the result copied with the
    /// placeholder replaced by the argument; the placeholder and what depends on it are removed
    /// when lowering ends. So `fn slope_at(x) = grad(f(x), x)` is f' wherever it is called,
    /// even when the argument is itself computed from other values.
    mutating func grad(_ arguments: [Argument], range: SourceRange, source: Int, locals: [String: NodeID]) -> NodeID? {
        guard budgetCrossing == nil, checkArguments("grad", arguments, count: 2, at: range) else { return nil }
        let gradient = gradient(arguments, range: range, source: source, locals: locals)
        return stopsAtBudget(at: range, .derivative("grad")) ? nil : gradient
    }

    mutating func gradient(_ arguments: [Argument], range: SourceRange, source: Int, locals: [String: NodeID]) -> NodeID? {
        let ast = sources[source]
        guard case .name(let name) = ast[arguments[1].value].kind else {
            diagnostics.append(SemanticMessages.gradNeedsName(at: ast[arguments[1].value].range))
            return nil
        }
        let nameRange = ast[arguments[1].value].range
        let targetRange = ast[arguments[0].value].range
        if let argument = locals[name] {
            placeholderCount += 1
            let placeholder = builder.add(.leaf(.input, "grad:\(name)#\(placeholderCount)"), [], shape: builder[argument].shape,
                                          range: nameRange, name: name)
            markScratch(placeholder)
            var inner = locals
            inner[name] = placeholder
            guard let target = lower(arguments[0].value, source: source, locals: inner),
                  checkScalar(target, at: targetRange),
                  let gradient = differentiate(target, wrt: placeholder, at: range) else { return nil }
            return substitute(placeholder, with: argument, in: gradient)
        }
        guard let leaf = resolve(name, at: nameRange, locals: locals),
              let target = lower(arguments[0].value, source: source, locals: locals),
              checkScalar(target, at: targetRange) else { return nil }
        return differentiate(target, wrt: leaf, at: range)
    }

    mutating func checkScalar(_ target: NodeID, at range: SourceRange) -> Bool {
        guard builder[target].shape.isScalar else {
            diagnostics.append(SemanticMessages.gradOfNonScalar(builder[target].shape, at: range))
            return false
        }
        return true
    }

    /// Reverse mode on the graph built so far; the backward pass shares what it can with the
    /// forward pass, and belongs to the call being lowered where it is not inside another.
    /// Nil, with the graph unchanged, when the backward pass would take the graph past the
    /// budget (`maximumNodes`).
    mutating func differentiate(_ target: NodeID, wrt leaf: NodeID, at range: SourceRange) -> NodeID? {
        let count = builder.graph.count
        let maximumNodes = maximumNodes
        let gradients = builder.sharing { builder in
            ReverseMode.gradients(of: target, wrt: [leaf], in: &builder, maximumNodes: maximumNodes)
        }
        guard let gradients else {
            builder.truncate(to: count)
            noteCrossing(at: range, .derivative("grad"))
            return nil
        }
        return gradients[0]
    }

    mutating func markScratch(_ id: NodeID) {
        if scratch.count <= id.int { scratch.append(contentsOf: [Bool](repeating: false, count: id.int + 1 - scratch.count)) }
        scratch[id.int] = true
    }

    /// Copies every node after `placeholder` that depends on it, with `placeholder` replaced by
    /// `replacement`, and returns the copy of `root`.
    mutating func substitute(_ placeholder: NodeID, with replacement: NodeID, in root: NodeID) -> NodeID {
        guard root >= placeholder else { return root }
        var map: [Int: NodeID] = [placeholder.int: replacement]
        let end = builder.graph.count
        precondition(builder.indexing, "internal error: substituting without the hash-consing index")
        builder.hashConsing = true
        for index in (placeholder.int + 1)..<end {
            guard !overBudget else { break }
            let node = builder.graph.nodes[index]
            guard node.operands.contains(where: { map[$0.int] != nil }) else { continue }
            let operands = node.operands.map { map[$0.int] ?? $0 }
            map[index] = builder.add(node.op, Operands(operands), shape: node.shape, range: node.range, name: nil,
                                     adjointOf: node.adjointOf.map { map[$0.int] ?? $0 })
        }
        builder.hashConsing = false
        return map[root.int] ?? root
    }
}
