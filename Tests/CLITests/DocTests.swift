import Foundation
import Testing
import SlopeTestSupport

/// The doc tests: every ```console block of README.md and docs/ is run and its output compared
/// with the page (`DocTestRunner`), and the checker itself is shown to catch a wrong page.
struct DocTests {
    static let binary = DocTestRunner.binary

    @Test(.enabled(if: binary != nil, "no built slope binary (swift build --product slope)"),
          arguments: DocTestRunner.pages())
    func everyCommandOnThePagePrintsWhatThePageShows(page: String) throws {
        let failures = DocTestRunner.check(page: page, binary: try #require(DocTests.binary))
        for failure in failures { Issue.record("\(failure)") }
    }

    @Test func theGuideAndTheREADMEAreAmongThePages() {
        let pages = DocTestRunner.pages()
        #expect(pages.contains("README.md"))
        #expect(pages.contains("docs/learn/README.md"))
    }

    // MARK: The checker fails when it should

    /// A page whose second command shows the wrong value: the failure names the page and the
    /// line of that command and shows the difference; the first command passes.
    @Test(.enabled(if: binary != nil, "no built slope binary (swift build --product slope)"))
    func aWrongOutputIsReportedWithItsLineAndADiff() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("wrong.md", """
            # A page

            ```console
            $ slope run Graphs/partials.graph
            f = 24
            grad(f, x) = 48
            grad(f, y) = 36

            $ slope run Graphs/paraboloid.graph
            f = 13
            grad(f, x) = 5
            grad(f, y) = 6
            ```

            """)
        let failures = DocTestRunner.check(page: "wrong.md", file: URL(fileURLWithPath: file),
                                           binary: try #require(DocTests.binary), update: false)
        #expect(failures.map(\.line) == [9])
        // f = x^2 + y^2 at (2, 3): df/dx = 2x = 4, not the 5 the page claims.
        #expect(failures.first?.description == """
            wrong.md:9: 'slope run Graphs/paraboloid.graph' printed something else (- shown on the page, + printed):
              f = 13
            - grad(f, x) = 5
            + grad(f, x) = 4
              grad(f, y) = 6
            """)
    }

    /// Regenerating rewrites the wrong output only, keeping the blank line before the next
    /// command and the `[..]` of a matching one, and still fails, so the change is reviewed.
    @Test(.enabled(if: binary != nil, "no built slope binary (swift build --product slope)"))
    func regeneratingRewritesOnlyTheOutputsThatDiffer() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("stale.md", """
            ```console
            $ slope run Graphs/paraboloid.graph
            f = 14

            $ slope run Graphs/partials.graph
            f = [..]
            ...
            ```
            """)
        let failures = DocTestRunner.check(page: "stale.md", file: URL(fileURLWithPath: file),
                                           binary: try #require(DocTests.binary), update: true)
        #expect(failures.count == 2)
        #expect(failures.last?.message.hasPrefix("rewrote 1 output(s)") == true)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == """
            ```console
            $ slope run Graphs/paraboloid.graph
            f = 13
            grad(f, x) = 4
            grad(f, y) = 6

            $ slope run Graphs/partials.graph
            f = [..]
            ...
            ```
            """)
    }

    @Test func aCommandShownOutsideAConsoleBlockIsRefused() {
        let transcript = DocTranscript(path: "page.md", text: """
            ```
            $ slope run Graphs/sauna.graph
            T = 76.9
            ```

            ```console
            $ python fit.py
            ```

            ```sh
            swift build
            ```
            """)
        #expect(transcript.problems.map(\.line) == [2, 7])
        #expect(transcript.problems.first?.message.contains("fence it as ```console") == true)
        #expect(transcript.problems.last?.message.contains("in a ```sh block") == true)
        #expect(transcript.commands.map(\.text) == ["python fit.py"])
    }

    @Test func aBlockThatIsNeverClosedIsRefused() {
        let transcript = DocTranscript(path: "page.md", text: "text\n```console\n$ slope --version\n")
        #expect(transcript.problems == [DocTranscript.Problem(line: 2, message: "this code block is never closed")])
    }

    // MARK: What varies

    @Test func threeDotsMatchAnyNumberOfLines() {
        let pattern = OutputPattern(["first", "...", "last"])
        #expect(pattern.matches("first\nlast\n"))
        #expect(pattern.matches("first\none\ntwo\nlast\n"))
        #expect(!pattern.matches("first\none\n"))
        #expect(!pattern.matches("zeroth\nfirst\nlast\n"))
        #expect(OutputPattern(["..."]).matches(""))
    }

    @Test func bracketedDotsMatchAnyTextOnTheirLine() {
        #expect(OutputPattern.line("loss 4.1  [..] steps/s", matches: "loss 4.1  107436 steps/s"))
        #expect(OutputPattern.line("[..] steps/s", matches: " steps/s"))
        #expect(OutputPattern.line("a [..] b [..] c", matches: "a 1 b 2 c"))
        #expect(!OutputPattern.line("a [..] b [..] c", matches: "a 1 c 2 b"))
        #expect(!OutputPattern(["loss [..]"]).matches("loss 1\nloss 2\n"))
    }

    @Test func blankLinesAtTheEndAreIgnoredAndOthersAreNot() {
        #expect(OutputPattern(["a", ""]).matches("a\n"))
        #expect(OutputPattern(["a"]).matches("a\n\n"))
        #expect(!OutputPattern(["a", "", "b"]).matches("a\nb\n"))
    }
}

/// The guide's `--plot` pictures are what Slope draws today: each line of docs/learn/pictures.sh
/// that writes one is run again, into a scratch folder, and the SVG compared byte for byte.
struct GuidePictureTests {
    @Test(.enabled(if: DocTests.binary != nil, "no built slope binary (swift build --product slope)"),
          arguments: GuidePictures.plots())
    func theCommittedPictureIsWhatSlopeDrawsToday(plot: GuidePictures.Plot) throws {
        let directory = try TemporaryDirectory()
        let drawn = directory.path("picture.svg")
        var arguments = plot.arguments
        arguments[try #require(arguments.firstIndex(of: "--plot")) + 1] = drawn
        let process = Process()
        process.executableURL = DocTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = PackagePaths.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try Data(contentsOf: PackagePaths.root.appendingPathComponent(plot.picture))
        #expect(try Data(contentsOf: URL(fileURLWithPath: drawn)) == committed,
                "\(plot.picture) is not what 'slope \(plot.arguments.joined(separator: " "))' draws today; run docs/learn/pictures.sh and review the diff")
    }

    @Test func theScriptDrawsEveryPlotTheGuideShows() {
        #expect(GuidePictures.plots().map(\.picture) == [
            "docs/learn/least_squares.svg", "docs/learn/perceptron.svg", "docs/learn/newton.svg", "docs/learn/area.svg",
        ])
    }
}
