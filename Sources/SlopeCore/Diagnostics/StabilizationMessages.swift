/// Messages of the `stabilize` pass's warnings, alphabetised.
enum StabilizationMessages {
    static func logOneMinus(_ value: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(.warning, id: "stabilize.unstable-pattern",
                   "log(1 - '\(value)') is -inf, and its gradient infinite, when '\(value)' reaches 1; "
                    + "if '\(value)' is a sigmoid, pass sigmoid(...) itself so it can be rewritten as -softplus",
                   at: range)
    }

    static func logSumExp(at range: SourceRange?) -> Diagnostic {
        Diagnostic(.warning, id: "stabilize.unstable-pattern",
                   "log of a sum of exp overflows once an exponent exceeds about 709; subtract the largest exponent first",
                   at: range)
    }

    static func unrewrittenSigmoid(at range: SourceRange?) -> Diagnostic {
        Diagnostic(.warning, id: "stabilize.unstable-pattern",
                   "log of a sigmoid is -inf when the sigmoid saturates; optimization rewrites it as -softplus",
                   at: range)
    }
}
