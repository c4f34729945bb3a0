/// `textDocument/definition`: from a name to where the document defines it, a `Location` with
/// the defining name's range. A name defined elsewhere (a built-in, a prelude function) or not
/// at all has no location: the result is null, as the protocol allows.
enum Definition {
    static func result(uri: String, offset: Int, documents: DocumentStore) -> JSONValue {
        guard let document = documents[uri],
              let occurrence = document.analysis.symbols.occurrence(at: offset),
              let definition = document.analysis.symbols.definition(of: occurrence) else { return .null }
        return .object([("uri", .string(uri)), ("range", document.analysis.mapping.json(of: definition.range))])
    }
}
