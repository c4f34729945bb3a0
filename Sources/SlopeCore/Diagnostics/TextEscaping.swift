/// Text from the user's files (a CSV cell, a name, a string, a path) reaches messages verbatim,
/// so a message could carry an escape sequence to the terminal, or a NUL, or a right-to-left
/// override that makes the text read backwards. Every message and note passes through
/// `escaped` when it is rendered (`DiagnosticRenderer`), so no catalogue has to remember to.
///
/// Escapes, as a Swift or C programmer would write them: `\0`, `\t`, `\n`, `\r`; any other C0
/// control and DEL as `\xNN` (ESC is `\x1b`); C1 controls, the bidirectional embedding,
/// override and isolate characters, and the line and paragraph separators as `\u{NNNN}`.
/// Everything else, non-ASCII letters included, is kept.
enum TextEscaping {
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0: out += "\\0"
            case 9: out += "\\t"
            case 10: out += "\\n"
            case 13: out += "\\r"
            case 0..<0x80: out += "\\x" + hex(scalar.value, digits: 2)
            default: out += "\\u{" + hex(scalar.value, digits: 4) + "}"
            }
        }
        return out
    }

    /// Characters that act on a terminal or on the direction of the text instead of showing.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x80..<0xA0: return true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
