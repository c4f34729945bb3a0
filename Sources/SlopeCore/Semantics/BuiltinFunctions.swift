/// The language's built-in functions: the one list of their names, read by lowering, constant
/// evaluation, the printers' reserved names and the diagnostics' suggestions.
///
/// Most entries come from the op table itself: every `UnaryOp` and `BinaryOp` written as a call
/// is a function of one or two arguments, and every `ReduceOp` a reduction `f(x)` or
/// `f(x, axis: k)`; a reduction and a binary op of one name (`max`, `min`) are one function,
/// told apart by the number of arguments. The rest are the calls that do not lower to a single
/// op of a family: `transpose`, `grad`, `jvp`, `integral`, `softmax`, `linspace`, `cumsum`, the structural ops that gradients print, and the
/// initializers that only a declaration may use.
public struct BuiltinFunction: Sendable {
    /// How a call lowers.
    public enum Form: Sendable, Equatable {
        /// `f(x)`: one elementwise op.
        case unary(UnaryOp)
        /// `f(a, b)`: one elementwise op with broadcasting.
        case binary(BinaryOp)
        /// `f(x)` over everything, `f(x, axis: k)` along an axis; with `elementwise`, `f(a, b)`
        /// is that binary op.
        case reduction(ReduceOp, elementwise: BinaryOp?)
        /// `transpose(x)`.
        case transpose
        /// `reshape(x, [shape])`, `broadcast(x, [shape])`, `sum_to(x, [shape])`, `index(x, i)`:
        /// the structural ops reverse mode emits, so printed gradients parse back.
        case structural
        /// `grad(expr, name)`.
        case grad
        /// `jvp(expr, name, direction)`.
        case jvp
        /// `integral(g, a, b)`: ∫ₐᵇ g of a one-parameter `fn` g (`Op.integral`).
        case integral
        /// `softmax(x)` for a vector, `softmax(x, axis: k)`: exp(x − logsumexp(x, axis)).
        case softmax
        /// `linspace(a, b, n)`: a constant vector of n evenly spaced numbers from a to b.
        case linspace
        /// `cumsum(x)` for a vector, `cumsum(x, axis: k)`: running sums (`Op.cumsum`).
        case cumsum
        /// `normal(mean, std)`, `uniform(low, high)`, `csv(...)`: only a declaration's value.
        case initializer
    }

    public let name: String
    public let form: Form

    /// The ways the function is called, for the guide and for messages: `max(x)`,
    /// `max(x, axis: k)`, `max(a, b)`.
    public var forms: [String] {
        switch form {
        case .unary: return ["\(name)(x)"]
        case .binary: return ["\(name)(a, b)"]
        case .reduction(_, let elementwise):
            return ["\(name)(x)", "\(name)(x, axis: k)"] + (elementwise == nil ? [] : ["\(name)(a, b)"])
        case .transpose: return ["transpose(x)"]
        case .structural: return [name == "index" ? "index(x, i)" : "\(name)(x, [shape])"]
        case .grad: return ["grad(expr, name)"]
        case .jvp: return ["jvp(expr, name, direction)"]
        case .integral: return ["integral(g, a, b)"]
        case .softmax: return ["softmax(x)", "softmax(x, axis: k)"]
        case .linspace: return ["linspace(a, b, n)"]
        case .cumsum: return ["cumsum(x)", "cumsum(x, axis: k)"]
        case .initializer: return [name == "csv" ? "csv(\"file.csv\", \"column\", ...)" : "\(name)(a, b)"]
        }
    }
}

public enum BuiltinFunctions {
    /// Every built-in function, in the order the guide lists them.
    public static let all: [BuiltinFunction] = {
        var functions: [BuiltinFunction] = []
        for op in UnaryOp.allCases where op.notation == .call {
            functions.append(BuiltinFunction(name: op.name, form: .unary(op)))
        }
        let reductions = Set(ReduceOp.allCases.map(\.name))
        for op in BinaryOp.allCases where op.notation == .call && !reductions.contains(op.name) {
            functions.append(BuiltinFunction(name: op.name, form: .binary(op)))
        }
        for op in ReduceOp.allCases {
            let elementwise = BinaryOp.allCases.first { $0.name == op.name && $0.notation == .call }
            functions.append(BuiltinFunction(name: op.name, form: .reduction(op, elementwise: elementwise)))
        }
        functions.append(BuiltinFunction(name: "transpose", form: .transpose))
        for name in ["reshape", "broadcast", "sum_to", "index"] {
            functions.append(BuiltinFunction(name: name, form: .structural))
        }
        functions.append(BuiltinFunction(name: "grad", form: .grad))
        functions.append(BuiltinFunction(name: "jvp", form: .jvp))
        functions.append(BuiltinFunction(name: "integral", form: .integral))
        functions.append(BuiltinFunction(name: "softmax", form: .softmax))
        functions.append(BuiltinFunction(name: "linspace", form: .linspace))
        functions.append(BuiltinFunction(name: "cumsum", form: .cumsum))
        for name in ["normal", "uniform", "csv"] {
            functions.append(BuiltinFunction(name: name, form: .initializer))
        }
        return functions
    }()

    /// The functions by name.
    public static let byName: [String: BuiltinFunction] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Every built-in name.
    public static let names: Set<String> = Set(all.map(\.name))

    public static subscript(name: String) -> BuiltinFunction? { byName[name] }

    /// The names printed source must not give a value: keywords, built-in functions and the
    /// prelude's functions.
    public static let reservedNames: Set<String> = Set(Keyword.allCases.map(\.rawValue))
        .union(names)
        .union(Prelude.functionNames)
}
