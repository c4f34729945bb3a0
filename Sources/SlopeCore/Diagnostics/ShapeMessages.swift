/// Messages about shapes, alphabetised. Both shapes of a mismatch are always named.
enum ShapeMessages {
    static func declaredShapeMismatch(_ name: String, declared: Shape, found: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "shape.declaration-mismatch",
                   "'\(name)' is declared with shape \(declared) but its initial value has shape \(found)", at: range)
    }

    static func operation(_ op: Op, _ error: Op.ShapeError, at range: SourceRange) -> Diagnostic {
        var message = error.message
        if case .broadcast(let a, let b) = error {
            var verb = "combine"
            if case .binary(let binary) = op {
                switch binary {
                case .add: verb = "add"
                case .sub: verb = "subtract"
                case .mul: verb = "multiply"
                case .div: verb = "divide"
                case .pow: verb = "raise"
                case .mask, .equal, .max, .min: verb = "combine"
                }
            }
            message = "cannot \(verb) shapes \(a) and \(b)"
            return Diagnostic(id: "shape.broadcast-mismatch", message, at: range,
                              notes: [.init("shapes broadcast when their trailing dimensions are equal or 1")])
        }
        if case .matmul = error {
            return Diagnostic(id: "shape.matmul-mismatch", message, at: range)
        }
        return Diagnostic(id: "shape.invalid", message, at: range)
    }

    static func raggedLiteral(expected: Shape, found: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "shape.ragged-literal",
                   "every element of a tensor must have the same shape: expected \(expected), found \(found)", at: range)
    }

    /// `reshape(x, [-1, 4])` where no whole number in place of -1 gives x's count, or a shape
    /// with two -1s.
    static func reshapeInferred(_ shape: Shape, to dimensions: [Int], at range: SourceRange) -> Diagnostic {
        let known = dimensions.filter { $0 != -1 }.reduce(1, *)
        let reason = dimensions.filter { $0 == -1 }.count > 1 ? "only one dimension can be -1"
            : "\(shape.count) is not a multiple of \(known), the product of the other dimensions"
        return Diagnostic(id: "shape.invalid", "cannot reshape \(shape) (\(shape.count) elements) to \(dimensions): \(reason)",
                          at: range)
    }

    static func tooLarge(_ op: Op, _ shape: Shape, at range: SourceRange) -> Diagnostic {
        let count = shape.dimensions.reduce(1.0) { $0 * Double($1) }
        return Diagnostic(id: "shape.too-large",
                          "'\(op.name)' would make a tensor of shape \(shape), \(ValueFormatter.number(count)) elements; "
                            + "the limit is \(InitialValues.maximumCount)", at: range)
    }
}
