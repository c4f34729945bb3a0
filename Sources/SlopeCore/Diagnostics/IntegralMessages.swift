import Foundation

/// Messages about `integral(g, a, b)`, alphabetised: from lowering the call (`semantic.integral-*`)
/// and from evaluating it (`run.integral-*`, each at the call, naming where on the interval the
/// integrand failed).
enum IntegralMessages {
    static func boundNotFinite(_ failure: IntegralFailure, bound: Int, value: Double) -> Diagnostic {
        let which = bound == 0 ? "lower" : "upper"
        return Diagnostic(id: "run.integral-bound-not-finite",
                          "the \(which) bound of the integral is \(ValueFormatter.number(value)); 'integral' integrates over a finite interval",
                          at: failure.range, notes: enclosing(failure))
    }

    static func boundNotScalar(_ bound: Int, _ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.integral-bound-shape",
                   "the \(bound == 0 ? "lower" : "upper") bound of 'integral' must be a scalar, found shape \(shape)", at: range)
    }

    /// `integral(max, 0, 1)`: a built-in that is not a function of one argument.
    static func builtinAsIntegrand(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.integral-needs-function",
                   "'integral' needs a function of one variable; the built-in '\(name)' is not one", at: range,
                   notes: [.init("define 'fn g(t) = …' in terms of t, calling it, and write 'integral(g, a, b)'")])
    }

    static func didNotConverge(_ failure: IntegralFailure, worst: ClosedRange<Double>, error: Double, limit: Int) -> Diagnostic {
        let v = failure.variable
        let middle = 0.5 * (worst.lowerBound + worst.upperBound)
        return Diagnostic(id: "run.integral-no-convergence",
                          "the integral does not converge: bisected into as many as \(limit) intervals, its error estimate "
                            + "(\(short(error))) stays above the tolerance, worst near \(v) = \(short(middle))",
                          at: failure.range,
                          notes: [.init("the worst interval is [\(ValueFormatter.number(worst.lowerBound)), \(ValueFormatter.number(worst.upperBound))]: "
                                        + "a pole or a singularity there makes the integral diverge or too hard to resolve; "
                                        + "split the interval at \(v) = \(short(middle)), or move a bound off it")] + enclosing(failure))
    }

    /// `integral(x^2, 0, 1)`: an expression where the function's name belongs.
    static func expressionAsIntegrand(_ text: String, variable: String, function: String, bounds: String,
                                      at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.integral-needs-function",
                   "'integral' takes the name of a function of one variable, not an expression", at: range,
                   notes: [.init("define 'fn \(function)(\(variable)) = \(text)' and write 'integral(\(function), \(bounds))'")])
    }

    static func integrandArity(_ name: String, parameters: Int, at range: SourceRange, definition: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.integral-arity",
                   "'integral' needs a function of one variable; '\(name)' takes \(parameters) parameter\(parameters == 1 ? "" : "s")",
                   at: range,
                   notes: [.init(parameters == 0 ? "give '\(name)' a parameter, the variable of integration"
                                 : "fix the others in a function of one variable, as in 'fn g(t) = \(name)(t, …)'", at: definition)])
    }

    static func notFinite(_ failure: IntegralFailure, at point: Double, value: Double) -> Diagnostic {
        let v = failure.variable, t = ValueFormatter.number(point)
        return Diagnostic(id: "run.integral-not-finite",
                          "the integrand is not finite at \(v) = \(t): \(failure.integrand)(\(t)) = \(ValueFormatter.number(value))",
                          at: failure.range,
                          notes: [.init("a pole inside the interval makes the integral diverge; split the interval at \(v) = \(t), "
                                        + "or keep the bounds away from it")] + enclosing(failure))
    }

    static func tooManyEvaluations(_ failure: IntegralFailure, limit: Int) -> Diagnostic {
        Diagnostic(id: "run.integral-too-many-evaluations",
                   "the integral needs more than \(limit) evaluations of its integrand", at: failure.range,
                   notes: [.init("nested integrals multiply their evaluations; integrate fewer levels deep")] + enclosing(failure))
    }

    /// `integral(x, 0, 1)` with x a value (a param, an input, a named value or a parameter).
    static func valueAsIntegrand(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.integral-needs-function",
                   "'\(name)' is a value, not a function; 'integral' integrates a function of one variable", at: range,
                   notes: [.init("define 'fn g(t) = …' in terms of t and write 'integral(g, a, b)'")])
    }

    /// The diagnostic for a failed evaluation.
    static func failure(_ failure: IntegralFailure) -> Diagnostic {
        switch failure.reason {
        case .boundNotFinite(let bound, let value): return boundNotFinite(failure, bound: bound, value: value)
        case .notFinite(let at, let value): return notFinite(failure, at: at, value: value)
        case .didNotConverge(let worst, let error, _, let intervals):
            return didNotConverge(failure, worst: worst, error: error, limit: intervals)
        case .tooManyEvaluations(let limit): return tooManyEvaluations(failure, limit: limit)
        }
    }

    /// A number to six significant digits (`0.3` for 0.2999999999992724).
    static func short(_ value: Double) -> String { ValueFormatter.number(Double(String(format: "%.6g", value)) ?? value) }

    /// For a nested integral: where each enclosing integral was when it failed.
    static func enclosing(_ failure: IntegralFailure) -> [Diagnostic.Note] {
        failure.enclosing.map { outer in
            .init("inside the integral here, at \(outer.variable) = \(ValueFormatter.number(outer.point))", at: outer.range)
        }
    }
}
