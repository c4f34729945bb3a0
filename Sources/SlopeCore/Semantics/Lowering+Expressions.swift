/// Lowering of expressions: a bottom-up fold over the syntax tree (no recursion on depth) that
/// adds one node per operator, checking shapes as it goes. A nil value means "already
/// diagnosed", and silences everything built on it.
extension Lowering {
    mutating func lower(_ root: ExpressionID, source: Int, locals: [String: NodeID]) -> NodeID? {
        let ast = sources[source]
        return ast.fold(root, children: { id in Lowering.loweredChildren(of: id, in: ast) }) {
            (id: ExpressionID, operands: [NodeID?]) -> NodeID? in
            let expression = ast[id]
            if operands.contains(where: { $0 == nil }) {
                // An argument already failed; a misspelled function is still worth reporting.
                if case .call(let name, let calleeRange, _) = expression.kind { reportUnknownFunction(name, at: calleeRange, locals: locals) }
                return nil
            }
            let operands = operands.map { $0! }
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
                return builder.add(.unary(.neg), Operands(operands), range: expression.range)
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
                return stack(operands, expression: expression, ast: ast)
            case .invalid:
                return nil
            }
        }
    }

    /// The subexpressions lowered before an expression itself: none for constant tensor
    /// literals, negated numbers and calls whose arguments are not graph values.
    static func loweredChildren(of id: ExpressionID, in ast: AST) -> [ExpressionID] {
        let expression = ast[id]
        switch expression.kind {
        case .negate(let operand):
            if case .number = ast[operand].kind { return [] }
            return [operand]
        case .call(let name, _, let arguments):
            switch BuiltinFunctions[name]?.form {
            case .grad?, .jvp?, .linspace?, .initializer?: return []
            case .softmax?, .cumsum?: return arguments.filter { $0.label == nil }.map(\.value)
            // The first argument names a function; the bounds are values.
            case .integral?: return arguments.dropFirst().map(\.value)
            case .reduction?: return arguments.filter { $0.label == nil }.map(\.value)
            case .structural?: return arguments.prefix(1).map(\.value)
            case .unary?, .binary?, .transpose?, nil: return arguments.map(\.value)
            }
        case .tensor(let elements):
            var evaluator = ConstantEvaluator()
            if case .notConstant = evaluator.evaluate(id, in: ast) {
                return elements
            }
            return []
        default:
            return expression.children
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
    mutating func node(_ op: Op, _ operands: [NodeID], range: SourceRange, errorRange: SourceRange) -> NodeID? {
        switch GraphBuilder.inferShape(op, Operands(operands), in: builder.graph) {
        case .success(let shape):
            // Broadcasting and matmul can build shapes far larger than any operand
            // ([10^6, 1, 1, 1] + [1, 10^6, 1, 1] + …): past the limit on tensor sizes, and
            // before `Shape.count` overflows Int, that is a diagnostic rather than a trap or a
            // failed allocation at run time. The product is taken in Double so it cannot overflow.
            if shape.dimensions.reduce(1.0, { $0 * Double($1) }) > Double(InitialValues.maximumCount) {
                diagnostics.append(ShapeMessages.tooLarge(op, shape, at: errorRange))
                return nil
            }
            return builder.add(op, Operands(operands), shape: shape, range: range)
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
