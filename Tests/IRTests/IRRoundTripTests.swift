import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Print then parse gives the same graph and print again the same text (SPEC.md 3.3), for
/// every Graphs/ program as lowered, as optimized and with its gradient appended, and for
/// generated programs.
@Suite struct IRRoundTripTests {
    /// A program's graph in the three forms the commands print: as lowered (`ir --no-opt`),
    /// optimized (`ir`), and with the gradient of its default target appended by reverse mode
    /// (`grad --no-opt`), then optimized together (`grad`).
    static func forms(_ program: Program) -> [(String, Graph, [NodeID])] {
        let roots = IRCommand.roots(of: program)
        let optimized = Optimizer.optimize(program.graph, roots: roots)
        var forms = [("lowered", program.graph, roots), ("optimized", optimized.graph, optimized.roots)]
        if let target = TargetSelection.defaultTarget(in: program) {
            let wrt = TargetSelection.defaultWrt(for: target.node, in: program).map(\.node)
            var builder = GraphBuilder(program.graph, hashConsing: true)
            let gradients = ReverseMode.gradients(of: target.node, wrt: wrt, in: &builder)
            let differentiated = builder.finish()
            let both = Optimizer.optimize(differentiated, roots: [target.node] + gradients)
            forms.append(("differentiated", differentiated, [target.node] + gradients))
            forms.append(("differentiated and optimized", both.graph, both.roots))
        }
        return forms
    }

    static func expectRoundTrip(_ program: Program, _ label: String) {
        for (form, graph, roots) in forms(program) {
            let whole = IRRoundTrip.problems(graph)
            #expect(whole.isEmpty, "\(label), \(form):\n\(whole.joined(separator: "\n"))")
            let reached = IRRoundTrip.problems(graph, roots: roots)
            #expect(reached.isEmpty, "\(label), \(form), roots only:\n\(reached.joined(separator: "\n"))")
        }
    }

    @Test(arguments: PackagePaths.graphPrograms().map(\.lastPathComponent))
    func everyExampleProgramRoundTrips(name: String) throws {
        let url = PackagePaths.graphs.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let (program, diagnostics) = InProcess.lower(text, path: url.path,
                                                     options: LoweringOptions(baseDirectory: PackagePaths.graphs.path))
        #expect(diagnostics.filter(\.isError).isEmpty)
        Self.expectRoundTrip(try #require(program), name)
    }

    @Test(arguments: PackagePaths.graphPrograms().map(\.lastPathComponent))
    func whatSlopeIRPrintsParsesBack(name: String) throws {
        // The command's own output, comments and all, for `ir` and `ir --no-opt`.
        let path = PackagePaths.graphs.appendingPathComponent(name).path
        for arguments in [["ir", path], ["ir", "--no-opt", path]] {
            let printed = InProcess.run(arguments)
            #expect(printed.status == .success)
            let parsed = IRParser.parse(printed.out)
            #expect(parsed.diagnostics.isEmpty, "\(arguments): \(parsed.diagnostics.map(\.message))")
            let graph = try #require(parsed.graph)
            // Without the comments and the spaces before them (an integral's block keeps its indentation).
            let stripped = printed.out.split(separator: "\n").map { line in
                var text = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
                while text.last == " " { text.removeLast() }
                return text
            }.joined(separator: "\n") + "\n"
            #expect(IRPrinter.print(graph) == stripped, "\(arguments)")
        }
    }

    @Test func generatedProgramsRoundTrip() throws {
        for seed in UInt64(0)..<200 {
            let generated = RandomProgram(seed: seed)
            let (program, diagnostics) = InProcess.lower(generated.source)
            #expect(diagnostics.filter(\.isError).isEmpty, "\(generated)")
            guard let program else { continue }
            Self.expectRoundTrip(program, "seed \(seed)")
        }
    }

    @Test func theExampleProgramsUseEveryOpFamily() throws {
        // The round trips above are only as good as the ops they meet: together with the
        // generated programs they must print every op name the parser knows.
        var printed = Set<String>()
        var programs: [Program] = []
        for url in PackagePaths.graphPrograms() {
            let text = try String(contentsOf: url, encoding: .utf8)
            if let program = InProcess.lower(text, path: url.path,
                                             options: LoweringOptions(baseDirectory: PackagePaths.graphs.path)).program {
                programs.append(program)
            }
        }
        for seed in UInt64(0)..<200 {
            if let program = InProcess.lower(RandomProgram(seed: seed).source).program { programs.append(program) }
        }
        for program in programs {
            for (_, graph, _) in Self.forms(program) {
                for node in graph.nodes { printed.insert(node.op.name) }
            }
        }
        let all = Set(IRParser.usages.keys)
        #expect(all.subtracting(printed).sorted() == [])
    }
}
