/// The writer for `--json` output: numbers are written as the shortest decimal that reads back
/// as the same float64; NaN and infinities as the strings "nan", "inf" and "-inf", as the
/// contract requires. Object keys keep their insertion order.
extension JSONValue {
    public func rendered(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    func write(into out: inout String, indent: Int?) {
        switch self {
        case .number(let value):
            if value.isNaN { out += "\"nan\"" }
            else if value.isInfinite { out += value < 0 ? "\"-inf\"" : "\"inf\"" }
            else { out += JSONValue.format(value) }
        case .integer(let value):
            out += String(value)
        case .string(let text):
            JSONValue.writeString(text, into: &out)
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .null:
            out += "null"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if let indent, !items.isEmpty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if let indent, !members.isEmpty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// The shortest decimal that reads back as the same float64 (`13.0`, `0.1`, `1e-05`):
    /// values are floats, and read back as floats.
    static func format(_ value: Double) -> String {
        "\(value)"
    }

    static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
