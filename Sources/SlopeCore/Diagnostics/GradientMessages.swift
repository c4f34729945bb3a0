/// Messages of `grad` and `check`, alphabetised.
enum GradientMessages {
    /// `slope check` found elements where autodiff and central differences disagree.
    static func checkFailed(_ target: String, by names: [String], at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.check-failed",
                   "the gradient of '\(target)' by " + names.map { "'\($0)'" }.joined(separator: ", ")
                       + " disagrees with central differences", at: range,
                   notes: [.init("the report on stdout lists the elements that differ")])
    }

    /// `--expand` would write a gradient on one line longer than `limit` bytes (or nested deeper
    /// than the parser reads).
    static func expansionTooLong(_ name: String, limit: Int, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.expansion-too-long",
                   "written out on one line, '\(name)' would be longer than \(limit) bytes or nest deeper than \(Parser.maximumNesting) levels",
                   at: range,
                   notes: [.init("without --expand, slope grad writes each shared value once, as a statement of its own")])
    }

    static func independent(_ target: String, of name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, id: "grad.independent",
                   "'\(target)' does not depend on '\(name)'; its gradient is always zero", at: range)
    }

    /// A derivative of a nested integral: its inner integrand reads the outer variable, which a
    /// `fn` of the language cannot (a function sees its parameter and the globals only).
    static func unwritableIntegrand(_ name: String, integrand: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.unwritable-integrand",
                   "'\(name)' cannot be written as source: the integrand '\(integrand)' holds an integral that reads its variable",
                   at: range,
                   notes: [.init("a fn sees its parameter and the program's values, not its caller's parameter; "
                                 + "slope grad --json and slope run still compute it")])
    }

    static func noParams(_ target: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "grad.no-params", "'\(target)' depends on no param", at: range,
                   notes: [.init("name the inputs to differentiate by with --wrt")])
    }
}
