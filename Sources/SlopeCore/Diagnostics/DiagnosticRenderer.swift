/// Renders diagnostics as `FILE:LINE:COL: error: MESSAGE`, then the source line, then a caret
/// under the column followed by `~` under the rest of the range on that line.
///
/// Columns count characters from 1. Tabs in the source line are copied into the caret line so
/// the caret lines up in any terminal. Very long lines are shown as a window around the column.
///
/// Nothing from the user's files reaches the terminal raw: the header (path and message) and
/// every note pass through `TextEscaping.escaped`, and in the source line each control or
/// direction-changing character is shown as `?` (one column for one, so the caret still lines up).
public enum DiagnosticRenderer {
    /// Widest slice of a source line that is printed; longer lines are cut around the caret.
    static let maximumShownWidth = 160

    public static func render(_ diagnostic: Diagnostic) -> String {
        var out = header(diagnostic.severity.rawValue, diagnostic.message, diagnostic.range)
        if let range = diagnostic.range { out += excerpt(range) }
        for note in diagnostic.notes {
            out += header("note", note.message, note.range)
            if let range = note.range { out += excerpt(range) }
        }
        return out
    }

    public static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    static func header(_ severity: String, _ message: String, _ range: SourceRange?) -> String {
        let message = TextEscaping.escaped(message)
        if let range { return "\(TextEscaping.escaped(range.location)): \(severity): \(message)\n" }
        return "slope: \(severity): \(message)\n"
    }

    /// The source line and the caret line under it.
    static func excerpt(_ range: SourceRange) -> String {
        let file = range.file
        // An empty file has no line to show (a diagnostic about an empty program is at 1:1).
        guard !file.bytes.isEmpty else { return "" }
        let lineNumber = file.line(of: range.start)
        let lineStart = file.lineStarts[lineNumber - 1]
        let lineBytes = file.lineBytes(lineNumber)
        let lineEnd = lineBytes.endIndex
        let caretOffset = min(range.start, lineEnd)
        let underlineEnd = max(caretOffset + 1, min(range.end, lineEnd))

        // Window long lines so a 1 MB line prints a readable excerpt.
        var windowStart = lineStart
        var windowEnd = lineEnd
        if lineEnd - lineStart > maximumShownWidth {
            windowStart = max(lineStart, caretOffset - maximumShownWidth / 2)
            windowEnd = min(lineEnd, windowStart + maximumShownWidth)
        }
        var sourceLine = ""
        var caretLine = ""
        var offset = windowStart
        while offset < windowEnd {
            let byte = file.bytes[offset]
            // A stray continuation byte at the caret still gets the caret, so it is never lost.
            let isLead = byte & 0xC0 != 0x80 || offset == caretOffset
            if isLead {
                let marker: Character
                if offset < caretOffset { marker = byte == UInt8(ascii: "\t") ? "\t" : " " }
                else if offset == caretOffset { marker = "^" }
                else if offset < underlineEnd { marker = "~" }
                else { marker = " " }
                caretLine.append(marker)
            }
            offset += 1
        }
        sourceLine = String(decoding: file.bytes[windowStart..<windowEnd], as: UTF8.self)
        var shown = String.UnicodeScalarView()
        for scalar in sourceLine.unicodeScalars {
            shown.append(scalar == "\t" || !TextEscaping.needsEscape(scalar) ? scalar : "?")
        }
        sourceLine = String(shown)
        if caretOffset >= windowEnd { caretLine.append("^") }
        while caretLine.last == " " { caretLine.removeLast() }
        return sourceLine + "\n" + caretLine + "\n"
    }
}
