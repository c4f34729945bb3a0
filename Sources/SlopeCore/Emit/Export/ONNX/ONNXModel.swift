/// An ONNX model as plain values: the few messages of onnx.proto that Slope writes, each with
/// only the fields it needs, and their encoding (field numbers from onnx/onnx.proto, which are
/// stable across releases). `ONNXExporter` builds one from a graph; `encoded()` gives the bytes
/// of the `.onnx` file.
struct ONNXModel: Equatable {
    /// IR version 8 is the one that goes with opset 17 (ONNX 1.12).
    static let irVersion = 8
    static let opsetVersion = 17

    var graph: ONNXGraph
    var producerVersion: String

    /// ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7,
    /// opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2; the default domain is "").
    func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.int(1, Self.irVersion)
        writer.string(2, "slope")
        writer.string(3, producerVersion)
        writer.message(7) { graph.encode(into: &$0) }
        writer.message(8) { opset in
            opset.string(1, "")
            opset.int(2, Self.opsetVersion)
        }
        return writer.bytes
    }
}

/// TensorProto.DataType: the element types Slope writes.
enum ONNXDataType: Int, Equatable {
    case float = 1, bool = 9, int64 = 7, double = 11
}

/// GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12.
struct ONNXGraph: Equatable {
    var name: String
    var docString: String = ""
    var nodes: [ONNXNode] = []
    var initializers: [ONNXTensor] = []
    var inputs: [ONNXValueInfo] = []
    var outputs: [ONNXValueInfo] = []

    func encode(into writer: inout ProtobufWriter) {
        for node in nodes { writer.message(1) { node.encode(into: &$0) } }
        writer.string(2, name)
        for tensor in initializers { writer.message(5) { tensor.encode(into: &$0) } }
        if !docString.isEmpty { writer.string(10, docString) }
        for input in inputs { writer.message(11) { input.encode(into: &$0) } }
        for output in outputs { writer.message(12) { output.encode(into: &$0) } }
    }
}

/// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, doc_string = 6.
struct ONNXNode: Equatable {
    var opType: String
    var inputs: [String]
    var outputs: [String]
    var name: String = ""
    var attributes: [ONNXAttribute] = []
    var docString: String = ""

    func encode(into writer: inout ProtobufWriter) {
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        if !name.isEmpty { writer.string(3, name) }
        writer.string(4, opType)
        for attribute in attributes { writer.message(5) { attribute.encode(into: &$0) } }
        if !docString.isEmpty { writer.string(6, docString) }
    }
}

/// AttributeProto: name = 1, i = 3, g = 6, ints = 8, type = 20 (AttributeType INT = 2,
/// GRAPH = 5, INTS = 7).
struct ONNXAttribute: Equatable {
    enum Value: Equatable {
        case int(Int)
        case ints([Int])
        /// A subgraph: the body of a `Loop`.
        case graph(ONNXGraph)
    }

    var name: String
    var value: Value

    static func int(_ name: String, _ value: Int) -> ONNXAttribute { ONNXAttribute(name: name, value: .int(value)) }
    static func ints(_ name: String, _ values: [Int]) -> ONNXAttribute { ONNXAttribute(name: name, value: .ints(values)) }
    static func graph(_ name: String, _ graph: ONNXGraph) -> ONNXAttribute { ONNXAttribute(name: name, value: .graph(graph)) }

    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        switch value {
        case .int(let number):
            writer.int(3, number)
            writer.int(20, 2)
        case .ints(let numbers):
            writer.repeatedInts(8, numbers)
            writer.int(20, 7)
        case .graph(let graph):
            writer.message(6) { graph.encode(into: &$0) }
            writer.int(20, 5)
        }
    }
}

/// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (the elements little-endian,
/// row-major).
struct ONNXTensor: Equatable {
    var name: String
    var dims: [Int]
    var dataType: ONNXDataType
    var rawData: [UInt8]

    /// A float or double tensor of `values` (float64 rounded to the nearest float32 for `.float`).
    init(name: String, dims: [Int], dataType: ONNXDataType, values: [Double]) {
        self.name = name
        self.dims = dims
        self.dataType = dataType
        var raw: [UInt8] = []
        switch dataType {
        case .float:
            raw.reserveCapacity(values.count * 4)
            for value in values { raw.appendLittleEndian(UInt64(Float(value).bitPattern), count: 4) }
        case .double:
            raw.reserveCapacity(values.count * 8)
            for value in values { raw.appendLittleEndian(value.bitPattern, count: 8) }
        case .int64:
            for value in values { raw.appendLittleEndian(UInt64(bitPattern: Int64(value)), count: 8) }
        case .bool:
            for value in values { raw.append(value != 0 ? 1 : 0) }
        }
        rawData = raw
    }

    /// An int64 tensor (shapes, axes and indices for Reshape, Expand, ReduceSum, Gather, CumSum).
    init(name: String, dims: [Int], integers: [Int]) {
        self.init(name: name, dims: dims, dataType: .int64, values: [])
        for value in integers { rawData.appendLittleEndian(UInt64(bitPattern: Int64(value)), count: 8) }
    }

    func encode(into writer: inout ProtobufWriter) {
        writer.repeatedInts(1, dims)
        writer.int(2, dataType.rawValue)
        writer.string(8, name)
        writer.data(9, rawData)
    }
}

/// ValueInfoProto: name = 1, type = 2 (TypeProto: tensor_type = 1; TypeProto.Tensor:
/// elem_type = 1, shape = 2; TensorShapeProto: dim = 1; Dimension: dim_value = 1). The shape is
/// always written, empty for a scalar.
struct ONNXValueInfo: Equatable {
    var name: String
    var dataType: ONNXDataType
    var dims: [Int]

    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        writer.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, dataType.rawValue)
                tensor.message(2) { shape in
                    for dim in dims { shape.message(1) { $0.int(1, dim) } }
                }
            }
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt64, count: Int) {
        for index in 0..<count { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}
