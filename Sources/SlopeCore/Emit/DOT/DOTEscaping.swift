/// Escaping for the two kinds of text a DOT file holds, so that no name, path or source text
/// can end a string early or inject markup.
///
/// - Quoted strings (`"…"`, used for IDs and plain attributes): `\` becomes `\\` and `"`
///   becomes `\"`, so the closing quote is always the writer's.
/// - HTML-like labels (`<…>`, used for every label that shows user text): `&`, `<`, `>`, `"` and
///   `'` become entities, so the label's brackets always balance.
///
/// Before either, characters that cannot appear in a one-line label — line breaks, other control
/// characters and the code points XML forbids (Graphviz parses HTML labels as XML) — are
/// written visibly, as `\n`, `\t`, `\r` or `\u{7F}`, which also keeps each label on one line.
public enum DOTEscaping {
    /// `text` as a DOT quoted string, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for character in visible(text) {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// `text` for the inside of an HTML-like label.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in visible(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The text with control characters and XML-forbidden code points written as escapes.
    public static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    out += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// At most `limit` characters, with `…` marking a cut, and runs of white space (line breaks
    /// included) as one space: for source text shown inside a picture.
    public static func abbreviated(_ text: String, limit: Int = 48) -> String {
        abbreviation(text, limit: limit).text
    }

    /// `abbreviated(range.text)`, decoding no more of a long range than the picture shows: a
    /// window from the start, doubled until its abbreviation is cut or it reaches the end. (Every
    /// node of `c + c + … + c` spans all the terms before it, so decoding whole ranges made a
    /// picture of one long line quadratic.)
    public static func abbreviated(_ range: SourceRange, limit: Int = 48) -> String {
        var window = 4 * (limit + 2)
        while true {
            let end = min(range.end, range.start + window)
            let head = abbreviation(range.file.text(range.start, end), limit: limit)
            // A cut head is the cut of the whole text: the cut keeps limit - 1 characters of a
            // longer head, so a character split at the window's edge is never among them.
            if end == range.end || head.cut { return head.text }
            window *= 2
        }
    }

    static func abbreviation(_ text: String, limit: Int) -> (text: String, cut: Bool) {
        let joined = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard joined.count > limit else { return (joined, false) }
        return (String(joined.prefix(max(1, limit - 1))) + "…", true)
    }
}
