import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `slope report`: the page of every Graphs/ program (well-formed, self-contained, each block
/// what the command above it prints), golden pages for two programs with Graphviz hidden, the
/// escaping of the user's text, a program with errors, `-o` and its failures, usage errors.
@Suite struct ReportCommandTests {
    static let programs = GradCommandTests.programs

    /// An environment without Graphviz on PATH, so pages do not depend on dot's version.
    static let withoutGraphviz: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent-slope-path"
        return environment
    }()

    static func relative(_ text: String) -> String { text.replacingOccurrences(of: PackagePaths.root.path + "/", with: "") }

    static func report(_ source: String, _ arguments: [String] = []) throws -> (CommandResult, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", source)
        return (InProcess.run(["report", path] + arguments, environment: withoutGraphviz), directory)
    }

    @Test(arguments: ["newton", "directional_derivative"])
    func pageMatchesItsGoldenFile(_ name: String) {
        let result = InProcess.run(["report", GradCommandTests.path(name)], environment: Self.withoutGraphviz)
        #expect(result.status == .success, "\(result.err)")
        #expect(result.err.isEmpty, "\(result.err)")
        Golden.expectMatch(Self.relative(result.out), command: "report", name: "\(name).html")
    }

    @Test(arguments: programs)
    func everyExamplesPageIsWellFormedAndHasEverySection(_ name: String) throws {
        let page = try #require(ReportPages.page(name))
        #expect(page.result.status == .success, "\(page.result.err)")
        #expect(page.result.err.isEmpty, "\(page.result.err)")
        let parsed = try #require(ParsedXML.parse(page.html), "the page is not well-formed XML")
        #expect(parsed.rootName == "html")
        let sections = parsed.elements.filter { $0.name == "section" }.compactMap { $0.attributes["id"] }
        #expect(sections == ["source", "run", "graph", "gradient", "check", "calculus"])
        // The source, line for line, in the listing.
        let source = try String(contentsOfFile: page.path, encoding: .utf8)
        let listing = try #require(parsed.first(name: "pre", className: "listing")).text
        #expect(listing == source, "the listing's text (without its line numbers) is the file")
    }

    @Test(arguments: programs)
    func everyExamplesPageLoadsNothingFromElsewhere(_ name: String) throws {
        let html = try #require(ReportPages.page(name)).html
        for pattern in ["<script", "<link", "<iframe", "<img", "<object", "<embed", " src=", "@import", "javascript:"] {
            #expect(!html.lowercased().contains(pattern), "the page contains \(pattern)")
        }
        // Links stay on the page; url(...) only names something on the page (a clip path).
        #expect(html.components(separatedBy: "href=\"").dropFirst().allSatisfy { $0.hasPrefix("#") })
        #expect(html.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") })
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                              + "style-src &#39;unsafe-inline&#39;; img-src data:\" />"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />"))
        #expect(html.contains("@media print"))
    }

    /// The footer's promise: under each command line is what that command prints. Each one is
    /// run here and its stdout compared (its stderr too, for the commands that announce their
    /// target), and the run's picture is the file `--plot` writes.
    @Test(arguments: programs)
    func everyCommandBlockIsWhatThatCommandPrints(_ name: String) throws {
        let html = try #require(ReportPages.page(name)).html
        let elements = try #require(ParsedXML.parse(html)).elements.filter { $0.name == "pre" }
        let directory = try TemporaryDirectory()
        var checked = 0
        for (index, element) in elements.enumerated() where element.attributes["class"] == "command" {
            guard !element.text.contains(" | dot -Tsvg") else { continue }
            var words = try #require(ShellWords.split(element.text), "cannot read the command \(element.text)")
            #expect(words.first == "slope")
            words.removeFirst()
            var plot: String?
            if let option = words.firstIndex(of: "--plot") {
                plot = directory.path("plot.svg")
                words[option + 1] = plot!
            }
            let result = InProcess.run(words)
            let following = elements[(index + 1)...].prefix { $0.attributes["class"] != "command" }
            let output = following.first { $0.attributes["class"] == "output" }?.text ?? ""
            #expect(output == result.out, "\(element.text)")
            if words.first != "run" {
                let stderr = following.first { $0.attributes["class"] == "stderr" }?.text ?? ""
                #expect(stderr == result.err, "\(element.text)")
            }
            if let plot {
                let written = try String(contentsOfFile: plot, encoding: .utf8)
                #expect(html.contains(try #require(InlineSVG.prepared(written, idPrefix: "run-1"))), "the page's plot is --plot's")
            }
            checked += 1
        }
        #expect(checked >= 3, "run, grad and check at least")
    }

    @Test func theUsersTextIsEscapedEverywhere() throws {
        // `<`, `&` and quotes in a comment, a name and a printed expression; an escape sequence
        // and a right-to-left override, which the page shows as U+FFFD.
        let source = "# if x < 3 then <script>alert(1)</script> & \"quoted\" 'too'\n"
            + "# esc \u{1B}[31m and \u{202E}reversed\n"
            + "param x = 2\nf = x^2 # </pre> <b>\nprint f, x^2 + 1\n"
        let (result, _) = try Self.report(source)
        #expect(result.status == .success, "\(result)")
        let html = result.out
        #expect(!html.contains("<script"), "a script element")
        #expect(!html.contains("<b>"))
        #expect(html.contains("# if x &lt; 3 then &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;too&#39;"))
        #expect(html.contains("# esc \u{FFFD}[31m and \u{FFFD}reversed"))
        #expect(html.contains("f = x^2 # &lt;/pre&gt; &lt;b&gt;"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{202E}"))
        // The comment's first paragraph is the page's lead, escaped the same way.
        #expect(html.contains("<p class=\"lead\">if x &lt; 3 then &lt;script&gt;"))
        #expect(ParsedXML.parse(html) != nil)
    }

    @Test func aProgramWithSyntaxErrorsStillGetsAPageWithItsDiagnostics() throws {
        let (result, _) = try Self.report("param x = 1\nf = (x^2 + 1\ng = 2*f\nh = g**2\n")
        #expect(result.status == .programError, "as every command exits for a program that is wrong")
        // The diagnostics go to stderr as for every command, and stand under their lines on the page.
        #expect(result.err.contains("program.graph:2:5: error: '(' is never closed\nf = (x^2 + 1\n    ^\n"), "\(result.err)")
        #expect(result.err.contains("error: '**' is not an operator"))
        let parsed = try #require(ParsedXML.parse(result.out))
        let sections = parsed.elements.filter { $0.name == "section" }.compactMap { $0.attributes["id"] }
        #expect(sections == ["source"], "nothing runs")
        #expect(result.out.contains("""
            <span class="ln">2 </span>f = (x^2 + 1
            <span class="ln">  </span><span class="error">    ^</span>
            <span class="ln">  </span><span class="error">error: &#39;(&#39; is never closed</span>
            """))
        #expect(result.out.contains("""
            <span class="ln">4 </span>h = g**2
            <span class="ln">  </span><span class="error">     ^~</span>
            """))
        #expect(result.out.contains("with 2 errors, each under the line it points at"))
    }

    @Test func aShapeErrorIsShownAtItsLineToo() throws {
        let (result, _) = try Self.report("input X = [[1, 2], [3, 4], [5, 6]]\ninput b = [1, 2, 3, 4]\nz = X + b\nprint z\n")
        #expect(result.status == .programError)
        #expect(result.out.contains("<span class=\"ln\">3 </span>z = X + b\n"), "\(result.out)")
        #expect(result.out.contains("error: cannot add shapes [3, 2] and [4]"))
    }

    @Test func warningsAndRunFailuresStandInTheListingAndMakeTheStatus() throws {
        // gd with rate 1 on x⁴ from 3 overshoots until the loss is infinite: training fails.
        let (result, _) = try Self.report("param x = 3\nf = x^4\nminimize f by gd(rate: 1, steps: 100)\n")
        #expect(result.status == .programError, "as run exits for a training that fails")
        #expect(!result.err.isEmpty)
        let parsed = try #require(ParsedXML.parse(result.out))
        let sections = parsed.elements.filter { $0.name == "section" }.compactMap { $0.attributes["id"] }
        #expect(sections == ["source", "run", "graph", "gradient", "check", "calculus"], "the rest of the page is still there")
        #expect(result.out.contains("<span class=\"ln\">3 </span>minimize f by gd(rate: 1, steps: 100)\n<span class=\"ln\">  </span>"
                                    + "<span class=\"error\">"), "the failure under the training statement")
    }

    @Test func aProgramWithNothingToDifferentiateSaysSo() throws {
        let (result, _) = try Self.report("input x = 3\nf = x^2\nprint f\n")
        #expect(result.status == .success, "\(result)")
        #expect(result.out.contains("Nothing to differentiate: &#39;f&#39; depends on no param"))
        #expect(result.out.contains("There is no backward pass to draw"))
        // f is still a function of one scalar input: its tangent line and critical point.
        #expect(result.out.contains("f_tangent = 9 + 6*(x - 3)"))
    }

    /// A picture of more than `mostNodesLaidOut` nodes is not handed to Graphviz (a stand-in
    /// `dot` that leaves a mark when it runs): the page says why, and a small one still is.
    @Test func aPictureTooLargeToLayOutIsNotHandedToGraphviz() throws {
        let dot = try Graphviz.standIn("/usr/bin/touch \"${0%/dot}/ran\"; exec /bin/cat")
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = dot.url.path
        let directory = try TemporaryDirectory()
        let terms = ReportBuilder.mostNodesLaidOut / 2 + 10
        let large = try directory.write("large.graph", "param x = 3\ns = x" + String(repeating: " + 1", count: terms) + "\nprint s\n")
        let result = InProcess.run(["report", large], environment: environment)
        #expect(result.status == .success, "\(result.err)")
        #expect(result.out.contains("more than Graphviz lays out in a reasonable time (\(ReportBuilder.mostNodesLaidOut)), "
                                    + "so it is not drawn here"), "\(result.out.prefix(2000))")
        #expect(!FileManager.default.fileExists(atPath: dot.path("ran")), "dot ran on a picture over the limit")
        let small = try directory.write("small.graph", "param x = 3\ns = x + 1\nprint s\n")
        #expect(InProcess.run(["report", small], environment: environment).status == .success)
        #expect(FileManager.default.fileExists(atPath: dot.path("ran")), "dot did not run on a small picture")
    }

    @Test func withoutGraphvizThePageSaysHowToDrawThePictures() throws {
        let (result, _) = try Self.report("param x = 2\nf = x^2\nprint f\n")
        #expect(result.out.contains("<span class=\"prompt\">$ </span>slope dot "), "\(result.out)")
        #expect(result.out.contains(" | dot -Tsvg &gt; program.svg</pre>"))
        #expect(result.out.contains(" --grad | dot -Tsvg &gt; program-grad.svg</pre>"))
        #expect(result.out.contains("Graphviz&#39;s <code>dot</code> is not on PATH, so the picture is not drawn here. "
                                    + "Install Graphviz (<code>apt-get install graphviz</code>"))
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)))
    func withGraphvizThePicturesAreInlineSVG() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", "param x = 2\nf = x^2\nprint f\n")
        let result = InProcess.run(["report", path])
        #expect(result.status == .success, "\(result)")
        let graph = try #require(result.out.components(separatedBy: "<section id=\"graph\">").last)
        #expect(graph.components(separatedBy: "<svg ").count - 1 == 2, "the program and its backward pass")
        #expect(graph.contains(" id=\"graph-1-graph0\"") && graph.contains(" id=\"graph-2-graph0\""), "ids made unique")
        #expect(!graph.contains("<?xml") && !graph.contains("<!DOCTYPE svg"))
    }

    @Test func theOptionsReachEveryCommandThatTakesThem() throws {
        let (result, directory) = try Self.report("param x = 2\nparam y = 1\nf = x^2 * y\nprint f\n",
                                                  ["--of", "f", "--wrt", "x", "--set", "x=3", "--seed", "7"])
        #expect(result.status == .success, "\(result)")
        let file = directory.path("program.graph")
        for command in ["slope run \(file) --set x=3 --seed 7 --plot program.svg",
                        "slope dot \(file) --of f --wrt x --set x=3 --seed 7 | dot -Tsvg &gt; program.svg",
                        "slope grad \(file) --of f --wrt x --set x=3 --seed 7",
                        "slope check \(file) --of f --wrt x --set x=3 --seed 7",
                        "slope tangent \(file) --of f --set x=3 --seed 7",
                        "slope critical \(file) --of f --set x=3 --seed 7 --in x=-3:9,y=-1:3"] {
            #expect(result.out.contains("<span class=\"prompt\">$ </span>\(command)</pre>"), "\(command)")
        }
        #expect(result.out.contains("f = 9\n"), "--set reached the run")
    }

    @Test func loadReachesTheRunThePicturesAndTheCheck() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("fit.graph", "param m = 0\nE = (m - 3)^2\nminimize E by gd(rate: 0.5, steps: 1)\nprint m\n")
        let saved = directory.path("params.json")
        #expect(InProcess.run(["run", path, "--quiet", "--save", saved]).status == .success)
        let result = InProcess.run(["report", path, "--load", saved], environment: Self.withoutGraphviz)
        #expect(result.status == .success, "\(result)")
        // One step of rate 1/2 from 0 lands on 3; loaded, the run starts there and stays.
        #expect(result.out.contains("minimize E by gd: 1 step, loss 0 -&gt; 0\n"), "\(result.out)")
        #expect(result.out.contains("slope check \(path) --load \(saved)</pre>"))
        #expect(result.out.contains("slope tangent \(path) --at m=3</pre>"), "tangent has no --load: the point is given")
    }

    @Test func outputGoesToTheFileAndNothingToStandardOutput() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", "param x = 2\nf = x^2\nprint f\n")
        let page = directory.path("page.html")
        try directory.write("page.html", "an older page")
        let result = InProcess.run(["report", path, "-o", page], environment: Self.withoutGraphviz)
        #expect(result.status == .success, "\(result)")
        #expect(result.out.isEmpty && result.err.isEmpty)
        let written = try String(contentsOfFile: page, encoding: .utf8)
        #expect(written == InProcess.run(["report", path], environment: Self.withoutGraphviz).out)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func outputIntoAMissingFolderIsAnErrorAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", "param x = 2\nf = x^2\nprint f\n")
        let page = directory.path("missing/page.html")
        let result = InProcess.run(["report", path, "-o", page], environment: Self.withoutGraphviz)
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        #expect(result.err == "slope: error: cannot write '\(page)': the folder '\(directory.path("missing"))' does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing")))
    }

    @Test func aPageWithErrorsIsStillWrittenToTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", "f = (1 +\n")
        let page = directory.path("page.html")
        let result = InProcess.run(["report", path, "-o", page], environment: Self.withoutGraphviz)
        #expect(result.status == .programError)
        // The error is at the end of the file, on the line after the last line break.
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("""
            <span class="ln">1 </span>f = (1 +
            <span class="ln">2 </span>
            <span class="ln">  </span><span class="error">^</span>
            <span class="ln">  </span><span class="error">error: expected an expression, found end of file</span>
            """))
    }

    @Test func anUnreadableFileIsAnErrorWithoutAPage() throws {
        let directory = try TemporaryDirectory()
        let page = directory.path("page.html")
        let result = InProcess.run(["report", directory.path("absent.graph"), "-o", page])
        #expect(result.status == .programError)
        #expect(result.err.contains("cannot read '\(directory.path("absent.graph"))': no such file"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: page))
    }

    @Test(arguments: [["--of", "nope"], ["--wrt", "q"], ["--set", "q=1"], ["-o"], ["--json"]])
    func aWrongCommandLineIsAUsageErrorWithoutAPage(_ extra: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("program.graph", "param x = 2\nf = x^2\nprint f\n")
        let page = directory.path("page.html")
        let result = InProcess.run(["report", path, "-o", page] + extra, environment: Self.withoutGraphviz)
        #expect(result.status == .usageError, "\(result)")
        #expect(result.out.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: page))
    }

    @Test func theCriticalBoxCoversTheStartAndTheEndOfTheRun() {
        // Sauna from (3, 3) to (4, 4): the span 1 widened by 0.3 on each side.
        let box = ReportBuilder.criticalBox(from: [3, 3], to: [4, 4])
        #expect(box.map(\.lower) == ["2.7", "2.7"] && box.map(\.upper) == ["4.3", "4.3"])
        // Not moved: v ± 2·max(1, |v|), as the function plot frames a point.
        #expect(ReportBuilder.criticalBox(from: [2, -50], to: [2, -50]).map { "\($0.lower):\($0.upper)" } == ["-2:6", "-150:50"])
        // Newton from 0.05 to 0.567: [-0.105, 0.722] rounded outwards to two digits of the width.
        #expect(ReportBuilder.criticalBox(from: [0.05], to: [0.567]).map { "\($0.lower):\($0.upper)" } == ["-0.11:0.73"])
    }

    @Test func wordsAreQuotedAsAShellReadsThem() {
        #expect(ReportBuilder.shellQuoted("Graphs/sauna.graph") == "Graphs/sauna.graph")
        #expect(ReportBuilder.shellQuoted("x=[1, 2]") == "'x=[1, 2]'")
        #expect(ReportBuilder.shellQuoted("it's") == "'it'\\''s'")
        #expect(ReportBuilder.shellQuoted("") == "''")
        #expect(ShellWords.split("slope run 'a b' 'it'\\''s' c") == ["slope", "run", "a b", "it's", "c"])
    }
}

/// Splits a command line the report shows back into words, as a POSIX shell does for what
/// `ReportBuilder.shellQuoted` writes: plain words, single-quoted parts, and `\'` between them
/// (nil for an unterminated quote).
enum ShellWords {
    static func split(_ line: String) -> [String]? {
        var words: [String] = [], current = "", inWord = false, quoted = false, escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted {
                if character == "'" { quoted = false } else { current.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard !quoted, !escaped else { return nil }
        if inWord { words.append(current) }
        return words
    }
}
