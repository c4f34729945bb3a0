/// Turns source bytes into tokens. Line breaks are tokens (they end statements) except inside
/// `( )` or `[ ]`, where a statement may continue. `#` starts a comment running to the line end.
public struct Lexer {
    let file: SourceFile
    let bytes: [UInt8]
    var offset = 0
    /// Open `(` and `[` not yet closed: line breaks inside them are not statement ends.
    var nesting = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// Every token of the file from byte `start` (outside any bracket), ending with `.endOfFile`.
    public static func tokenize(_ file: SourceFile, from start: Int = 0) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        lexer.offset = start
        var tokens: [Token] = []
        // A token is at least one byte, and most are separated by a space: room for them all
        // up front, instead of a large file's token array being copied as it doubles.
        tokens.reserveCapacity((file.bytes.count - start) / 2 + 1)
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

    public mutating func next() -> Token {
        skipSpaceAndComments()
        let start = offset
        guard let byte = peek() else { return Token(.endOfFile, range(start, start)) }
        offset += 1
        switch byte {
        case UInt8(ascii: "\n"):
            return Token(.newline, range(start, offset))
        case UInt8(ascii: "+"): return Token(.plus, range(start, offset))
        case UInt8(ascii: "-"): return Token(.minus, range(start, offset))
        case UInt8(ascii: "*"): return Token(.star, range(start, offset))
        case UInt8(ascii: "/"): return Token(.slash, range(start, offset))
        case UInt8(ascii: "@"): return Token(.at, range(start, offset))
        case UInt8(ascii: "^"): return Token(.caret, range(start, offset))
        case UInt8(ascii: "="): return Token(.equals, range(start, offset))
        case UInt8(ascii: ","): return Token(.comma, range(start, offset))
        case UInt8(ascii: ":"): return Token(.colon, range(start, offset))
        case UInt8(ascii: "("):
            nesting += 1
            return Token(.leftParen, range(start, offset))
        case UInt8(ascii: "["):
            nesting += 1
            return Token(.leftBracket, range(start, offset))
        case UInt8(ascii: ")"):
            nesting = max(0, nesting - 1)
            return Token(.rightParen, range(start, offset))
        case UInt8(ascii: "]"):
            nesting = max(0, nesting - 1)
            return Token(.rightBracket, range(start, offset))
        case UInt8(ascii: "\""):
            return string(from: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            offset = start
            return number(from: start)
        default:
            if Lexer.isIdentifierStart(byte) {
                while let b = peek(), Lexer.isIdentifierContinue(b) { offset += 1 }
                if Keyword.mightStart(byte, length: offset - start), let keyword = Keyword(rawValue: file.text(start, offset)) {
                    return Token(.keyword(keyword), range(start, offset))
                }
                return Token(.identifier, range(start, offset))
            }
            return invalid(from: start, first: byte)
        }
    }

    /// Spaces, tabs, carriage returns, comments, and line breaks inside brackets.
    mutating func skipSpaceAndComments() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                offset += 1
            case UInt8(ascii: "#"):
                while let b = peek(), b != UInt8(ascii: "\n") { offset += 1 }
            case UInt8(ascii: "\n") where nesting > 0:
                offset += 1
            default:
                return
            }
        }
    }

    /// number = digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ] | "." digits ...
    mutating func number(from start: Int) -> Token {
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
        let text = file.text(start, offset)
        if text == "." || Double(text) == nil {
            diagnostics.append(SyntaxMessages.malformedNumber(text, at: range(start, offset)))
            return Token(.invalid, range(start, offset))
        }
        // An identifier glued to a number (`2x`) is a common slip: say so.
        if let b = peek(), Lexer.isIdentifierStart(b) {
            let numberEnd = offset
            while let c = peek(), Lexer.isIdentifierContinue(c) { offset += 1 }
            diagnostics.append(SyntaxMessages.numberFollowedByName(
                file.text(start, numberEnd), file.text(numberEnd, offset), at: range(start, offset)))
            return Token(.invalid, range(start, offset))
        }
        return Token(.number, range(start, offset))
    }

    /// string = '"' { character | '\' escape } '"' on one line.
    mutating func string(from start: Int) -> Token {
        while let b = peek() {
            if b == UInt8(ascii: "\n") { break }
            offset += 1
            if b == UInt8(ascii: "\\") { if peek() != nil && peek() != UInt8(ascii: "\n") { offset += 1 } ; continue }
            if b == UInt8(ascii: "\"") { return Token(.string, range(start, offset)) }
        }
        diagnostics.append(SyntaxMessages.unterminatedString(at: range(start, offset)))
        return Token(.invalid, range(start, offset))
    }

    /// One diagnostic for a run of bytes that start no token (binary garbage gives one, not thousands).
    mutating func invalid(from start: Int, first: UInt8) -> Token {
        while let b = peek(), !Lexer.startsToken(b) { offset += 1 }
        let text = file.text(start, offset)
        var diagnostic = SyntaxMessages.unexpectedCharacter(text, at: range(start, offset))
        if let hint = HabitMessages.pastedCharacter(text) { diagnostic = diagnostic.withNote(hint) }
        diagnostics.append(diagnostic)
        return Token(.invalid, range(start, offset))
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
    }
    static func isIdentifierContinue(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
    static func startsToken(_ b: UInt8) -> Bool {
        isIdentifierContinue(b) || b < 128 && "+-*/@^=,:()[]\"#. \t\r\n".utf8.contains(b)
    }

    /// The decoded value of a string token's text, with `\"`, `\\`, `\n` and `\t` escapes.
    public static func stringValue(_ token: Token) -> String {
        var chars = Array(token.text.dropFirst().dropLast())
        var out = ""
        var index = 0
        while index < chars.count {
            let c = chars[index]
            if c == "\\", index + 1 < chars.count {
                index += 1
                switch chars[index] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(chars[index])
                }
            } else {
                out.append(c)
            }
            index += 1
        }
        chars.removeAll()
        return out
    }
}
