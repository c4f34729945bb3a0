/// A problem found in the user's program or inputs: data, rendered once at the edge.
public struct Diagnostic: Sendable, Error {
    public enum Severity: String, Sendable { case error, warning, note }

    public struct Note: Sendable {
        public let message: String
        public let range: SourceRange?
        public init(_ message: String, at range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    public var severity: Severity
    /// A stable identifier, `phase.kebab-name`, such as `syntax.unexpected-token`.
    public var id: String
    public var message: String
    public var range: SourceRange?
    public var notes: [Note]

    public init(_ severity: Severity = .error, id: String, _ message: String,
                at range: SourceRange?, notes: [Note] = []) {
        self.severity = severity
        self.id = id
        self.message = message
        self.range = range
        self.notes = notes
    }

    public func withNote(_ note: Note) -> Diagnostic {
        var copy = self
        copy.notes.append(note)
        return copy
    }

    public func withNotes(_ notes: [Note]) -> Diagnostic {
        var copy = self
        copy.notes.append(contentsOf: notes)
        return copy
    }

    public var isError: Bool { severity == .error }
}

/// The diagnostics of one compilation, in the order they were found.
public struct DiagnosticList: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}
    public mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }
    public mutating func append(contentsOf others: [Diagnostic]) { items.append(contentsOf: others) }
    public var hasErrors: Bool { items.contains { $0.isError } }
    public var errorCount: Int { items.filter(\.isError).count }
}
