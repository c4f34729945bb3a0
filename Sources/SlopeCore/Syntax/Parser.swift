/// A recursive-descent parser with one function per grammar rule (the rule is its doc comment).
///
/// On an error it records a diagnostic and resumes at the next statement. Every loop consumes a
/// token per iteration, and nesting deeper than `maximumNesting` is a diagnostic, not a crash.
/// Left-associative chains (`a + b + c + …`) are loops, so their length is unbounded.
public struct Parser {
    /// Deepest nesting of parentheses, brackets, unary minus and `^` the parser accepts.
    public static let maximumNesting = 200
    /// After this many errors the parser stops reporting (the rest are usually consequences).
    public static let maximumErrors = 50

    let file: SourceFile
    var tokens: [Token]
    var position = 0
    var depth = 0
    var ast = AST()
    var diagnostics: [Diagnostic] = []
    /// How many of `diagnostics` came from the lexer.
    var lexerDiagnosticCount = 0

    struct Failure: Error {}

    public static func parse(_ file: SourceFile) -> (ast: AST, diagnostics: [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        var parser = Parser(file: file, tokens: tokens)
        parser.ast.file = file
        parser.diagnostics = lexDiagnostics
        parser.lexerDiagnosticCount = lexDiagnostics.count
        parser.parseProgram()
        return (parser.ast, Array(inSourceOrder(parser.diagnostics).prefix(maximumErrors)))
    }

    /// The lexer reports its problems for the whole file before the parser starts, so the two
    /// lists are merged by position: diagnostics print top to bottom, and the cap on their
    /// number keeps the earliest ones in the file.
    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element.range?.start ?? 0, b.element.range?.start ?? 0)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// Parses one expression (used for `--set NAME=VALUE` values).
    public static func parseExpression(_ file: SourceFile) -> (ast: AST, root: ExpressionID?, diagnostics: [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        var parser = Parser(file: file, tokens: tokens)
        parser.diagnostics = lexDiagnostics
        var root: ExpressionID?
        do {
            root = try parser.expression()
            while parser.peek.kind == .newline { parser.position += 1 }
            if parser.peek.kind != .endOfFile { try parser.fail(SyntaxMessages.expected("end of value", found: parser.peek)) }
        } catch {}
        return (parser.ast, parser.diagnostics.isEmpty ? root : nil, parser.diagnostics)
    }

    var peek: Token { tokens[position] }
    /// A token's text, read from the parser's file: `Token.text` looks its file up by number.
    func text(_ token: Token) -> String { file.text(token.range.start, token.range.end) }
    func peek(_ ahead: Int) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func check(_ kind: Token.Kind) -> Bool { peek.kind == kind }

    mutating func match(_ kind: Token.Kind) -> Token? {
        peek.kind == kind ? advance() : nil
    }

    mutating func expect(_ kind: Token.Kind, _ what: String? = nil) throws -> Token {
        if let token = match(kind) { return token }
        try fail(SyntaxMessages.expected(what ?? kind.description, found: peek))
    }

    /// Expects the token closing the bracket `opener`. When it is missing and no later token
    /// closes it either, the bracket is never closed: the error points at the opener, with a
    /// note where the parser gave up. The lexer read every line after the opener as part of
    /// the bracket, so the file is lexed again from that token, outside any bracket, and the
    /// statements after it parse as usual.
    /// `what` is only made when the token is missing: built for every call, the message
    /// `')' closing the call to 'sin'` was a string allocated per call of a long program.
    mutating func close(_ kind: Token.Kind, _ what: @autoclosure () -> String, opening opener: Token) throws -> Token {
        if let token = match(kind) { return token }
        guard peek.kind != .invalid, isNeverClosed() else { try fail(SyntaxMessages.expected(what(), found: peek)) }
        let found = peek
        // The end of the file is shown just past the last token, not on the empty line after it.
        let gaveUp = found.kind == .endOfFile ? SourceRange(file: file, start: previousRange.end, end: previousRange.end) : found.range
        diagnostics.append(SyntaxMessages.neverClosed(opener, expected: kind, found: found, at: gaveUp))
        if found.kind != .endOfFile {
            var rest = Lexer.tokenize(file, from: found.range.start).tokens
            if position > 0, tokens[position - 1].range.line < found.range.line {
                // The line break before `found` ends the statement that never closed.
                let lineStart = file.lineStarts[found.range.line - 1]
                rest.insert(Token(.newline, SourceRange(file: file, start: lineStart - 1, end: lineStart)), at: 0)
            }
            tokens = Array(tokens[..<position]) + rest
        }
        throw Failure()
    }

    /// Whether the tokens from here on never close the innermost open bracket.
    func isNeverClosed() -> Bool {
        var open = 1
        for token in tokens[position...] {
            switch token.kind {
            case .leftParen, .leftBracket: open += 1
            case .rightParen, .rightBracket:
                open -= 1
                if open == 0 { return false }
            default: break
            }
        }
        return true
    }

    /// Records a diagnostic unless the offending token was already reported by the lexer.
    mutating func fail(_ diagnostic: Diagnostic) throws -> Never {
        if peek.kind != .invalid { diagnostics.append(diagnostic) }
        throw Failure()
    }

    func range(from start: SourceRange, to end: SourceRange) -> SourceRange { start.union(end) }
    var previousRange: SourceRange { tokens[max(0, position - 1)].range }

    /// program = { [ statement ] NEWLINE } EOF
    mutating func parseProgram() {
        while peek.kind != .endOfFile {
            if match(.newline) != nil { continue }
            // Only the parser's own errors count: lexer errors late in the file must not stop
            // it before it reaches (and reports) the errors early in the file.
            if diagnostics.count - lexerDiagnosticCount >= Parser.maximumErrors { return }
            let before = position
            do {
                let statement = try statement()
                ast.statements.append(statement)
                if peek.kind != .newline && peek.kind != .endOfFile {
                    try fail(SyntaxMessages.expectedEndOfStatement(found: peek))
                }
            } catch {
                synchronize()
            }
            if position == before && peek.kind != .endOfFile { advance() }
        }
    }

    /// Skips to the start of the next statement.
    mutating func synchronize() {
        depth = 0
        while peek.kind != .newline && peek.kind != .endOfFile { advance() }
    }

    /// statement = declaration | seed | function | print | train | assignment
    mutating func statement() throws -> Statement {
        let first = peek
        switch first.kind {
        case .keyword(.param): return try declaration(.param)
        case .keyword(.input): return try declaration(.input)
        case .keyword(.seed):
            advance()
            let value = try expression()
            return Statement(kind: .seed(value), range: range(from: first.range, to: ast[value].range))
        case .keyword(.fn): return try function()
        case .keyword(.print): return try printStatement()
        case .keyword(.minimize): return try train(.minimize)
        case .keyword(.maximize): return try train(.maximize)
        case .identifier:
            let name = advance()
            if [.plus, .minus, .star, .slash, .caret].contains(peek.kind), peek(1).kind == .equals,
               peek.range.end == peek(1).range.start {
                try fail(HabitMessages.compoundAssignment(text(name), text(peek), at: peek.range.union(peek(1).range)))
            }
            if peek.kind != .equals {
                if peek.kind == .leftParen || peek.kind == .newline || peek.kind == .endOfFile {
                    try fail(SyntaxMessages.expressionStatement(at: name.range))
                }
                try fail(SyntaxMessages.expected("'=' after '\(text(name))'", found: peek))
            }
            advance()
            let value = try expression()
            return Statement(kind: .assignment(name: text(name), nameRange: name.range, value: value),
                             range: range(from: name.range, to: ast[value].range))
        case .keyword(let keyword):
            try fail(SyntaxMessages.keywordMisplaced(keyword, at: first.range))
        default:
            try fail(SyntaxMessages.expected("a statement", found: first))
        }
    }

    /// declaration = ("param" | "input") NAME [ ":" shape ] "=" expression
    mutating func declaration(_ kind: LeafKind) throws -> Statement {
        let keyword = advance()
        let name = try expect(.identifier, "a name after '\(kind.rawValue)'")
        var shape: DeclaredShape?
        if match(.colon) != nil { shape = try declaredShape() }
        _ = try expect(.equals, "'=' and an initial value")
        let initializer = try expression()
        return Statement(kind: .declaration(kind, name: text(name), nameRange: name.range, shape: shape, initializer: initializer),
                         range: range(from: keyword.range, to: ast[initializer].range))
    }

    /// shape = "[" [ INTEGER { "," INTEGER } ] "]"
    mutating func declaredShape() throws -> DeclaredShape {
        let open = try expect(.leftBracket, "a shape such as [2, 3]")
        var dimensions: [Int] = []
        if peek.kind != .rightBracket {
            repeat {
                let token = try expect(.number, "a dimension")
                guard let value = Double(text(token)), value >= 0, value == value.rounded(), value <= 1e9 else {
                    diagnostics.append(SyntaxMessages.invalidDimension(text(token), at: token.range))
                    throw Failure()
                }
                dimensions.append(Int(value))
            } while match(.comma) != nil
        }
        let close = try self.close(.rightBracket, "']' closing the shape", opening: open)
        return DeclaredShape(dimensions: dimensions, range: range(from: open.range, to: close.range))
    }

    /// function = "fn" NAME "(" [ NAME { "," NAME } ] ")" "=" expression
    mutating func function() throws -> Statement {
        let keyword = advance()
        let name = try expect(.identifier, "a function name after 'fn'")
        let open = try expect(.leftParen, "'(' and the function's parameters")
        var parameters: [(String, SourceRange)] = []
        if peek.kind != .rightParen {
            repeat {
                let parameter = try expect(.identifier, "a parameter name")
                parameters.append((text(parameter), parameter.range))
            } while match(.comma) != nil
        }
        _ = try close(.rightParen, "')' after the parameters", opening: open)
        _ = try expect(.equals, "'=' and the function's body")
        let body = try expression()
        return Statement(kind: .function(name: text(name), nameRange: name.range, parameters: parameters, body: body),
                         range: range(from: keyword.range, to: ast[body].range))
    }

    /// print = "print" expression { "," expression }
    mutating func printStatement() throws -> Statement {
        let keyword = advance()
        var items: [PrintItem] = []
        repeat {
            let first = peek.range
            let value = try expression()
            items.append(PrintItem(value: value, range: range(from: first, to: previousRange)))
        } while match(.comma) != nil
        return Statement(kind: .print(items), range: range(from: keyword.range, to: previousRange))
    }

    /// train = ("minimize" | "maximize") expression "by" NAME "(" [ arguments ] ")"
    mutating func train(_ direction: TrainDirection) throws -> Statement {
        let keyword = advance()
        let target = try expression()
        _ = try expect(.keyword(.by), "'by' and a training method, as in 'by gd(rate: 0.1, steps: 100)'")
        let method = try expect(.identifier, "a training method (gd, sgd, momentum, adam or newton)")
        let open = try expect(.leftParen, "'(' and the method's settings")
        let arguments = try argumentList()
        let close = try self.close(.rightParen, "')' closing the method's settings", opening: open)
        return Statement(kind: .train(direction, target: target, method: text(method), methodRange: method.range, arguments),
                         range: range(from: keyword.range, to: close.range))
    }

    /// arguments = argument { "," argument } ; argument = [ NAME ":" ] expression
    mutating func argumentList() throws -> [Argument] {
        var arguments: [Argument] = []
        if peek.kind == .rightParen { return arguments }
        repeat {
            if peek.kind == .identifier && peek(1).kind == .colon {
                let label = advance()
                advance()
                arguments.append(Argument(label: text(label), labelRange: label.range, value: try expression()))
            } else {
                arguments.append(Argument(label: nil, labelRange: nil, value: try expression()))
            }
        } while match(.comma) != nil
        return arguments
    }

    /// expression = term { ("+" | "-") term }
    mutating func expression() throws -> ExpressionID {
        var lhs = try term()
        while peek.kind == .plus || peek.kind == .minus {
            let op = advance()
            let rhs = try term()
            lhs = binary(op.kind == .plus ? .add : .subtract, lhs, rhs, op.range)
        }
        return lhs
    }

    /// term = unary { ("*" | "/" | "@") unary }
    mutating func term() throws -> ExpressionID {
        var lhs = try unary()
        while peek.kind == .star || peek.kind == .slash || peek.kind == .at {
            let op = advance()
            if op.kind == .star, peek.kind == .star, op.range.end == peek.range.start {
                try fail(HabitMessages.doubleStar(at: op.range.union(peek.range)))
            }
            let rhs = try unary()
            let kind: BinaryOperator = op.kind == .star ? .multiply : op.kind == .slash ? .divide : .matmul
            lhs = binary(kind, lhs, rhs, op.range)
        }
        return lhs
    }

    /// unary = "-" unary | power
    mutating func unary() throws -> ExpressionID {
        guard peek.kind == .minus else { return try power() }
        let minus = advance()
        try enter()
        defer { depth -= 1 }
        let operand = try unary()
        return ast.add(.negate(operand), range(from: minus.range, to: ast[operand].range))
    }

    /// power = primary [ "^" unary ]     (right-associative; `-x^2` is `-(x^2)`, `2^-1` is allowed)
    mutating func power() throws -> ExpressionID {
        let base = try primary()
        guard peek.kind == .caret else { return base }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        let exponent = try unary()
        return binary(.power, base, exponent, op.range)
    }

    /// primary = NUMBER | STRING | NAME | NAME "(" [ arguments ] ")" | "(" expression ")" | "[" [ expression { "," expression } ] "]"
    mutating func primary() throws -> ExpressionID {
        let token = peek
        switch token.kind {
        case .number:
            advance()
            return ast.add(.number(Double(text(token)) ?? .nan), token.range)
        case .string:
            advance()
            return ast.add(.string(Lexer.stringValue(token)), token.range)
        case .identifier:
            advance()
            guard peek.kind == .leftParen else { return ast.add(.name(text(token)), token.range) }
            let open = advance()
            try enter()
            defer { depth -= 1 }
            let arguments = try argumentList()
            let name = text(token)
            let close = try self.close(.rightParen, "')' closing the call to '\(name)'", opening: open)
            return ast.add(.call(name, calleeRange: token.range, arguments), range(from: token.range, to: close.range))
        case .leftParen:
            advance()
            try enter()
            defer { depth -= 1 }
            let inner = try expression()
            let close = try self.close(.rightParen, "')'", opening: token)
            // The parenthesised expression's range includes its parentheses, so the source
            // text of `(a + b)^2` is all of it.
            let expression = ast[inner]
            ast.expressions[Int(inner.index)] = Expression(kind: expression.kind, range: range(from: token.range, to: close.range))
            return inner
        case .leftBracket:
            advance()
            try enter()
            defer { depth -= 1 }
            var elements: [ExpressionID] = []
            if peek.kind != .rightBracket {
                repeat {
                    if peek.kind == .rightBracket { break }  // a trailing comma is fine
                    elements.append(try expression())
                } while match(.comma) != nil
            }
            let close = try self.close(.rightBracket, "']' closing the tensor", opening: token)
            return ast.add(.tensor(elements), range(from: token.range, to: close.range))
        default:
            try fail(SyntaxMessages.expected("an expression", found: token))
        }
    }

    /// Called just after consuming the token that opens a level ('(', '[', unary '-' or '^'),
    /// so a too-deep diagnostic points at that token rather than at whatever follows it.
    mutating func enter() throws {
        depth += 1
        if depth > Parser.maximumNesting {
            diagnostics.append(SyntaxMessages.nestingTooDeep(limit: Parser.maximumNesting, at: previousRange))
            throw Failure()
        }
    }

    mutating func binary(_ op: BinaryOperator, _ lhs: ExpressionID, _ rhs: ExpressionID, _ opRange: SourceRange) -> ExpressionID {
        ast.add(.binary(op, lhs, rhs, operatorRange: opRange), range(from: ast[lhs].range, to: ast[rhs].range))
    }
}
