import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `GraphvizRenderer`: found on the PATH it is given or not at all, a picture from real `dot`,
/// and a `dot` that fails or hangs (stand-ins: shell scripts named dot, alone on their PATH).
@Suite struct GraphvizRendererTests {
    static func fakeDot(_ body: String) throws -> TemporaryDirectory { try Graphviz.standIn(body) }

    @Test func isFoundOnlyOnThePathItIsGiven() throws {
        #expect(GraphvizRenderer(environment: ["PATH": "/nonexistent-slope-path"]) == nil)
        let directory = try Self.fakeDot("exec /bin/cat")
        let renderer = try #require(GraphvizRenderer(environment: ["PATH": "/nonexistent-slope-path:" + directory.url.path]))
        #expect(renderer.executable == directory.path("dot"))
    }

    @Test func theTextReachesDotOnItsStandardInput() throws {
        // A large input: a pipe would hold 64 KiB; the input is a file.
        let directory = try Self.fakeDot("echo \"$@\"; exec /bin/cat")
        let renderer = try #require(GraphvizRenderer(environment: ["PATH": directory.url.path]))
        let text = String(repeating: "digraph { a -> b }\n", count: 20_000)
        #expect(try renderer.svg(text).get() == "-Tsvg\n" + text)
    }

    @Test func aDotThatFailsGivesItsStatusAndFirstLine() throws {
        let directory = try Self.fakeDot("echo 'Error: syntax error in line 1' >&2; echo more >&2; exit 3")
        let renderer = try #require(GraphvizRenderer(environment: ["PATH": directory.url.path]))
        #expect(renderer.svg("x") == .failure(.failed(status: 3, message: "Error: syntax error in line 1")))
    }

    @Test func aDotThatHangsIsStoppedAfterTheTimeout() throws {
        let directory = try Self.fakeDot("exec /bin/sleep 30")
        let renderer = try #require(GraphvizRenderer(environment: ["PATH": directory.url.path], timeout: 0.5))
        let start = Date()
        #expect(renderer.svg("x") == .failure(.timedOut(0.5)))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test(.enabled(if: Graphviz.isInstalled, Comment(rawValue: Graphviz.missingMessage)))
    func realDotDrawsSVG() throws {
        let renderer = try #require(GraphvizRenderer(environment: ProcessInfo.processInfo.environment))
        let svg = try renderer.svg("digraph { a -> b }").get()
        #expect(svg.contains("<svg") && svg.contains("</svg>"))
    }
}
