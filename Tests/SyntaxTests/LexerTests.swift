import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Tokens of one line of source, without the final end-of-file token.
private func kinds(_ text: String) -> [Token.Kind] {
    let (tokens, _) = Lexer.tokenize(SourceFile(path: "t.graph", text: text))
    return tokens.dropLast().map(\.kind)
}

private func tokenize(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    Lexer.tokenize(SourceFile(path: "t.graph", text: text))
}

/// Words that share a keyword's first byte or its length, but not both, or are a keyword with a
/// byte more or less, are names (the lexer's fast test rejects them without a string).
@Test func wordsNearAKeywordAreNames() {
    for keyword in Keyword.allCases {
        let word = keyword.rawValue
        #expect(kinds(word) == [.keyword(keyword)])
        #expect(kinds(word + "s") == [.identifier], "\(word)s")
        #expect(kinds(String(word.dropLast())) == [.identifier], "\(word.dropLast())")
        #expect(kinds("q" + word.dropFirst()) == [.identifier], "q\(word.dropFirst())")
    }
    for name in ["sin", "sqrt", "seeds", "f", "b", "prints", "minimum", "inputs", "params", "mx", "maximise"] {
        #expect(kinds(name) == [.identifier], "\(name)")
    }
}

@Test func everyTokenKindIsRecognised() {
    let text = "param input seed fn print minimize maximize by name _x1 42 \"s\" + - * / @ ^ = , : ( ) [ ]\n"
    let expected: [Token.Kind] = [
        .keyword(.param), .keyword(.input), .keyword(.seed), .keyword(.fn), .keyword(.print),
        .keyword(.minimize), .keyword(.maximize), .keyword(.by),
        .identifier, .identifier, .number, .string,
        .plus, .minus, .star, .slash, .at, .caret, .equals, .comma, .colon,
        .leftParen, .rightParen, .leftBracket, .rightBracket, .newline,
    ]
    #expect(kinds(text) == expected)
    #expect(tokenize(text).diagnostics.isEmpty)
}

@Test func tokensCarryTheirTextAndByteRange() {
    let (tokens, _) = tokenize("y2 = 10.5")
    #expect(tokens.map(\.text) == ["y2", "=", "10.5", ""])
    // "y2 = 10.5": the number starts at byte 5 and ends at byte 9.
    #expect(tokens[2].range.start == 5 && tokens[2].range.end == 9)
    #expect(tokens[2].range.column == 6)
    #expect(tokens.last?.kind == .endOfFile)
}

@Test(arguments: [
    ("1", 1.0), ("1.5", 1.5), (".5", 0.5), ("1e-3", 0.001), ("2.5E+4", 25_000.0), ("007", 7.0),
    ("1E2", 100.0), ("0.125e1", 1.25), ("123456789012", 123_456_789_012.0),
])
func numbersAreReadAsFloat64(text: String, value: Double) throws {
    let (tokens, diagnostics) = tokenize(text)
    #expect(diagnostics.isEmpty)
    try #require(tokens.count == 2)
    #expect(tokens[0].kind == .number)
    #expect(tokens[0].text == text)
    // The parser reads the token's text with Double(_:); the value must be exact.
    let (ast, _) = Parser.parse(SourceFile(path: "t.graph", text: "x = \(text)"))
    guard case .assignment(_, _, let root) = try #require(ast.statements.first).kind,
          case .number(let parsed) = ast[root].kind else {
        Issue.record("'x = \(text)' is not an assignment of a number")
        return
    }
    #expect(parsed == value)
}

@Test func anExponentWithoutDigitsIsNotPartOfTheNumber() {
    // "2e" is the number 2 glued to the name e: reported, not read as 2 or as 2e0.
    let (tokens, diagnostics) = tokenize("2e")
    #expect(tokens[0].kind == .invalid)
    #expect(diagnostics.map(\.id) == ["syntax.number-followed-by-name"])
}

@Test func aNumberRunningIntoANameIsDiagnosedWithAFix() throws {
    let (tokens, diagnostics) = tokenize("y = 2x + 1")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.id == "syntax.number-followed-by-name")
    #expect(diagnostic.message == "a number cannot run into a name: '2x'")
    #expect(diagnostic.range?.column == 5)
    #expect(diagnostic.notes.map(\.message) == ["write '2*x' for a product"])
    // The bad token is one invalid token; lexing goes on after it.
    #expect(tokens.map(\.kind) == [.identifier, .equals, .invalid, .plus, .number, .endOfFile])
}

@Test func aLoneDotIsAMalformedNumber() throws {
    let (_, diagnostics) = tokenize("x = . + 1")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic.id == "syntax.malformed-number")
    #expect(diagnostic.message == "malformed number '.'")
    #expect(diagnostic.range?.column == 5)
}

@Test func stringEscapesAreDecoded() throws {
    // Source text: "a\"b\\c\nd\te"  ->  a"b\c<newline>d<tab>e
    let (tokens, diagnostics) = tokenize(#""a\"b\\c\nd\te""#)
    #expect(diagnostics.isEmpty)
    let token = try #require(tokens.first)
    #expect(token.kind == .string)
    #expect(Lexer.stringValue(token) == "a\"b\\c\nd\te")
}

@Test func anUnterminatedStringIsDiagnosedOnItsLine() throws {
    let (tokens, diagnostics) = tokenize("input x = csv(\"data.csv)\nprint 1\n")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic.id == "syntax.unterminated-string")
    #expect(diagnostic.range?.line == 1 && diagnostic.range?.column == 15)
    // The string stops at the line end, so the next line still lexes.
    #expect(tokens.contains { $0.kind == .keyword(.print) })
}

@Test func commentsRunToTheEndOfTheLine() {
    // The '(' inside the comment must not open a bracket: the newline still ends the statement.
    #expect(kinds("x = 1 # a comment ( [ \"\nprint x") ==
            [.identifier, .equals, .number, .newline, .keyword(.print), .identifier])
    #expect(kinds("# only a comment") == [])
}

@Test func newlinesInsideParenthesesAndBracketsDoNotEndStatements() {
    #expect(kinds("f(1,\n 2)\n") == [.identifier, .leftParen, .number, .comma, .number, .rightParen, .newline])
    #expect(kinds("[[1,\n2],\n[3, 4]]\nx") == [
        .leftBracket, .leftBracket, .number, .comma, .number, .rightBracket, .comma,
        .leftBracket, .number, .comma, .number, .rightBracket, .rightBracket, .newline, .identifier,
    ])
    // Once the bracket closes, line breaks count again.
    #expect(kinds("(1)\n2") == [.leftParen, .number, .rightParen, .newline, .number])
}

@Test func carriageReturnsAreSpace() {
    #expect(kinds("x = 1\r\nprint x\r\n") == [.identifier, .equals, .number, .newline, .keyword(.print), .identifier, .newline])
}

@Test func aRunOfStrayBytesGivesOneDiagnostic() throws {
    let (tokens, diagnostics) = tokenize("x = 1 $%& + 2")
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(diagnostic.id == "syntax.unexpected-character")
    #expect(diagnostic.message == "unexpected character '$%&'")
    #expect(diagnostic.range?.column == 7)
    #expect(tokens.map(\.kind) == [.identifier, .equals, .number, .invalid, .plus, .number, .endOfFile])
}

@Test func columnsCountCharactersNotBytes() throws {
    // 'é' is two bytes in UTF-8 but one column: the '$' after "é = " is at column 5.
    let (_, diagnostics) = tokenize("é = $")
    let columns = diagnostics.compactMap { $0.range?.column }
    #expect(columns == [1, 5])
}
