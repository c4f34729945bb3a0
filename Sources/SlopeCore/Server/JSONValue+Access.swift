/// Reading the members of JSON-RPC messages: `message["params"]?["textDocument"]?["uri"]?.string`.
/// A member that is missing or of another type reads as nil, so a handler checks each field it
/// needs once and answers InvalidParams when one is absent.
extension JSONValue {
    /// The member named `key` of an object; nil for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A whole number (JSON has one number type; `3` and `3.0` both read as 3).
    public var integer: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
            return Int(value)
        default: return nil
        }
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
