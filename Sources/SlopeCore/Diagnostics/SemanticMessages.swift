/// Messages about names, functions and statements, alphabetised.
enum SemanticMessages {
    static func argumentCount(_ function: String, expected: Int, found: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.argument-count",
                   "'\(function)' takes \(expected) argument\(expected == 1 ? "" : "s"), found \(found)", at: range)
    }

    /// For a function called in several ways: `'max' is called as max(x), max(x, axis: k) or max(a, b), found 3 arguments`.
    static func argumentCount(_ function: BuiltinFunction, found: Int, at range: SourceRange) -> Diagnostic {
        var forms = function.forms
        if forms.count > 1 { forms[forms.count - 1] = "or " + forms[forms.count - 1] }
        return Diagnostic(id: "semantic.argument-count",
                          "'\(function.name)' is called as \(forms.joined(separator: forms.count > 2 ? ", " : " ")), "
                            + "found \(found) argument\(found == 1 ? "" : "s")", at: range)
    }

    static func builtinRedefined(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.builtin-redefined", "'\(name)' is a built-in function and cannot be redefined", at: range)
    }

    static func duplicateArgument(_ label: String, _ function: String, first: SourceRange, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.duplicate-argument", "'\(label)' is given twice in the call to '\(function)'", at: range,
                   notes: [.init("it was first given here", at: first)])
    }

    static func duplicateParameter(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.duplicate-parameter", "parameter '\(name)' appears twice", at: range)
    }

    static func functionAsValue(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.function-as-value", "'\(name)' is a function; call it, as in '\(name)(…)'", at: range)
    }

    static func gradNeedsName(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.grad-needs-name",
                   "the second argument of 'grad' must be a name (a param, an input, a named value or a function parameter)", at: range)
    }

    static func gradOfNonScalar(_ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.grad-of-non-scalar",
                   "'grad' needs a scalar expression, found shape \(shape)", at: range,
                   notes: [.init("wrap it in sum(...) for elementwise derivatives")])
    }

    /// A call, `grad`, `jvp` or statement that took the graph past `Lowering.maximumNodes`;
    /// `reachedIn` is the call or derivative inside it where the limit was reached.
    static func graphTooLarge(_ site: BudgetCrossing.Site, limit: Int, at range: SourceRange,
                              reachedIn inner: (site: BudgetCrossing.Site, range: SourceRange)?) -> Diagnostic {
        func named(_ site: BudgetCrossing.Site) -> String {
            switch site {
            case .call(let function): return "this call to '\(function)'"
            case .derivative(let name): return "this '\(name)'"
            case .statement: return "this statement"
            }
        }
        var what = named(site)
        if case .call(let function) = site { what = "inlining '\(function)'" }
        var notes: [Diagnostic.Note] = []
        if let inner { notes.append(.init("the limit was reached in " + named(inner.site), at: inner.range)) }
        switch inner?.site ?? site {
        case .call: notes.append(.init("every call to a fn is inlined, so a function that calls another twice doubles it"))
        case .derivative:
            notes.append(.init("each derivative adds to the graph, and a 'grad' or 'jvp' around it differentiates that again"))
        case .statement: break
        }
        return Diagnostic(id: "semantic.graph-too-large",
                          "\(what) makes the program's graph larger than \(limit) nodes", at: range, notes: notes)
    }

    static func jvpNeedsName(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.jvp-needs-name",
                   "the second argument of 'jvp' must be a name (a param, an input, a named value or a function parameter)", at: range)
    }

    static func jvpDirectionShape(_ direction: Shape, name: String, _ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.jvp-direction-shape",
                   "the direction of 'jvp' must have the shape of '\(name)', \(shape); found \(direction)", at: range)
    }

    static func softmaxNeedsAxis(_ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.softmax-needs-axis",
                   "'softmax' of a tensor of shape \(shape) needs an axis, as in 'softmax(x, axis: \(shape.rank - 1))'", at: range,
                   notes: [.init("without 'axis:' softmax is only for a vector")])
    }

    static func cumsumNeedsAxis(_ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.cumsum-needs-axis",
                   shape.isScalar ? "'cumsum' needs a vector or a tensor, found a scalar"
                                  : "'cumsum' of a tensor of shape \(shape) needs an axis, as in 'cumsum(x, axis: 0)'", at: range,
                   notes: shape.isScalar ? [] : [.init("without 'axis:' cumsum is only for a vector")])
    }

    static func linspaceCount(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.linspace-count",
                   "the count of 'linspace' must be a whole number of at least 2, written as a number, as in 'linspace(0, 1, 11)'",
                   at: range)
    }

    static func initializerOutsideDeclaration(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.initializer-outside-declaration",
                   "'\(function)(...)' can only give a param or input its initial value, as in 'param W: [2, 3] = \(function)(...)'",
                   at: range)
    }

    static func invalidAxis(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.invalid-axis", "'axis' must be a whole number", at: range)
    }

    static func labelNotAllowed(_ label: String, _ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.unexpected-label", "'\(function)' has no setting '\(label)'", at: range)
    }

    static func nameRedefined(_ name: String, previous: SourceRange, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.redefinition",
                   "'\(name)' is already defined; a program is a graph, so each name is defined once", at: range,
                   notes: [.init("'\(name)' was defined here", at: previous),
                           .init("choose a new name for the new value")])
    }

    static func negativeSeed(_ value: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.negative-seed", "the seed must be a whole number ≥ 0, found \(value)", at: range)
    }

    static func nonScalarTarget(_ direction: TrainDirection, _ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.non-scalar-target",
                   "'\(direction.rawValue)' needs a scalar, found shape \(shape)", at: range,
                   notes: [.init("reduce it with sum(...) or mean(...)")])
    }

    static func notConstant(_ what: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.not-constant", "\(what) must be a number, not an expression of the program's values", at: range)
    }

    static func recursiveFunction(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.recursive-function",
                   "'\(name)' calls itself; functions are inlined, so recursion is not allowed", at: range)
    }

    static func selfReference(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.self-reference",
                   "'\(name)' is used in its own definition; a program is a graph, so a value cannot depend on itself", at: range,
                   notes: [.init("give the new value a new name, as in '\(name)2 = \(name) + …'")])
    }

    static func seedRepeated(previous: SourceRange, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.seed-repeated", "the seed is already set", at: range,
                   notes: [.init("it was set here", at: previous)])
    }

    static func trainingSetting(_ message: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.training-setting", message, at: range)
    }

    static func trainingTargetWithoutParams(_ direction: TrainDirection, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.nothing-to-train",
                   "'\(direction.rawValue)' has nothing to train: the target depends on no param", at: range)
    }

    static func undefinedFunction(_ name: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.undefined-function", "unknown function '\(name)'", at: range,
                   notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
    }

    static func undefinedName(_ name: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.undefined-name", "undefined name '\(name)'", at: range,
                   notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
    }

    static func unknownMethod(_ name: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.unknown-method",
                   "unknown training method '\(name)'; the methods are gd, sgd, momentum, adam and newton", at: range,
                   notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
    }

    static func unsupported(_ what: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.unsupported", what, at: range)
    }

    static func usedBeforeDefinition(_ name: String, definition: SourceRange, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.use-before-definition",
                   "'\(name)' is used before it is defined", at: range,
                   notes: [.init("'\(name)' is defined later, here; move the definition up", at: definition)])
    }

    static func valueAsFunction(_ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "semantic.value-as-function", "'\(name)' is a value, not a function", at: range)
    }
}
