/// The documents the client has open, by URI: their text as the client last sent it, its
/// version, its analysis, and the values hover shows (computed on the first hover after a
/// change, then kept until the next one).
public struct DocumentStore: Sendable {
    public struct Document: Sendable {
        public let uri: String
        public let version: Int?
        public let text: String
        public let analysis: DocumentAnalysis
        public internal(set) var values: ValueTable?

        init(uri: String, version: Int?, text: String) {
            self.uri = uri
            self.version = version
            self.text = text
            let (path, folder) = DocumentAnalysis.location(of: uri)
            analysis = DocumentAnalysis(path: path, text: text, baseDirectory: folder)
        }
    }

    var documents: [String: Document] = [:]

    public init() {}

    public subscript(uri: String) -> Document? { documents[uri] }

    public mutating func open(_ uri: String, version: Int?, text: String) {
        documents[uri] = Document(uri: uri, version: version, text: text)
    }

    /// Applies `textDocument/didChange` content changes in order: one without a range replaces
    /// the whole text (the full sync the server asks for); one with a range replaces that range.
    public mutating func change(_ uri: String, version: Int?, changes: [JSONValue]) throws(JSONRPC.Failure) {
        guard let document = documents[uri] else {
            throw JSONRPC.Failure(.invalidParams, "'\(uri)' is not open")
        }
        var text = document.text
        for change in changes {
            guard let replacement = change["text"]?.string else {
                throw JSONRPC.Failure(.invalidParams, "a content change without text")
            }
            guard let range = change["range"] else {
                text = replacement
                continue
            }
            guard let start = range["start"], let end = range["end"],
                  let from = Self.utf16Offset(start, in: text), let to = Self.utf16Offset(end, in: text) else {
                throw JSONRPC.Failure(.invalidParams, "a content change with a range that is not two positions")
            }
            var units = Array(text.utf16)
            units.replaceSubrange(min(from, to)..<max(from, to), with: Array(replacement.utf16))
            text = String(decoding: units, as: UTF16.self)
        }
        documents[uri] = Document(uri: uri, version: version, text: text)
    }

    public mutating func close(_ uri: String) {
        documents[uri] = nil
    }

    /// The values of a document's names, evaluated on first use.
    public mutating func values(of uri: String) -> ValueTable? {
        guard var document = documents[uri] else { return nil }
        if let values = document.values { return values }
        let values = ValueTable(document.analysis.program)
        document.values = values
        documents[uri] = document
        return values
    }

    /// The offset in UTF-16 units of an LSP position in `text`, counted as the client counts
    /// (lines end at `\n`; a character past a line's end is its end).
    static func utf16Offset(_ position: JSONValue, in text: String) -> Int? {
        guard let line = position["line"]?.integer, let character = position["character"]?.integer,
              line >= 0, character >= 0 else { return nil }
        let units = Array(text.utf16)
        var lineStart = 0
        var current = 0
        while current < line {
            guard let newline = units[lineStart...].firstIndex(of: 10) else { return units.count }
            lineStart = newline + 1
            current += 1
        }
        let lineEnd = units[lineStart...].firstIndex(of: 10) ?? units.count
        return min(lineStart + character, lineEnd)
    }
}
