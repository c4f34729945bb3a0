import Testing
import SlopeCore

private func mapping(_ text: String) -> PositionMapping {
    let bytes = Array(text.utf8)
    return PositionMapping(file: SourceFile(path: "t.graph", bytes: bytes),
                           hasByteOrderMark: bytes.starts(with: SourceFile.byteOrderMark))
}

@Test func asciiOffsetsAreLinesAndColumnsFromZero() {
    let map = mapping("ab\ncd\n")
    #expect(map.position(of: 0) == (0, 0))
    #expect(map.position(of: 4) == (1, 1))
    #expect(map.offset(line: 1, character: 1) == 4)
}

@Test func charactersCountUTF16UnitsNotBytesOrScalars() {
    // "é" is 2 bytes and 1 unit; "😀" is 4 bytes, 1 scalar and 2 units.
    let map = mapping("é😀x\n")
    #expect(map.position(of: 2) == (0, 1))    // after é
    #expect(map.position(of: 6) == (0, 3))    // after 😀: 1 + 2 units
    #expect(map.offset(line: 0, character: 3) == 6)
    #expect(map.offset(line: 0, character: 4) == 7)
}

@Test func aCharacterInsideASurrogatePairIsTheStartOfItsCharacter() {
    #expect(mapping("😀x").offset(line: 0, character: 1) == 0)
}

@Test func positionsPastTheEndAreClamped() {
    let map = mapping("ab\r\ncd")
    #expect(map.offset(line: 0, character: 99) == 2)    // the end of the line's text, before \r\n
    #expect(map.offset(line: 9, character: 0) == 6)
    #expect(map.offset(line: -1, character: 0) == 0)
}

@Test func aByteOrderMarkIsACharacterOnTheFirstLine() {
    // The editor counts U+FEFF as a character; SourceFile drops it.
    let map = mapping("\u{FEFF}ab\ncd")
    #expect(map.position(of: 1) == (0, 2))
    #expect(map.offset(line: 0, character: 2) == 1)
    #expect(map.position(of: 3) == (1, 0))
}

@Test func everyOffsetAtACharacterBoundaryRoundTrips() {
    let text = "param é = 1 # 😀 ok\nx = [1, 2]\r\n\u{1F9EA}y = 3\n"
    let map = mapping(text)
    var offset = 0
    for scalar in text.unicodeScalars {
        let (line, character) = map.position(of: offset)
        if scalar != "\n" && scalar != "\r" {
            #expect(map.offset(line: line, character: character) == offset, "offset \(offset)")
        }
        offset += scalar.utf8.count
    }
}
