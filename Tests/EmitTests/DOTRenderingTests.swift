import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Every example program, drawn by `slope dot` in every mode, rendered by Graphviz: any error
/// or warning on dot's stderr fails the test. Skipped (with a message) without Graphviz.
struct DOTRenderingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Graphs/*.graph, by file name.
    static let programs: [String] = {
        let folder = root.appendingPathComponent("Graphs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".graph") }.sorted()
    }()

    static let modes: [[String]] = [[], ["--grad"], ["--values"], ["--grad", "--values"], ["--opt"],
                                    ["--opt", "--grad", "--values"], ["--expand"], ["--expand", "--grad", "--values"]]

    /// `slope dot PATH OPTIONS` in-process: the DOT text, after checking the command succeeded quietly.
    static func dot(_ path: String, _ options: [String]) -> String {
        let console = Console.capture()
        let status = Driver.main(["dot", path] + options, console: console)
        #expect(status == .success, "slope dot \(path) \(options): \(console.capturedErr)")
        #expect(console.capturedErr.isEmpty, "\(console.capturedErr)")
        #expect(DOTStructure.isWellFormed(console.capturedOut))
        return console.capturedOut
    }

    static func expectCleanRendering(_ text: String, _ what: String) throws {
        let rendering = try Graphviz.render(text)
        #expect(rendering.isClean, "dot -Tsvg on \(what): exit \(rendering.status), stderr: \(rendering.errors)")
        #expect(String(decoding: rendering.output, as: UTF8.self).contains("<svg"))
    }

    @Test func examplesAreFound() {
        #expect(Self.programs.count >= 9, "no Graphs/*.graph under \(Self.root.path)")
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)),
          arguments: programs, modes)
    func everyExampleRendersWithoutWarnings(program: String, options: [String]) throws {
        let path = Self.root.appendingPathComponent("Graphs").appendingPathComponent(program).path
        try Self.expectCleanRendering(Self.dot(path, options), "\(program) \(options)")
    }

    /// Generated programs, not only the examples: with `newrank=true` Graphviz 2.43 (Debian's)
    /// failed on ordinary backward passes ("trouble in init_rank"), and its spline router warned
    /// "Unable to reclaim box space" on some layouts (seeds 6 and 7 here, with a long title).
    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)), arguments: 0..<40)
    func generatedProgramsRenderInEveryMode(seed: Int) throws {
        let program = RandomProgram(seed: UInt64(seed))
        let directory = try TemporaryDirectory()
        let path = try directory.write("generated.graph", program.source + "\nprint f\n")
        for options in Self.modes {
            try Self.expectCleanRendering(Self.dot(path, options), "\(program) \(options)")
        }
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)), arguments: modes)
    func twoLayerNetworkWithAccuracyRendersInEveryMode(options: [String]) throws {
        // Issue 13's reproduction: Graphviz 2.43 reported "trouble in init_rank … lost n11 n39 edge".
        let directory = try TemporaryDirectory()
        let path = try directory.write("network.graph", """
            input X = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]]
            input y = [0, 1, 1]
            param W1: [2, 3] = 0.5
            param b1: [3] = 0
            param W2: [3] = 0.5
            param b2 = 0
            h = sigmoid(X @ W1 + b1)
            p = sigmoid(h @ W2 + b2)
            loss = bce(p, y)
            print loss, accuracy(p, y)
            """)
        try Self.expectCleanRendering(Self.dot(path, options), "network.graph \(options)")
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)), arguments: modes)
    func theSeedBesideAForwardOneRendersInEveryMode(options: [String]) throws {
        // The seed d_loss = 1 is a node of its own beside the forward `1` of `1 - y`.
        let directory = try TemporaryDirectory()
        let path = try directory.write("seed.graph", "param w = 2\ninput y = 0.25\nloss = (1 - y) * sigmoid(w)^2\n")
        let text = Self.dot(path, options)
        try Self.expectCleanRendering(text, "seed.graph \(options)")
        if !options.contains("--opt") { #expect(text.contains("d_loss = 1") == options.contains("--grad")) }
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)), arguments: modes)
    func maxAndMinRenderInEveryMode(options: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("hinge.graph", """
            # A hinge loss: max and min, elementwise and reduced.
            input X = [[1, 2], [-1, 0.5], [2, -1]]
            input y = [1, -1, 1]
            param w = [0.1, -0.2]
            param b = 0
            margin = y * (X @ w + b)
            loss = mean(max(1 - margin, 0)) + max(w) - min(w, axis: 0)
            print loss, min(X)
            minimize loss by gd(rate: 0.1, steps: 10)
            """)
        let text = Self.dot(path, options)
        try Self.expectCleanRendering(text, "max_min.graph \(options)")
        #expect(text.contains("max") && text.contains("min"))
        if options.contains("--grad") { #expect(text.contains("equal")) }
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)),
          arguments: ["we\"ird \\ {dir} <x> & 'q' ]]>", "line\nbreak\\"])
    func hostilePathRendersInEveryMode(folderName: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            .appendingPathComponent(folderName)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let graphs = Self.root.appendingPathComponent("Graphs")
        try FileManager.default.copyItem(at: graphs.appendingPathComponent("data/circle.csv"),
                                         to: folder.appendingPathComponent("data/circle.csv"))
        let program = folder.appendingPathComponent("net {\"<q>\"}.graph")
        try FileManager.default.copyItem(at: graphs.appendingPathComponent("two_layer_network.graph"), to: program)
        for options in Self.modes {
            try Self.expectCleanRendering(Self.dot(program.path, options), "\(program.path) \(options)")
        }
    }
}

extension DOTRenderingTests {
    /// The default picture of every example fits a screen: at most about 1,500 px wide (SVG
    /// points are 4/3 px), with each call one box.
    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)), arguments: programs)
    func everyExamplesDefaultPictureIsAtMost1500PixelsWide(program: String) throws {
        let path = Self.root.appendingPathComponent("Graphs").appendingPathComponent(program).path
        let svg = String(decoding: try Graphviz.render(Self.dot(path, [])).output, as: UTF8.self)
        let width = try #require(svg.firstMatch(of: /<svg width="([0-9.]+)pt"/).flatMap { Double($0.1) }, "\(svg.prefix(300))")
        #expect(width * 4 / 3 <= 1500, "\(program): \(Int(width * 4 / 3)) px wide")
    }
}
