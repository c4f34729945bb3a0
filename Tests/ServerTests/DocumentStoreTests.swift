import Testing
import SlopeCore

@Test func aRangedChangeReplacesThatRangeInUTF16Units() throws {
    var store = DocumentStore()
    store.open("u", version: 1, text: "a = \"😀\" + 1\nb = 2\n")
    // Replace `1` (line 0, characters 11 to 12: the emoji is two units) with `3`.
    let change: JSONValue = .object([
        ("range", .object([("start", .object([("line", .integer(0)), ("character", .integer(11))])),
                           ("end", .object([("line", .integer(0)), ("character", .integer(12))]))])),
        ("text", .string("3")),
    ])
    try store.change("u", version: 2, changes: [change])
    #expect(store["u"]?.text == "a = \"😀\" + 3\nb = 2\n")
    #expect(store["u"]?.version == 2)
}

@Test func aChangeWithoutARangeReplacesTheWholeText() throws {
    var store = DocumentStore()
    store.open("u", version: 1, text: "a = 1\n")
    try store.change("u", version: 2, changes: [.object([("text", .string("b = 2\n"))])])
    #expect(store["u"]?.text == "b = 2\n")
    #expect(store["u"]?.analysis.symbols.definitions.map(\.name) == ["b"])
}

@Test func aChangeToADocumentThatIsNotOpenIsInvalidParams() {
    var store = DocumentStore()
    #expect(throws: JSONRPC.Failure.self) { try store.change("u", version: 2, changes: []) }
}

@Test func aFileURIsFolderIsWhereItsCSVFilesAre() {
    #expect(DocumentAnalysis.location(of: "file:///work/my%20graphs/fit.graph") == ("/work/my graphs/fit.graph", "/work/my graphs"))
    #expect(DocumentAnalysis.location(of: "untitled:Untitled-1") == ("untitled:Untitled-1", "."))
}
