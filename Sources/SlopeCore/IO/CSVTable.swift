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

    /// The most characters a cell that is a number may have, spaces around it aside.
    static let longestNumber = 399

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
    /// and line breaks (`\n`, `\r\n` or a lone `\r`), since every stored row has a separator
    /// after each of its cells but the file's last (so the memory the columns take can be
    /// admitted before parsing).
    public static func cellBound(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer(cellBound)
    }

    static func cellBound(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        guard let base = bytes.baseAddress, let last = bytes.last else { return 1 }
        // A separator is a comma, a \n, or a \r not followed by \n (a \r\n counts at its \n).
        // A byte is at most one separator, so a block of 255 bytes is counted in a UInt8, without
        // a branch on the bytes, which is several times faster than counting in an Int.
        var separators = last == comma || last == newline || last == carriageReturn ? 1 : 0
        var blockStart = 0
        while blockStart < bytes.count - 1 {
            let blockEnd = min(blockStart + 255, bytes.count - 1)
            var inBlock: UInt8 = 0
            var index = blockStart
            while index < blockEnd {
                let byte = base[index], next = base[index &+ 1]
                let loneCarriageReturn: UInt8 = (byte == carriageReturn ? 1 : 0) & (next != newline ? 1 : 0)
                inBlock &+= (byte == comma ? 1 : 0) &+ (byte == newline ? 1 : 0) &+ loneCarriageReturn
                index &+= 1
            }
            separators += Int(inBlock)
            blockStart = blockEnd
        }
        return separators + 1
    }

    /// Parses CSV bytes (see `CSVFieldReader` for the format): the first row is the header, and
    /// each later row with as many fields as the header gives one number per column.
    /// `cellBound` is `cellBound(bytes)` when the caller has counted it already.
    public static func parse(path: String, bytes: [UInt8], cellBound: Int? = nil) throws(Failure) -> CSVTable {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            try parse(path: path, buffer, cellBound: cellBound ?? Self.cellBound(buffer))
        }
    }

    static func parse(path: String, _ bytes: UnsafeBufferPointer<UInt8>, cellBound: Int) throws(Failure) -> CSVTable {
        var reader = CSVFieldReader(bytes: bytes)
        guard reader.startRow() != nil else { throw .empty }
        var header: [String] = []
        var field: CSVField
        repeat {
            field = try reader.nextField()
            header.append(reader.text(of: field).trimmingCharacters(in: .whitespaces))
        } while !field.endsRow
        let width = header.count
        var badCells = [[BadCell]](repeating: [], count: width)
        var badCellCounts = [Int](repeating: 0, count: width)
        var raggedRows: [(line: Int, found: Int)] = []
        var raggedRowCount = 0
        var rowCount = 0
        // The cells of the current row that are not numbers, counted once the row is kept.
        var rowProblems: [(column: Int, field: CSVField, outOfRange: Bool)] = []

        let block = UnsafeMutableBufferPointer<Double>.allocate(capacity: CSVColumnBuilder.blockSize(width: width))
        defer { block.deallocate() }
        // No more rows than cellBound / width can be kept, so reserving that many never
        // reserves more than the cells the caller admitted.
        var builder = CSVColumnBuilder(width: width, rowBound: cellBound / width, block: block)
        while let line = reader.startRow() {
            var column = 0
            var endsRow = false
            repeat {
                if column < width, let (value, last) = reader.nextPlainNumber() {  // most cells
                    builder.set(value, column: column)
                    endsRow = last
                } else {
                    let field = try reader.nextField()
                    if column < width {
                        switch cell(reader.bytes(of: field)) {
                        case .number(let value):
                            builder.set(value, column: column)
                        case let problem:
                            builder.set(.nan, column: column)
                            rowProblems.append((column, field, problem == .outOfRange))
                        }
                    }
                    endsRow = field.endsRow
                }
                column &+= 1
            } while !endsRow
            guard column == width else {
                if raggedRows.count < keptProblems { raggedRows.append((line, column)) }
                raggedRowCount += 1
                rowProblems.removeAll(keepingCapacity: true)
                continue
            }
            if !rowProblems.isEmpty {
                for (column, field, outOfRange) in rowProblems {
                    if badCells[column].count < keptProblems {
                        badCells[column].append(BadCell(line: line, text: reader.text(of: field), outOfRange: outOfRange))
                    }
                    badCellCounts[column] += 1
                }
                rowProblems.removeAll(keepingCapacity: true)
            }
            builder.commitRow()
            rowCount += 1
        }
        let columns = builder.finish()
        return CSVTable(path: path, header: header, rowCount: rowCount, columns: columns, badCells: badCells,
                        badCellCounts: badCellCounts, raggedRows: raggedRows, raggedRowCount: raggedRowCount)
    }

    enum Cell: Equatable {
        case number(Double)
        case notANumber
        /// Digits that name a number beyond float64's range (its magnitude over 1.8e308).
        case outOfRange
    }

    /// A field read as a number: a number only when the whole field, trimmed of spaces and tabs,
    /// is one to strtod (`DecimalParser` gives the same bits, faster) and starts as a CSV number
    /// does, with a digit, a sign, a point or the first letter of `inf` or `nan`. `inf` and `nan`
    /// written as words are numbers; digits that overflow to infinity are out of range.
    static func cell(_ field: UnsafeBufferPointer<UInt8>) -> Cell {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var lower = 0, upper = field.count
        while lower < upper, field[lower] == space || field[lower] == tab { lower += 1 }
        while upper > lower, field[upper - 1] == space || field[upper - 1] == tab { upper -= 1 }
        let length = upper - lower
        guard length > 0, length <= longestNumber else { return .notANumber }
        let text = UnsafeBufferPointer(rebasing: field[lower..<upper])
        let first = text[0]
        let isSign = first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        let startsNumber = isSign || first == UInt8(ascii: ".") || Self.isDigit(first)
        let startsWord = first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n")
        guard startsNumber || startsWord else { return .notANumber }
        guard let value = DecimalParser.parse(text) else { return .notANumber }
        if value.isInfinite {
            // A digit or '.' after the sign is a written-out number, not the word "inf".
            let afterSign = isSign ? (length > 1 ? text[1] : 0) : first
            if Self.isDigit(afterSign) || afterSign == UInt8(ascii: ".") { return .outOfRange }
        }
        return .number(value)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Where a column is in the header, or nil when the file has no such column.
    public func index(of column: String) -> Int? { header.firstIndex(of: column) }
}
