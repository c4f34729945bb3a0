import Testing
import SlopeCore

private func decode(_ text: String) -> Result<JSONRPC.Message, JSONRPC.Rejection> {
    JSONRPC.decode(Array(text.utf8))
}

@Test func aMessageWithAnIdAndAMethodIsARequest() {
    guard case .success(.request(let id, let method, let params)) = decode(#"{"jsonrpc": "2.0", "id": 3, "method": "m", "params": [1]}"#) else {
        Issue.record("not a request")
        return
    }
    // The id is written back as it came, 3 and not 3.0.
    #expect(id.rendered() == "3")
    #expect(method == "m")
    #expect(params?.array?.count == 1)
}

@Test func aMessageWithoutAnIdIsANotification() {
    guard case .success(.notification(let method, _)) = decode(#"{"jsonrpc": "2.0", "method": "initialized"}"#) else {
        Issue.record("not a notification")
        return
    }
    #expect(method == "initialized")
}

@Test func aResponseFromTheClientIsRecognisedAndNotAnswered() {
    guard case .success(.response) = decode(#"{"jsonrpc": "2.0", "id": 1, "result": null}"#) else {
        Issue.record("not a response")
        return
    }
}

@Test(arguments: [
    (#"{"jsonrpc": "2.0", "id": 1"#, -32700, "null"),
    (#"42"#, -32600, "null"),
    (#"{"id": 4, "method": "m"}"#, -32600, "4"),
    (#"{"jsonrpc": "2.0", "id": 4}"#, -32600, "4"),
    (#"{"jsonrpc": "2.0", "id": [4], "method": "m"}"#, -32600, "null"),
    (#"{"jsonrpc": "2.0", "id": 4, "id": 5, "method": "m"}"#, -32700, "null"),
])
func aMessageThatIsNotJSONRPCIsRejectedWithItsCode(text: String, code: Int, id: String) {
    guard case .failure(let rejection) = decode(text) else {
        Issue.record("accepted \(text)")
        return
    }
    #expect(rejection.failure.code.rawValue == code)
    #expect(rejection.id.rendered() == id)
}

@Test func anErrorResponseCarriesTheCodeAndMessage() {
    let response = JSONRPC.errorResponse(id: .integer(2), JSONRPC.Failure(.methodNotFound, "unknown method 'x'"))
    #expect(response.rendered() == #"{"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "unknown method 'x'"}}"#)
}
