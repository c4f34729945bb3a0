/// A JSON value: what `--json` output is built from (`Emit/JSON/JSONWriter.swift` writes it) and
/// what the reader of params files returns (`JSONReader`). Object keys keep their order.
public indirect enum JSONValue: Sendable {
    case number(Double)
    /// A count, written without a fraction (`"steps": 1000`).
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A scalar as a number; a tensor as nested arrays, row-major.
    public static func tensor(_ tensor: Tensor) -> JSONValue {
        guard !tensor.shape.isScalar else { return number(tensor.values[0]) }
        let shape = tensor.shape
        let strides = shape.strides
        // Built bottom-up per axis so depth is the tensor's rank, never its size.
        func build(_ axis: Int, _ base: Int) -> JSONValue {
            if axis == shape.rank - 1 {
                return .array((0..<shape[axis]).map { .number(tensor.values[base + $0]) })
            }
            return .array((0..<shape[axis]).map { build(axis + 1, base + $0 * strides[axis]) })
        }
        return build(0, 0)
    }
}
