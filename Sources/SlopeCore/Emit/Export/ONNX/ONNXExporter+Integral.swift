/// An `integral` in ONNX, which has no adaptive quadrature: the 15-point Kronrod rule on each
/// interval of the subdivision Slope's own quadrature chose at the exported values (traced, as
/// `torch.onnx.export` traces data-dependent control flow), written relative to the bounds so
/// it follows them when the inputs move:
///
///     ∫ₐᵇ g ≈ (b − a) · Σⱼ ωⱼ g(a + (b − a) σⱼ)
///
/// with σⱼ, ωⱼ the rule's points and weights on [0, 1]. At the exported values this is the
/// number `slope run` prints, to rounding; elsewhere it is that fixed rule, whose error Slope
/// no longer checks. The integrand is a `Loop` over the points, its body the integrand's graph
/// (the captures read from the enclosing graph, as ONNX subgraphs may), the values stacked by
/// the loop's scan output and weighted by one `MatMul`.
extension ONNXExporter {
    /// The rule's points σⱼ and weights ωⱼ on [0, 1] for an integral last evaluated as `report`
    /// (one interval when it was not evaluated, or had equal bounds).
    static func relativeRule(_ report: IntegralReport?) -> (points: [Double], weights: [Double]) {
        guard let report, !report.subintervals.isEmpty, report.upper != report.lower else {
            return (GaussKronrod.points(0, 1), GaussKronrod.weights(0, 1))
        }
        let a = report.lower, width = report.upper - report.lower
        var points: [Double] = [], weights: [Double] = []
        for interval in report.subintervals {
            points += GaussKronrod.points(interval.lowerBound, interval.upperBound).map { ($0 - a) / width }
            weights += GaussKronrod.weights(interval.lowerBound, interval.upperBound).map { $0 / Swift.abs(width) }
        }
        return (points, weights)
    }

    mutating func emitIntegral(_ node: Node, id: NodeID, _ integrand: Integrand, operands x: [String], as name: String) throws(Diagnostic) {
        guard !isIntegrandBody else { throw ExportMessages.nestedIntegral(at: userRange(of: node)) }
        let rule = Self.relativeRule(integrals[id])
        let count = rule.points.count
        func op(_ type: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [], to output: String? = nil) -> String {
            let result = output ?? fresh("\(name)_\(type.lowercased())")
            append(ONNXNode(opType: type, inputs: inputs, outputs: [result], attributes: attributes), for: node)
            return result
        }
        func constant(_ values: [Double], _ base: String) -> String {
            let constant = fresh("\(name)_\(base)")
            onnx.initializers.append(ONNXTensor(name: constant, dims: [values.count], dataType: precision.onnxType, values: values))
            return constant
        }
        let width = op("Sub", [x[1], x[0]], to: fresh("\(name)_width"))
        let points = op("Add", [x[0], op("Mul", [width, constant(rule.points, "nodes")])], to: fresh("\(name)_points"))

        // The body: iteration j reads point j and computes the integrand there.
        var body = ONNXExporter(graph: integrand.body, precision: precision, onnx: ONNXGraph(name: fresh("\(name)_integrand")))
        body.isIntegrandBody = true
        body.taken = taken
        body.integerConstants = integerConstants
        body.scalarConstants = scalarConstants
        let index = body.fresh("\(name)_j"), condition = body.fresh("\(name)_cond")
        body.onnx.inputs = [ONNXValueInfo(name: index, dataType: .int64, dims: []),
                            ONNXValueInfo(name: condition, dataType: .bool, dims: [])]
        if let variable = integrand.variableNode {
            let t = body.fresh(ONNXExporter.isIdentifier(integrand.variable) ? integrand.variable : "\(name)_t")
            body.append(ONNXNode(opType: "Gather", inputs: [points, index], outputs: [t], attributes: [.int("axis", 0)]), for: node)
            body.values[variable] = t
        }
        for (position, capture) in integrand.captureNodes.enumerated() {
            if let capture { body.values[capture] = x[2 + position] }
        }
        let live = integrand.body.reachable(from: [integrand.result])
        for bodyID in integrand.body.ids where live[bodyID.int] && body.values[bodyID] == nil {
            let bodyNode = integrand.body[bodyID]
            let value = body.valueName(for: bodyID, bodyNode)
            try body.emit(bodyNode, id: bodyID, as: value)
            body.values[bodyID] = value
        }
        let carried = body.fresh("\(name)_cond_out"), value = body.fresh("\(name)_value")
        body.append(ONNXNode(opType: "Identity", inputs: [condition], outputs: [carried]), for: node)
        body.append(ONNXNode(opType: "Identity", inputs: [body.values[integrand.result]!], outputs: [value]), for: node)
        body.onnx.outputs = [ONNXValueInfo(name: carried, dataType: .bool, dims: []),
                             ONNXValueInfo(name: value, dataType: precision.onnxType, dims: integrand.shape.dimensions)]
        // Its constants live in the enclosing graph, where the body reads them.
        onnx.initializers += body.onnx.initializers
        body.onnx.initializers = []
        taken = body.taken
        integerConstants = body.integerConstants
        scalarConstants = body.scalarConstants

        let always = fresh("\(name)_true")
        onnx.initializers.append(ONNXTensor(name: always, dims: [], dataType: .bool, values: [1]))
        let stacked = op("Loop", [integers([count], scalar: true), always], [.graph("body", body.onnx)], to: fresh("\(name)_values"))
        let rows = op("Reshape", [stacked, integers([count, integrand.shape.count])])
        let sums = op("MatMul", [constant(rule.weights, "weights"), rows])
        let shaped = op("Reshape", [sums, integers(integrand.shape.dimensions)])
        _ = op("Mul", [width, shaped], to: name)
    }
}

extension ONNXExporter {
    /// Each integral's evaluation at the values `program` would be exported with (its params'
    /// initial or loaded values and its inputs), by running the forward computation once; empty
    /// when the graph has no integral. An integral that cannot be evaluated there (a pole, no
    /// convergence) is its diagnostic, as in `slope run`.
    static func integralReports(of program: Program) throws(Diagnostic) -> [NodeID: IntegralReport] {
        let graph = program.graph
        guard graph.nodes.contains(where: { if case .integral = $0.op { true } else { false } }) else { return [:] }
        let roots = outputs(of: program).map(\.node)
        let evaluator = Executor(graph: graph, outputs: roots, leafValues: graph.leafValues([:]))
        evaluator.run()
        if let failure = evaluator.integralFailure(affecting: roots) { throw IntegralMessages.failure(failure) }
        return Dictionary(evaluator.lastIntegrals.map { ($0.node, $0) }) { _, last in last }
    }
}
