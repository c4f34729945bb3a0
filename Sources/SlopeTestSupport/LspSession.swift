import Foundation
import SlopeCore
import Testing

/// A language-server session in the test process: client messages in, the server's messages
/// and exit status out. Messages are JSON text; `framed` adds the protocol's headers and
/// `bodies` takes them off again, recording an issue when the server's framing is wrong
/// (a Content-Length that is not the body's size in UTF-8 bytes).
///
///     let session = LspSession.run([LspSession.initialize, #"{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}"#])
///     session.messages[1]["result"]   // .null
public struct LspSession: Sendable {
    public let status: SlopeCore.ExitStatus
    /// The bodies the server wrote, in order.
    public let bodies: [String]
    /// What it logged on standard error.
    public let log: String

    /// The bodies parsed (a body that is not JSON is recorded as an issue and skipped).
    public var messages: [JSONValue] {
        bodies.compactMap { body in
            do { return try JSONReader.parse(Array(body.utf8)) } catch {
                Issue.record("the server wrote a body that is not JSON: \(body)")
                return nil
            }
        }
    }

    /// The response to the request with this id.
    public func response(_ id: Int) -> JSONValue? {
        messages.first { $0["id"]?.integer == id && $0["method"] == nil }
    }

    /// Every publishDiagnostics notification's params, in order.
    public var published: [JSONValue] {
        messages.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }.compactMap { $0["params"] }
    }

    /// Runs a server on the framed `messages` (and `extra` raw bytes after them), fed
    /// `chunkSize` bytes at a time.
    public static func run(_ messages: [String], then extra: [UInt8] = [], chunkSize: Int = 65_536) -> LspSession {
        run(bytes: framed(messages) + extra, chunkSize: chunkSize)
    }

    public static func run(bytes: [UInt8], chunkSize: Int = 65_536) -> LspSession {
        let console = Console.capture()
        let status = LspCommand.execute(help: false, console: console, input: BufferSource(bytes, chunkSize: chunkSize))
        return LspSession(status: status, bodies: bodies(of: console.capturedOut), log: console.capturedErr)
    }

    public static func framed(_ messages: [String]) -> [UInt8] {
        messages.flatMap { Array(("Content-Length: \($0.utf8.count)\r\n\r\n" + $0).utf8) }
    }

    /// The bodies of framed output: each `Content-Length: N\r\n\r\n` and then N bytes.
    public static func bodies(of output: String) -> [String] {
        let bytes = Array(output.utf8)
        var bodies: [String] = []
        var offset = 0
        let prefix = Array("Content-Length: ".utf8)
        while offset < bytes.count {
            guard bytes[offset...].starts(with: prefix),
                  let headerEnd = (offset..<(bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == [13, 10, 13, 10] }),
                  let length = Int(String(decoding: bytes[(offset + prefix.count)..<headerEnd], as: UTF8.self)),
                  headerEnd + 4 + length <= bytes.count else {
                Issue.record("the server's output is not framed at byte \(offset): \(String(decoding: bytes[offset...].prefix(80), as: UTF8.self))")
                return bodies
            }
            bodies.append(String(decoding: bytes[(headerEnd + 4)..<(headerEnd + 4 + length)], as: UTF8.self))
            offset = headerEnd + 4 + length
        }
        return bodies
    }

    // MARK: Client messages

    public static let initialize = #"{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}"#
    public static let initialized = #"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#
    public static func shutdown(id: Int) -> String { #"{"jsonrpc": "2.0", "id": \#(id), "method": "shutdown"}"# }
    public static let exit = #"{"jsonrpc": "2.0", "method": "exit"}"#

    /// `textDocument/didOpen` of `text` (escaped here) as `uri`.
    public static func open(_ text: String, uri: String = "file:///work/test.graph", version: Int = 1) -> String {
        #"{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "\#(uri)", "languageId": "graph", "version": \#(version), "text": \#(JSONValue.string(text).rendered())}}}"#
    }

    /// `textDocument/didChange` replacing the whole text.
    public static func change(_ text: String, uri: String = "file:///work/test.graph", version: Int) -> String {
        #"{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "\#(uri)", "version": \#(version)}, "contentChanges": [{"text": \#(JSONValue.string(text).rendered())}]}}"#
    }

    /// A request at a position: `textDocument/hover`, `textDocument/definition`, `textDocument/completion`.
    public static func request(_ method: String, id: Int, line: Int, character: Int, uri: String = "file:///work/test.graph") -> String {
        #"{"jsonrpc": "2.0", "id": \#(id), "method": "textDocument/\#(method)", "params": {"textDocument": {"uri": "\#(uri)"}, "position": {"line": \#(line), "character": \#(character)}}}"#
    }

    /// A whole session around `messages`: initialize, initialized, the messages, shutdown, exit.
    public static func around(_ messages: [String]) -> LspSession {
        run([initialize, initialized] + messages + [shutdown(id: 999), exit])
    }
}
