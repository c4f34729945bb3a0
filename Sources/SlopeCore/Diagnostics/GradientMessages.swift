/// Messages of `grad`, `check` and `dot --grad`, alphabetised.
enum GradientMessages {
    static func independent(_ target: String, of name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, id: "grad.independent",
                   "'\(target)' does not depend on '\(name)'; its gradient is always zero", at: range)
    }

    static func noParams(_ target: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.no-params", "'\(target)' depends on no param", at: range,
                   notes: [.init("name the inputs to differentiate by with --wrt")])
    }

    static func nonScalarTarget(_ name: String, _ shape: Shape, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.non-scalar-target", "'\(name)' has shape \(shape); a gradient needs a scalar target", at: range,
                   notes: [.init("define a scalar such as 'total = sum(\(name))' and use --of total")])
    }

    static func nothingToDifferentiate() -> Diagnostic {
        Diagnostic(id: "grad.no-target", "the program defines no value to differentiate", at: nil)
    }
}
