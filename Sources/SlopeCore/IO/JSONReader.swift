/// Reads the JSON that Slope writes (`--save` files): objects, arrays, numbers, strings,
/// true/false/null. Nesting is limited to `maximumDepth`, so hostile input cannot exhaust the stack.
public struct JSONReader {
    public static let maximumDepth = 64

    public struct Failure: Error, Sendable {
        public let message: String
        public let offset: Int
        /// The key an object repeats, when that is the failure.
        public var repeatedKey: String? = nil
    }

    let bytes: [UInt8]
    var offset = 0

    /// A UTF-8 byte-order mark before the value is dropped, as `SourceFile` drops it, so a
    /// failure's offset is an offset into the `SourceFile` of the same bytes.
    public static func parse(_ text: [UInt8]) throws(Failure) -> JSONValue {
        var reader = JSONReader(bytes: text.starts(with: SourceFile.byteOrderMark) ? Array(text.dropFirst(3)) : text)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == reader.bytes.count else { throw reader.fail("unexpected text after the JSON value") }
        return value
    }

    func fail(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    mutating func skipSpace() {
        while offset < bytes.count, [9, 10, 13, 32].contains(bytes[offset]) { offset += 1 }
    }

    mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < JSONReader.maximumDepth else { throw fail("JSON nested too deeply") }
        skipSpace()
        guard offset < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            offset += 1
            var members: [(String, JSONValue)] = []
            var keys: Set<String> = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
            while true {
                skipSpace()
                let keyOffset = offset
                guard case .string(let key) = try value(depth: depth + 1) else { throw fail("expected a string key") }
                // RFC 8259 leaves an object with a repeated name undefined; which value wins
                // differs between readers, so a repeated key is refused.
                if !keys.insert(key).inserted {
                    throw Failure(message: "the key '\(key)' appears twice in one object", offset: keyOffset, repeatedKey: key)
                }
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                offset += 1
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard offset < bytes.count else { throw fail("unexpected end of JSON") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            offset += 1
            var items: [JSONValue] = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard offset < bytes.count else { throw fail("unexpected end of JSON") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): return try keyword("true", .bool(true))
        case UInt8(ascii: "f"): return try keyword("false", .bool(false))
        case UInt8(ascii: "n"): return try keyword("null", .null)
        default:
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            guard offset > start, let number = Double(String(decoding: bytes[start..<offset], as: UTF8.self)) else {
                throw fail("unexpected character in JSON")
            }
            return .number(number)
        }
    }

    mutating func keyword(_ word: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let end = offset + word.utf8.count
        guard end <= bytes.count, Array(bytes[offset..<end]) == Array(word.utf8) else { throw fail("unexpected word in JSON") }
        offset = end
        return value
    }

    mutating func string() throws(Failure) -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "n"): raw.append(10)
                case UInt8(ascii: "t"): raw.append(9)
                case UInt8(ascii: "r"): raw.append(13)
                case UInt8(ascii: "b"): raw.append(8)
                case UInt8(ascii: "f"): raw.append(12)
                case UInt8(ascii: "u"):
                    guard offset + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), radix: 16) else {
                        throw fail("bad \\u escape")
                    }
                    offset += 4
                    var scalar = UnicodeScalar(code)
                    // A character beyond U+FFFF is escaped as a UTF-16 surrogate pair, `\ud83d\ude00`
                    // (RFC 8259 section 7), as editors send text: join the pair into one scalar.
                    if (0xD800..<0xDC00).contains(code), let low = lowSurrogate() {
                        scalar = UnicodeScalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
                    }
                    raw.append(contentsOf: Array(String(scalar.map(Character.init) ?? "?").utf8))
                default: raw.append(escape)
                }
                continue
            }
            raw.append(byte)
        }
        throw fail("unterminated string in JSON")
    }
}

extension JSONReader {
    /// The low half of a surrogate pair, `\uDC00` to `\uDFFF`, consumed when it comes next.
    mutating func lowSurrogate() -> UInt32? {
        guard offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u"),
              let code = UInt32(String(decoding: bytes[(offset + 2)..<(offset + 6)], as: UTF8.self), radix: 16),
              (0xDC00..<0xE000).contains(code) else { return nil }
        offset += 6
        return code
    }
}

extension JSONValue {
    /// A number, or "nan"/"inf"/"-inf" as Slope writes them.
    var numberValue: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }

    /// A tensor from a number or rectangular nested arrays; nil otherwise.
    public var tensorValue: Tensor? {
        if let number = numberValue { return Tensor(number) }
        guard case .array = self else { return nil }
        // Shape from the first element at each level, then check every element against it.
        var dimensions: [Int] = []
        var probe = self
        while case .array(let items) = probe {
            dimensions.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Double] = []
        var stack: [(JSONValue, Int)] = [(self, 0)]
        while let (value, depth) = stack.popLast() {
            if depth == dimensions.count {
                guard let number = value.numberValue else { return nil }
                values.append(number)
                continue
            }
            guard case .array(let items) = value, items.count == dimensions[depth] else { return nil }
            for item in items.reversed() { stack.append((item, depth + 1)) }
        }
        let shape = Shape(dimensions)
        guard shape.count == values.count else { return nil }
        return Tensor(shape: shape, values: values)
    }
}
