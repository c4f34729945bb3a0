import Foundation
import Testing
import SlopeTestSupport

/// The report of every Graphs/ program opened in headless Chromium, in a phone's window
/// (412 × 900): it loads with nothing on the console (no error, no refused load: the page's
/// Content-Security-Policy makes any reference to elsewhere a console error), its screenshot
/// is the window's size and not blank, its DOM holds the title, every section and the source,
/// and it is no wider than the phone (only `pre` blocks scroll sideways). `.ci/run` installs
/// Chromium; under CI its absence fails, elsewhere these tests are skipped with the reason.
@Suite(.enabled(if: Chromium.executable != nil || Chromium.isRequired, Comment(rawValue: Chromium.missingMessage)))
struct ReportBrowserTests {
    static let window = (width: 412, height: 900)

    static let folder: TemporaryDirectory? = try? TemporaryDirectory()
    static let pages: [String: URL] = {
        guard let folder, let written = try? ReportPages.write(to: folder.url) else { return [:] }
        return Dictionary(uniqueKeysWithValues: written.map { ($0.name, $0.url) })
    }()

    /// A screenshot of an empty page in the same window: a blank render of a report is no larger.
    static let blankSize: Int = {
        guard Chromium.executable != nil, let blank = try? Chromium.screenshot(of: URL(string: "about:blank")!,
                                                                               width: window.width, height: window.height)
        else { return 0 }
        return blank.png.count
    }()

    @Test func chromiumIsThere() {
        #expect(Chromium.executable != nil, "CI=true but \(Chromium.missingMessage); .ci/run installs it with apt-get")
    }

    @Test(arguments: GradCommandTests.programs)
    func everyExamplesPageRendersInABrowser(_ name: String) throws {
        try #require(Chromium.executable != nil, "\(Chromium.missingMessage)")
        let url = try #require(Self.pages[name], "the page of \(name) was not written")

        let shot = try Chromium.screenshot(of: url, width: Self.window.width, height: Self.window.height)
        #expect(shot.run.status == 0 && !shot.run.timedOut, "\(shot.run)")
        #expect(shot.run.consoleMessages.isEmpty, "console: \(shot.run.consoleMessages.joined(separator: "\n"))")
        let size = try #require(Chromium.pngSize(shot.png), "no screenshot: \(shot.run)")
        #expect(size.width == Self.window.width && size.height == Self.window.height)
        // Text, code blocks and pictures compress far worse than an empty window.
        #expect(Self.blankSize > 0 && shot.png.count > 8 * Self.blankSize,
                "the screenshot (\(shot.png.count) bytes) is no richer than a blank page's (\(Self.blankSize) bytes)")

        let dom = try Chromium.dom(of: url)
        #expect(dom.status == 0 && !dom.timedOut, "\(dom)")
        #expect(dom.consoleMessages.isEmpty, "console: \(dom.consoleMessages.joined(separator: "\n"))")
        let path = PackagePaths.graphs.appendingPathComponent(name + ".graph").path
        #expect(dom.out.contains("<h1>\(path)</h1>"), "the title")
        for section in ["source", "run", "graph", "gradient", "check", "calculus"] {
            #expect(dom.out.contains("<section id=\"\(section)\">"), "the \(section) section")
        }
        let firstStatement = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .first { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init) ?? ""
        #expect(dom.out.contains(firstStatement.replacingOccurrences(of: "&", with: "&amp;")
                                               .replacingOccurrences(of: "<", with: "&lt;")
                                               .replacingOccurrences(of: ">", with: "&gt;")),
                "the source's first statement, \(firstStatement)")

        let width = try #require(try Chromium.documentWidth(of: url, window: Self.window.width), "the width probe did not report")
        #expect(width.scroll <= width.client, "the page is \(width.scroll) px wide in a \(width.client) px window")
    }
}
