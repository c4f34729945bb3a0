import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Each Slope op's ONNX form (the operator types the exporter writes for it), the model's
/// interface (initializers, inputs, output names) and the refusals. The values are checked by
/// ONNX Runtime in `ONNXEndToEndTests`, including the programs here.
@Suite struct ONNXExporterTests {
    static let prelude = """
        input x = [1.5, -2, 0, 3]
        input y = [2, -1, 0, 4]
        input A = [[1, 2, 3], [4, 5, 6]]
        input B = [[1, 0], [0, 1], [2, 2]]
        input v = [1, 2, 3]
        input s = 0.5

        """

    static func export(_ source: String, precision: ExportPrecision = .float32) throws -> ONNXExporter.Result {
        let program = try #require(InProcess.lower(source, path: "ops.graph").program)
        return try ONNXExporter.export(Optimizer.optimize(program).program, precision: precision, path: "ops.graph")
    }

    static func operators(_ expression: String) throws -> [String] {
        try export(prelude + "print \(expression)\n").model.graph.nodes.map(\.opType)
    }

    /// Every op of the IR, written so the optimizer keeps it, and the ONNX operators it becomes.
    static let mappings: [(String, [String])] = [
        ("-x", ["Neg"]), ("exp(x)", ["Exp"]), ("log(x)", ["Log"]), ("sqrt(x)", ["Sqrt"]), ("abs(x)", ["Abs"]),
        ("sin(x)", ["Sin"]), ("cos(x)", ["Cos"]), ("tanh(x)", ["Tanh"]), ("sigmoid(x)", ["Sigmoid"]),
        ("relu(x)", ["Relu"]), ("softplus(x)", ["Softplus"]), ("sign(x)", ["Sign"]),
        ("step(x)", ["Greater", "Cast", "IsNaN", "Where"]),
        ("x + y", ["Add"]), ("x - y", ["Sub"]), ("x * y", ["Mul"]), ("x / y", ["Div"]), ("x ^ s", ["Pow"]),
        ("max(x, y)", ["Max"]), ("min(x, y)", ["Min"]), ("equal(x, y)", ["Equal", "Cast"]),
        ("mask(x, y)", ["Greater", "Where"]),
        ("sum(A)", ["ReduceSum"]), ("sum(A, axis: 1)", ["ReduceSum"]), ("mean(A, axis: 0)", ["ReduceMean"]),
        ("max(A)", ["ReduceMax"]), ("min(A, axis: 1)", ["ReduceMin"]), ("logsumexp(A, axis: 1)", ["ReduceLogSumExp"]),
        ("A @ B", ["MatMul"]), ("A @ v", ["MatMul"]), ("v @ v", ["MatMul"]), ("transpose(A)", ["Transpose"]),
        ("reshape(A, [3, 2])", ["Reshape"]), ("broadcast(v, [2, 3])", ["Expand"]),
        ("sum_to(A, [3])", ["ReduceSum", "Reshape"]), ("sum_to(A, [2, 1])", ["ReduceSum", "Reshape"]),
        ("[s, s * 2]", ["Mul", "Unsqueeze", "Unsqueeze", "Concat"]), ("index(A, 1)", ["Gather"]),
        ("cumsum(x)", ["CumSum"]), ("cumsum(A, axis: 1)", ["CumSum"]),
    ]

    @Test(arguments: mappings)
    func eachOpBecomesItsOnnxOperators(_ expression: String, _ expected: [String]) throws {
        #expect(try Self.operators(expression) == expected)
    }

    @Test func reductionsTakeAxesAsOpset17Does() throws {
        // ReduceSum: axes as a second, int64 input since opset 13; the others: an attribute until 18.
        let sum = try Self.export(Self.prelude + "print sum(A, axis: 1)\n").model.graph
        #expect(sum.nodes[0].inputs.count == 2 && sum.nodes[0].attributes == [.int("keepdims", 0)])
        #expect(sum.initializers.contains { $0.name == sum.nodes[0].inputs[1] && $0.dataType == .int64 && $0.dims == [1] })
        let mean = try Self.export(Self.prelude + "print mean(A, axis: 1)\n").model.graph
        #expect(mean.nodes[0].inputs.count == 1 && mean.nodes[0].attributes == [.int("keepdims", 0), .ints("axes", [1])])
    }

    @Test func sumToReducesTheBroadcastAxesAndReshapes() throws {
        // sum_to([2, 3] -> [3]) sums axis 0 (kept as 1) and reshapes to [3].
        let graph = try Self.export(Self.prelude + "print sum_to(A, [3])\n").model.graph
        let axes = graph.initializers.first { $0.name == graph.nodes[0].inputs[1] }
        #expect(axes == ONNXTensor(name: axes?.name ?? "", dims: [1], integers: [0]))
        #expect(graph.nodes[0].attributes == [.int("keepdims", 1)])
    }

    @Test func paramsAreInitializersInputsAreGraphInputsAndPrintsAreOutputs() throws {
        let result = try Self.export("""
            param m = 2
            param W: [2] = [1, 2]
            input x = 3
            input unused = 1
            y = m*x
            print y, W, W * x
            """)
        let graph = result.model.graph
        #expect(graph.inputs == [ONNXValueInfo(name: "x", dataType: .float, dims: [])])
        #expect(Set(graph.initializers.map(\.name)) == ["m", "W"])
        #expect(graph.initializers.first { $0.name == "W" } == ONNXTensor(name: "W", dims: [2], dataType: .float, values: [1, 2]))
        // A printed name names its value; a printed param is an output through Identity; an
        // expression gets output_K.
        #expect(graph.outputs.map(\.name) == ["y", "W_out", "output_3"])
        #expect(graph.nodes.contains { $0.opType == "Mul" && $0.outputs == ["y"] })
        #expect(graph.nodes.contains { $0.opType == "Identity" && $0.inputs == ["W"] && $0.outputs == ["W_out"] })
    }

    @Test func float64KeepsEveryBitOfTheParams() throws {
        let graph = try Self.export("param m = 0.1\ninput x = 3\nprint m * x\n", precision: .float64).model.graph
        #expect(graph.initializers == [ONNXTensor(name: "m", dims: [], dataType: .double, values: [0.1])])
        #expect(graph.inputs == [ONNXValueInfo(name: "x", dataType: .double, dims: [])])
    }

    @Test func aValuePrintedTwiceIsOneOutputAndTrainingTargetsAreOutputs() throws {
        let graph = try Self.export("""
            param m = 0
            input x = 2
            loss = (m*x - 1)^2
            print loss
            minimize loss by gd(rate: 0.1, steps: 3)
            print loss
            """).model.graph
        #expect(graph.outputs.map(\.name) == ["loss"])
    }

    @Test func everyNodeCarriesItsSourceLine() throws {
        let graph = try Self.export("input x = 2\ny = exp(x)\nprint y\n").model.graph
        #expect(graph.nodes.map(\.docString) == ["ops.graph:2:5: exp(x)"])
    }

    @Test(arguments: [("cos(x)", "Cos"), ("softplus(x)", "Softplus")])
    func float64RefusesAnOpOnnxRuntimeRunsOnlyInFloat32(_ expression: String, _ onnxOp: String) throws {
        #expect {
            _ = try Self.export(Self.prelude + "print \(expression)\n", precision: .float64)
        } throws: { error in
            guard let diagnostic = error as? Diagnostic else { return false }
            return diagnostic.id == "export.no-double-kernel" && diagnostic.message.contains("kernel for \(onnxOp)")
                && diagnostic.range?.line == 7
        }
    }

    @Test func aProgramWithoutOutputsIsADiagnostic() throws {
        #expect { _ = try Self.export("param m = 1\n") } throws: { ($0 as? Diagnostic)?.id == "export.no-outputs" }
    }
}
