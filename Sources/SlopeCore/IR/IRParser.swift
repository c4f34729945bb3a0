/// Reads the IR's text form (SPEC.md 3.3), as `IRPrinter` writes it, back into a graph, so a
/// pass can be tested text in, text out. Tests and tools feed it; malformed text gives
/// diagnostics with line and column, never a crash.
///
/// A recursive-descent parser with one function per grammar rule (the rule is its doc comment).
/// Each line is one node, so the parser loops over lines and never recurses on the graph's
/// depth; the only recursion is a constant's nesting, bounded by `maximumRank`. The graph is
/// built through a `GraphBuilder` with hash-consing off, so it is exactly what the text says:
/// duplicates stay duplicates and commutative operands keep their order. Every stated shape is
/// checked against the op's shape rule, and the verifier runs on the result.
///
/// On an error the parser records a diagnostic and resumes at the next line. A line with an
/// error defines nothing; later lines that use its name fail without a second diagnostic,
/// since the first one says what is wrong.
public struct IRParser {
    /// After this many errors the parser stops.
    public static let maximumErrors = 50
    /// The most dimensions a shape may have (bounding the recursion on a constant's brackets).
    public static let maximumRank = 64
    /// The most elements a constant may have, so `constant(0)` of a huge shape is a
    /// diagnostic rather than an allocation that fails.
    public static let maximumConstantElements = 1 << 24

    /// What parsing produced.
    public struct Result: Sendable {
        /// The graph, or nil when there is an error.
        public let graph: Graph?
        /// Every node by the name its line gives it.
        public let names: [String: NodeID]
        public let diagnostics: [Diagnostic]
    }

    let file: SourceFile
    let tokens: [Token]
    var position = 0
    var builder = GraphBuilder(hashConsing: false)
    var names: [String: NodeID] = [:]
    /// Where each name was first defined, including on lines that failed.
    var definitions: [String: SourceRange] = [:]
    /// Names defined on lines that failed: a use fails quietly.
    var failed: Set<String> = []
    /// Where each leaf name was declared.
    var leaves: [String: SourceRange] = [:]
    /// The range of each node's line, by position, for the verifier's diagnostics.
    var lines: [SourceRange] = []
    var diagnostics: [Diagnostic] = []
    /// How many of `diagnostics` came from the lexer (they do not count towards the limit).
    var lexerDiagnosticCount = 0
    /// How many integrals' blocks enclose the line being read.
    var blockDepth = 0

    struct Failure: Error {}

    public static func parse(_ text: String, path: String = "ir") -> Result {
        parse(SourceFile(path: path, text: text))
    }

    public static func parse(_ file: SourceFile) -> Result {
        let (tokens, lexed) = IRLexer.tokenize(file)
        var parser = IRParser(file: file, tokens: tokens)
        parser.diagnostics = lexed
        parser.lexerDiagnosticCount = lexed.count
        parser.parseIR()
        if parser.diagnostics.isEmpty { parser.verify() }
        let diagnostics = Array(Parser.inSourceOrder(parser.diagnostics).prefix(maximumErrors))
        let graph = diagnostics.contains(where: \.isError) ? nil : parser.builder.finish()
        return Result(graph: graph, names: parser.names, diagnostics: diagnostics)
    }

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    // MARK: Tokens

    var peek: Token { tokens[position] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func match(_ kind: Token.Kind) -> Token? { peek.kind == kind ? advance() : nil }

    /// The next token if it is of `kind`; else a diagnostic saying `what` was expected (built
    /// only then: most expectations name the node, and every line meets several).
    mutating func expect(_ kind: Token.Kind, _ what: @autoclosure () -> String) throws -> Token {
        if let token = match(kind) { return token }
        try fail(IRMessages.expected(what(), found: peek))
    }

    /// Records a diagnostic unless the offending token was already reported by the lexer.
    mutating func fail(_ diagnostic: Diagnostic) throws -> Never {
        if peek.kind != .invalid { diagnostics.append(diagnostic) }
        throw Failure()
    }

    // MARK: Rules

    /// ir = { [ node ] NEWLINE } EOF
    mutating func parseIR() {
        while peek.kind != .endOfFile {
            if match(.newline) != nil { continue }
            if diagnostics.count - lexerDiagnosticCount >= IRParser.maximumErrors { return }
            let before = position
            nodeLine()
            if position == before && peek.kind != .endOfFile { advance() }
        }
    }

    /// One node's line; on an error the node's name is marked failed (its uses are not reported
    /// again) and the rest of the line is skipped.
    mutating func nodeLine() {
        var defining: String?
        do {
            try node(defining: &defining)
        } catch {
            if let defining { failed.insert(defining) }
            skipLine()
        }
    }

    /// Skips to the end of the line, and past a whole block when the line opens one (an
    /// integral whose operands failed), so the block's lines are not read as nodes.
    mutating func skipLine() {
        var depth = 0
        while peek.kind != .endOfFile && (depth > 0 || peek.kind != .newline) {
            if peek.kind == .leftBrace { depth += 1 }
            if peek.kind == .rightBrace {
                if depth == 0 { return }
                depth -= 1
            }
            advance()
        }
    }

    /// node = NAME ":" shape "=" operation
    ///
    /// `defining` is set to the name once it is known to be new, so a failure later on the
    /// line marks it as failed.
    mutating func node(defining: inout String?) throws {
        let start = peek.range
        let token = try expect(.identifier, "a node such as 'y: [] = add(a, b)'")
        let name = token.text
        if let first = definitions[name] {
            try fail(IRMessages.duplicateName(name, at: token.range, first: first))
        }
        definitions[name] = token.range
        defining = name
        _ = try expect(.colon, "':' and the shape of '\(name)'")
        let (shape, shapeRange) = try self.shape()
        _ = try expect(.equals, "'=' and the op of '\(name)'")
        let (op, operands, opRange) = try operation(named: name, shape: shape)
        if peek.kind != .newline && peek.kind != .endOfFile {
            try fail(IRMessages.expected("end of line after the node", found: peek))
        }
        if case .leaf(_, let leafName) = op {
            if let first = leaves[leafName] { try fail(IRMessages.duplicateLeaf(leafName, at: opRange, first: first)) }
            leaves[leafName] = opRange
        } else {
            switch op.inferShape(operands.map { builder[$0].shape }) {
            case .failure(let error):
                try fail(ShapeMessages.operation(op, error, at: opRange))
            case .success(let inferred) where inferred != shape:
                try fail(IRMessages.shapeMismatch(name, stated: shape, inferred: inferred, op: op.name, at: shapeRange))
            case .success:
                break
            }
        }
        // The name the printer would make up for this position is no user name.
        let generated = "t\(builder.graph.count)"
        let id = builder.add(op, Operands(operands), shape: shape, range: nil, name: name == generated ? nil : name)
        names[name] = id
        lines.append(start.union(tokens[max(0, position - 1)].range))
        defining = nil
    }

    /// shape = "[" [ INTEGER { "," INTEGER } ] "]"
    mutating func shape() throws -> (Shape, SourceRange) {
        let open = try expect(.leftBracket, "a shape such as [2, 3]")
        var dimensions: [Int] = []
        var count = 1
        if peek.kind != .rightBracket {
            repeat {
                let token = try expect(.number, "a dimension")
                guard IRParser.isDigits(token.text), let dimension = Int(token.text) else {
                    try fail(IRMessages.invalidDimension(token.text, at: token.range))
                }
                dimensions.append(dimension)
                if dimensions.count > IRParser.maximumRank {
                    try fail(IRMessages.rankTooLarge(limit: IRParser.maximumRank, at: token.range))
                }
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                if overflow { try fail(IRMessages.shapeTooLarge(at: open.range.union(token.range))) }
                count = product
            } while match(.comma) != nil
        }
        let close = try expect(.rightBracket, "']' closing the shape")
        return (Shape(dimensions), open.range.union(close.range))
    }

    /// operation = leaf | constant | call
    ///
    /// Returns the op, its operands and the range of the op's text.
    mutating func operation(named name: String, shape: Shape) throws -> (Op, [NodeID], SourceRange) {
        let opName = try expect(.identifier, "an op such as 'add(a, b)' or 'param'")
        let text = opName.text
        switch text {
        case LeafKind.param.rawValue: return (try leaf(.param, named: name), [], range(from: opName))
        case LeafKind.input.rawValue: return (try leaf(.input, named: name), [], range(from: opName))
        case "constant": return (try constant(shape), [], range(from: opName))
        default:
            let (op, operands) = try call(opName, named: text)
            return (op, operands, range(from: opName))
        }
    }

    /// leaf = ( "param" | "input" ) [ STRING ]
    ///
    /// Without the string, the leaf's name is the node's.
    mutating func leaf(_ kind: LeafKind, named name: String) throws -> Op {
        guard let string = match(.string) else { return .leaf(kind, name) }
        return .leaf(kind, Lexer.stringValue(string))
    }

    /// constant = "constant" "(" literal ")"
    ///
    /// One number instead of brackets fills the stated shape.
    mutating func constant(_ shape: Shape) throws -> Op {
        let open = try expect(.leftParen, "'(' and the constant's value")
        guard shape.count <= IRParser.maximumConstantElements else {
            try fail(IRMessages.constantTooLarge(shape, limit: IRParser.maximumConstantElements, at: open.range))
        }
        var values: [Double] = []
        values.reserveCapacity(shape.count)
        if shape.rank > 0 && peek.kind != .leftBracket {
            values = [Double](repeating: try number(in: shape), count: shape.count)
        } else {
            try literal(shape, axis: 0, into: &values)
        }
        _ = try expect(.rightParen, "')' closing the constant")
        return .constant(Tensor(shape: shape, values: values))
    }

    /// literal = number | "[" [ literal { "," literal } ] "]"
    ///
    /// Read against the stated shape: along axis k a bracket of `shape[k]` literals, and
    /// inside the last axis numbers. (The shape says what an empty bracket's elements would
    /// have been: `[]` of shape [0, 3].)
    mutating func literal(_ shape: Shape, axis: Int, into values: inout [Double]) throws {
        guard axis < shape.rank else {
            values.append(try number(in: shape))
            return
        }
        _ = try expect(.leftBracket, "'[' opening axis \(axis) of a constant of shape \(shape)")
        var count = 0
        if peek.kind != .rightBracket {
            repeat {
                if count == shape[axis] {
                    try fail(IRMessages.literalLength(shape, axis: axis, found: nil, at: peek.range))
                }
                try literal(shape, axis: axis + 1, into: &values)
                count += 1
            } while match(.comma) != nil
        }
        if count < shape[axis] && peek.kind == .rightBracket {
            try fail(IRMessages.literalLength(shape, axis: axis, found: count, at: peek.range))
        }
        _ = try expect(.rightBracket, "']' closing axis \(axis) of a constant of shape \(shape)")
    }

    /// number = [ "-" ] ( NUMBER | "inf" | "nan" [ "(" HEX ")" ] )
    ///
    /// `-` flips the sign bit, so `-0` and `-nan` are what they say; `nan(0x…)` gives all 64
    /// bits of a NaN.
    mutating func number(in shape: Shape) throws -> Double {
        let negative = match(.minus) != nil
        let token = peek
        var value: Double
        switch (token.kind, token.text) {
        case (.number, let text) where !text.hasPrefix("0x"):
            guard let parsed = Double(text) else { try fail(IRMessages.malformedNumber(text, at: token.range)) }
            value = parsed
        case (.identifier, "inf"):
            value = .infinity
        case (.identifier, "nan"):
            value = .nan
        default:
            try fail(IRMessages.expected("a number (an element of a constant of shape \(shape))", found: token))
        }
        advance()
        if token.text == "nan", match(.leftParen) != nil {
            let bits = try expect(.number, "the bits of the NaN, such as 0x7ff4000000000001")
            guard bits.text.hasPrefix("0x"), let pattern = UInt64(bits.text.dropFirst(2), radix: 16),
                  Double(bitPattern: pattern).isNaN else {
                try fail(IRMessages.notANaN(bits.text, at: bits.range))
            }
            value = Double(bitPattern: pattern)
            _ = try expect(.rightParen, "')' after the bits of the NaN")
        }
        return negative ? -value : value
    }

    /// call = OPNAME "(" [ argument { "," argument } ] ")"
    mutating func call(_ opName: Token, named name: String) throws -> (Op, [NodeID]) {
        guard let usages = IRParser.usages[name] else {
            let suggestion = Suggestions.closest(to: name, among: IRParser.usages.keys)
            try fail(IRMessages.unknownOp(name, suggestion: suggestion, at: opName.range))
        }
        _ = try expect(.leftParen, "'(' and the operands of '\(name)'")
        var operands: [NodeID] = []
        var attribute: Argument?
        if peek.kind != .rightParen {
            repeat {
                let start = peek
                let argument = try self.argument()
                if attribute != nil { try fail(IRMessages.attributeNotLast(name, at: start.range)) }
                if case .operand(let id) = argument { operands.append(id) } else { attribute = argument }
            } while match(.comma) != nil
        }
        _ = try expect(.rightParen, "')' closing the operands of '\(name)'")
        if name == "integral", case .integrand(let function)? = attribute {
            return (.integral(try integrand(named: function, operands: operands.count, at: range(from: opName))), operands)
        }
        guard let op = IRParser.op(name, operands: operands.count, attribute) else {
            try fail(IRMessages.wrongArguments(name, usages: usages, found: Argument.describe(operands.count, attribute),
                                               at: range(from: opName)))
        }
        return (op, operands)
    }

    /// An argument of a call: an operand or the op's one attribute.
    enum Argument {
        case operand(NodeID)
        case axis(Int)
        case shape(Shape)
        case position(Int)
        /// `fn: NAME`, an integral's function.
        case integrand(String)

        /// `2 operands and a shape`, for a call that matches no op.
        static func describe(_ operands: Int, _ attribute: Argument?) -> String {
            let counted = operands == 1 ? "1 operand" : "\(operands) operands"
            switch attribute {
            case nil, .operand: return counted
            case .axis: return counted + " and an axis"
            case .shape: return counted + " and a shape"
            case .position: return counted + " and a position"
            case .integrand: return counted + " and a function"
            }
        }
    }

    /// argument = NAME | "axis" ":" integer | "fn" ":" NAME | shape | integer
    mutating func argument() throws -> Argument {
        switch peek.kind {
        case .identifier:
            let name = advance()
            if name.text == "axis", match(.colon) != nil { return .axis(try integer()) }
            if name.text == "fn", match(.colon) != nil {
                return .integrand(try expect(.identifier, "the name of the integral's function, such as 'fn: g'").text)
            }
            return .operand(try operand(name))
        case .leftBracket:
            return .shape(try shape().0)
        case .number, .minus:
            return .position(try integer())
        default:
            try fail(IRMessages.expected("an operand", found: peek))
        }
    }

    /// integer = [ "-" ] INTEGER
    mutating func integer() throws -> Int {
        let minus = match(.minus)
        let token = try expect(.number, "a whole number")
        guard IRParser.isDigits(token.text), let value = Int((minus == nil ? "" : "-") + token.text) else {
            try fail(IRMessages.invalidInteger(token.text, at: (minus?.range ?? token.range).union(token.range)))
        }
        return value
    }

    /// The node a name refers to: one defined on an earlier line.
    mutating func operand(_ name: Token) throws -> NodeID {
        if let id = names[name.text] { return id }
        if failed.contains(name.text) { throw Failure() }
        let suggestion = Suggestions.closest(to: name.text, among: names.keys)
        try fail(IRMessages.undefinedName(name.text, suggestion: suggestion, at: name.range))
    }

    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// From `token` to the last token read.
    func range(from token: Token) -> SourceRange { token.range.union(tokens[max(0, position - 1)].range) }

    /// Runs the verifier on the parsed graph; a failure, which the checks above should make
    /// impossible, becomes a diagnostic on the offending line.
    mutating func verify() {
        guard let failure = Verifier.verify(builder.graph) else { return }
        let range = failure.node.int < lines.count ? lines[failure.node.int] : nil
        diagnostics.append(IRMessages.invalidGraph(failure.problem, at: range))
    }
}

extension IRParser {
    /// The op a call denotes, from its name, operand count and attribute, or nil when they
    /// match no op. `max(a, b)` is elementwise; `max(x)` and `max(x, axis: 0)` reduce.
    static func op(_ name: String, operands count: Int, _ attribute: Argument?) -> Op? {
        switch attribute {
        case nil, .operand?:
            if count == 1, let op = unaryOps[name] { return .unary(op) }
            if count == 2, let op = binaryOps[name] { return .binary(op) }
            if count == 1, let op = reduceOps[name] { return .reduce(op, axis: nil) }
            switch name {
            case "matmul" where count == 2: return .matmul
            case "transpose" where count == 1: return .transpose
            case "stack": return .stack
            default: return nil
            }
        case .axis(let axis)?:
            guard count == 1 else { return nil }
            if name == "cumsum" { return .cumsum(axis: axis) }
            guard let op = reduceOps[name] else { return nil }
            return .reduce(op, axis: axis)
        case .shape(let shape)?:
            guard count == 1 else { return nil }
            switch name {
            case "reshape": return .reshape(shape)
            case "broadcast": return .broadcast(shape)
            case "sum_to": return .sumTo(shape)
            default: return nil
            }
        case .position(let position)?:
            return name == "index" && count == 1 ? .index(position) : nil
        case .integrand?:
            return nil  // an integral is read with its block (`integrand(named:operands:at:)`)
        }
    }

    static let unaryOps = Dictionary(uniqueKeysWithValues: UnaryOp.allCases.map { ($0.name, $0) })
    static let binaryOps = Dictionary(uniqueKeysWithValues: BinaryOp.allCases.map { ($0.name, $0) })
    static let reduceOps = Dictionary(uniqueKeysWithValues: ReduceOp.allCases.map { ($0.name, $0) })

    /// How each op is called, by name (SPEC.md 3.3), for diagnostics and suggestions.
    static let usages: [String: [String]] = {
        var usages: [String: [String]] = [
            "matmul": ["matmul(a, b)"], "transpose": ["transpose(x)"], "stack": ["stack(x, y, …)"],
            "reshape": ["reshape(x, [2, 3])"], "broadcast": ["broadcast(x, [2, 3])"], "sum_to": ["sum_to(x, [3])"],
            "index": ["index(x, 0)"], "cumsum": ["cumsum(x, axis: 0)"],
            "integral": ["integral(a, b, captures…, fn: g) { … return y }"], "param": ["param"], "input": ["input"], "constant": ["constant(1)"],
        ]
        for op in UnaryOp.allCases { usages[op.name, default: []].append("\(op.name)(x)") }
        for op in BinaryOp.allCases { usages[op.name, default: []].append("\(op.name)(a, b)") }
        for op in ReduceOp.allCases { usages[op.name, default: []] += ["\(op.name)(x)", "\(op.name)(x, axis: 0)"] }
        return usages
    }()
}
