import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The expression of `x = TEXT`, fully parenthesised: `-x^2` reads back as `(-(x ^ 2))`.
/// (Recursive, which is fine for the few levels written in these tests.)
private func parenthesised(_ text: String) throws -> String {
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: "x = \(text)"))
    try #require(diagnostics.isEmpty, "\(DiagnosticRenderer.render(diagnostics))")
    guard case .assignment(_, _, let root) = try #require(ast.statements.first).kind else {
        throw DiagnosticsError(diagnostics: [])
    }
    func show(_ id: ExpressionID) -> String {
        switch ast[id].kind {
        case .number(let value): return ValueFormatter.number(value)
        case .string(let text): return "\"\(text)\""
        case .name(let name): return name
        case .negate(let operand): return "(-\(show(operand)))"
        case .binary(let op, let lhs, let rhs, _): return "(\(show(lhs)) \(op.rawValue) \(show(rhs)))"
        case .call(let name, _, let arguments):
            return "\(name)(" + arguments.map { ($0.label.map { "\($0): " } ?? "") + show($0.value) }.joined(separator: ", ") + ")"
        case .tensor(let elements): return "[" + elements.map(show).joined(separator: ", ") + "]"
        case .invalid: return "<invalid>"
        }
    }
    return show(root)
}

@Test(arguments: [
    // Unary minus binds looser than ^, so -x^2 is -(x^2), not (-x)^2.
    ("-x^2", "(-(x ^ 2))"),
    // ^ takes a unary operand on its right: 2^-1 is 2^(-1).
    ("2^-1", "(2 ^ (-1))"),
    // ^ is right-associative: 2^3^2 = 2^(3^2) = 512, not (2^3)^2 = 64.
    ("2^3^2", "(2 ^ (3 ^ 2))"),
    ("-2^-x^2", "(-(2 ^ (-(x ^ 2))))"),
    // - and / are left-associative.
    ("a - b - c", "((a - b) - c)"),
    ("a / b / c", "((a / b) / c)"),
    ("a - b + c", "((a - b) + c)"),
    // @ sits at the level of * and /, and associates left with them.
    ("a @ b * c", "((a @ b) * c)"),
    ("a * b @ c", "((a * b) @ c)"),
    ("a / b @ c", "((a / b) @ c)"),
    ("a + b @ c", "(a + (b @ c))"),
    ("a + b * c", "(a + (b * c))"),
    ("a * b + c", "((a * b) + c)"),
    // Unary minus binds tighter than * and +.
    ("-a * b", "((-a) * b)"),
    ("a * -b", "(a * (-b))"),
    ("a - -b", "(a - (-b))"),
    ("--a", "(-(-a))"),
    ("a^b*c", "((a ^ b) * c)"),
    ("(a + b) * c", "((a + b) * c)"),
    ("(-a)^2", "((-a) ^ 2)"),
    ("f(a, b)^2", "(f(a, b) ^ 2)"),
    ("sum(x, axis: -1) / n", "(sum(x, axis: (-1)) / n)"),
    ("[[1, 2], [3, a + 4]]", "[[1, 2], [3, (a + 4)]]"),
    ("[1, 2,]", "[1, 2]"),
    ("[]", "[]"),
    ("csv(\"d.csv\", \"x\")", "csv(\"d.csv\", \"x\")"),
])
func operatorsFollowPrecedenceAndAssociativity(text: String, expected: String) throws {
    #expect(try parenthesised(text) == expected)
}

@Test func everyStatementFormParses() throws {
    let source = """
    param m = 0
    param W: [2, 3] = normal(0, 0.1)
    input x = [1, 2]
    input e: [] = 1
    seed 42
    fn dense(x, W, b) = sigmoid(x @ W + b)
    fn zero() = 0
    z = m * x
    print z, sum(z)
    minimize sum(z) by gd(rate: 0.1, steps: 10)
    maximize z by adam(0.1)
    """
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: source))
    #expect(diagnostics.isEmpty)
    try #require(ast.statements.count == 11)
    let s = ast.statements.map(\.kind)

    guard case .declaration(.param, "m", _, nil, _) = s[0] else { Issue.record("line 1: \(s[0])"); return }
    guard case .declaration(.param, "W", _, let shape?, let initializer) = s[1],
          case .call("normal", _, let arguments) = ast[initializer].kind else { Issue.record("line 2: \(s[1])"); return }
    #expect(shape.dimensions == [2, 3])
    #expect(arguments.count == 2)
    guard case .declaration(.input, "x", _, nil, _) = s[2] else { Issue.record("line 3: \(s[2])"); return }
    guard case .declaration(.input, "e", _, let scalar?, _) = s[3] else { Issue.record("line 4: \(s[3])"); return }
    #expect(scalar.dimensions == [])
    guard case .seed(let seed) = s[4], case .number(42) = ast[seed].kind else { Issue.record("line 5: \(s[4])"); return }
    guard case .function("dense", _, let parameters, _) = s[5] else { Issue.record("line 6: \(s[5])"); return }
    #expect(parameters.map(\.0) == ["x", "W", "b"])
    guard case .function("zero", _, let none, _) = s[6] else { Issue.record("line 7: \(s[6])"); return }
    #expect(none.isEmpty)
    guard case .assignment("z", _, _) = s[7] else { Issue.record("line 8: \(s[7])"); return }
    guard case .print(let items) = s[8] else { Issue.record("line 9: \(s[8])"); return }
    // Print items keep their source text for --json's "expr".
    #expect(items.map(\.range.text) == ["z", "sum(z)"])
    guard case .train(.minimize, _, "gd", _, let settings) = s[9] else { Issue.record("line 10: \(s[9])"); return }
    #expect(settings.map(\.label) == ["rate", "steps"])
    guard case .train(.maximize, _, "adam", _, let positional) = s[10] else { Issue.record("line 11: \(s[10])"); return }
    #expect(positional.count == 1 && positional[0].label == nil)
}

@Test func aStatementMayContinueInsideBrackets() throws {
    let source = "input X = [[1, 2],\n           [3, 4]]\ny = sum(X,\n  axis: 0)\nprint y\n"
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: source))
    #expect(diagnostics.isEmpty)
    #expect(ast.statements.count == 3)
}

@Test func expressionRangesCoverTheirTokens() throws {
    let (ast, _) = Parser.parse(SourceFile(path: "t.graph", text: "y = (a + b) * c"))
    guard case .assignment(_, _, let root) = try #require(ast.statements.first).kind,
          case .binary(.multiply, _, _, let operatorRange) = ast[root].kind else {
        Issue.record("not a product")
        return
    }
    #expect(ast[root].range.text == "(a + b) * c")  // a parenthesised operand's range includes its parentheses
    #expect(operatorRange.column == 13)
}

@Test func severalSyntaxErrorsAreEachReportedAndParsingContinues() {
    expectDiagnostics("""
        x = 1 +1️⃣
        y = 2
        z = 2️⃣) + 1
        print y 3️⃣y
        w = 4️⃣*
        param 5️⃣= 3
        print y
        """,
        .error("1️⃣", "expected an expression, found end of line", id: "syntax.unexpected-token"),
        .error("2️⃣", "expected an expression, found ')'"),
        .error("3️⃣", "expected end of line after the statement, found 'y'", id: "syntax.expected-end-of-statement"),
        .error("4️⃣", "expected an expression, found '*'"),
        .error("5️⃣", "expected a name after 'param', found '='"))
}

@Test func aMissingClosingParenthesisNamesTheCall() {
    // The message is made only when the ')' is missing (it names the callee the parser read).
    expectDiagnostics("""
        y = sin(1 1️⃣2)
        z = exp(sin(2, 3 2️⃣4))
        """,
        .error("1️⃣", "expected ')' closing the call to 'sin', found '2'"),
        .error("2️⃣", "expected ')' closing the call to 'sin', found '4'"))
}

@Test func theParserKeepsTheStatementsBetweenErrors() {
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: "x = )\ny = 2\nz = *\nw = 3\n"))
    #expect(diagnostics.count == 2)
    let names = ast.statements.compactMap { statement -> String? in
        if case .assignment(let name, _, _) = statement.kind { return name }
        return nil
    }
    #expect(names == ["y", "w"])
}

@Test func anErrorInsideBracketsResumesAfterTheStatementsLastLine() {
    // The open '(' makes the line break part of the statement, so recovery skips to the
    // first line break outside brackets; nothing after it is reported twice.
    expectDiagnostics("""
        y = f(1, 1️⃣, 2)
        print 2️⃣*
        """,
        .error("1️⃣", "expected an expression, found ','"),
        .error("2️⃣", "expected an expression, found '*'"))
}

@Test func anUnclosedBracketIsReportedAtItsOpenerAndTheStatementsAfterItParse() throws {
    // The lexer read "g = 2" and "print g" as inside the '(' of line 1; the parser finds no
    // ')' anywhere after it, reports the opener, and reads the rest of the file again.
    let source = MarkedSource("f = 1️⃣(x + 1\n2️⃣g = 2\nprint g\n")
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "test.graph", text: source.text))
    expectDiagnostics(diagnostics, in: source, [.error("1️⃣", "'(' is never closed", id: "syntax.unclosed-bracket")])
    let note = try #require(diagnostics.first?.notes.first)
    #expect(note.message == "expected ')' before 'g'")
    #expect(note.range.map { MarkedSource.Location(line: $0.line, column: $0.column) } == source["2️⃣"])
    #expect(ast.statements.count == 2)
    if case .assignment(let name, _, _) = ast.statements.first?.kind { #expect(name == "g") } else { Issue.record("no g") }
}

@Test func aBracketClosedLaterKeepsTheUnexpectedTokenDiagnostic() {
    // The ')' on line 2 closes the '(' of line 1, so the '(' is not "never closed": the
    // error stays at the token that does not belong, with its old ID.
    expectDiagnostics("v = (x\n  + 1 1️⃣2)\n", .error("1️⃣", "expected ')', found '2'", id: "syntax.unexpected-token"))
}

@Test func keywordsCannotBeUsedAsNames() {
    expectDiagnostics("""
        1️⃣by = 2
        param 2️⃣print = 1
        """,
        .error("1️⃣", "'by' cannot start a statement; it is a keyword", id: "syntax.misplaced-keyword"),
        .error("2️⃣", "expected a name after 'param', found 'print'"))
}

@Test func anExpressionOnItsOwnIsDiagnosed() {
    expectDiagnostics("""
        1️⃣f(2)
        2️⃣x
        """,
        .error("1️⃣", "an expression on its own does nothing", id: "syntax.expression-statement"),
        .error("2️⃣", "an expression on its own does nothing"))
}

@Test func trainingStatementsNeedByAndAMethod() {
    expectDiagnostics("""
        minimize cost 1️⃣gd(rate: 1)
        maximize cost by 2️⃣(rate: 1)
        """,
        .error("1️⃣", "expected 'by' and a training method"),
        .error("2️⃣", "expected a training method (gd, sgd, momentum, adam or newton), found '('"))
}

@Test func declaredDimensionsMustBeWholeNumbers() {
    expectDiagnostics("""
        param W: [2, 1️⃣2.5] = 0
        param V: [2️⃣x] = 0
        """,
        .error("1️⃣", "a dimension must be a whole number ≥ 0, found '2.5'", id: "syntax.invalid-dimension"),
        .error("2️⃣", "expected a dimension, found 'x'"))
}

@Test func nestingDeeperThanTheLimitIsADiagnostic() throws {
    let depth = Parser.maximumNesting + 50
    let text = "x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + "\ny = 2\n"
    let (ast, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: text))
    #expect(diagnostics.map(\.id) == ["syntax.nesting-too-deep"])
    // It points at the first '(' beyond the limit: the (limit+1)-th, at column 4 + limit + 1.
    #expect(diagnostics.first?.range?.column == 4 + Parser.maximumNesting + 1)
    #expect(ast.statements.count == 1)  // y = 2 is still parsed
}

@Test func nestingUpToTheLimitParses() throws {
    let depth = Parser.maximumNesting - 1
    let text = "x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
    let (_, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: text))
    #expect(diagnostics.isEmpty)
}

@Test func lexerAndParserErrorsAreReportedInSourceOrder() {
    // The lexer finds '2x' on line 2 before the parser starts; line 1's error still comes first.
    let (_, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: "x = )\ny = 2x\nz = *\n"))
    #expect(diagnostics.compactMap { $0.range?.line } == [1, 2, 3])
}

@Test func manyLexerErrorsLateInTheFileDoNotHideAParserErrorEarlyInIt() {
    let text = "x = )\n" + String(repeating: "y = $\n", count: 2 * Parser.maximumErrors)
    let (_, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: text))
    #expect(diagnostics.count == Parser.maximumErrors)
    #expect(diagnostics.first?.message == "expected an expression, found ')'")
}

@Test func errorsStopAfterTheLimit() {
    let text = String(repeating: "x = )\n", count: 200)
    let (_, diagnostics) = Parser.parse(SourceFile(path: "t.graph", text: text))
    #expect(diagnostics.count == Parser.maximumErrors)
}

@Test func aSetValueParsesAsOneExpression() throws {
    let (ast, root, diagnostics) = Parser.parseExpression(SourceFile(path: "--set x", text: "[1, -2.5]"))
    #expect(diagnostics.isEmpty)
    let id = try #require(root)
    guard case .tensor(let elements) = ast[id].kind else { Issue.record("not a tensor"); return }
    #expect(elements.count == 2)
    let (_, bad, errors) = Parser.parseExpression(SourceFile(path: "--set x", text: "1 2"))
    #expect(bad == nil)
    #expect(errors.first?.message == "expected end of value, found '2'")
}
