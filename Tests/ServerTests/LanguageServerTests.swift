import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// The recorded session (`Tests/Cases/lsp/session1.jsonrpc`, what an editor sends: initialize,
/// three versions of a document, hovers, definitions, completions, two malformed messages, an
/// unknown method, shutdown, a request after it, exit) against the server's transcript in
/// `Tests/Golden/lsp/session1.txt`, one message body per line.
@Test func theRecordedSessionMatchesItsTranscript() throws {
    let input = try Data(contentsOf: PackagePaths.cases.appendingPathComponent("lsp/session1.jsonrpc"))
    let session = LspSession.run(bytes: Array(input))
    #expect(session.status == .success)
    Golden.expectMatch(session.bodies.map { $0 + "\n" }.joined(), command: "lsp", name: "session1.txt")
    // The two malformed messages are logged on stderr, and only there.
    #expect(session.log.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 2, "\(session.log)")
}

/// Bytes arrive as the pipe delivers them: split anywhere, a session reads the same.
@Test(arguments: [1, 7, 100])
func theRecordedSessionReadsTheSameInAnyChunks(chunkSize: Int) throws {
    let input = Array(try Data(contentsOf: PackagePaths.cases.appendingPathComponent("lsp/session1.jsonrpc")))
    let whole = LspSession.run(bytes: input)
    let split = LspSession.run(bytes: input, chunkSize: chunkSize)
    #expect(split.bodies == whole.bodies)
    #expect(split.status == .success)
}

@Test func initializeAnnouncesUTF16PositionsFullSyncAndTheThreeFeatures() throws {
    let session = LspSession.around([])
    let capabilities = try #require(session.response(1)?["result"]?["capabilities"])
    #expect(capabilities["positionEncoding"]?.string == "utf-16")
    #expect(capabilities["textDocumentSync"]?["change"]?.integer == 1)
    #expect(capabilities["hoverProvider"] != nil && capabilities["definitionProvider"] != nil)
    #expect(capabilities["completionProvider"] != nil)
}

@Test func diagnosticsCarryZeroBasedLinesAndCharacters() throws {
    // `slope run` reports this at 2:7 (1-based line, column): LSP's line 1, character 6.
    let session = LspSession.around([LspSession.open("param w = 1\ny = w @ [1, 2]\n")])
    let diagnostic = try #require(session.published.first?["diagnostics"]?.array?.first)
    #expect(diagnostic["range"]?["start"]?["line"]?.integer == 1)
    #expect(diagnostic["range"]?["start"]?["character"]?.integer == 6)
    #expect(diagnostic["range"]?["end"]?["character"]?.integer == 7)
    #expect(diagnostic["severity"]?.integer == 1)
    #expect(diagnostic["code"]?.string == "shape.invalid")
    #expect(diagnostic["message"]?.string?.hasPrefix("'@' multiplies vectors and matrices, not shapes [] and [2]") == true)
}

@Test func diagnosticCharactersCountUTF16UnitsNotBytesOrScalars() throws {
    // `x = "😀" + 2x`: before `2x` are `x = "` (5 units), the emoji (1 scalar, 2 UTF-16 units,
    // 4 bytes) and `" + ` (4): character 11, where Slope's column would be 11 (1-based scalars,
    // so 10 from 0) and the byte offset 13.
    let session = LspSession.around([LspSession.open("x = \"😀\" + 2x\n")])
    let diagnostic = try #require(session.published.first?["diagnostics"]?.array?.first)
    #expect(diagnostic["code"]?.string == "syntax.number-followed-by-name")
    #expect(diagnostic["range"]?["start"]?["character"]?.integer == 11)
    #expect(diagnostic["range"]?["end"]?["character"]?.integer == 13)
}

@Test func aChangeRepublishesAndAFixedProgramClearsTheDiagnostics() throws {
    let session = LspSession.around([
        LspSession.open("param w = 1\ny = w @ [1, 2]\n"),
        LspSession.change("param w = 1\ny = w * [1, 2]\n", version: 2),
    ])
    #expect(session.published.count == 2)
    #expect(session.published[0]["diagnostics"]?.array?.count == 1)
    #expect(session.published[1]["version"]?.integer == 2)
    #expect(session.published[1]["diagnostics"]?.array?.isEmpty == true)
}

@Test func closingADocumentClearsItsDiagnostics() throws {
    let session = LspSession.around([
        LspSession.open("y = undefined_name\n"),
        #"{"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": "file:///work/test.graph"}}}"#,
    ])
    #expect(session.published.count == 2)
    #expect(session.published[0]["diagnostics"]?.array?.first?["code"]?.string == "semantic.undefined-name")
    #expect(session.published[1]["diagnostics"]?.array?.isEmpty == true)
}

@Test func syntaxErrorsArePublishedAloneAsTheCommandsReportThem() throws {
    // The dropped statement defined `b`, so lowering would also call `b` undefined: not shown.
    let session = LspSession.around([LspSession.open("b = (1 +\nprint b\n")])
    let diagnostics = try #require(session.published.first?["diagnostics"]?.array)
    #expect(diagnostics.allSatisfy { $0["code"]?.string?.hasPrefix("syntax.") == true }, "\(diagnostics)")
    #expect(!diagnostics.isEmpty)
}

@Test func notesFollowTheMessageAndPointIntoTheDocument() throws {
    let session = LspSession.around([LspSession.open("a = 1\na = 2\n")])
    let diagnostic = try #require(session.published.first?["diagnostics"]?.array?.first)
    #expect(diagnostic["code"]?.string == "semantic.redefinition")
    #expect(diagnostic["message"]?.string?.contains("\nnote: ") == true)
    let related = try #require(diagnostic["relatedInformation"]?.array?.first)
    #expect(related["location"]?["range"]?["start"]?["line"]?.integer == 0)
}

// MARK: Robustness

@Test func aCSVFileThatIsAPipeOrADeviceIsNotRead() throws {
    // The server's standard input carries the protocol; reading it as a CSV file would hang.
    let session = LspSession.around([LspSession.open("input x = csv(\"/dev/stdin\", \"a\")\n"),
                                     LspSession.request("hover", id: 2, line: 0, character: 6)])
    let diagnostic = try #require(session.published.first?["diagnostics"]?.array?.first)
    #expect(diagnostic["code"]?.string == "input.csv-not-a-regular-file")
    #expect(diagnostic["message"]?.string == "the editor does not read CSV file '/dev/stdin': it is a pipe or a device, which would wait for input\nnote: slope run reads it")
    #expect(session.response(2) != nil)
}

@Test func aCSVFileBesideTheDocumentIsRead() throws {
    let directory = try TemporaryDirectory()
    try directory.write("data.csv", "a,b\n1,2\n3,4\n")
    let uri = directory.url.appendingPathComponent("fit.graph").absoluteString
    let session = LspSession.around([LspSession.open("input a = csv(\"data.csv\", \"a\")\nprint a\n", uri: uri),
                                     LspSession.request("hover", id: 2, line: 0, character: 6, uri: uri)])
    #expect(session.published.first?["diagnostics"]?.array?.isEmpty == true, "\(session.bodies)")
    #expect(session.response(2)?["result"]?["contents"]?["value"]?.string?.contains("value: `[1, 3]`") == true, "\(session.bodies)")
}

@Test func aMalformedHeaderGetsAnErrorResponseAndTheServerKeepsGoing() throws {
    let bad = Array("Content-Lenght: 2\r\n\r\n{}".utf8)
    let session = LspSession.run(bytes: LspSession.framed([LspSession.initialize]) + bad
                                 + LspSession.framed([LspSession.shutdown(id: 2), LspSession.exit]))
    #expect(session.status == .success)
    let error = try #require(session.messages.first { $0["error"] != nil })
    #expect(error["error"]?["code"]?.integer == -32700)
    #expect(error["id"]?.isNull == true)
    #expect(session.response(2)?["result"]?.isNull == true)
}

@Test(arguments: [
    ("{\"jsonrpc\": ", -32700),             // not JSON
    ("[1, 2]", -32600),                      // JSON, not a message object
    ("{\"id\": 5, \"method\": \"shutdown\"}", -32600),  // no "jsonrpc": "2.0"
    ("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": 7}", -32600),
])
func aMalformedBodyGetsAnErrorResponseAndTheServerKeepsGoing(body: String, code: Int) throws {
    let session = LspSession.run([LspSession.initialize, body, LspSession.shutdown(id: 2), LspSession.exit])
    #expect(session.status == .success)
    let error = try #require(session.messages.first { $0["error"] != nil })
    #expect(error["error"]?["code"]?.integer == code)
    #expect(session.response(2)?["result"]?.isNull == true)
}

@Test func theInputEndingInsideABodyIsReportedAndEndsTheSession() throws {
    let session = LspSession.run([LspSession.initialize], then: Array("Content-Length: 50\r\n\r\n{\"jsonrpc\"".utf8))
    #expect(session.status == .programError)
    #expect(session.messages.last?["error"]?["code"]?.integer == -32700)
}

@Test func anUnknownRequestIsMethodNotFoundAndAnUnknownNotificationIsIgnored() throws {
    let session = LspSession.around([
        #"{"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": {}}}"#,
        #"{"jsonrpc": "2.0", "id": 7, "method": "textDocument/rename", "params": {}}"#,
    ])
    #expect(session.response(7)?["error"]?["code"]?.integer == -32601)
    // initialize, the error, shutdown: nothing for the notification.
    #expect(session.bodies.count == 3, "\(session.bodies)")
}

@Test func aRequestWithoutItsParamsIsInvalidParams() throws {
    let session = LspSession.around([
        LspSession.open("a = 1\n"),
        #"{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///work/test.graph"}}}"#,
        LspSession.request("hover", id: 8, line: 0, character: 0, uri: "file:///work/not-open.graph"),
    ])
    #expect(session.response(7)?["error"]?["code"]?.integer == -32602)
    #expect(session.response(8)?["error"]?["code"]?.integer == -32602)
}

@Test func aRequestBeforeInitializeIsRefused() throws {
    let session = LspSession.run([LspSession.request("hover", id: 3, line: 0, character: 0), LspSession.initialize,
                                  LspSession.shutdown(id: 4), LspSession.exit])
    #expect(session.response(3)?["error"]?["code"]?.integer == -32002)
    #expect(session.response(1)?["result"]?["capabilities"] != nil)
    #expect(session.status == .success)
}

@Test func aRequestAfterShutdownIsAnInvalidRequest() throws {
    let session = LspSession.run([LspSession.initialize, LspSession.shutdown(id: 2),
                                  LspSession.request("hover", id: 3, line: 0, character: 0), LspSession.exit])
    #expect(session.response(3)?["error"]?["code"]?.integer == -32600)
}

@Test func requestIdsAreEchoedAsTheyWereWritten() throws {
    let session = LspSession.run([
        LspSession.initialize,
        #"{"jsonrpc": "2.0", "id": "abc", "method": "shutdown"}"#,
        LspSession.exit,
    ])
    #expect(session.bodies[0].contains(#""id": 1,"#), "\(session.bodies[0])")
    #expect(session.bodies[1] == #"{"jsonrpc": "2.0", "id": "abc", "result": null}"#)
}

// MARK: Exit

@Test func shutdownThenExitEndsWithStatusZero() {
    let session = LspSession.run([LspSession.initialize, LspSession.initialized, LspSession.shutdown(id: 2), LspSession.exit])
    #expect(session.status == .success)
    #expect(session.response(2)?["result"]?.isNull == true)
}

@Test func exitWithoutShutdownEndsWithStatusOne() {
    #expect(LspSession.run([LspSession.initialize, LspSession.exit]).status == .programError)
}

@Test func theEndOfTheInputEndsTheSessionAsExitWould() {
    #expect(LspSession.run([LspSession.initialize, LspSession.shutdown(id: 2)]).status == .success)
    #expect(LspSession.run([LspSession.initialize]).status == .programError)
    #expect(LspSession.run(bytes: []).status == .programError)
}

@Test func messagesAfterExitAreNotRead() {
    let session = LspSession.run([LspSession.initialize, LspSession.shutdown(id: 2), LspSession.exit,
                                  LspSession.request("hover", id: 3, line: 0, character: 0)])
    #expect(session.response(3) == nil)
    #expect(session.status == .success)
}
