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

    @Test func abbreviatedCollapsesWhiteSpaceAndMarksTheCut() {
        #expect(DOTEscaping.abbreviated("mse(pred,\n      y)") == "mse(pred, y)")
        #expect(DOTEscaping.abbreviated("abcdefghij", limit: 5) == "abcd…")
    }
}
