import SlopeCore
import Testing

/// Source text with location markers: `1️⃣` … `9️⃣` and `🔟` stand where a diagnostic should
/// point. The markers are removed and each one's line and column remembered, counted the way
/// `SourceFile` counts them (lines and Unicode scalars from 1).
///
///     let source = MarkedSource("y = 1️⃣zz + 1")   // source.text == "y = zz + 1"
///     source["1️⃣"]                                 // (line: 1, column: 5)
public struct MarkedSource: Sendable {
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public init(line: Int, column: Int) { self.line = line; self.column = column }
        public var description: String { "\(line):\(column)" }
    }

    public static let markers: [Character] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    /// The source without its markers.
    public let text: String
    public let locations: [Character: Location]

    public init(_ marked: String) {
        var text = ""
        var locations: [Character: Location] = [:]
        var line = 1, column = 1
        for character in marked {
            if MarkedSource.markers.contains(character) {
                precondition(locations[character] == nil, "marker \(character) appears twice")
                locations[character] = Location(line: line, column: column)
                continue
            }
            text.append(character)
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        self.text = text
        self.locations = locations
    }

    public subscript(marker: Character) -> Location? { locations[marker] }

    /// The marker standing at a location, if any.
    public func marker(at location: Location) -> Character? {
        locations.first { $0.value == location }?.key
    }
}

/// One expected diagnostic: where (a marker) and what (a fragment of its message, and
/// optionally its ID).
public struct ExpectedDiagnostic: Sendable {
    public let marker: Character
    public let message: String
    public let id: String?

    public static func error(_ marker: Character, _ message: String, id: String? = nil) -> ExpectedDiagnostic {
        ExpectedDiagnostic(marker: marker, message: message, id: id)
    }
}

/// Checks diagnostics against markers: every expected diagnostic must be reported at its
/// marker with a message containing the fragment, and no other error may be reported.
public func expectDiagnostics(_ diagnostics: [Diagnostic], in source: MarkedSource, _ expected: [ExpectedDiagnostic],
                              sourceLocation: SourceLocation = #_sourceLocation) {
    var unmatched = diagnostics.filter(\.isError)
    func location(_ diagnostic: Diagnostic) -> MarkedSource.Location? {
        diagnostic.range.map { MarkedSource.Location(line: $0.line, column: $0.column) }
    }
    for expectation in expected {
        guard let place = source[expectation.marker] else {
            Issue.record("marker \(expectation.marker) is not in the source", sourceLocation: sourceLocation)
            continue
        }
        let index = unmatched.firstIndex { diagnostic in
            location(diagnostic) == place && diagnostic.message.contains(expectation.message)
                && (expectation.id == nil || diagnostic.id == expectation.id)
        }
        if let index {
            unmatched.remove(at: index)
            continue
        }
        let reported = diagnostics.filter(\.isError).map { diagnostic -> String in
            let at = location(diagnostic).map { "\($0)" } ?? "?"
            let marker = location(diagnostic).flatMap(source.marker(at:)).map { " \($0)" } ?? ""
            return "  \(at)\(marker) [\(diagnostic.id)] \(diagnostic.message)"
        }
        Issue.record("""
            expected an error at \(expectation.marker) (\(place)) containing "\(expectation.message)"\
            \(expectation.id.map { " with ID \($0)" } ?? ""); reported:
            \(reported.isEmpty ? "  nothing" : reported.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }
    for diagnostic in unmatched {
        let at = location(diagnostic).map { "\($0)" } ?? "no location"
        Issue.record("unexpected error at \(at): [\(diagnostic.id)] \(diagnostic.message)", sourceLocation: sourceLocation)
    }
}

/// Parses and lowers a marked source and checks its errors against the markers.
public func expectDiagnostics(_ marked: String, _ expected: ExpectedDiagnostic...,
                              options: LoweringOptions = LoweringOptions(),
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let source = MarkedSource(marked)
    let diagnostics = InProcess.lower(source.text, options: options).diagnostics
    expectDiagnostics(diagnostics, in: source, expected, sourceLocation: sourceLocation)
}
