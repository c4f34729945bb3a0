import Testing
@testable import SlopeCore

struct DOTEscapingTests {
    @Test func quotedStringsEscapeQuotesAndBackslashes() {
        #expect(DOTEscaping.quoted(#"a"b\c"#) == #""a\"b\\c""#)
    }

    @Test func trailingBackslashCannotSwallowTheClosingQuote() {
        // A path ending in a backslash would otherwise turn the closing quote into `\"`.
        #expect(DOTEscaping.quoted(#"dir\"#) == #""dir\\""#)
    }

    @Test func htmlEscapesEveryMarkupCharacter() {
        #expect(DOTEscaping.html(#"<b>&"x'{}"#) == "&lt;b&gt;&amp;&quot;x&#39;{}")
    }

    @Test func lineBreaksAndControlCharactersAreWrittenVisibly() {
        #expect(DOTEscaping.visible("a\nb\r\tc\u{7}d\u{FFFF}") == #"a\nb\r\tc\u{7}d\u{FFFF}"#)
        #expect(!DOTEscaping.html("a\nb").contains("\n"))
        #expect(!DOTEscaping.quoted("a\nb").contains("\n"))
    }

    @Test func nonASCIITextIsKept() {
        #expect(DOTEscaping.html("∂L/∂é") == "∂L/∂é")
    }

    @Test(arguments: [5, 48, 80])
    func abbreviatingARangeReadsItsStartAlikeTheWholeText(_ limit: Int) {
        // Long runs of spaces, line breaks and multi-byte characters around the window's edges.
        let texts = ["x = " + String(repeating: "c + ", count: 3000) + "c",
                     String(repeating: " ", count: 700) + "a" + String(repeating: "\n   ", count: 300) + "b",
                     String(repeating: "αβγ→ ", count: 200), "short", ""]
        for text in texts {
            let file = SourceFile(path: "t.graph", text: text)
            let range = SourceRange(file: file, start: 0, end: file.bytes.count)
            #expect(DOTEscaping.abbreviated(range, limit: limit) == DOTEscaping.abbreviated(text, limit: limit))
        }
    }

    @Test func abbreviatedCollapsesWhiteSpaceAndMarksTheCut() {
        #expect(DOTEscaping.abbreviated("mse(pred,\n      y)") == "mse(pred, y)")
        #expect(DOTEscaping.abbreviated("abcdefghij", limit: 5) == "abcd…")
    }
}
