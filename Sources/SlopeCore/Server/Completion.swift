/// `textDocument/completion`: what may be written at the cursor.
///
/// - After `by`: the training methods, with their settings.
/// - Inside a training method's parentheses, `gd(…)`: its settings as labels (`rate: `), and
///   inside a built-in that takes an axis, `sum(…)`: `axis: `; then the names, as below.
/// - Anywhere else: the document's names (with the parameters of the `fn` the cursor is in),
///   the prelude's functions, the built-ins (from `BuiltinFunctions`, the one list of them) and
///   the keywords.
///
/// The client filters the list by what has been typed; the word under the cursor is not part
/// of the context. Items sort the document's names first, then the prelude, the built-ins and
/// the keywords.
enum Completion {
    /// LSP's CompletionItemKind values used here.
    enum ItemKind: Int {
        case method = 2, function = 3, property = 10, variable = 6, keyword = 14
    }

    static func result(uri: String, offset: Int, documents: DocumentStore) -> JSONValue {
        guard let document = documents[uri] else { return .null }
        let analysis = document.analysis
        var items: [JSONValue] = []
        let context = Self.context(before: offset, in: analysis.file)
        switch context {
        case .method:
            for kind in TrainingMethod.Kind.allCases {
                let settings = Lowering.methodSettings[kind] ?? []
                items.append(item(kind.rawValue, .method, detail: "\(kind.rawValue)(\(settings.joined(separator: ", ")))", order: 0))
            }
            return list(items)
        case .settings(let method):
            for setting in Lowering.methodSettings[method] ?? [] {
                items.append(item(setting, .property, detail: "a setting of \(method.rawValue)", order: 0, insert: setting + ": "))
            }
        case .axis:
            items.append(item("axis", .property, detail: "the axis to work along", order: 0, insert: "axis: "))
        case .expression:
            break
        }
        var seen: Set<String> = []
        for definition in analysis.symbols.definitions where !seen.contains(definition.name) {
            if case .parameter = definition.kind {
                guard definition.statement.start <= offset, offset <= definition.statement.end else { continue }
            }
            seen.insert(definition.name)
            let kind: ItemKind = definition.kind == .function ? .function : .variable
            items.append(item(definition.name, kind, detail: Hover.signature(of: definition, shapes: analysis.shapes), order: 1))
        }
        for name in Prelude.functionNames.sorted() where !seen.contains(name) {
            seen.insert(name)
            let text = Hover.preludeStatement(name)?.range.text ?? name
            items.append(item(name, .function, detail: "(prelude) " + text, order: 2))
        }
        for function in BuiltinFunctions.all where !seen.contains(function.name) {
            seen.insert(function.name)
            items.append(item(function.name, .function, detail: "(built-in) " + function.forms.joined(separator: ", "), order: 3))
        }
        for keyword in Keyword.allCases {
            items.append(item(keyword.rawValue, .keyword, detail: "keyword", order: 4))
        }
        return list(items)
    }

    enum Context: Equatable {
        case expression
        case method
        case settings(TrainingMethod.Kind)
        case axis
    }

    /// Where `offset` is, from the tokens before it (the word being typed excluded): after
    /// `by`, or inside the innermost open `(` of a training method or of a built-in with an axis.
    static func context(before offset: Int, in file: SourceFile) -> Context {
        var tokens = Lexer.tokenize(file).tokens.filter { $0.range.end <= offset && $0.kind != .endOfFile }
        if let last = tokens.last, last.range.end == offset, last.kind == .identifier || Self.isKeyword(last.kind) {
            tokens.removeLast()
        }
        guard let last = tokens.last else { return .expression }
        if last.kind == .keyword(.by) { return .method }
        var depth = 0
        for index in tokens.indices.reversed() {
            switch tokens[index].kind {
            case .newline where depth == 0:
                return .expression
            case .rightParen:
                depth += 1
            case .leftParen:
                if depth > 0 { depth -= 1; continue }
                guard index >= 1, tokens[index - 1].kind == .identifier else { return .expression }
                let callee = tokens[index - 1].text
                if index >= 2, tokens[index - 2].kind == .keyword(.by), let method = TrainingMethod.Kind(rawValue: callee) {
                    return .settings(method)
                }
                let takesAxis = BuiltinFunctions[callee]?.forms.contains { $0.contains("axis:") } ?? false
                return takesAxis ? .axis : .expression
            default:
                continue
            }
        }
        return .expression
    }

    static func isKeyword(_ kind: Token.Kind) -> Bool {
        if case .keyword = kind { return true }
        return false
    }

    static func item(_ label: String, _ kind: ItemKind, detail: String, order: Int, insert: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("label", .string(label)), ("kind", .integer(kind.rawValue)), ("detail", .string(detail)),
            ("sortText", .string("\(order)\(label)")),
        ]
        if let insert { members.append(("insertText", .string(insert))) }
        return .object(members)
    }

    static func list(_ items: [JSONValue]) -> JSONValue {
        .object([("isIncomplete", .bool(false)), ("items", .array(items))])
    }
}
