import Foundation
import Testing
@testable import SlopeCore

@Suite struct PipelineTests {
    @Test func reportsNodeCountsAndRulesWithTheirLines() throws {
        let program = try #require(PassTesting.lower("""
        param x = 2
        a = x * 1
        b = a + 0
        print b
        """))
        let optimized = PassTesting.optimize(program.graph, roots: program.roots)
        let simplify = try #require(optimized.runs.first { $0.pass == "simplify" })
        #expect(simplify.firings.map(\.rule) == ["mul-by-one", "add-zero"])
        #expect(simplify.firings.map { $0.range?.line } == [2, 3])
        let dce = try #require(optimized.runs.first { $0.pass == "dce" })
        #expect(dce.nodesAfter < dce.nodesBefore)
        #expect(optimized.graph.count == 1, "only x is left")
    }

    @Test func anAppendedPhaseRunsAfterTheStandardOnes() throws {
        // How `fuse` will join: a phase appended to the standard list.
        let marker = Pass(name: "probe") { graph, _, report in
            report.fired("probe-ran", at: nil)
            return .unchanged(graph)
        }
        var pipeline = Pipeline.standard
        pipeline.phases.append(Pipeline.Phase(name: "fuse", passes: [marker]))
        let program = try #require(PassTesting.lower("param x = 2\nprint x*1\n"))
        let optimized = Optimizer.optimize(program.graph, roots: program.roots, pipeline: pipeline)
        #expect(optimized.runs.map(\.pass) == ["simplify", "dce"], "an unchanged pass is not reported")
        #expect(!optimized.limitReached)
    }

    @Test func irCommandPrintsOptimizedLoweredAndPerPassIR() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("passes-ir-\(UUID().uuidString).graph").path
        try "param x = 2\ny = x * 1 + 0\nprint y^2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let optimizedConsole = Console.capture()
        #expect(Driver.main(["ir", path], console: optimizedConsole) == .success)
        #expect(optimizedConsole.capturedOut.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 2,
                "x and x*x: \(optimizedConsole.capturedOut)")

        let lowered = Console.capture()
        #expect(Driver.main(["ir", path, "--no-opt"], console: lowered) == .success)
        #expect(lowered.capturedOut.contains("pow("))

        let passes = Console.capture()
        #expect(Driver.main(["ir", path, "--passes"], console: passes) == .success)
        let text = passes.capturedOut
        #expect(text.hasPrefix("# lowered: 7 nodes\n"), "\(text)")
        #expect(text.contains("# canonicalize round 1, simplify: "), "\(text)")
        #expect(text.contains("#   mul-by-one at line 2"), "\(text)")
        #expect(text.contains("#   pow-two-to-mul at line 3"), "\(text)")
    }

    @Test func firingsFromThePreludeNameTheCallersLine() {
        let lines = IRCommand.firingLines([
            RuleFiring(rule: "mul-by-one", range: nil),
            RuleFiring(rule: "mul-by-one", range: nil),
        ])
        #expect(lines == ["mul-by-one at generated code (x2)"])
    }
}
