import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The printer's contract (SPEC.md, "Printed gradients"): the program `slope grad` prints
/// computes, bit for bit, what the graph it was printed from computes. Checked two ways on the
/// generated programs of `RandomProgram`: evaluated as written (both sides lowered or built
/// without the optimizer, so every difference is the printer's: a sign moved, `a + -b` written
/// `a - b`; a constant written as a fraction, `1/30`; x·x written `x^2`; an outer product written
/// `outer(u, v)`), and as `slope run` evaluates it (both sides through the standard pipeline).
/// Bit for bit as `Exactness.exact` means it: a zero may change its sign, so values compare with
/// `==` (NaN matching NaN). `GradientRoundTrip` compares with `grad --json` to 1e-10 instead: the readable gradient is
/// optimized with every rule, so it may differ from the evaluated one in the last bits.
@Suite struct PrintedGradientExactnessTests {
    static let seeds: [UInt64] = Array(0..<200)

    /// How the two sides are evaluated.
    enum Evaluation: CaseIterable { case asWritten, asRun }

    /// The gradients `slope grad` prints for `options`, from the printed program and from the
    /// graph it was printed from, evaluated `how`: the first difference per gradient, then the
    /// program, or nothing.
    static func differences(_ path: String, _ options: [String], _ how: Evaluation) throws -> [String] {
        guard case .command(let arguments) = try Arguments.parse(["grad", path] + options) else { return ["not a command"] }
        let compilation = try Compilation.compile(arguments)
        let request = try GradientRequest.resolve(arguments, in: compilation.program)
        var graph = arguments.noOpt ? request.differentiate(compilation.program.graph)
            : GradCommand.optimizedGradient(compilation.program, request, execution: ExecutionOptions())
        var (target, gradients) = GradientRequest.outputs(of: graph)
        if arguments.expand { (graph, gradients) = GradCommand.expanded(graph, gradients) }
        let text = try GradCommand.source(compilation, request, graph, target, gradients, expanded: arguments.expand)
        let (printed, diagnostics) = InProcess.lower(text, path: path)
        guard let printed, !diagnostics.contains(where: \.isError) else {
            return ["the printed program does not compile: \(diagnostics)\n\(text)"]
        }
        // The printed names, as the closing print lists them (d_x_2 when the user has a d_x).
        let names = (text.split(separator: "\n").last { $0.hasPrefix("print ") } ?? "")
            .dropFirst("print ".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let printedNodes = try names.map { try #require(printed.names[$0], "no \($0) in\n\(text)") }
        let expected = values(graph, gradients, how), actual = values(printed.graph, printedNodes, how)
        var differences: [String] = []
        for (name, (a, b)) in zip(names, zip(expected, actual)) {
            guard a.shape == b.shape else { differences.append("\(name): shape \(a.shape) printed as \(b.shape)"); continue }
            for (position, (x, y)) in zip(a.values, b.values).enumerated() where !(x == y || (x.isNaN && y.isNaN)) {
                differences.append("\(name)[\(position)]: the graph gives \(x), the printed program \(y)")
                break
            }
        }
        if !differences.isEmpty { differences.append("--- evaluated \(how), the printed program\n\(text)") }
        return differences
    }

    /// The values of `outputs` at the graph's leaf values, as written or as `slope run` runs them.
    static func values(_ graph: Graph, _ outputs: [NodeID], _ how: Evaluation) -> [Tensor] {
        var graph = graph, outputs = outputs
        if how == .asRun {
            let optimized = Optimizer.optimize(graph, roots: outputs)
            (graph, outputs) = (optimized.graph, optimized.roots)
        }
        let executor = Executor(graph: graph, outputs: outputs, leafValues: graph.leafValues)
        executor.run()
        return outputs.map(executor.value)
    }

    @Test(arguments: seeds)
    func printedGradientComputesTheBitsOfItsGraph(_ seed: UInt64) throws {
        try Self.check(RandomProgram(seed: seed))
    }

    @Test(arguments: Array(seeds.prefix(100)))
    func printedGradientComputesTheBitsOfItsGraphWhenTheUsersNamesLookMadeUp(_ seed: UInt64) throws {
        // Values called error, product, z_f, t7, d_t3: the names made up around them are new.
        try Self.check(RandomProgram(seed: seed, namesLikeSlopes: true))
    }

    static func check(_ random: RandomProgram) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("random.graph", random.source)
        for options in [[], ["--no-opt"], ["--expand"]] {
            for how in Evaluation.allCases {
                for difference in try differences(path, options + ["--wrt", random.params.joined(separator: ",")], how) {
                    Issue.record("\(options) \(random)\n\(difference)")
                }
            }
        }
    }
}
