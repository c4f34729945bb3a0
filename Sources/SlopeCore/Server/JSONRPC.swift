/// JSON-RPC 2.0 as the Language Server Protocol uses it: requests (with an id, answered by a
/// response), notifications (no id, never answered) and the error codes of both specifications.
public enum JSONRPC {
    public enum ErrorCode: Int, Sendable {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case internalError = -32603
        /// LSP: a request before `initialize`.
        case serverNotInitialized = -32002
    }

    /// A request that cannot be answered with a result.
    public struct Failure: Error, Sendable {
        public let code: ErrorCode
        public let message: String
        public init(_ code: ErrorCode, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    /// A message that cannot be handled: the id to answer with (null when it has none) and why.
    public struct Rejection: Error, Sendable {
        public let id: JSONValue
        public let failure: Failure
        init(_ id: JSONValue?, _ code: ErrorCode, _ message: String) {
            self.id = id ?? .null
            self.failure = Failure(code, message)
        }
    }

    /// A message from the client.
    public enum Message: Sendable {
        case request(id: JSONValue, method: String, params: JSONValue?)
        case notification(method: String, params: JSONValue?)
        /// An answer to a request of the server's (the server sends none, so these are ignored).
        case response
    }

    /// Reads one message body. A body that is not JSON is a parse error; JSON that is not a
    /// JSON-RPC 2.0 message is an invalid request, answered with the message's id when it has
    /// a usable one.
    public static func decode(_ body: [UInt8]) -> Result<Message, Rejection> {
        let value: JSONValue
        do { value = try JSONReader.parse(body) } catch {
            return .failure(Rejection(nil, .parseError, "the message is not JSON: \(error.message) at byte \(error.offset)"))
        }
        guard case .object = value else {
            return .failure(Rejection(nil, .invalidRequest, "a message must be a JSON object"))
        }
        let id = value["id"].flatMap(echoedID)
        guard value["jsonrpc"]?.string == "2.0" else {
            return .failure(Rejection(id, .invalidRequest, "the message lacks \"jsonrpc\": \"2.0\""))
        }
        guard let methodValue = value["method"] else {
            if value["result"] != nil || value["error"] != nil { return .success(.response) }
            return .failure(Rejection(id, .invalidRequest, "the message has no method"))
        }
        guard let method = methodValue.string else {
            return .failure(Rejection(id, .invalidRequest, "the method must be a string"))
        }
        let params = value["params"]
        guard value["id"] != nil else { return .success(.notification(method: method, params: params)) }
        guard let id else { return .failure(Rejection(nil, .invalidRequest, "an id must be a number or a string")) }
        return .success(.request(id: id, method: method, params: params))
    }

    /// An id as the response must repeat it: a string, or a whole number written without a
    /// fraction (`JSONReader` reads every number as a Double, which would print as `1.0`).
    static func echoedID(_ id: JSONValue) -> JSONValue? {
        switch id {
        case .string: return id
        case .integer: return id
        case .number(let value): return value.rounded() == value && abs(value) < 9.0e15 ? .integer(Int(value)) : id
        case .null: return id
        case .bool, .array, .object: return nil
        }
    }

    public static func response(id: JSONValue, result: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
    }

    public static func errorResponse(id: JSONValue, _ failure: Failure) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id),
                 ("error", .object([("code", .integer(failure.code.rawValue)), ("message", .string(failure.message))]))])
    }

    public static func notification(method: String, params: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)])
    }
}
