/// Turns IR text (SPEC.md 3.3) into tokens for `IRParser`. It differs from the language's
/// `Lexer` in three ways: a line break always ends a node, even inside brackets, so a broken
/// line cannot swallow the next one; `param`, `input` and the op names are ordinary names; and
/// a number may be hexadecimal (`0x7ff4000000000001`, the bits of a NaN). `#` starts a comment
/// running to the end of the line: the `# LINE:COL source` comments the printer writes.
struct IRLexer {
    let file: SourceFile
    let bytes: [UInt8]
    var offset = 0
    var diagnostics: [Diagnostic] = []

    /// Every token of the file, ending with `.endOfFile`.
    static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = IRLexer(file: file, bytes: file.bytes)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics)
    }

    func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: file, start: start, end: end) }

    func peek(_ ahead: Int = 0) -> UInt8? {
        let index = offset + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func next() -> Token {
        skipSpaceAndComments()
        let start = offset
        guard let byte = peek() else { return Token(.endOfFile, range(start, start)) }
        offset += 1
        let single: Token.Kind?
        switch byte {
        case UInt8(ascii: "\n"): single = .newline
        case UInt8(ascii: "-"): single = .minus
        case UInt8(ascii: "="): single = .equals
        case UInt8(ascii: ","): single = .comma
        case UInt8(ascii: ":"): single = .colon
        case UInt8(ascii: "("): single = .leftParen
        case UInt8(ascii: ")"): single = .rightParen
        case UInt8(ascii: "["): single = .leftBracket
        case UInt8(ascii: "]"): single = .rightBracket
        case UInt8(ascii: "{"): single = .leftBrace
        case UInt8(ascii: "}"): single = .rightBrace
        default: single = nil
        }
        if let single { return Token(single, range(start, offset)) }
        if byte == UInt8(ascii: "\"") { return string(from: start) }
        if Lexer.isDigit(byte) || byte == UInt8(ascii: ".") {
            offset = start
            return number(from: start)
        }
        if Lexer.isIdentifierStart(byte) {
            while let b = peek(), Lexer.isIdentifierContinue(b) { offset += 1 }
            return Token(.identifier, range(start, offset))
        }
        // One diagnostic for a run of bytes that start no token.
        while let b = peek(), !Lexer.startsToken(b), b != UInt8(ascii: "{"), b != UInt8(ascii: "}") { offset += 1 }
        diagnostics.append(IRMessages.unexpectedCharacter(file.text(start, offset), at: range(start, offset)))
        return Token(.invalid, range(start, offset))
    }

    /// Spaces, tabs, carriage returns and comments.
    mutating func skipSpaceAndComments() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                offset += 1
            case UInt8(ascii: "#"):
                while let b = peek(), b != UInt8(ascii: "\n") { offset += 1 }
            default:
                return
            }
        }
    }

    /// number = digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ] | "." digits … | "0x" hexdigits
    ///
    /// The token's text is checked here (it must read as a `Double`, or be 1 to 16 hex digits);
    /// what kind of number the place wants (a dimension, a value) is the parser's business.
    mutating func number(from start: Int) -> Token {
        if peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") {
            offset += 2
            while let b = peek(), Lexer.isIdentifierContinue(b) { offset += 1 }
            let digits = file.text(start + 2, offset)
            guard (1...16).contains(digits.count), UInt64(digits, radix: 16) != nil else {
                return malformed(from: start)
            }
            return Token(.number, range(start, offset))
        }
        while let b = peek(), Lexer.isDigit(b) { offset += 1 }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            while let b = peek(), Lexer.isDigit(b) { offset += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var ahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { ahead = 2 }
            if let digit = peek(ahead), Lexer.isDigit(digit) {
                offset += ahead
                while let b = peek(), Lexer.isDigit(b) { offset += 1 }
            }
        }
        if let b = peek(), Lexer.isIdentifierContinue(b) || b == UInt8(ascii: ".") {
            while let c = peek(), Lexer.isIdentifierContinue(c) || c == UInt8(ascii: ".") { offset += 1 }
            return malformed(from: start)
        }
        let text = file.text(start, offset)
        if text == "." || Double(text) == nil { return malformed(from: start) }
        return Token(.number, range(start, offset))
    }

    mutating func malformed(from start: Int) -> Token {
        diagnostics.append(IRMessages.malformedNumber(file.text(start, offset), at: range(start, offset)))
        return Token(.invalid, range(start, offset))
    }

    /// string = '"' { character | '\' escape } '"' on one line.
    mutating func string(from start: Int) -> Token {
        while let b = peek(), b != UInt8(ascii: "\n") {
            offset += 1
            if b == UInt8(ascii: "\\") {
                if let escaped = peek(), escaped != UInt8(ascii: "\n") { offset += 1 }
                continue
            }
            if b == UInt8(ascii: "\"") { return Token(.string, range(start, offset)) }
        }
        diagnostics.append(IRMessages.unterminatedString(at: range(start, offset)))
        return Token(.invalid, range(start, offset))
    }
}
