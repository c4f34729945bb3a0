import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Helpers for the pass tests: lowering source text, running one pass or the pipeline with the
/// verifier after every pass, and evaluating graphs with the interpreter.
enum PassTesting {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let graphsDirectory = packageRoot.appendingPathComponent("Graphs")

    /// Lowers a program; a diagnostic fails the test.
    static func lower(_ source: String, path: String = "test.graph", baseDirectory: String = ".") -> Program? {
        let file = SourceFile(path: path, text: source)
        let (ast, syntax) = Parser.parse(file)
        let (program, diagnostics, _) = Lowering.lower(ast, options: LoweringOptions(baseDirectory: baseDirectory))
        let errors = (syntax + diagnostics).filter(\.isError)
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        return program
    }

    /// The roots of a program as `slope ir` keeps them: printed values, targets and names.
    static func roots(_ program: Program) -> [NodeID] { IRCommand.roots(of: program) }

    /// `pass` wrapped so that the verifier checks its output and the replacement map is total
    /// on roots.
    static func verifying(_ pass: Pass) -> Pass {
        Pass(name: pass.name) { graph, roots, report in
            let result = pass.run(graph, roots: roots, report: &report)
            if let failure = Verifier.verify(result.graph) { Issue.record("after \(pass.name): \(failure)") }
            #expect(result.replacement.count == graph.count, "\(pass.name) maps every old node")
            for root in roots { #expect(result.replacement[root.int] != nil, "\(pass.name) keeps root \(root)") }
            if !result.changed { #expect(result.graph.count == graph.count) }
            return result
        }
    }

    /// The readable pipeline (every rule, so each rule's test case can see it fire) with the
    /// verifier after every pass.
    static var verifyingPipeline: Pipeline {
        var pipeline = Pipeline.readable
        pipeline.phases = pipeline.phases.map { Pipeline.Phase(name: $0.name, passes: $0.passes.map(verifying)) }
        return pipeline
    }

    /// A pipeline of one pass run once (no fixed point), verified.
    static func single(_ pass: Pass) -> Pipeline {
        Pipeline(phases: [Pipeline.Phase(name: "test", passes: [verifying(pass)])], maximumRounds: 1, maximumSweeps: 1)
    }

    /// Optimizes with the verifying pipeline and checks the guarantees every caller relies on.
    static func optimize(_ graph: Graph, roots: [NodeID], pipeline: Pipeline? = nil) -> Optimized {
        let optimized = Optimizer.optimize(graph, roots: roots, pipeline: pipeline ?? verifyingPipeline, recordGraphs: true)
        if pipeline == nil { #expect(!optimized.limitReached, "rules converge before the round limit") }
        #expect(optimized.replacement.count == graph.count)
        for id in graph.ids where graph[id].op.isLeaf && graph[id].op.constantValue == nil {
            guard let mapped = optimized.map(id) else { Issue.record("leaf \(id) was dropped"); continue }
            #expect(optimized.graph[mapped].op == graph[id].op)
            #expect(optimized.graph[mapped].shape == graph[id].shape)
        }
        return optimized
    }

    /// What one pass made of IR text.
    struct TextOutput {
        /// The whole graph the pass returned, printed.
        let text: String
        let changed: Bool
        /// The rules that fired, in order.
        let rules: [String]
    }

    /// Parses `input`, IR text as the printer writes it (SPEC.md 3.3), runs `pass` once with
    /// the nodes named `roots` as its roots, verified, and prints the whole graph the pass
    /// returned: what it left dead is shown too, since removing that is `dce`'s job. The
    /// output must parse back as well.
    static func run(_ pass: Pass, on input: String, roots: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) -> TextOutput? {
        let input = input.hasSuffix("\n") ? input : input + "\n"
        let parsed = IRParser.parse(input, path: "input.ir")
        #expect(parsed.diagnostics.isEmpty, "\(DiagnosticRenderer.render(parsed.diagnostics))", sourceLocation: sourceLocation)
        guard let graph = parsed.graph else { return nil }
        #expect(IRPrinter.print(graph) == input, "the input is written as the printer writes it", sourceLocation: sourceLocation)
        var ids: [NodeID] = []
        for name in roots {
            guard let id = parsed.names[name] else {
                Issue.record("the input has no node '\(name)'", sourceLocation: sourceLocation)
                return nil
            }
            ids.append(id)
        }
        var report = PassReport()
        let result = verifying(pass).run(graph, roots: ids, report: &report)
        let problems = IRRoundTrip.problems(result.graph)
        #expect(problems.isEmpty, "the output of \(pass.name) does not round-trip: \(problems)", sourceLocation: sourceLocation)
        return TextOutput(text: IRPrinter.print(result.graph, locations: false), changed: result.changed,
                          rules: report.firings.map(\.rule))
    }

    /// Text in, text out: `pass` on `input` with `roots` prints as `expected`, having fired
    /// `rules` when they are given.
    static func expect(_ pass: Pass, on input: String, roots: [String], gives expected: String, rules: [String]? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard let output = run(pass, on: input, roots: roots, sourceLocation: sourceLocation) else { return }
        let expected = expected.hasSuffix("\n") ? expected : expected + "\n"
        #expect(output.text == expected, "\(Golden.firstDifference(expected, output.text))", sourceLocation: sourceLocation)
        if let rules { #expect(output.rules == rules, sourceLocation: sourceLocation) }
    }

    /// `pass` returns the graph of `input` unchanged (`changed == false`, no rule fired).
    static func expectUnchanged(_ pass: Pass, on input: String, roots: [String],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        guard let output = run(pass, on: input, roots: roots, sourceLocation: sourceLocation) else { return }
        #expect(!output.changed, "\(pass.name) reports a change", sourceLocation: sourceLocation)
        #expect(output.rules.isEmpty, "\(output.rules)", sourceLocation: sourceLocation)
        let input = input.hasSuffix("\n") ? input : input + "\n"
        #expect(output.text == input, "\(Golden.firstDifference(input, output.text))", sourceLocation: sourceLocation)
    }

    /// Evaluates `outputs` of `graph` with leaf values by leaf name.
    static func evaluate(_ graph: Graph, _ outputs: [NodeID], leafValues: [String: Tensor]) -> [Tensor] {
        var values: [NodeID: Tensor] = [:]
        for id in graph.ids {
            switch graph[id].op {
            case .leaf(_, let name): values[id] = leafValues[name]
            default: break
            }
        }
        let executor = Executor(graph: graph, outputs: outputs, leafValues: values)
        executor.run()
        return outputs.map(executor.value)
    }

    static func leafValues(_ program: Program) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: program.leaves.map { ($0.name, $0.value) })
    }
}
