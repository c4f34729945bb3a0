/// Messages of the IR text parser (`IRParser`, SPEC.md 3.3), alphabetised. Shape failures of an
/// op reuse `ShapeMessages.operation`, so they read as they do for the language.
enum IRMessages {
    static func attributeNotLast(_ op: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.attribute-not-last", "the operands of '\(op)' come before its attribute", at: range)
    }

    static func blocksTooDeep(limit: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.blocks-too-deep", "integrals' blocks nest at most \(limit) deep", at: range)
    }

    static func constantTooLarge(_ shape: Shape, limit: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.constant-too-large",
                   "a constant of shape \(shape) has \(shape.count) elements; at most \(limit) are allowed", at: range)
    }

    static func duplicateLeaf(_ name: String, at range: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.duplicate-leaf", "the leaf '\(name)' is declared twice", at: range,
                   notes: [.init("first declared here", at: first)])
    }

    static func duplicateName(_ name: String, at range: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.duplicate-name", "'\(name)' is defined twice", at: range,
                   notes: [.init("first defined here", at: first)])
    }

    static func expected(_ what: String, found token: Token) -> Diagnostic {
        Diagnostic(id: "ir.unexpected-token", "expected \(what), found \(describe(token))", at: token.range)
    }

    static func integrandCaptures(_ function: String, leaves: Int, operands: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.integrand-captures",
                   "the integrand '\(function)' declares \(leaves) capture\(leaves == 1 ? "" : "s") after its variable, but the integral passes \(operands)",
                   at: range, notes: [.init("the operands after the two bounds bind the block's leaves after the first, in order")])
    }

    static func integrandParam(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.integrand-param", "the leaves of the integrand '\(function)' are inputs; a param belongs to the enclosing graph",
                   at: range)
    }

    static func integrandVariable(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.integrand-variable",
                   "the first leaf of the integrand '\(function)' is its variable and must be a scalar, as in 't: [] = input'", at: range)
    }

    static func invalidDimension(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.invalid-dimension", "a dimension must be a whole number ≥ 0, found '\(text)'", at: range)
    }

    static func invalidGraph(_ problem: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "ir.invalid-graph", "the graph fails verification: \(problem)", at: range)
    }

    static func invalidInteger(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.invalid-integer", "expected a whole number, found '\(text)'", at: range)
    }

    static func literalLength(_ shape: Shape, axis: Int, found: Int?, at range: SourceRange) -> Diagnostic {
        let count = found.map { "found \($0)" } ?? "found more"
        return Diagnostic(id: "ir.literal-shape",
                          "a constant of shape \(shape) has \(shape[axis]) elements along axis \(axis), \(count)", at: range)
    }

    static func malformedNumber(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.malformed-number", "malformed number '\(text)'", at: range)
    }

    static func missingReturn(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.missing-return", "the block of the integrand '\(function)' has no 'return' naming its value", at: range,
                   notes: [.init("end the block with a line such as 'return y' before its '}'")])
    }

    static func notANaN(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.invalid-nan", "'\(text)' are not the bits of a NaN", at: range,
                   notes: [.init("write all 64 bits in hexadecimal, such as nan(0x7ff4000000000001)")])
    }

    static func rankTooLarge(limit: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.rank-too-large", "a shape has at most \(limit) dimensions", at: range)
    }

    static func returnNotLast(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.return-not-last", "'return' must be the last line of the block of the integrand '\(function)'", at: range)
    }

    static func shapeMismatch(_ name: String, stated: Shape, inferred: Shape, op: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.shape-mismatch", "'\(name)' is stated to have shape \(stated), but '\(op)' gives \(inferred)", at: range)
    }

    static func shapeTooLarge(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.shape-too-large", "the shape has more elements than a 64-bit count can hold", at: range)
    }

    static func undefinedName(_ name: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        var notes: [Diagnostic.Note] = []
        if let suggestion { notes.append(.init("did you mean '\(suggestion)'?")) }
        return Diagnostic(id: "ir.undefined-name", "'\(name)' is not defined on an earlier line", at: range, notes: notes)
    }

    static func unclosedBlock(_ function: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.unclosed-block", "the block of the integrand '\(function)' is never closed", at: range,
                   notes: [.init("end it with 'return NAME' and a line holding '}'")])
    }

    static func unexpectedCharacter(_ text: String, at range: SourceRange) -> Diagnostic {
        let shown = text.count > 20 ? String(text.prefix(20)) + "…" : text
        let printable = shown.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value != 127 && $0.value != 0xFFFD }
        return Diagnostic(id: "ir.unexpected-character",
                          printable ? "unexpected character '\(shown)'" : "unexpected bytes (\(text.utf8.count) bytes that are not IR text)",
                          at: range)
    }

    static func unknownOp(_ name: String, suggestion: String?, at range: SourceRange) -> Diagnostic {
        var notes: [Diagnostic.Note] = []
        if let suggestion { notes.append(.init("did you mean '\(suggestion)'?")) }
        return Diagnostic(id: "ir.unknown-op", "unknown op '\(name)'", at: range, notes: notes)
    }

    static func unterminatedString(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "ir.unterminated-string", "unterminated string; add the closing '\"' on the same line", at: range)
    }

    static func wrongArguments(_ op: String, usages: [String], found: String, at range: SourceRange) -> Diagnostic {
        let written = usages.map { "'\($0)'" }.joined(separator: " or ")
        return Diagnostic(id: "ir.wrong-arguments", "'\(op)' cannot take \(found); write \(written)", at: range)
    }

    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier, .number, .string: return "'\(token.text)'"
        default: return token.kind.description
        }
    }
}
