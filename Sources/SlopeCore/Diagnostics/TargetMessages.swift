/// Messages about choosing what to differentiate (`--of`, `--wrt`), alphabetised. Shared by
/// the commands that differentiate: grad, check and `dot --grad`.
enum TargetMessages {
    /// About the whole program, so at the start of its file.
    static func noTarget(at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "target.none", "the program defines no value to differentiate", at: range,
                   notes: [.init("define one, as in 'loss = ...', or name one with --of")])
    }

    /// A non-scalar target: a usage error when the user named it with `--of`, else a note
    /// explains where the default came from.
    static func nonScalarTarget(_ name: String, _ shape: Shape, named: Bool, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: named ? "usage.non-scalar-target" : "target.non-scalar",
                   "the target '\(name)' has shape \(shape); only a scalar can be differentiated", at: range,
                   notes: [.init(named ? "wrap it in sum(...) or mean(...) in the program and name that"
                                       : "name a scalar value with --of, as in --of loss")])
    }

    static func wrtNotLeaf(_ name: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "usage.wrt-not-leaf",
                   "--wrt names '\(name)', which is a computed value; name a param or an input", at: range)
    }
}
