/// Lowering of the built-ins that are not one reduction or elementwise op: `softmax`, built
/// from `logsumexp`; `linspace`, a constant; and `cumsum`, whose axis is optional only for a
/// vector.
extension Lowering {
    /// softmax(x) = exp(x − logsumexp(x)) for a vector (or a scalar, whose softmax is 1), and
    /// softmax(x, axis: k) = exp(x − logsumexp(x, axis: k)) per slice along axis k: the
    /// stable form (the largest exponent is 0), whose derivatives follow from logsumexp's.
    mutating func softmax(_ arguments: [Argument], _ operands: [NodeID], range: SourceRange, source: Int) -> NodeID? {
        let hasAxis = arguments.contains { $0.label == "axis" }
        if !hasAxis, operands.count == 1, builder[operands[0]].shape.rank >= 2 {
            diagnostics.append(SemanticMessages.softmaxNeedsAxis(builder[operands[0]].shape, at: range))
            return nil
        }
        guard let normalizer = reduction(.logsumexp, "softmax", arguments, operands, range: range, source: source) else {
            return nil
        }
        let x = operands[0], shape = builder[x].shape
        var kept = builder[normalizer].shape
        if case .reduce(_, let axis?) = builder[normalizer].op {
            var dimensions = shape.dimensions
            dimensions[axis] = 1
            kept = Shape(dimensions)
        }
        let aligned = kept == builder[normalizer].shape ? normalizer : builder.reshape(normalizer, kept, at: range)
        let shifted = builder.sub(x, aligned, at: range)
        return builder.apply(.exp, shifted, at: range)
    }

    /// cumsum(x) for a vector, cumsum(x, axis: k) for any tensor with that axis (a negative axis
    /// counts from the end).
    mutating func cumsum(_ arguments: [Argument], _ operands: [NodeID], range: SourceRange, source: Int) -> NodeID? {
        var axisExpression: ExpressionID?
        for argument in arguments {
            guard let label = argument.label else { continue }
            guard label == "axis" else {
                diagnostics.append(SemanticMessages.labelNotAllowed(label, "cumsum", at: argument.labelRange ?? range))
                return nil
            }
            axisExpression = argument.value
        }
        guard operands.count == 1 else {
            diagnostics.append(SemanticMessages.argumentCount("cumsum", expected: 1, found: operands.count, at: range))
            return nil
        }
        let shape = builder[operands[0]].shape
        var axis = 0
        if let axisExpression {
            var evaluator = ConstantEvaluator()
            let value = evaluator.integer(axisExpression, in: sources[source], what: "'axis'")
            diagnostics.append(contentsOf: evaluator.diagnostics)
            guard let value else { return nil }
            guard value >= -shape.rank && value < shape.rank else {
                diagnostics.append(ShapeMessages.operation(.cumsum(axis: value), .axis(value, shape), at: range))
                return nil
            }
            axis = value < 0 ? value + shape.rank : value
        } else if shape.rank != 1 {
            diagnostics.append(SemanticMessages.cumsumNeedsAxis(shape, at: range))
            return nil
        }
        return node(.cumsum(axis: axis), Operands(operands), range: range, errorRange: range)
    }

    /// linspace(a, b, n): a constant vector (`ConstantEvaluator.linspace`).
    mutating func linspace(_ arguments: [Argument], range: SourceRange, source: Int) -> NodeID? {
        var evaluator = ConstantEvaluator()
        // The vector is admitted against the memory budget beside the initial values.
        evaluator.memory = initialValues.memory
        evaluator.held = initialValues.held
        let tensor = evaluator.linspace(arguments, in: sources[source], at: range)
        initialValues.held = evaluator.held
        diagnostics.append(contentsOf: evaluator.diagnostics)
        return tensor.map { builder.constant($0, range: range) }
    }
}
