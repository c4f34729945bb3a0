/// The options of `slope export`: `--to jax|onnx`, `-o FILE` and `--dtype float32|float64`.
extension Arguments {
    static func exportTarget(_ value: String) throws(UsageError) -> ExportTarget {
        guard let target = ExportTarget(rawValue: value) else {
            let suggestion = Suggestions.closest(to: value, among: ExportTarget.allCases.map(\.rawValue))
            throw UsageError(message: "unknown export target '\(value)'; choose jax or onnx"
                                + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""), command: .export)
        }
        return target
    }

    static func outputPath(_ value: String, command: Command = .export) throws(UsageError) -> String {
        guard !value.isEmpty else { throw UsageError(message: "-o needs a file name", command: command) }
        return value
    }

    static func precision(_ value: String) throws(UsageError) -> ExportPrecision {
        guard let precision = ExportPrecision(rawValue: value) else {
            throw UsageError(message: "--dtype must be float32 or float64, found '\(value)'", command: .export)
        }
        return precision
    }

    /// The combinations the contract rules out: no target, an ONNX model to standard output
    /// (it is binary), `--dtype` for JAX (the module computes in float64, as Slope does).
    func checkExport() throws(UsageError) {
        guard let exportTarget else { throw UsageError(message: "export needs --to jax or --to onnx", command: .export) }
        switch exportTarget {
        case .onnx:
            guard output != nil else {
                throw UsageError(message: "--to onnx needs -o FILE.onnx (an ONNX model is binary, not for a terminal)", command: .export)
            }
        case .jax:
            if precision != nil {
                throw UsageError(message: "--dtype is for --to onnx; the JAX module computes in float64, as slope run does",
                                 command: .export)
            }
        }
    }
}

/// What `slope export --to` writes.
public enum ExportTarget: String, CaseIterable, Sendable {
    case jax, onnx
}
