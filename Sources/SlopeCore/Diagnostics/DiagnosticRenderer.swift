/// Renders diagnostics as `FILE:LINE:COL: error: MESSAGE`, then the source line, then a caret
/// under the column followed by `~` under the rest of the range on that line.
///
/// Columns count characters from 1. Tabs in the source line are copied into the caret line so
/// the caret lines up in any terminal. Very long lines are shown as a window around the column.
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
        if let range { return "\(range.location): \(severity): \(message)\n" }
        return "slope: \(severity): \(message)\n"
    }

    /// The source line and the caret line under it.
    static func excerpt(_ range: SourceRange) -> String {
        let file = range.file
        guard !file.bytes.isEmpty || range.start == 0 else { return "" }
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
            let isLead = byte & 0xC0 != 0x80
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
        sourceLine = String(sourceLine.map { $0.isASCII && !$0.isPrintableASCII ? "?" : $0 })
        if caretOffset >= windowEnd { caretLine.append("^") }
        while caretLine.last == " " { caretLine.removeLast() }
        return sourceLine + "\n" + caretLine + "\n"
    }
}

extension Character {
    var isPrintableASCII: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii == 9 || (ascii >= 32 && ascii < 127)
    }
}
