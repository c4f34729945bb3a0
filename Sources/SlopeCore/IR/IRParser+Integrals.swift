/// Reading an integral's block: the integrand's body, a graph of its own written between `{`
/// and `}` after the call (SPEC.md 3.3).
///
///     I: [] = integral(zero, one, w, fn: g) {
///         t: [] = input
///         w: [] = input
///         t2: [] = mul(w, t)
///         return t2
///     }
///
/// The body has its own names. Its leaves are inputs: the first is the variable (a scalar), the
/// others the captures, bound in order to the operands after the bounds.
extension IRParser {
    /// How deeply integrals' blocks may nest, so a text of nested blocks cannot overflow the
    /// stack (lowering nests them no deeper than `fn` calls, 64).
    public static let maximumBlockNesting = 64

    /// The parser's per-graph state, set aside while a block's body is read.
    struct Scope {
        var builder: GraphBuilder
        var names: [String: NodeID]
        var definitions: [String: SourceRange]
        var failed: Set<String>
        var leaves: [String: SourceRange]
        var lines: [SourceRange]
    }

    var scope: Scope {
        get { Scope(builder: builder, names: names, definitions: definitions, failed: failed, leaves: leaves, lines: lines) }
        set {
            builder = newValue.builder
            names = newValue.names
            definitions = newValue.definitions
            failed = newValue.failed
            leaves = newValue.leaves
            lines = newValue.lines
        }
    }

    /// block = "{" NEWLINE { [ node ] NEWLINE } "return" NAME NEWLINE { NEWLINE } "}"
    ///
    /// The integrand of an integral with `operands` operands (a, b and the captures) whose
    /// function is called `function`. Errors inside the block are reported line by line, as at
    /// the top level; the integral then fails once the block is read to its `}`.
    mutating func integrand(named function: String, operands: Int, at callRange: SourceRange) throws -> Integrand {
        guard peek.kind == .leftBrace else { try fail(IRMessages.expected("'{' and the body of the integrand '\(function)'", found: peek)) }
        // Refused before the brace is read, so recovery skips the whole block.
        guard blockDepth < IRParser.maximumBlockNesting else {
            try fail(IRMessages.blocksTooDeep(limit: IRParser.maximumBlockNesting, at: peek.range))
        }
        let open = advance()
        if peek.kind != .newline { try fail(IRMessages.expected("end of line after '{'", found: peek)) }
        let outer = scope
        scope = Scope(builder: GraphBuilder(hashConsing: false), names: [:], definitions: [:], failed: [], leaves: [:], lines: [])
        blockDepth += 1
        let errorsBefore = diagnostics.count
        let result = blockBody(function, opening: open)
        blockDepth -= 1
        let body = builder.finish()
        let bodyLines = lines
        scope = outer
        guard let result, diagnostics.count == errorsBefore else { throw Failure() }

        // The leaves, in order: the variable, then the captures.
        var leafNodes: [NodeID] = []
        for id in body.ids {
            guard case .leaf(let kind, _) = body[id].op else { continue }
            if kind != .input { try fail(IRMessages.integrandParam(function, at: bodyLines[id.int])) }
            leafNodes.append(id)
        }
        guard let variable = leafNodes.first, body[variable].shape.isScalar else {
            try fail(IRMessages.integrandVariable(function, at: leafNodes.first.map { bodyLines[$0.int] } ?? open.range))
        }
        guard leafNodes.count - 1 == operands - 2 else {
            try fail(IRMessages.integrandCaptures(function, leaves: leafNodes.count - 1, operands: operands - 2, at: callRange))
        }
        var graph = body
        graph.outputs = [Output(name: function, node: result)]
        func leafName(_ id: NodeID) -> String { body[id].op.leaf!.name }
        return Integrand(body: graph, variable: leafName(variable), captures: leafNodes.dropFirst().map(leafName), name: function)
    }

    /// The lines of a block up to and including its `}`; the result the `return` names, or nil
    /// (with a diagnostic) when there is none or it is not the last line.
    mutating func blockBody(_ function: String, opening open: Token) -> NodeID? {
        var result: NodeID?
        var returned: Token?
        while true {
            if match(.newline) != nil { continue }
            if match(.rightBrace) != nil { break }
            if peek.kind == .endOfFile {
                diagnostics.append(IRMessages.unclosedBlock(function, at: open.range))
                return nil
            }
            if diagnostics.count - lexerDiagnosticCount >= IRParser.maximumErrors {
                while peek.kind != .endOfFile { advance() }
                return nil
            }
            let before = position
            if let misplaced = returned {
                diagnostics.append(IRMessages.returnNotLast(function, at: misplaced.range))
                returned = nil
            }
            if peek.kind == .identifier, peek.text == "return", tokens[min(position + 1, tokens.count - 1)].kind == .identifier {
                let keyword = advance()
                let name = advance()
                returned = keyword
                do {
                    result = try operand(name)
                    if peek.kind != .newline && peek.kind != .rightBrace {
                        try fail(IRMessages.expected("end of line after 'return \(name.text)'", found: peek))
                    }
                } catch {
                    skipLine()
                }
            } else {
                nodeLine()
            }
            if position == before && peek.kind != .endOfFile { advance() }
        }
        if returned == nil && result == nil { diagnostics.append(IRMessages.missingReturn(function, at: open.range)) }
        // (A `return` of a name whose line failed was reported there.)
        return returned == nil ? nil : result
    }
}
