import Foundation
import Testing
import SlopeTestSupport

/// The report of every Graphs/ program through `Tools/report/check_html.py`: html5lib's HTML
/// parser in strict mode finds no parse error, and the page is self-contained. Needs html5lib
/// in `.build/pyenv` (`.ci/run` installs it); skipped without it, except under CI.
@Suite(.enabled(if: HTMLValidator.isAvailable || PythonEnvironment.isRequired, Comment(rawValue: HTMLValidator.skipMessage)))
struct ReportValidationTests {
    @Test func everyExamplesPagePassesTheValidator() throws {
        #expect(HTMLValidator.isAvailable, "CI=true but \(HTMLValidator.skipMessage)")
        let folder = try TemporaryDirectory()
        let pages = try ReportPages.write(to: folder.url)
        #expect(pages.count == PackagePaths.graphPrograms().count)
        let result = try HTMLValidator.check(pages.map(\.url))
        #expect(result.status == 0, "\(result)")
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == pages.count && lines.allSatisfy { $0.hasSuffix(": ok") }, "\(result)")
    }

    /// The validator itself fails a page that is not valid or not self-contained.
    @Test(arguments: [
        ("<h2>Run < 3</h2>", "HTML parse error"),
        ("<script src=\"https://example.com/a.js\"></script>", "a <script> element"),
        ("<a href=\"https://example.com\">x</a>", "leaves the page"),
        ("<p id=\"run\">again</p>", "id 'run' is used 2 times"),
        ("<p style=\"background: url(https://example.com/x.png)\">x</p>", "loads url(https://example.com/x.png)"),
    ])
    func theValidatorFailsAPageThatIsNotValidOrNotSelfContained(_ inserted: String, _ problem: String) throws {
        #expect(HTMLValidator.isAvailable, "CI=true but \(HTMLValidator.skipMessage)")
        let page = try #require(ReportPages.page("newton")).html
        let broken = page.replacingOccurrences(of: "<main>", with: "<main>" + inserted)
        let folder = try TemporaryDirectory()
        let url = folder.url.appendingPathComponent("broken.html")
        try Data(broken.utf8).write(to: url)
        let result = try HTMLValidator.check([url])
        #expect(result.status == 1 && result.out.contains(problem), "\(result)")
    }
}
