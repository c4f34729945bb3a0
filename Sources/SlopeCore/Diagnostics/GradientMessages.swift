/// Messages of `grad` and `check`, alphabetised.
enum GradientMessages {
    static func independent(_ target: String, of name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, id: "grad.independent",
                   "'\(target)' does not depend on '\(name)'; its gradient is always zero", at: range)
    }

    static func noParams(_ target: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.no-params", "'\(target)' depends on no param", at: range,
                   notes: [.init("name the inputs to differentiate by with --wrt")])
    }
}
