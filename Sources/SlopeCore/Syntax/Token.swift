/// A lexical token: its kind and the bytes it spans.
public struct Token: Sendable {
    public enum Kind: Equatable, Sendable {
        case identifier
        case number
        case string
        case keyword(Keyword)
        case plus, minus, star, slash, at, caret
        case equals, comma, colon
        case leftParen, rightParen, leftBracket, rightBracket
        /// Only in the IR's text form: the block of an integral's integrand.
        case leftBrace, rightBrace
        case newline
        case endOfFile
        /// A byte sequence that starts no token; the lexer has already reported it.
        case invalid
    }

    public let kind: Kind
    public let range: SourceRange
    public var text: String { range.text }

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// Words that start statements or separate their parts. They cannot be used as names.
public enum Keyword: String, CaseIterable, Sendable {
    case param, input, seed, fn, print, minimize, maximize, by

    /// For each first byte, the lengths of the keywords that start with it, a bit per length: a
    /// word that fails this test is a name, found without making a string of it (most words of
    /// a large program: `sin` shares its first byte with `seed`, not its length).
    private static let lengthsByFirstByte: [UInt32] = (0...255).map { byte in
        allCases.reduce(0) { bits, keyword in
            keyword.rawValue.utf8.first == UInt8(byte) ? bits | (1 << UInt32(keyword.rawValue.utf8.count)) : bits
        }
    }

    static func mightStart(_ first: UInt8, length: Int) -> Bool {
        length < 32 && lengthsByFirstByte[Int(first)] & (1 << UInt32(length)) != 0
    }
}

extension Token.Kind {
    /// How the kind is described in "expected …" messages.
    public var description: String {
        switch self {
        case .identifier: return "a name"
        case .number: return "a number"
        case .string: return "a string"
        case .keyword(let keyword): return "'\(keyword.rawValue)'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .at: return "'@'"
        case .caret: return "'^'"
        case .equals: return "'='"
        case .comma: return "','"
        case .colon: return "':'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .newline: return "end of line"
        case .endOfFile: return "end of file"
        case .invalid: return "an invalid character"
        }
    }
}
