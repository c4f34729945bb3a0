/// Messages of the lexer and parser, alphabetised.
enum SyntaxMessages {
    static func expected(_ what: String, found token: Token) -> Diagnostic {
        Diagnostic(id: "syntax.unexpected-token", "expected \(what), found \(describe(token))", at: token.range)
    }

    static func expectedEndOfStatement(found token: Token) -> Diagnostic {
        Diagnostic(id: "syntax.expected-end-of-statement",
                   "expected end of line after the statement, found \(describe(token))", at: token.range,
                   notes: [.init("write one statement per line")])
    }

    static func expressionStatement(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.expression-statement",
                   "an expression on its own does nothing; name it ('y = …') or print it ('print …')", at: range)
    }

    static func invalidDimension(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.invalid-dimension", "a dimension must be a whole number ≥ 0, found '\(text)'", at: range)
    }

    static func keywordMisplaced(_ keyword: Keyword, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.misplaced-keyword",
                   "'\(keyword.rawValue)' cannot start a statement; it is a keyword and cannot be used as a name", at: range)
    }

    static func malformedNumber(_ text: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.malformed-number", "malformed number '\(text)'", at: range)
    }

    static func nestingTooDeep(limit: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.nesting-too-deep",
                   "expression nested too deeply (more than \(limit) levels); split it into named steps", at: range)
    }

    /// A bracket that nothing closes: at the opener, with a note at the token where the
    /// closer was expected.
    static func neverClosed(_ opener: Token, expected closer: Token.Kind, found: Token, at range: SourceRange) -> Diagnostic {
        let before = found.kind == .endOfFile ? "the end of the file" : describe(found)
        return Diagnostic(id: "syntax.unclosed-bracket", "\(opener.kind.description) is never closed", at: opener.range,
                          notes: [.init("expected \(closer.description) before \(before)", at: range)])
    }

    static func numberFollowedByName(_ number: String, _ name: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.number-followed-by-name",
                   "a number cannot run into a name: '\(number)\(name)'", at: range,
                   notes: [.init("write '\(number)*\(name)' for a product")])
    }

    /// Invalid UTF-8 and control characters are counted as the file's bytes (not as the
    /// replacement characters they decode to: one stray byte is one byte).
    static func unexpectedCharacter(_ text: String, at range: SourceRange) -> Diagnostic {
        let shown = text.count > 20 ? String(text.prefix(20)) + "…" : text
        let printable = shown.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value != 127 && $0.value != 0xFFFD }
        let count = range.end - range.start
        return Diagnostic(id: "syntax.unexpected-character",
                          printable ? "unexpected character '\(shown)'"
                                    : "unexpected bytes (\(count) byte\(count == 1 ? " that is" : "s that are") not Slope source)",
                          at: range)
    }

    static func unterminatedString(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.unterminated-string", "unterminated string; add the closing '\"' on the same line", at: range)
    }

    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier, .number: return "'\(token.text)'"
        default: return token.kind.description
        }
    }
}
