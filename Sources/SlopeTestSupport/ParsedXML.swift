import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document as Foundation's `XMLParser` reads it back: every element's name, its
/// `class` attribute and its text, in document order. `parse` returns nil unless the text is
/// well-formed: on Linux `XMLParser.parse()` can report success after an error, so the parser's
/// error and the balance of start and end tags are checked as well.
public struct ParsedXML {
    public struct Element {
        public var name: String
        public var attributes: [String: String]
        public var text: String
    }

    public var elements: [Element]

    public var rootName: String? { elements.first?.name }
    public var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }

    public func count(name: String, className: String? = nil) -> Int {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }.count
    }

    public func first(name: String, className: String) -> Element? {
        elements.first { $0.name == name && $0.attributes["class"] == className }
    }

    public static func parse(_ text: String) -> ParsedXML? {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse(), parser.parserError == nil, !collector.failed,
              collector.open.isEmpty, collector.roots == 1 else { return nil }
        return ParsedXML(elements: collector.elements)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        public var elements: [Element] = []
        var open: [Int] = []
        var roots = 0
        var failed = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if open.isEmpty { roots += 1 }
            open.append(elements.count)
            elements.append(Element(name: elementName, attributes: attributes, text: ""))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            guard let index = open.popLast(), elements[index].name == elementName else {
                failed = true
                return
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            failed = true
        }
    }
}
