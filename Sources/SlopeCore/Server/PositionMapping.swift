/// Between the byte offsets of a `SourceFile` and LSP positions.
///
/// An LSP position is a 0-based line and a 0-based character offset counted in UTF-16 code
/// units (the protocol's default and only mandatory encoding; the server announces
/// `positionEncoding: "utf-16"`). Slope's own columns count Unicode scalars from 1
/// (`SourceFile.column(of:)`), so they differ for anything outside ASCII: `é` is one column
/// and one UTF-16 unit but two bytes, and an emoji is one column but two UTF-16 units. Lines
/// agree: both end at `\n`, and a `\r` before it is the end of the line's text.
///
/// A byte-order mark at the start of the text is a character to the editor but not to
/// `SourceFile`, which drops it; `hasByteOrderMark` puts it back on line 0.
public struct PositionMapping: Sendable {
    public let file: SourceFile
    public let hasByteOrderMark: Bool

    public init(file: SourceFile, hasByteOrderMark: Bool = false) {
        self.file = file
        self.hasByteOrderMark = hasByteOrderMark
    }

    /// The LSP position of a byte offset.
    public func position(of offset: Int) -> (line: Int, character: Int) {
        let clamped = max(0, min(offset, file.bytes.count))
        let line = file.line(of: clamped) - 1
        let start = file.lineStarts[line]
        let units = String(decoding: file.bytes[start..<clamped], as: UTF8.self).utf16.count
        return (line, units + (line == 0 && hasByteOrderMark ? 1 : 0))
    }

    /// The byte offset of an LSP position. A line past the end is the end of the file; a
    /// character past the end of its line is the end of the line's text; a character inside a
    /// surrogate pair is the start of that character.
    public func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < file.lineStarts.count else { return file.bytes.count }
        var remaining = character - (line == 0 && hasByteOrderMark ? 1 : 0)
        let text = file.lineBytes(line + 1)
        var offset = text.startIndex
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            let units = scalar.utf16.count
            guard remaining >= units else { break }
            remaining -= units
            offset += scalar.utf8.count
        }
        return min(offset, text.endIndex)
    }

    /// `{"line": L, "character": C}`.
    public func json(of offset: Int) -> JSONValue {
        let (line, character) = position(of: offset)
        return .object([("line", .integer(line)), ("character", .integer(character))])
    }

    /// `{"start": …, "end": …}` for a range of this file.
    public func json(of range: SourceRange) -> JSONValue {
        .object([("start", json(of: range.start)), ("end", json(of: range.end))])
    }

    /// The byte offset of a JSON position, `{"line": L, "character": C}`; nil when it is not one.
    public func offset(of position: JSONValue?) -> Int? {
        guard let line = position?["line"]?.integer, let character = position?["character"]?.integer else { return nil }
        return offset(line: line, character: character)
    }
}
