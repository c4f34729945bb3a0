/// A small writer for the report's HTML, as `SVGDocument` is for the plots: elements in the
/// order given, every text and attribute value escaped (`HTMLText`), and void elements closed
/// as `<meta … />`, so the page is HTML5 and well-formed XML at once (a polyglot document: an
/// HTML parser and an XML parser read the same tree). Only `raw` writes markup unescaped: the
/// style sheet and SVG pictures, which Slope or Graphviz made.
struct HTMLDocument {
    private(set) var text = ""

    /// Opens an element that holds others; close it with `close`.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<\(name)\(Self.written(attributes))>"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>"
    }

    /// An element whose only content is `content`, escaped.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text content: String) {
        text += "<\(name)\(Self.written(attributes))>\(HTMLText.escaped(content))</\(name)>"
    }

    /// An element that has no content and no end tag in HTML (`meta`, `br`).
    mutating func void(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<\(name)\(Self.written(attributes)) />"
    }

    /// Text, escaped.
    mutating func write(_ content: String) {
        text += HTMLText.escaped(content)
    }

    /// Markup written as it is: the style sheet, an inline SVG picture, a line break.
    mutating func raw(_ markup: String) {
        text += markup
    }

    private static func written(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(HTMLText.escaped($0.value))\"" }.joined()
    }
}
