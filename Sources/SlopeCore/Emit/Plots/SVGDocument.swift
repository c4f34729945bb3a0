/// A small writer for SVG text, used by `SVGPlot`: one element per line, attributes in the order
/// given, every attribute value and text node escaped, and numbers formatted by
/// `PlotNumberFormat`, so the same picture is always the same bytes.
struct SVGDocument {
    /// An attribute value: text (escaped when written) or a pixel coordinate.
    enum Value: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        case px(Double)

        init(stringLiteral value: String) { self = .text(value) }
        init(floatLiteral value: Double) { self = .px(value) }
        init(integerLiteral value: Int) { self = .px(Double(value)) }

        var written: String {
            switch self {
            case .text(let text): return SVGDocument.escaped(text)
            case .px(let value): return PlotNumberFormat.pixel(value)
            }
        }
    }

    let width: Double
    let height: Double
    private var lines: [String] = []
    private var depth = 1

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Opens an element that holds others; close it with `close`.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, Value> = [:]) {
        append("<\(name)\(Self.written(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        append("</\(name)>")
    }

    /// An element with no children, or with `text` as its only content.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, Value>, text: String? = nil) {
        if let text {
            append("<\(name)\(Self.written(attributes))>\(Self.escaped(text))</\(name)>")
        } else {
            append("<\(name)\(Self.written(attributes))/>")
        }
    }

    /// The finished document, with the XML declaration and the root `svg` element.
    func rendered() -> String {
        let size = "width=\"\(PlotNumberFormat.pixel(width))\" height=\"\(PlotNumberFormat.pixel(height))\""
        let viewBox = "viewBox=\"0 0 \(PlotNumberFormat.pixel(width)) \(PlotNumberFormat.pixel(height))\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) \(viewBox)"
        out += " font-family=\"Helvetica, Arial, sans-serif\">\n"
        for line in lines { out += line + "\n" }
        out += "</svg>\n"
        return out
    }

    /// Path data for runs of points: "M x y L x y …" per run. A run with one point is drawn as
    /// a zero-length segment, which round line caps show as a dot.
    static func pathData(_ runs: [[PlotPoint]]) -> String {
        var parts: [String] = []
        for run in runs where !run.isEmpty {
            for (index, point) in run.enumerated() {
                parts.append((index == 0 ? "M" : "L") + coordinates(point))
            }
            if run.count == 1 { parts.append("L" + coordinates(run[0])) }
        }
        return parts.joined(separator: " ")
    }

    /// Text safe inside an element or a double- or single-quoted attribute.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 forbids most control characters even as references; show a space.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
                out += " "
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static func coordinates(_ point: PlotPoint) -> String {
        PlotNumberFormat.pixel(point.x) + " " + PlotNumberFormat.pixel(point.y)
    }

    private static func written(_ attributes: KeyValuePairs<String, Value>) -> String {
        attributes.map { " \($0.key)=\"\($0.value.written)\"" }.joined()
    }

    private mutating func append(_ line: String) {
        lines.append(String(repeating: "  ", count: max(0, depth)) + line)
    }
}

/// A point in a plot, in data units or in pixels depending on where it is used.
struct PlotPoint: Equatable, Hashable, Sendable {
    var x: Double
    var y: Double
}
