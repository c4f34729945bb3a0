/// `textDocument/publishDiagnostics`: the compiler's diagnostics of a document as LSP
/// diagnostics. The message, the ID (as `code`) and the severity are the compiler's; the range
/// is its byte range in LSP positions (`PositionMapping`). Notes follow the message on their
/// own lines, as the terminal shows them under it, and a note with a place in the document is
/// also related information there.
///
/// A diagnostic without a range, or with one in another file (the prelude's), is placed at the
/// start of the document.
enum PublishedDiagnostics {
    static func notification(for document: DocumentStore.Document) -> JSONValue {
        var params: [(String, JSONValue)] = [("uri", .string(document.uri))]
        if let version = document.version { params.append(("version", .integer(version))) }
        params.append(("diagnostics", .array(document.analysis.diagnostics.map { json($0, in: document) })))
        return JSONRPC.notification(method: "textDocument/publishDiagnostics", params: .object(params))
    }

    /// The notification that clears a closed document's diagnostics.
    static func cleared(_ uri: String) -> JSONValue {
        JSONRPC.notification(method: "textDocument/publishDiagnostics",
                             params: .object([("uri", .string(uri)), ("diagnostics", .array([]))]))
    }

    static func json(_ diagnostic: Diagnostic, in document: DocumentStore.Document) -> JSONValue {
        let analysis = document.analysis
        let range = diagnostic.range.flatMap { $0.isIn(analysis.file) ? $0 : nil }
            ?? SourceRange(file: analysis.file, start: 0, end: 0)
        var message = diagnostic.message
        var related: [JSONValue] = []
        for note in diagnostic.notes {
            message += "\nnote: " + note.message
            if let place = note.range, place.isIn(analysis.file) {
                related.append(.object([
                    ("location", .object([("uri", .string(document.uri)), ("range", analysis.mapping.json(of: place))])),
                    ("message", .string(note.message)),
                ]))
            }
        }
        var members: [(String, JSONValue)] = [
            ("range", analysis.mapping.json(of: range)),
            ("severity", .integer(severity(diagnostic.severity))),
            ("code", .string(diagnostic.id)),
            ("source", .string("slope")),
            ("message", .string(message)),
        ]
        if !related.isEmpty { members.append(("relatedInformation", .array(related))) }
        return .object(members)
    }

    /// LSP's DiagnosticSeverity: 1 error, 2 warning, 3 information.
    static func severity(_ severity: Diagnostic.Severity) -> Int {
        switch severity {
        case .error: return 1
        case .warning: return 2
        case .note: return 3
        }
    }
}
