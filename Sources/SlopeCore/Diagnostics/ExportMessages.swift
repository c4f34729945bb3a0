/// Messages of `slope export`, alphabetised.
enum ExportMessages {
    /// An op of the program that ONNX Runtime's CPU provider runs only in float32.
    static func noDoubleKernel(_ op: String, onnxOp: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "export.no-double-kernel",
                   "cannot export '\(op)' as float64: ONNX Runtime's CPU provider has no float64 kernel for \(onnxOp)",
                   at: range, notes: [.init("export as float32 (the default, --dtype float32)")])
    }

    /// A program with nothing for a model to compute.
    static func noOutputs(at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "export.no-outputs", "the program prints nothing and trains nothing, so the model would have no outputs",
                   at: range, notes: [.init("add a print statement, as in 'print loss'")])
    }

    /// An op the target cannot express yet: at the op's line, never a wrong model.
    static func unsupportedOp(_ op: String, target: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "export.unsupported-op", "cannot export '\(op)' to \(target) yet", at: range)
    }
}

extension ExportMessages {
    /// An integral inside an integrand: ONNX gets each integral as the fixed rule of its
    /// subdivision at the exported values, and an inner integral has one per outer point.
    static func nestedIntegral(at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "export.unsupported-op",
                   "cannot export an integral inside an integrand to ONNX (its subdivision changes from point to point)", at: range)
    }
}

extension ExportMessages {
    /// A training method the JAX module does not write out yet (Newton's method on independent
    /// points): at the training statement.
    static func unsupportedMethod(_ method: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "export.unsupported-method", "cannot export training by '\(method)' to JAX yet", at: range,
                   notes: [.init("export the forward computation with --to onnx")])
    }
}
