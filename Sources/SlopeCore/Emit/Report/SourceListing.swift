/// The program's source as the report shows it: every line with its number, and under a line
/// each diagnostic that starts on it, its caret line (`^~~~` under the range, as
/// `DiagnosticRenderer` draws it: columns count characters, tabs copied so the caret lines up)
/// and its message, with the notes after it. Diagnostics about other files (a CSV cell, the
/// prelude) or about no place at all are listed after the last line, as they are printed.
public struct SourceListing: Sendable {
    public let file: SourceFile
    public let diagnostics: [Diagnostic]

    public init(file: SourceFile, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    /// The diagnostics that start on each line (by 1-based line), in order.
    var byLine: [Int: [Diagnostic]] {
        var lines: [Int: [Diagnostic]] = [:]
        for diagnostic in diagnostics {
            guard let range = diagnostic.range, range.isIn(file), !file.bytes.isEmpty else { continue }
            lines[range.line, default: []].append(diagnostic)
        }
        return lines
    }

    /// The diagnostics with no line of this file to stand under.
    var elsewhere: [Diagnostic] {
        diagnostics.filter { diagnostic in
            guard let range = diagnostic.range else { return true }
            return !range.isIn(file) || file.bytes.isEmpty
        }
    }

    /// The number of lines shown: a final line break does not start another line, unless a
    /// diagnostic points there (`expected an expression, found end of file`).
    var lineCount: Int {
        let starts = file.lineStarts.count
        let lines = starts > 1 && file.lineStarts[starts - 1] == file.bytes.count ? starts - 1 : starts
        return max(lines, byLine.keys.max() ?? 0)
    }

    /// The line's text, decoded leniently (invalid UTF-8 shows as U+FFFD).
    func text(ofLine line: Int) -> String {
        String(decoding: file.lineBytes(line), as: UTF8.self)
    }

    /// The caret line under `range` on its first line: spaces (tabs where the source has one)
    /// up to the start, `^` there and `~` under the rest of the range on that line.
    func caret(_ range: SourceRange) -> String {
        let line = range.line
        let lineEnd = file.lineBytes(line).endIndex
        let startColumn = file.column(of: range.start)
        let endColumn = range.end > range.start ? file.column(of: min(range.end, lineEnd)) : startColumn + 1
        var caret = ""
        for (index, scalar) in text(ofLine: line).unicodeScalars.enumerated() where index < startColumn - 1 {
            caret.append(scalar == "\t" ? "\t" : " ")
        }
        while caret.unicodeScalars.count < startColumn - 1 { caret.append(" ") }
        return caret + "^" + String(repeating: "~", count: max(0, endColumn - startColumn - 1))
    }
}
