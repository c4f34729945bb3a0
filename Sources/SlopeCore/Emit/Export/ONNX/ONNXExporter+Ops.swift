/// The op mapping of `ONNXExporter`: each Slope op as one ONNX node, or a few where ONNX has
/// no single operator with its meaning. Opset 17 throughout: ReduceSum, Unsqueeze take their
/// axes as an int64 input (since opset 13); ReduceMean, ReduceMax, ReduceMin and
/// ReduceLogSumExp still take them as an attribute (they move to inputs in opset 18).
/// Broadcasting and MatMul follow NumPy in ONNX as in Slope, vectors included.
extension ONNXExporter {
    /// ONNX operators that ONNX Runtime's CPU provider (1.20) runs in float32 but not float64,
    /// found by creating a one-node float64 session of every operator this file emits.
    static let float32Only: Set<String> = ["Cos", "Softplus"]

    /// Where to point a diagnostic about `node`: its own range in the user's file, or for a node
    /// inlined from the prelude (`bce`'s softplus) the outermost call in the user's program.
    func userRange(of node: Node) -> SourceRange? {
        guard let range = node.range, range.isPrelude, var frame = node.frame else { return node.range }
        while let parent = graph.frames[Int(frame)].parent { frame = parent }
        return graph.frames[Int(frame)].range
    }

    mutating func emit(_ node: Node, id: NodeID, as name: String) throws(Diagnostic) {
        let x = node.operands.map { values[$0]! }
        func op(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], to output: String? = nil) throws(Diagnostic) -> String {
            if precision == .float64 && Self.float32Only.contains(type) {
                throw ExportMessages.noDoubleKernel(node.op.name, onnxOp: type, at: userRange(of: node))
            }
            let result = output ?? fresh("\(name)_\(type.lowercased())")
            append(ONNXNode(opType: type, inputs: inputs, outputs: [result], attributes: attributes), for: node)
            return result
        }
        switch node.op {
        case .constant(let tensor):
            onnx.initializers.append(ONNXTensor(name: name, dims: tensor.shape.dimensions, dataType: precision.onnxType,
                                                values: tensor.values))
        case .leaf(.param, let leafName):
            let value = graph.leaf(named: leafName)?.value ?? Tensor(filling: node.shape, with: 0)
            onnx.initializers.append(ONNXTensor(name: name, dims: node.shape.dimensions, dataType: precision.onnxType,
                                                values: value.values))
        case .leaf(.input, _):
            onnx.inputs.append(ONNXValueInfo(name: name, dataType: precision.onnxType, dims: node.shape.dimensions))
        case .unary(let unary):
            switch unary {
            case .neg: _ = try op("Neg", x, to: name)
            case .exp: _ = try op("Exp", x, to: name)
            case .log: _ = try op("Log", x, to: name)
            case .sqrt: _ = try op("Sqrt", x, to: name)
            case .abs: _ = try op("Abs", x, to: name)
            case .sin: _ = try op("Sin", x, to: name)
            case .cos: _ = try op("Cos", x, to: name)
            case .tanh: _ = try op("Tanh", x, to: name)
            // ONNX Runtime's Sigmoid and Softplus are the stable forms Slope uses
            // (sigmoid(-800) = 0, softplus(-40) = 4.25e-18, softplus(1000) = 1000).
            case .sigmoid: _ = try op("Sigmoid", x, to: name)
            case .softplus: _ = try op("Softplus", x, to: name)
            case .relu: _ = try op("Relu", x, to: name)
            case .sign: _ = try op("Sign", x, to: name)
            case .step:
                // step(x) = 1 where x > 0, else 0, and NaN stays NaN: Where(IsNaN(x), x, Cast(x > 0)).
                let positive = try op("Greater", [x[0], scalar(0)])
                let indicator = try op("Cast", [positive], [.int("to", precision.onnxType.rawValue)])
                let isNaN = try op("IsNaN", x)
                _ = try op("Where", [isNaN, x[0], indicator], to: name)
            }
        case .binary(let binary):
            switch binary {
            case .add: _ = try op("Add", x, to: name)
            case .sub: _ = try op("Sub", x, to: name)
            case .mul: _ = try op("Mul", x, to: name)
            case .div: _ = try op("Div", x, to: name)
            case .pow: _ = try op("Pow", x, to: name)
            case .max: _ = try op("Max", x, to: name)
            case .min: _ = try op("Min", x, to: name)
            case .equal:
                let same = try op("Equal", x)
                _ = try op("Cast", [same], [.int("to", precision.onnxType.rawValue)], to: name)
            case .mask:
                // mask(x, v) = v where x > 0, else exactly 0 (never 0 * v): Where broadcasts all three.
                let positive = try op("Greater", [x[0], scalar(0)])
                _ = try op("Where", [positive, x[1], scalar(0)], to: name)
            }
        case .reduce(let reduction, let axis):
            let operandShape = graph[node.operands[0]].shape
            if operandShape.isScalar {
                _ = try op("Identity", x, to: name)
                return
            }
            let keep = ONNXAttribute.int("keepdims", 0)
            let type: String
            switch reduction {
            case .sum: type = "ReduceSum"
            case .mean: type = "ReduceMean"
            case .max: type = "ReduceMax"
            case .min: type = "ReduceMin"
            // ONNX Runtime subtracts the maximum first, as Slope does: logsumexp([1000, 1001]) is finite.
            case .logsumexp: type = "ReduceLogSumExp"
            }
            if reduction == .sum {
                _ = try op(type, axis.map { x + [integers([$0])] } ?? x, [keep], to: name)
            } else {
                _ = try op(type, x, [keep] + (axis.map { [ONNXAttribute.ints("axes", [$0])] } ?? []), to: name)
            }
        case .matmul:
            _ = try op("MatMul", x, to: name)
        case .transpose:
            let rank = graph[node.operands[0]].shape.rank
            if rank < 2 { _ = try op("Identity", x, to: name) }
            else { _ = try op("Transpose", x, [.ints("perm", Array((0..<rank).reversed()))], to: name) }
        case .reshape(let shape):
            _ = try op("Reshape", [x[0], integers(shape.dimensions)], shape.dimensions.contains(0) ? [.int("allowzero", 1)] : [],
                       to: name)
        case .broadcast(let shape):
            _ = try op("Expand", [x[0], integers(shape.dimensions)], to: name)
        case .sumTo(let target):
            // Sum over the leading axes the target lacks and the axes where it has 1 and the
            // operand more, keeping them as 1s, then drop the leading ones with a Reshape.
            let source = graph[node.operands[0]].shape
            let lead = source.rank - target.rank
            let axes = (0..<source.rank).filter { $0 < lead || (target[$0 - lead] == 1 && source[$0] != 1) }
            if axes.isEmpty && source == target { _ = try op("Identity", x, to: name); return }
            let summed = axes.isEmpty ? x[0] : try op("ReduceSum", [x[0], integers(axes)], [.int("keepdims", 1)])
            _ = try op("Reshape", [summed, integers(target.dimensions)], to: name)
        case .stack:
            let axis = integers([0])
            var rows: [String] = []
            for operand in x { rows.append(try op("Unsqueeze", [operand, axis])) }
            _ = try op("Concat", rows, [.int("axis", 0)], to: name)
        case .index(let position):
            _ = try op("Gather", [x[0], integers([position], scalar: true)], [.int("axis", 0)], to: name)
        case .cumsum(let axis):
            _ = try op("CumSum", [x[0], integers([axis], scalar: true)], to: name)
        case .integral(let integrand):
            try emitIntegral(node, id: id, integrand, operands: x, as: name)
        }
    }
}
