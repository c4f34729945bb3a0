import Testing
@testable import SlopeCore

/// The ONNX messages against bytes written by the reference implementation: each expected
/// string is `SerializeToString().hex()` of the same message built with onnx 1.17's
/// `onnx.helper`, the call shown beside it (T is `onnx.TensorProto`, np is numpy).
@Suite struct ONNXModelTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    static func encoded(_ encode: (inout ProtobufWriter) -> Void) -> String {
        var writer = ProtobufWriter()
        encode(&writer)
        return hex(writer.bytes)
    }

    @Test func aScalarValueInfoHasAnEmptyShape() {
        // helper.make_tensor_value_info("x", T.DOUBLE, [])
        let info = ONNXValueInfo(name: "x", dataType: .double, dims: [])
        #expect(Self.encoded(info.encode) == "0a017812060a04080b1200")
    }

    @Test func aMatrixValueInfoListsItsDims() {
        // helper.make_tensor_value_info("X", T.FLOAT, [40, 2])
        let info = ONNXValueInfo(name: "X", dataType: .float, dims: [40, 2])
        #expect(Self.encoded(info.encode) == "0a0158120e0a0c080112080a0208280a020802")
    }

    @Test func aFloatTensorIsRawLittleEndian() {
        // helper.make_tensor("m", T.FLOAT, [2], np.array([1.5, -2], np.float32).tobytes(), raw=True)
        let tensor = ONNXTensor(name: "m", dims: [2], dataType: .float, values: [1.5, -2])
        #expect(Self.encoded(tensor.encode) == "0802100142016d4a080000c03f000000c0")
    }

    @Test func aScalarIndexIsAnInt64TensorWithoutDims() {
        // helper.make_tensor("k", T.INT64, [], np.array([1], np.int64).tobytes(), raw=True)
        let tensor = ONNXTensor(name: "k", dims: [], integers: [1])
        #expect(Self.encoded(tensor.encode) == "100742016b4a080100000000000000")
    }

    @Test func aNodeWithIntAndIntsAttributes() {
        // helper.make_node("ReduceMean", ["z"], ["y"], keepdims=0, axes=[1]) (the helper sorts
        // attributes by name)
        let node = ONNXNode(opType: "ReduceMean", inputs: ["z"], outputs: ["y"],
                            attributes: [.ints("axes", [1]), .int("keepdims", 0)])
        #expect(Self.encoded(node.encode)
                == "0a017a120179220a5265647563654d65616e2a0b0a04617865734001a001072a0f0a086b65657064696d731800a00102")
    }

    @Test func aWholeModelMatchesTheReferenceByteForByte() {
        // g = helper.make_graph([helper.make_node("Mul", ["m", "x"], ["y"])], "tiny",
        //         [helper.make_tensor_value_info("x", T.FLOAT, [])], [helper.make_tensor_value_info("y", T.FLOAT, [])],
        //         initializer=[helper.make_tensor("m", T.FLOAT, [], np.array([2], np.float32).tobytes(), raw=True)])
        // helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="slope",
        //                   producer_version="slope 0.1.0", ir_version=8)
        var graph = ONNXGraph(name: "tiny")
        graph.nodes = [ONNXNode(opType: "Mul", inputs: ["m", "x"], outputs: ["y"])]
        graph.initializers = [ONNXTensor(name: "m", dims: [], dataType: .float, values: [2])]
        graph.inputs = [ONNXValueInfo(name: "x", dataType: .float, dims: [])]
        graph.outputs = [ONNXValueInfo(name: "y", dataType: .float, dims: [])]
        let model = ONNXModel(graph: graph, producerVersion: "slope 0.1.0")
        #expect(Self.hex(model.encoded()) == "08081205736c6f70651a0b736c6f706520302e312e303a3d0a0e0a016d0a017812017922034d756c"
                + "120474696e792a0b100142016d4a04000000405a0b0a017812060a0408011200620b0a017912060a040801120042040a001011")
    }
}
