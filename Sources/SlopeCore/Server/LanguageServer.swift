/// `slope lsp`: a language server for `.graph` files over JSON-RPC (SPEC.md 5.7).
///
/// One thread reads framed messages (`MessageReader`), handles each in turn and writes its
/// answers through `send`; nothing else is ever written to standard output. The lifecycle is
/// the protocol's: requests before `initialize` are refused with ServerNotInitialized,
/// requests after `shutdown` with InvalidRequest, and `exit` ends the session, cleanly after
/// `shutdown` (status 0) and not without it (status 1); so does the end of the input.
///
/// Every message gets what the protocol promises whatever it holds: a body that is not JSON or
/// not JSON-RPC gets an error response (id null when it has none), an unknown request
/// MethodNotFound, missing parameters InvalidParams; an unknown notification is ignored.
public struct LanguageServer {
    enum State { case waiting, running, shutDown }

    var state = State.waiting
    var documents = DocumentStore()
    /// The server's version, in the answer to `initialize`.
    let version: String
    /// Writes one framed message.
    let send: (String) -> Void
    /// Writes a line to the log (standard error).
    let log: (String) -> Void

    public init(version: String, send: @escaping (String) -> Void, log: @escaping (String) -> Void = { _ in }) {
        self.version = version
        self.send = send
        self.log = log
    }

    /// Serves until `exit` or the end of the input; true when the session ended cleanly, after
    /// `shutdown`.
    public mutating func serve<Source: ByteSource>(_ source: Source) -> Bool {
        var reader = MessageReader(source)
        while let frame = reader.next() {
            switch frame {
            case .malformed(let reason):
                log("slope lsp: \(reason)")
                reply(JSONRPC.errorResponse(id: .null, JSONRPC.Failure(.parseError, reason)))
            case .message(let body):
                if let clean = handle(body) { return clean }
            }
        }
        return state == .shutDown
    }

    /// Handles one message body; after `exit`, whether the session ended cleanly.
    mutating func handle(_ body: [UInt8]) -> Bool? {
        switch JSONRPC.decode(body) {
        case .failure(let rejection):
            log("slope lsp: \(rejection.failure.message)")
            reply(JSONRPC.errorResponse(id: rejection.id, rejection.failure))
        case .success(.response):
            break
        case .success(.notification(let method, let params)):
            if method == "exit" { return state == .shutDown }
            guard state == .running else { return nil }
            do { try notify(method, params) } catch {
                log("slope lsp: \(method): \(error.message)")
            }
        case .success(.request(let id, let method, let params)):
            do { reply(JSONRPC.response(id: id, result: try answer(method, params))) } catch {
                reply(JSONRPC.errorResponse(id: id, error))
            }
        }
        return nil
    }

    mutating func answer(_ method: String, _ params: JSONValue?) throws(JSONRPC.Failure) -> JSONValue {
        switch (state, method) {
        case (.waiting, "initialize"):
            state = .running
            return capabilities
        case (.waiting, _):
            throw JSONRPC.Failure(.serverNotInitialized, "the server is not initialized: send 'initialize' first")
        case (.shutDown, _):
            throw JSONRPC.Failure(.invalidRequest, "the server is shut down: only 'exit' is accepted")
        case (.running, "initialize"):
            throw JSONRPC.Failure(.invalidRequest, "the server is already initialized")
        case (.running, "shutdown"):
            state = .shutDown
            return .null
        case (.running, "textDocument/hover"):
            let (uri, offset) = try position(params)
            return Hover.result(uri: uri, offset: offset, documents: &documents)
        case (.running, "textDocument/definition"):
            let (uri, offset) = try position(params)
            return Definition.result(uri: uri, offset: offset, documents: documents)
        case (.running, "textDocument/completion"):
            let (uri, offset) = try position(params)
            return Completion.result(uri: uri, offset: offset, documents: documents)
        case (.running, _):
            throw JSONRPC.Failure(.methodNotFound, "unknown method '\(method)'")
        }
    }

    mutating func notify(_ method: String, _ params: JSONValue?) throws(JSONRPC.Failure) {
        switch method {
        case "textDocument/didOpen":
            guard let item = params?["textDocument"], let uri = item["uri"]?.string, let text = item["text"]?.string else {
                throw JSONRPC.Failure(.invalidParams, "didOpen needs textDocument.uri and textDocument.text")
            }
            documents.open(uri, version: item["version"]?.integer, text: text)
            publish(uri)
        case "textDocument/didChange":
            guard let item = params?["textDocument"], let uri = item["uri"]?.string,
                  let changes = params?["contentChanges"]?.array else {
                throw JSONRPC.Failure(.invalidParams, "didChange needs textDocument.uri and contentChanges")
            }
            try documents.change(uri, version: item["version"]?.integer, changes: changes)
            publish(uri)
        case "textDocument/didClose":
            guard let uri = params?["textDocument"]?["uri"]?.string else {
                throw JSONRPC.Failure(.invalidParams, "didClose needs textDocument.uri")
            }
            documents.close(uri)
            reply(PublishedDiagnostics.cleared(uri))
        default:
            // `initialized`, `$/cancelRequest`, `textDocument/didSave`, … need nothing.
            break
        }
    }

    /// The document and byte offset of a TextDocumentPositionParams.
    func position(_ params: JSONValue?) throws(JSONRPC.Failure) -> (uri: String, offset: Int) {
        guard let uri = params?["textDocument"]?["uri"]?.string, let position = params?["position"] else {
            throw JSONRPC.Failure(.invalidParams, "the request needs textDocument.uri and position")
        }
        guard let document = documents[uri] else { throw JSONRPC.Failure(.invalidParams, "'\(uri)' is not open") }
        guard let offset = document.analysis.mapping.offset(of: position) else {
            throw JSONRPC.Failure(.invalidParams, "a position needs a whole line and character")
        }
        return (uri, offset)
    }

    func publish(_ uri: String) {
        guard let document = documents[uri] else { return }
        reply(PublishedDiagnostics.notification(for: document))
    }

    func reply(_ message: JSONValue) {
        send(MessageFraming.frame(message.rendered()))
    }

    /// What the server does: full document sync, hover, definition, completion, with
    /// positions in UTF-16 units.
    var capabilities: JSONValue {
        .object([
            ("capabilities", .object([
                ("positionEncoding", .string("utf-16")),
                ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .integer(1))])),
                ("hoverProvider", .bool(true)),
                ("definitionProvider", .bool(true)),
                ("completionProvider", .object([("triggerCharacters", .array([]))])),
            ])),
            ("serverInfo", .object([("name", .string("slope")), ("version", .string(version))])),
        ])
    }
}
