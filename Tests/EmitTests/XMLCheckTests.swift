import Testing
import SlopeTestSupport

/// The checker the plot tests rely on must itself reject broken XML.
@Suite struct XMLCheckTests {
    @Test(arguments: ["<svg><g></svg>", "<svg><text>a & b</text></svg>", "<svg a=\"x\"y\"/>", "<a/><b/>", ""])
    func malformedDocumentsAreRejected(_ text: String) {
        #expect(ParsedXML.parse(text) == nil)
    }

    @Test func wellFormedDocumentIsRead() throws {
        let parsed = try #require(ParsedXML.parse("<svg><text class=\"t\">a &amp; &lt;b&gt;</text><g/></svg>"))
        #expect(parsed.rootName == "svg")
        #expect(parsed.texts == ["a & <b>"])
        #expect(parsed.count(name: "text", className: "t") == 1)
    }
}
