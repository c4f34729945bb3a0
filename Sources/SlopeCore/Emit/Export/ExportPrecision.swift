/// The element type of an exported model: `--dtype float32` (ONNX's default, and what most
/// runtimes and accelerators run fastest) or `--dtype float64` (Slope's own arithmetic).
public enum ExportPrecision: String, CaseIterable, Sendable {
    case float32, float64

    var onnxType: ONNXDataType {
        switch self {
        case .float32: return .float
        case .float64: return .double
        }
    }
}
