import Testing
import SlopeCore
import SlopeTestSupport

private let program = """
    fn square(t) = t * t
    param a = 3
    b = square(a) + a
    print b

    """

/// The range (start line, start character, end character) of the definition at a position.
private func definition(line: Int, character: Int, in source: String = program) throws -> (Int, Int, Int)? {
    let session = LspSession.around([LspSession.open(source), LspSession.request("definition", id: 2, line: line, character: character)])
    let result = try #require(session.response(2)?["result"], "\(session.bodies)")
    if result.isNull { return nil }
    #expect(result["uri"]?.string == "file:///work/test.graph")
    let range = try #require(result["range"])
    let start = try #require(range["start"]?["line"]?.integer)
    let from = try #require(range["start"]?["character"]?.integer)
    let to = try #require(range["end"]?["character"]?.integer)
    return (start, from, to)
}

@Test func definitionOfAUsePointsAtItsDefinition() throws {
    // `a` in `square(a)` (line 2, character 11) is defined at line 1, characters 6 to 7.
    let found = try #require(try definition(line: 2, character: 11))
    #expect(found == (1, 6, 7))
}

@Test func definitionOfAFunctionCallPointsAtTheFunction() throws {
    #expect(try definition(line: 2, character: 5).map { [$0.0, $0.1, $0.2] } == [0, 3, 9])
}

@Test func definitionOfAParameterInsideAFunctionBodyPointsAtTheParameter() throws {
    // The second `t` of `t * t` (character 19) is the parameter at character 10.
    #expect(try definition(line: 0, character: 19).map { [$0.0, $0.1, $0.2] } == [0, 10, 11])
}

@Test func definitionOfANameUsedBeforeItIsDefinedStillPointsAtIt() throws {
    #expect(try definition(line: 0, character: 4, in: "y = x + 1\nx = 2\n").map { [$0.0, $0.1, $0.2] } == [1, 0, 1])
}

@Test func definitionOfABuiltInIsNull() throws {
    #expect(try definition(line: 0, character: 5, in: "s = sigmoid(1)\n") == nil)
}

@Test func definitionAfterAnEmojiCountsUTF16Units() throws {
    // `print "😀", ab, c`: `print "` is 7 units, the emoji 2, `", ` 3, so `ab` spans characters
    // 12 to 14 and `c` starts at 16. Counting the emoji as one (Slope's columns) would put `ab`
    // at 11 to 13, and character 14 on the space after its comma.
    let source = "ab = 1\nc = 2\nprint \"😀\", ab, c\n"
    #expect(try definition(line: 2, character: 14, in: source).map { [$0.0, $0.1, $0.2] } == [0, 0, 2])
    #expect(try definition(line: 2, character: 16, in: source).map { [$0.0, $0.1, $0.2] } == [1, 0, 1])
}
