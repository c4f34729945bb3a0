/// Which named values are themselves derivatives, for the default target of `grad`, `check`
/// and `dot --grad` (`TargetSelection`): with `fx = grad(f, x)` and `fy = grad(f, y)` defined
/// last, as the course writes them, the value to differentiate is f, not fy.
extension Lowering {
    /// Whether `expression` is a derivative as written: a call of `grad` or `jvp`, a name
    /// defined as one (`g = fx`), or a call of a `fn` whose body is one
    /// (`fn slope_at(x) = grad(f(x), x)`). An expression that merely contains a derivative
    /// (`loss + grad(loss, w)^2`) is not one.
    func isDerivative(_ expression: ExpressionID, source: Int) -> Bool {
        var (current, tree) = (expression, source)
        // A fn body is followed to the next call; calls nest no deeper than inlining allows.
        for _ in 0...Lowering.maximumInlineDepth {
            switch sources[tree][current].kind {
            case .call(let name, _, _):
                if let builtin = BuiltinFunctions[name] { return builtin.form == .grad || builtin.form == .jvp }
                guard let function = functions[name] else { return false }
                (current, tree) = (function.body, function.source)
            case .name(let name):
                return derivativeNames.contains(name)
            case .number, .string, .negate, .binary, .tensor, .invalid:
                return false
            }
        }
        return false
    }
}
