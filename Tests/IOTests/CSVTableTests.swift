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
