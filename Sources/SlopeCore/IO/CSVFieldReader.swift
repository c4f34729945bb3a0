/// One field of a CSV row: where its text lies in the file's bytes (inside the quotes for a
/// quoted field, whose `""` stand for `"`), and whether the row ends after it.
struct CSVField {
    var range: Range<Int>
    var quoted: Bool
    var endsRow: Bool
}

/// Splits CSV bytes into rows of fields without copying them: fields separated by commas, rows
/// by `\n`, `\r\n` or a lone `\r` (as old Mac spreadsheets write), each counted as one line;
/// a field that starts with `"` runs to the closing quote, across commas and line breaks.
/// Empty lines are skipped. A UTF-8 byte-order mark at the start is skipped.
///
/// Rows are read a field at a time (`startRow`, then fields until one ends the row), so the
/// caller keeps only what it needs of each. Most fields of a data file are short plain
/// decimals, and `nextPlainNumber` reads one as it splits it (`DecimalParser.fastPrefix`),
/// so none of its bytes is read twice; `nextField` reads any field.
///
/// The bytes are borrowed: a reader lives inside the caller's `withUnsafeBufferPointer`.
struct CSVFieldReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// The 1-based number of the last line reached.
    var line = 0
    /// The line where the current row starts.
    var rowLine = 0

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// Moves past empty lines to the next row: its 1-based line number, or nil at the end.
    mutating func startRow() -> Int? {
        while offset < bytes.count, Self.isLineEnd(bytes[offset]) {
            line += 1
            skipLineEnd()
        }
        guard offset < bytes.count else { return nil }
        line += 1
        rowLine = line
        return rowLine
    }

    /// The next field of the row, when all of it is one plain decimal that DecimalParser's
    /// fast path reads exactly: its value, and whether the row ends after it. Nil for any other
    /// field, with the reader where it was, for `nextField` to read.
    mutating func nextPlainNumber() -> (value: Double, endsRow: Bool)? {
        guard let (value, end) = DecimalParser.fastPrefix(of: bytes, from: offset),
              end &- offset <= CSVTable.longestNumber else { return nil }
        if end == bytes.count || Self.isLineEnd(bytes[end]) {
            offset = end
            skipLineEnd()
            return (value, true)
        }
        guard bytes[end] == Self.comma else { return nil }
        offset = end &+ 1
        return (value, false)
    }

    /// The next field of the row that `startRow` began. After the row's last field (the one
    /// with `endsRow`), the reader stands at the start of the next line.
    mutating func nextField() throws(CSVTable.Failure) -> CSVField {
        var field: CSVField
        if offset < bytes.count, bytes[offset] == Self.quote {
            field = try quotedField()
        } else {
            let start = offset
            offset = fieldEnd(from: offset)
            field = CSVField(range: start..<offset, quoted: false, endsRow: false)
        }
        if offset < bytes.count, bytes[offset] == Self.comma {
            offset &+= 1
        } else {
            skipLineEnd()
            field.endsRow = true
        }
        return field
    }

    /// The quoted field at `offset`, up to its closing quote (`""` is a literal quote); anything
    /// between the closing quote and the next comma or line end is ignored. Line breaks inside
    /// count as lines.
    mutating func quotedField() throws(CSVTable.Failure) -> CSVField {
        offset += 1
        let contentStart = offset
        while true {
            guard offset < bytes.count else { throw .unterminatedQuote(line: rowLine) }
            let byte = bytes[offset]
            if byte == Self.newline
                || (byte == Self.carriageReturn && (offset + 1 == bytes.count || bytes[offset + 1] != Self.newline)) {
                line += 1
            }
            if byte == Self.quote {
                if offset + 1 < bytes.count && bytes[offset + 1] == Self.quote { offset += 2; continue }
                break
            }
            offset += 1
        }
        let contentEnd = offset
        offset = fieldEnd(from: offset + 1)
        return CSVField(range: contentStart..<contentEnd, quoted: true, endsRow: false)
    }

    /// The index of the first comma or line break at or after `start`, or the end of the bytes.
    func fieldEnd(from start: Int) -> Int {
        var index = start
        while index < bytes.count, !Self.endsField(bytes[index]) { index &+= 1 }
        return index
    }

    /// Steps over the line end at `offset`: `\n`, `\r\n` or `\r` (nothing at the end of the bytes).
    mutating func skipLineEnd() {
        guard offset < bytes.count else { return }
        if bytes[offset] == Self.carriageReturn, offset + 1 < bytes.count, bytes[offset + 1] == Self.newline { offset += 1 }
        offset += 1
    }

    static func isLineEnd(_ byte: UInt8) -> Bool { byte == newline || byte == carriageReturn }

    static func endsField(_ byte: UInt8) -> Bool { byte == comma || byte == newline || byte == carriageReturn }

    /// A field's bytes.
    func bytes(of field: CSVField) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[field.range])
    }

    /// A field's text as written, with a quoted field's `""` read as `"`.
    func text(of field: CSVField) -> String {
        let text = String(decoding: bytes(of: field), as: UTF8.self)
        return field.quoted ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }
}
