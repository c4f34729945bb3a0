/// Lowering of expressions: a bottom-up fold over the syntax tree (no recursion on depth) that
/// adds one node per operator, checking shapes as it goes. A nil value means "already
/// diagnosed", and silences everything built on it.
extension Lowering {
    /// The work and value stacks of the walk, kept between statements so that lowering a
    /// statement allocates no stack of its own (two arrays a statement, and an array of
    /// children and one of operands an operator, were a fifth of lowering a long program).
    struct ExpressionWalk {
        /// Expressions to lower; `childCount` is -1 while their children are still to be pushed.
        var work: [(id: ExpressionID, childCount: Int32)] = []
        /// The lowered values of finished expressions, the newest last.
        var values: [NodeID?] = []
    }

    mutating func lower(_ root: ExpressionID, source: Int, locals: [String: NodeID]) -> NodeID? {
        let ast = sources[source]
        // Taken while the walk runs: an inlined body lowered from inside it starts its own.
        var walk = expressionWalk
        expressionWalk = ExpressionWalk()
        defer {
            walk.work.removeAll(keepingCapacity: true)
            walk.values.removeAll(keepingCapacity: true)
            expressionWalk = walk
        }
        walk.work.append((root, -1))
        while let (id, childCount) = walk.work.popLast() {
            if childCount < 0 {
                let mark = walk.work.count
                walk.work.append((id, 0))
                let pushed = Lowering.pushLoweredChildren(of: id, in: ast, onto: &walk.work)
                if pushed > 0 {
                    walk.work[mark].childCount = Int32(pushed)
                    continue
                }
                walk.work.removeLast()
            }
            let start = walk.values.count - Int(max(childCount, 0))
            let value = lower(id, ast: ast, operands: walk.values[start...], source: source, locals: locals)
            walk.values.removeSubrange(start...)
            walk.values.append(value)
        }
        return walk.values[0]
    }

    /// One expression, its lowered children given (in order).
    private mutating func lower(_ id: ExpressionID, ast: AST, operands lowered: ArraySlice<NodeID?>, source: Int,
                                locals: [String: NodeID]) -> NodeID? {
        let expression = ast[id]
        if lowered.contains(where: { $0 == nil }) {
            // An argument already failed; a misspelled function is still worth reporting.
            if case .call(let name, let calleeRange, _) = expression.kind { reportUnknownFunction(name, at: calleeRange, locals: locals) }
            return nil
        }
        let operands = Operands(lowered.lazy.map { $0! })
        switch expression.kind {
        case .number(let value):
            return builder.constant(value, range: expression.range)
        case .string:
            diagnostics.append(SemanticMessages.unsupported("a string can only name a CSV file or column, in csv(...)", at: expression.range))
            return nil
        case .name(let name):
            return resolve(name, at: expression.range, locals: locals)
        case .negate(let operand):
            if case .number(let value) = ast[operand].kind {
                return builder.constant(-value, range: expression.range)
            }
            return builder.add(.unary(.neg), operands, range: expression.range)
        case .binary(let op, _, _, let operatorRange):
            return node(Lowering.irOp(op), operands, range: expression.range, errorRange: operatorRange)
        case .call(let name, let calleeRange, let arguments):
            return call(name, calleeRange: calleeRange, arguments, operands: operands, expression: expression,
                        source: source, locals: locals)
        case .tensor:
            if operands.isEmpty {
                // No lowered children: the literal is a constant.
                var evaluator = ConstantEvaluator()
                if case .value(let tensor) = evaluator.evaluate(id, in: ast) {
                    return builder.constant(tensor, range: expression.range)
                }
                diagnostics.append(contentsOf: evaluator.diagnostics)
                return nil
            }
            return stack(Array(operands), expression: expression, ast: ast)
        case .invalid:
            return nil
        }
    }

    /// Pushes the subexpressions lowered before an expression itself onto `work`, last first
    /// (so the first is lowered first), and returns how many: none for constant tensor
    /// literals, negated numbers and calls whose arguments are not graph values.
    static func pushLoweredChildren(of id: ExpressionID, in ast: AST, onto work: inout [(id: ExpressionID, childCount: Int32)]) -> Int {
        func push(_ child: ExpressionID) { work.append((child, -1)) }
        switch ast[id].kind {
        case .number, .string, .name, .invalid:
            return 0
        case .negate(let operand):
            if case .number = ast[operand].kind { return 0 }
            push(operand)
            return 1
        case .binary(_, let lhs, let rhs, _):
            push(rhs)
            push(lhs)
            return 2
        case .call(let name, _, let arguments):
            var count = 0
            switch BuiltinFunctions[name]?.form {
            case .grad?, .jvp?, .linspace?, .initializer?:
                break
            case .softmax?, .cumsum?, .reduction?:
                for argument in arguments.reversed() where argument.label == nil { push(argument.value); count += 1 }
            case .integral?:
                // The first argument names a function; the bounds are values.
                for argument in arguments.dropFirst().reversed() { push(argument.value); count += 1 }
            case .structural?:
                for argument in arguments.prefix(1) { push(argument.value); count += 1 }
            case .unary?, .binary?, .transpose?, nil:
                for argument in arguments.reversed() { push(argument.value); count += 1 }
            }
            return count
        case .tensor(let elements):
            var evaluator = ConstantEvaluator()
            guard case .notConstant = evaluator.evaluate(id, in: ast) else { return 0 }
            for element in elements.reversed() { push(element) }
            return elements.count
        }
    }

    static func irOp(_ op: BinaryOperator) -> Op {
        switch op {
        case .add: return .binary(.add)
        case .subtract: return .binary(.sub)
        case .multiply: return .binary(.mul)
        case .divide: return .binary(.div)
        case .matmul: return .matmul
        case .power: return .binary(.pow)
        }
    }

    /// Adds a node after checking its shape; a shape error points at `errorRange`.
    mutating func node(_ op: Op, _ operands: Operands, range: SourceRange, errorRange: SourceRange) -> NodeID? {
        switch GraphBuilder.inferShape(op, operands, in: builder.graph) {
        case .success(let shape):
            // Broadcasting and matmul can build shapes far larger than any operand
            // ([10^6, 1, 1, 1] + [1, 10^6, 1, 1] + …): past the limit on tensor sizes, and
            // before `Shape.count` overflows Int, that is a diagnostic rather than a trap or a
            // failed allocation at run time. The product is taken in Double so it cannot overflow.
            if shape.dimensions.reduce(1.0, { $0 * Double($1) }) > Double(InitialValues.maximumCount) {
                diagnostics.append(ShapeMessages.tooLarge(op, shape, at: errorRange))
                return nil
            }
            return builder.add(op, operands, shape: shape, range: range)
        case .failure(let error):
            diagnostics.append(ShapeMessages.operation(op, error, at: errorRange))
            return nil
        }
    }

    /// A name in an expression: a function parameter, then a global value.
    mutating func resolve(_ name: String, at range: SourceRange, locals: [String: NodeID]) -> NodeID? {
        if !locals.isEmpty, let local = locals[name] { return local }
        if let global = globals[name] { return global }
        if poisoned.contains(name) { return nil }
        if name == defining {
            diagnostics.append(SemanticMessages.selfReference(name, at: range))
        } else if let later = laterDefinitions[name] {
            diagnostics.append(SemanticMessages.usedBeforeDefinition(name, definition: later, at: range))
        } else if functions[name] != nil || BuiltinFunctions.names.contains(name) {
            diagnostics.append(SemanticMessages.functionAsValue(name, at: range))
        } else {
            let candidates = Array(locals.keys) + Array(globals.keys)
            diagnostics.append(SemanticMessages.undefinedName(name, suggestion: Suggestions.closest(to: name, among: candidates), at: range))
        }
        return nil
    }

    /// A tensor literal with graph values as elements: `stack`.
    mutating func stack(_ operands: [NodeID], expression: Expression, ast: AST) -> NodeID? {
        let first = builder[operands[0]].shape
        if case .tensor(let elements) = expression.kind {
            for (index, operand) in operands.enumerated() where builder[operand].shape != first {
                diagnostics.append(ShapeMessages.raggedLiteral(expected: first, found: builder[operand].shape, at: ast[elements[index]].range))
                return nil
            }
        }
        return builder.add(.stack, Operands(operands), range: expression.range)
    }
}
