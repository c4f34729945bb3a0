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

    /// The first bytes and the longest length of the keywords: a word that fails this test
    /// is a name, found without making a string of it (most words of a large program).
    private static let firstBytes: [Bool] = (0...255).map { byte in allCases.contains { $0.rawValue.utf8.first == UInt8(byte) } }
    private static let longest = allCases.map(\.rawValue.utf8.count).max()!

    static func mightStart(_ first: UInt8, length: Int) -> Bool { length <= longest && firstBytes[Int(first)] }
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
