import Foundation

/// Messages about derivatives at points: `slope tangent`, `slope critical`, and where Newton's
/// method ended, alphabetised.
enum CalculusMessages {
    static func computedVariable(_ option: String, _ name: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "usage.computed-variable",
                   "\(option) names '\(name)', which is a computed value; name a scalar param or input", at: range)
    }

    static func constantTarget(_ target: String) -> Diagnostic {
        Diagnostic(.note, id: "calculus.constant", "'\(target)' does not change in the box, so every point of it is critical",
                   at: nil)
    }

    static func independent(_ target: String, of name: String, option: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.warning, id: "calculus.independent", "'\(target)' does not depend on '\(name)'; \(option) ignores it",
                   at: range)
    }

    static func missingRanges(_ target: String, _ names: [String], all: [String]) -> Diagnostic {
        let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
        let example = all.map { "\($0)=LOW:HIGH" }.joined(separator: ",")
        return Diagnostic(id: "usage.missing-range",
                          "--in gives no range for \(quoted); '\(target)' depends on \(names.count == 1 ? "it" : "them")",
                          at: nil, notes: [.init("give a range for every variable: --in \(example)")])
    }

    static func noCriticalPoints(_ target: String) -> Diagnostic {
        Diagnostic(.note, id: "calculus.no-critical-points", "no critical point of '\(target)' in the box", at: nil,
                   notes: [.init("its gradient is zero nowhere inside; a minimum or maximum over the box lies on its edge")])
    }

    static func nonFiniteDerivatives(_ target: String, at point: String, range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "calculus.non-finite", "'\(target)' or one of its derivatives is not finite at \(point)", at: range,
                   notes: [.init("choose another point with --at")])
    }

    /// Newton's method ended where the Hessian says the target is not at a minimum (or, for
    /// `maximize`, a maximum): an eigenvalue of the wrong sign.
    static func notAnOptimum(_ direction: TrainDirection, _ target: String, kind: Curvature, eigenvalues: [Double],
                             element: (index: Int, of: Int, count: Int)?, at range: SourceRange) -> Diagnostic {
        let goal = direction == .minimize ? "minimum" : "maximum"
        let what: String
        switch kind {
        case .saddle: what = "a saddle point"
        case .minimum, .maximum: what = "a \(kind.rawValue)"
        case .degenerate: what = "a point where the Hessian has a \(direction == .minimize ? "negative" : "positive") eigenvalue"
        }
        let listed = eigenvalues.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
            + (eigenvalues.count > 8 ? ", …" : "")
        var message = "newton ended at \(what) of '\(target)', not a \(goal)"
        if let element { message += ", at \(element.count) of its \(element.of) points (the first is element \(element.index))" }
        return Diagnostic(.warning, id: "train.not-a-\(goal)", message, at: range, notes: [
            .init("the Hessian there has eigenvalues \(listed)"),
            .init("Newton's method goes to where the gradient is zero, uphill as readily as down; start nearer the \(goal), "
                  + "use gd or adam, or list the critical points in a box with slope critical"),
        ])
    }

    static func noVariables(_ target: String, tensors: [String], at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "calculus.no-variables", "'\(target)' depends on no scalar param or input", at: range,
                   notes: tensors.isEmpty ? [] : [.init("tangent and critical vary scalars only; '\(target)' reads the tensors "
                                                        + tensors.map { "'\($0)'" }.joined(separator: ", "))])
    }

    static func tensorVariable(_ option: String, _ name: String, _ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "usage.tensor-variable",
                   "\(option) names '\(name)', which has shape \(shape); only scalar params and inputs can be given values",
                   at: range)
    }

    static func tooManyVariables(_ target: String, _ count: Int, limit: Int, command: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "calculus.too-many-variables",
                   "'\(target)' depends on \(count) scalar params and inputs; \(command) takes at most \(limit)", at: range,
                   notes: [.init("hold some of them fixed by making them constants in the program")])
    }
}
