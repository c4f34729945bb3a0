import Foundation
import Testing
@testable import SlopeCore

/// CSVTable.parse: line ends, and the problems it records while reading on.

private func table(_ text: String) throws -> CSVTable {
    try CSVTable.parse(path: "t.csv", bytes: Array(text.utf8))
}

@Test(arguments: ["a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n", "a,b\r1,2\r3,4\r", "a,b\r1,2\r\r\n3,4"])
func everyLineEndReadsTheSame(_ text: String) throws {
    let parsed = try table(text)
    #expect(parsed.header == ["a", "b"])
    #expect(parsed.rowCount == 2)
    #expect(parsed.columns == [[1, 3], [2, 4]])
}

@Test func lineNumbersCountCROnlyLineEndsInsideAndOutsideQuotes() throws {
    // Line 1 header, lines 2–3 one quoted row spanning a CR, line 4 the bad cell.
    let parsed = try table("a,b\r1,\"x\ry\"\r2,oops\r")
    #expect(parsed.badCells[1].map(\.line) == [2, 4])
    #expect(parsed.badCells[1].first?.text == "x\ry")
}

@Test func raggedRowsAreRecordedAndParsingGoesOnToTheBadCellsAfterThem() throws {
    // A short row on line 3 used to stop the reading there, hiding the bad cell on line 4.
    let parsed = try table("a,b\n1,2\n3\n4,x\n5,6,7\n")
    #expect(parsed.raggedRows.map(\.line) == [3, 5])
    #expect(parsed.raggedRows.map(\.found) == [1, 3])
    #expect(parsed.raggedRowCount == 2)
    #expect(parsed.rowCount == 2)
    #expect(parsed.badCells[1].map(\.line) == [4])
}

@Test func theFirstFewProblemsAreKeptAndAllAreCounted() throws {
    let rows = (0..<20).map { "\($0),x\($0)" }.joined(separator: "\n")
    let parsed = try table("a,b\n" + rows + "\n")
    #expect(parsed.badCells[1].count == CSVTable.keptProblems)
    #expect(parsed.badCellCounts == [0, 20])
}

@Test func digitsBeyondFloat64AreOutOfRangeWhileTheWordsInfAndNanAreNumbers() throws {
    // 1e400 and -1e309 overflow to ±inf; 1e-400 underflows to 0, the nearest float64.
    let parsed = try table("a\n1e400\n-1e309\ninf\n-Infinity\nnan\n1e-400\n")
    #expect(parsed.badCells[0].map(\.text) == ["1e400", "-1e309"])
    #expect(parsed.badCells[0].allSatisfy { $0.outOfRange })
    #expect(parsed.columns[0][2] == .infinity && parsed.columns[0][3] == -.infinity && parsed.columns[0][4].isNaN)
    #expect(parsed.columns[0][5] == 0)
}

@Test(arguments: [("a\r1\r2\r3", 4), ("a\r\n1\r\n2\r\n", 4), ("a,b\n1,2\n", 5), ("", 1), ("a", 1), ("a\r", 2)])
func theCellBoundCountsCommasAndEachLineBreakOnce(_ text: String, _ bound: Int) {
    // One more than the commas and line breaks; a \r\n is one line break, and so is a lone \r.
    #expect(CSVTable.cellBound(Array(text.utf8)) == bound)
}

/// A seeded table of cells of every kind the reader meets: plain and long decimals, numbers
/// with spaces around them or in quotes, the words inf and nan, digits beyond float64's range,
/// text and empty cells; some rows short or long, lines ending in \n, \r\n or \r.
private struct RandomTable {
    var state: UInt64

    mutating func below(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func decimal() -> String {
        let sign = ["", "-", "+"][below(3)]
        let digits = String((0..<(1 + below(22))).map { _ in Character(String(below(10))) })
        let point = below(digits.count + 1)
        var text = sign + digits.prefix(point) + (below(4) == 0 ? "" : ".") + digits.dropFirst(point)
        if below(4) == 0 { text += "e" + ["", "-", "+"][below(3)] + String(below(330)) }
        return text
    }

    mutating func cell() -> (text: String, content: String) {
        switch below(20) {
        case 0: let number = decimal(); return (" \t\(number) ", number)
        case 1: let number = decimal(); return ("\"\(number)\"", number)
        case 2: let word = ["inf", "-Infinity", "nan", "NaN"][below(4)]; return (word, word)
        case 3: return ("x\(below(10))", "x")
        case 4: return (" ", "")  // not "": a one-column row of it would be a blank line
        default: let number = decimal(); return (number, number)
        }
    }
}

@Test func aTableOfRandomCellsReadsEachCellAsStrtodDoes() throws {
    let seed: UInt64 = 15
    var random = RandomTable(state: seed)
    for _ in 0..<20 {
        let width = 1 + random.below(4)
        let rows = random.below(3000)
        var text = (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n"
        var expected = [[Double]](repeating: [], count: width)
        var badCounts = [Int](repeating: 0, count: width)
        var ragged = 0
        for _ in 0..<rows {
            let fields = random.below(30) == 0 ? width + [-1, 1][random.below(2)] : width
            let cells = (0..<max(fields, 1)).map { _ in random.cell() }
            text += cells.map(\.text).joined(separator: ",") + ["\n", "\r\n", "\r"][random.below(3)]
            guard cells.count == width else { ragged += 1; continue }
            for (column, cell) in cells.enumerated() {
                // A number when strtod reads the whole cell, unless digits overflowed to infinity.
                let value = cell.content.withCString { start -> Double? in
                    var end: UnsafeMutablePointer<CChar>?
                    let value = strtod(start, &end)
                    guard !cell.content.isEmpty, end == UnsafeMutablePointer(mutating: start) + cell.content.utf8.count else { return nil }
                    return value.isFinite || cell.content.lowercased().contains("n") ? value : nil
                }
                expected[column].append(value ?? .nan)
                if value == nil { badCounts[column] += 1 }
            }
        }
        let table = try CSVTable.parse(path: "t.csv", bytes: Array(text.utf8))
        #expect(table.rowCount == expected.first?.count, "seed \(seed)")
        #expect(table.raggedRowCount == ragged, "seed \(seed)")
        #expect(table.badCellCounts == badCounts, "seed \(seed)")
        // The first cell whose bits differ, if any: its column, row and both values.
        let mismatch = zip(table.columns, expected).enumerated().lazy.compactMap { column, pair in
            zip(pair.0, pair.1).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }
                .map { (column: column, row: $0.offset, read: $0.element.0, strtod: $0.element.1) }
        }.first
        #expect(mismatch == nil, "seed \(seed): \(String(describing: mismatch))")
    }
}
