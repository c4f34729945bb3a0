import Foundation

/// `textDocument/hover`: what a name is, as Markdown. The first line, in a `graph` code block,
/// is the name's kind and shape: `(param) W: [2, 3]`, `(value) loss: scalar`, `(fn) f(x, y)`,
/// `(parameter of f) x`, `(prelude fn) mse(pred, y)`, `(built-in) max`. Then the value, for a
/// global of a program without errors (`ValueTable`): small tensors written out, larger ones
/// as their range and mean. Then the comment lines written just above the definition.
enum Hover {
    /// Tensors with at most this many elements are written out; larger ones are summarised.
    static let writtenElements = 64

    /// The hover result at `offset` of the document at `uri`, or null when no name is there.
    static func result(uri: String, offset: Int, documents: inout DocumentStore) -> JSONValue {
        guard let document = documents[uri], let occurrence = document.analysis.symbols.occurrence(at: offset) else {
            return .null
        }
        let analysis = document.analysis
        var sections: [String] = []
        switch occurrence.target {
        case .definition(let index):
            let definition = analysis.symbols.definitions[index]
            sections.append(codeBlock(signature(of: definition, shapes: analysis.shapes)))
            switch definition.kind {
            case .param, .input, .value:
                if let values = documents.values(of: uri) { sections.append(valueLine(definition.name, values)) }
            case .function, .parameter:
                break
            }
            if !definition.kind.isFunctionParameter, let comment = comment(above: definition.statement) {
                sections.append(comment)
            }
        case .prelude(let name):
            guard let statement = preludeStatement(name) else { return .null }
            sections.append(codeBlock("(prelude fn) " + statement.range.text))
            if let comment = comment(above: statement.range) { sections.append(comment) }
        case .builtin(let name):
            let forms = BuiltinFunctions[name]?.forms ?? [name]
            sections.append(codeBlock("(built-in) " + forms.joined(separator: "\n")))
        case .unresolved:
            sections.append(codeBlock("\(occurrence.name): not defined"))
        }
        return .object([
            ("contents", .object([("kind", .string("markdown")), ("value", .string(sections.joined(separator: "\n\n")))])),
            ("range", analysis.mapping.json(of: occurrence.range)),
        ])
    }

    /// `(param) W: [2, 3]`, `(fn) f(x, y)`, `(parameter of f) x`.
    static func signature(of definition: SymbolIndex.Definition, shapes: [String: Shape]) -> String {
        let shape = shapes[definition.name].map { ": " + shapeText($0) } ?? ""
        switch definition.kind {
        case .param: return "(param) \(definition.name)\(shape)"
        case .input: return "(input) \(definition.name)\(shape)"
        case .value: return "(value) \(definition.name)\(shape)"
        case .function: return "(fn) \(definition.name)(\(definition.parameters.joined(separator: ", ")))"
        case .parameter(let function): return "(parameter of \(function)) \(definition.name)"
        }
    }

    static func shapeText(_ shape: Shape) -> String { shape.isScalar ? "scalar" : shape.description }

    /// `value: 13`, `value before training: [0.1, 0.2]`, or why there is none.
    static func valueLine(_ name: String, _ values: ValueTable) -> String {
        let label = values.trained.contains(name) ? "value before training" : "value"
        switch values.contents {
        case .skipped(let reason):
            return "\(label) not shown: \(reason)"
        case .values:
            guard let value = values.value(of: name) else { return "\(label) not shown: '\(name)' has none" }
            return "\(label): " + summary(value)
        }
    }

    /// A small tensor written out; a larger one as `1000 values from -2.1 to 3.4, mean 0.02`.
    static func summary(_ tensor: Tensor) -> String {
        if tensor.shape.count <= writtenElements { return "`" + ValueFormatter.literal(tensor) + "`" }
        var low = Double.infinity, high = -Double.infinity, sum = 0.0, nonFinite = 0
        for value in tensor.values {
            guard value.isFinite else { nonFinite += 1; continue }
            low = Swift.min(low, value)
            high = Swift.max(high, value)
            sum += value
        }
        let finite = tensor.values.count - nonFinite
        guard finite > 0 else { return "\(tensor.values.count) values, none finite" }
        var text = "\(tensor.values.count) values from `\(ValueFormatter.number(low))` to `\(ValueFormatter.number(high))`, "
            + "mean `\(ValueFormatter.number(sum / Double(finite)))`"
        if nonFinite > 0 { text += ", and \(nonFinite) nan or infinite" }
        return text
    }

    static func codeBlock(_ text: String) -> String { "```graph\n" + text + "\n```" }

    /// The prelude's definition of a function.
    static func preludeStatement(_ name: String) -> Statement? {
        Prelude.ast.statements.first { statement in
            if case .function(name, _, _, _) = statement.kind { return true }
            return false
        }
    }

    /// The comment lines just above a statement, without their `#`: what the prelude and the
    /// examples write about a definition.
    static func comment(above statement: SourceRange) -> String? {
        let file = statement.file
        var line = file.line(of: statement.start) - 1
        var lines: [String] = []
        while line >= 1 {
            let text = String(decoding: file.lineBytes(line), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("#") else { break }
            lines.insert(String(text.dropFirst()).trimmingCharacters(in: .whitespaces), at: 0)
            line -= 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
