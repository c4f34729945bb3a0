import Testing
import SlopeCore

@Test func aSurrogatePairEscapeReadsAsOneCharacter() throws {
    // U+1F600 is D83D DE00 in UTF-16: 0x10000 + (0x3D << 10) + 0x200 = 0x1F600.
    let value = try JSONReader.parse(Array(#""a\ud83d\ude00b""#.utf8))
    #expect(value.string == "a😀b")
}

@Test func aLoneSurrogateEscapeReadsAsAReplacementMark() throws {
    // Not a character on its own; the reader keeps going with "?".
    #expect(try JSONReader.parse(Array(#""\ud83dx""#.utf8)).string == "?x")
    #expect(try JSONReader.parse(Array(#""\ude00""#.utf8)).string == "?")
}

@Test func rawUTF8AndBasicEscapesReadAsWritten() throws {
    #expect(try JSONReader.parse(Array("\"é😀\\u00e9\\n\"".utf8)).string == "é😀é\n")
}
