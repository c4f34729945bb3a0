/// Text for an HTML page (`slope report`), escaped once where it is written: `&`, `<`, `>`, `"`
/// and `'` become references, so the same function serves element text and quoted attribute
/// values. Characters that HTML does not allow in a document, or that would change how the
/// page reads, are shown as U+FFFD (`�`): C0 controls other than tab and line feed, DEL, the C1
/// controls, the bidirectional embedding, override and isolate characters, the line and
/// paragraph separators (`TextEscaping.needsEscape`), and the Unicode noncharacters. A source
/// file with an escape sequence or a right-to-left override in a comment shows it as `�`, one
/// character for one, so the caret lines under the source still line up.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                out.unicodeScalars.append(isShown(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// False for a character the page shows as U+FFFD.
    static func isShown(_ scalar: Unicode.Scalar) -> Bool {
        if TextEscaping.needsEscape(scalar) { return scalar == "\t" || scalar == "\n" }
        // Noncharacters: U+FDD0…U+FDEF and the last two code points of every plane.
        let value = scalar.value
        return !(0xFDD0...0xFDEF).contains(value) && value & 0xFFFE != 0xFFFE
    }
}
