/// Evaluates expressions made only of numbers: initial values (`param w = -1/3`,
/// `input xs = [[1, 2], [3, 4]]`), literal tensors in expressions, and settings such as
/// `axis: -1` or `rate: 0.1`. Names and non-constant calls make an expression "not constant",
/// which callers either report or lower as ordinary graph nodes.
struct ConstantEvaluator {
    enum Outcome {
        case value(Tensor)
        /// The expression reads a program value (at this range).
        case notConstant(SourceRange)
        /// Already diagnosed.
        case failed
    }

    var diagnostics: [Diagnostic] = []
    /// What a `linspace` may allocate: admitted against this budget beside the `held` bytes of
    /// the values made so far (which it grows), before it is made.
    var memory: MemoryBudget = .machine
    var held = 0

    mutating func evaluate(_ root: ExpressionID, in ast: AST) -> Outcome {
        ast.fold(root) { (id: ExpressionID, operands: [Outcome]) -> Outcome in
            let expression = ast[id]
            for operand in operands {
                if case .value = operand { continue }
                return operand
            }
            let values = operands.map { outcome -> Tensor in
                if case .value(let tensor) = outcome { return tensor }
                preconditionFailure("unreachable")
            }
            switch expression.kind {
            case .number(let value):
                return .value(Tensor(value))
            case .negate:
                return .value(Self.map(values[0]) { -$0 })
            case .binary(let op, _, _, let operatorRange):
                return binary(op, values[0], values[1], at: operatorRange)
            case .tensor:
                return stack(values, at: expression.range, ast: ast, id: id)
            case .call(let name, _, let arguments):
                if case .linspace? = BuiltinFunctions[name]?.form {
                    guard let tensor = linspace(arguments, in: ast, at: expression.range) else { return .failed }
                    return .value(tensor)
                }
                guard case .unary(let op)? = BuiltinFunctions[name]?.form, arguments.count == 1, arguments[0].label == nil else {
                    return .notConstant(expression.range)
                }
                return .value(Self.map(values[0]) { op.apply($0) })
            case .name, .string, .invalid:
                if case .invalid = expression.kind { return .failed }
                return .notConstant(expression.range)
            }
        }
    }

    /// linspace(a, b, n): n evenly spaced numbers from a to b, both included, as NumPy's
    /// `linspace` computes them (a + i·(b − a)/(n − 1), the last exactly b). a and b are
    /// constant expressions; n is a whole number written as a number, at least 2. Nil with a
    /// diagnostic otherwise.
    mutating func linspace(_ arguments: [Argument], in ast: AST, at range: SourceRange) -> Tensor? {
        guard arguments.count == 3, arguments.allSatisfy({ $0.label == nil }) else {
            if let labelled = arguments.first(where: { $0.label != nil }), let label = labelled.label {
                diagnostics.append(SemanticMessages.labelNotAllowed(label, "linspace", at: labelled.labelRange ?? range))
            } else {
                diagnostics.append(SemanticMessages.argumentCount("linspace", expected: 3, found: arguments.count, at: range))
            }
            return nil
        }
        guard let start = scalar(arguments[0].value, in: ast, what: "the start of 'linspace' (a number)"),
              let stop = scalar(arguments[1].value, in: ast, what: "the end of 'linspace' (a number)") else { return nil }
        let countExpression = ast[arguments[2].value]
        guard case .number(let count) = countExpression.kind, count == count.rounded(), count >= 2,
              count <= Double(InitialValues.maximumCount) else {
            diagnostics.append(SemanticMessages.linspaceCount(at: countExpression.range))
            return nil
        }
        let n = Int(count)
        do { try memory.admit(count: n, shape: Shape([n]), what: "linspace", at: range, held: &held) } catch {
            diagnostics.append(error)
            return nil
        }
        let step = (stop - start) / Double(n - 1)
        var values = (0..<n).map { start + Double($0) * step }
        values[n - 1] = stop
        return Tensor(shape: Shape([n]), values: values)
    }

    /// A whole number such as an axis, or nil with a diagnostic.
    mutating func integer(_ root: ExpressionID, in ast: AST, what: String) -> Int? {
        guard let value = scalar(root, in: ast, what: what) else { return nil }
        guard value == value.rounded(), Swift.abs(value) < 1e9 else {
            diagnostics.append(SemanticMessages.trainingSetting("\(what) must be a whole number, found \(ValueFormatter.number(value))", at: ast[root].range))
            return nil
        }
        return Int(value)
    }

    /// A scalar constant, or nil with a diagnostic.
    mutating func scalar(_ root: ExpressionID, in ast: AST, what: String) -> Double? {
        switch evaluate(root, in: ast) {
        case .value(let tensor):
            if let value = tensor.scalarValue { return value }
            diagnostics.append(SemanticMessages.notConstant(what, at: ast[root].range))
            return nil
        case .notConstant(let range):
            diagnostics.append(SemanticMessages.notConstant(what, at: range))
            return nil
        case .failed:
            return nil
        }
    }

    static func map(_ tensor: Tensor, _ transform: (Double) -> Double) -> Tensor {
        Tensor(shape: tensor.shape, values: tensor.values.map(transform))
    }

    mutating func binary(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor, at range: SourceRange) -> Outcome {
        let irOp: BinaryOp
        switch op {
        case .add: irOp = .add
        case .subtract: irOp = .sub
        case .multiply: irOp = .mul
        case .divide: irOp = .div
        case .power: irOp = .pow
        case .matmul: return .notConstant(range)
        }
        if a.shape == b.shape {
            return .value(Tensor(shape: a.shape, values: zip(a.values, b.values).map { irOp.apply($0, $1) }))
        }
        if let s = b.scalarValue { return .value(Self.map(a) { irOp.apply($0, s) }) }
        if let s = a.scalarValue { return .value(Self.map(b) { irOp.apply(s, $0) }) }
        // General broadcasting is left to the graph, where shape errors are reported in full.
        return .notConstant(range)
    }

    mutating func stack(_ elements: [Tensor], at range: SourceRange, ast: AST, id: ExpressionID) -> Outcome {
        guard let first = elements.first else { return .value(Tensor(shape: Shape([0]), values: [])) }
        var values: [Double] = []
        values.reserveCapacity(first.values.count * elements.count)
        for (index, element) in elements.enumerated() {
            guard element.shape == first.shape else {
                if case .tensor(let children) = ast[id].kind {
                    diagnostics.append(ShapeMessages.raggedLiteral(expected: first.shape, found: element.shape, at: ast[children[index]].range))
                }
                return .failed
            }
            values.append(contentsOf: element.values)
        }
        return .value(Tensor(shape: Shape([elements.count] + first.shape.dimensions), values: values))
    }
}
