import Foundation

/// A CSV file read for `csv(...)`: a header row of column names, then rows of numbers.
///
/// Every column is parsed to float64 in one pass over the bytes. A cell that is not a number is
/// remembered (its line and text) rather than rejected at once, so a text column that the
/// program never asks for is harmless; asking for it reports its bad cells. A row with the
/// wrong number of fields is remembered too, and parsing goes on, so one reading of the file
/// finds all of its problems: the first `keptProblems` of each kind, and how many there are.
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    /// The rows with as many fields as the header.
    public let rowCount: Int
    /// Column-major values; `columns[c][r]`.
    public let columns: [[Double]]
    /// The first `keptProblems` cells of each column that are not numbers, and how many there are.
    public let badCells: [[BadCell]]
    public let badCellCounts: [Int]
    /// The first `keptProblems` rows whose field count differs from the header's, and how many.
    public let raggedRows: [(line: Int, found: Int)]
    public let raggedRowCount: Int

    /// How many problems of each kind (per column for bad cells) are kept for the message.
    public static let keptProblems = 5

    /// A cell that is not a float64: its 1-based file line, its text, and whether it is a number
    /// too large for a float64 (`1e400`, which strtod would make infinite) rather than no number.
    public struct BadCell: Sendable {
        public let line: Int
        public let text: String
        public let outOfRange: Bool
    }

    public enum Failure: Error, Sendable {
        case unreadable(String)
        case empty
        case unterminatedQuote(line: Int)
    }

    /// Reads and parses a file.
    public static func load(path: String) throws(Failure) -> CSVTable {
        try parse(path: path, bytes: read(path: path))
    }

    /// A file's bytes.
    public static func read(path: String) throws(Failure) -> [UInt8] {
        switch FileInput.read(path) {
        case .success(let bytes): return bytes
        case .failure(.missing): throw .unreadable("does not exist")
        case .failure(.directory): throw .unreadable("is a directory")
        case .failure: throw .unreadable("cannot be read")
        }
    }

    /// At least as many cells as `parse` will store for these bytes: one more than the commas
    /// and line breaks (so the memory the columns take can be admitted before parsing).
    public static func cellBound(_ bytes: [UInt8]) -> Int {
        var separators = 0
        for byte in bytes where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { separators += 1 }
        return separators + 1
    }

    /// Parses CSV bytes: fields separated by commas, rows by `\n`, `\r\n` or a lone `\r` (as old
    /// Mac spreadsheets write), fields optionally in double quotes with `""` for a quote. Blank
    /// lines are skipped.
    public static func parse(path: String, bytes: [UInt8]) throws(Failure) -> CSVTable {
        var reader = FieldReader(bytes: bytes)
        var header: [String] = []
        var columns: [[Double]] = []
        var badCells: [[BadCell]] = []
        var badCellCounts: [Int] = []
        var raggedRows: [(line: Int, found: Int)] = []
        var raggedRowCount = 0
        var rowCount = 0
        var cell = [CChar](repeating: 0, count: 64)
        var fields: [Range<Int>] = []
        var quoted: [Bool] = []

        while let line = try reader.nextRow(into: &fields, quoted: &quoted) {
            if header.isEmpty {
                header = fields.enumerated().map { index, range in
                    let text = reader.text(range, quoted: quoted[index])
                    return text.trimmingCharacters(in: .whitespaces)
                }
                columns = Array(repeating: [], count: header.count)
                badCells = Array(repeating: [], count: header.count)
                badCellCounts = Array(repeating: 0, count: header.count)
                continue
            }
            guard fields.count == header.count else {
                if raggedRows.count < keptProblems { raggedRows.append((line, fields.count)) }
                raggedRowCount += 1
                continue
            }
            for column in 0..<fields.count {  // an index loop: this runs once per cell
                let range = fields[column]
                var value = Double.nan
                switch parseNumber(bytes, range, &cell) {
                case .number(let parsed):
                    value = parsed
                case let problem:
                    if badCells[column].count < keptProblems {
                        badCells[column].append(BadCell(line: line, text: reader.text(range, quoted: quoted[column]),
                                                        outOfRange: problem == .outOfRange))
                    }
                    badCellCounts[column] += 1
                }
                columns[column].append(value)
            }
            rowCount += 1
        }
        guard !header.isEmpty else { throw .empty }
        return CSVTable(path: path, header: header, rowCount: rowCount, columns: columns, badCells: badCells,
                        badCellCounts: badCellCounts, raggedRows: raggedRows, raggedRowCount: raggedRowCount)
    }

    enum Cell: Equatable {
        case number(Double)
        case notANumber
        /// Digits that name a number beyond float64's range (its magnitude over 1.8e308).
        case outOfRange
    }

    /// strtod on the trimmed cell: a number only when the whole cell is one. `inf` and `nan`
    /// written as words are numbers; digits that overflow to infinity are out of range.
    static func parseNumber(_ bytes: [UInt8], _ range: Range<Int>, _ buffer: inout [CChar]) -> Cell {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, bytes[lower] == 32 || bytes[lower] == 9 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 32 || bytes[upper - 1] == 9 { upper -= 1 }
        let length = upper - lower
        guard length > 0, length < 400 else { return .notANumber }
        // Reject what strtod would accept but a CSV number is not: hex, "nan(...)", leading '+' is fine.
        let first = bytes[lower]
        guard (first >= 48 && first <= 57) || first == 45 || first == 43 || first == 46
            || first == 110 || first == 78 || first == 105 || first == 73 else { return .notANumber }
        if buffer.count < length + 1 { buffer = [CChar](repeating: 0, count: length + 1) }
        for index in 0..<length { buffer[index] = CChar(bitPattern: bytes[lower + index]) }
        buffer[length] = 0
        let value = buffer.withUnsafeBufferPointer { pointer -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(pointer.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: pointer.baseAddress!) == length else { return nil }
            return value
        }
        guard let value else { return .notANumber }
        if value.isInfinite {
            // A sign, then a digit or '.', is a written-out number, not the word "inf".
            let digit = first == 45 || first == 43 ? (length > 1 ? bytes[lower + 1] : 0) : first
            if (digit >= 48 && digit <= 57) || digit == 46 { return .outOfRange }
        }
        return .number(value)
    }

    /// The values of the named columns; nil names mean every column.
    public func index(of column: String) -> Int? { header.firstIndex(of: column) }
}

/// Splits CSV bytes into rows of field ranges without copying.
struct FieldReader {
    let bytes: [UInt8]
    var offset = 0
    var line = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // Skip a UTF-8 byte-order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// Reads the next non-blank row; returns its 1-based line number, or nil at the end.
    mutating func nextRow(into fields: inout [Range<Int>], quoted: inout [Bool]) throws(CSVTable.Failure) -> Int? {
        while offset < bytes.count {
            line += 1
            let rowLine = line
            fields.removeAll(keepingCapacity: true)
            quoted.removeAll(keepingCapacity: true)
            var fieldStart = offset
            var isQuoted = false
            var blank = true
            while true {
                if offset >= bytes.count || bytes[offset] == 10 || bytes[offset] == 13 {
                    let end = offset
                    if end > fieldStart || !fields.isEmpty { blank = false }
                    fields.append(fieldStart..<end)
                    quoted.append(isQuoted)
                    skipLineEnd()
                    break
                }
                let byte = bytes[offset]
                if byte == 34 && offset == fieldStart {
                    // A quoted field: up to the closing quote ("" is a literal quote).
                    isQuoted = true
                    offset += 1
                    let contentStart = offset
                    while true {
                        guard offset < bytes.count else { throw .unterminatedQuote(line: rowLine) }
                        if bytes[offset] == 10 || (bytes[offset] == 13 && (offset + 1 == bytes.count || bytes[offset + 1] != 10)) {
                            line += 1
                        }
                        if bytes[offset] == 34 {
                            if offset + 1 < bytes.count && bytes[offset + 1] == 34 { offset += 2; continue }
                            break
                        }
                        offset += 1
                    }
                    fieldStart = contentStart
                    let contentEnd = offset
                    offset += 1
                    // Anything between the closing quote and the comma is ignored.
                    while offset < bytes.count && bytes[offset] != 44 && bytes[offset] != 10 && bytes[offset] != 13 { offset += 1 }
                    blank = false
                    fields.append(fieldStart..<contentEnd)
                    quoted.append(true)
                    if offset < bytes.count && bytes[offset] == 44 {
                        offset += 1
                        fieldStart = offset
                        isQuoted = false
                        continue
                    }
                    skipLineEnd()
                    break
                }
                if byte == 44 {
                    fields.append(fieldStart..<offset)
                    quoted.append(isQuoted)
                    blank = false
                    offset += 1
                    fieldStart = offset
                    isQuoted = false
                    continue
                }
                if byte != 32 && byte != 9 { blank = false }
                offset += 1
            }
            if !blank { return rowLine }
        }
        return nil
    }

    /// Steps over the line end at `offset`: `\n`, `\r\n` or `\r` (nothing at the end of the bytes).
    mutating func skipLineEnd() {
        guard offset < bytes.count else { return }
        if bytes[offset] == 13, offset + 1 < bytes.count, bytes[offset + 1] == 10 { offset += 1 }
        offset += 1
    }

    func text(_ range: Range<Int>, quoted: Bool) -> String {
        let text = String(decoding: bytes[range], as: UTF8.self)
        return quoted ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }
}
