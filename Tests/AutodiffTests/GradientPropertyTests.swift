import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Properties of random well-typed programs (`RandomProgram`, seeded): the gradient agrees with
/// central differences, the printed gradient program runs and prints the same gradients, and
/// optimization changes no value beyond the last bits and never adds nodes. Every failure
/// names its seed and shows the program; `RandomProgram(seed: N).source` reproduces it.
@Suite struct GradientPropertyTests {
    static let seeds: [UInt64] = Array(0..<200)

    /// The program with the gradient of f by every param appended, as `slope grad` builds it.
    struct Differentiated {
        let program: Program
        let graph: Graph
        let target: NodeID
        let gradients: [NodeID]

        init(_ random: RandomProgram) throws {
            program = try lowered(random.source)
            target = try #require(program.names["f"])
            var builder = GraphBuilder(program.graph, hashConsing: true)
            gradients = ReverseMode.gradients(of: target, wrt: program.params.map(\.node), in: &builder)
            graph = builder.finish()
        }
    }

    @Test func theGeneratorIsDeterministicAndVaried() throws {
        #expect(RandomProgram(seed: 7).source == RandomProgram(seed: 7).source)
        let sources = Set(Self.seeds.map { RandomProgram(seed: $0).source })
        #expect(sources.count == Self.seeds.count)
        // Over all seeds, every op the language has appears somewhere.
        let all = sources.joined(separator: "\n")
        for op in ["sin(", "cos(", "tanh(", "sigmoid(", "softplus(", "exp(", "log(", "sqrt(", "relu(", "abs(", "mask(",
                   " + ", " - ", " * ", " / ", " ^ ", "^2", " @ ", "sum(", "mean(", "max(", "min(", "axis:", "transpose(", "reshape(",
                   "sum_to(", "broadcast(", "index(", "grad(", "= -", "= ["] {
            #expect(all.contains(op), "no generated program uses '\(op)'")
        }
    }

    @Test(arguments: seeds)
    func gradientMatchesCentralDifferences(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed)
        let differentiated = try Differentiated(random)
        let evaluation = Evaluation(differentiated.graph, outputs: [differentiated.target] + differentiated.gradients,
                                    leafValues: differentiated.program.leafValues)
        let base = evaluation([:])
        let f = base[0].values[0]
        try #require(f.isFinite, "\(random)")
        for (param, gradient) in zip(differentiated.program.params, base.dropFirst()) {
            let scale = max(Swift.abs(f), gradient.largestMagnitude)
            for index in 0..<param.value.values.count {
                let h = Differences.step * max(1, Swift.abs(param.value.values[index]))
                let numeric = Differences.derivative({ t in
                    evaluation([param.name: param.value.moved(at: index, by: t)])[0].values[0]
                }, step: h)
                evaluation.executor.setValue(param.node, param.value)
                expectAgreement(gradient.values[index], numeric, scale: scale, "∂f/∂\(param.name)[\(index)], \(random)")
            }
        }
    }

    @Test(arguments: seeds)
    func printedGradientProgramRoundTrips(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed)
        let directory = try TemporaryDirectory()
        let path = try directory.write("random.graph", random.source)
        // Every param by name: when f depends on none (a program whose only use of a param is a
        // constant gradient), `slope grad` then warns and prints zeros instead of failing.
        for problem in GradientRoundTrip.problems(path, arguments: ["--wrt", random.params.joined(separator: ",")]) {
            Issue.record("\(random)\n\(problem)")
        }
    }

    @Test(arguments: Array(seeds.prefix(100)))
    func printedGradientProgramRoundTripsWhenTheUsersNamesLookGenerated(_ seed: UInt64) throws {
        // Values named t7, d_p0, d_t3, t2_2, g1: the names Slope makes up for unnamed values and
        // gradients must keep clear of them, with and without the optimizer.
        let random = RandomProgram(seed: seed, namesLikeSlopes: true)
        let directory = try TemporaryDirectory()
        let path = try directory.write("random.graph", random.source)
        for arguments in [[], ["--no-opt"]] {
            for problem in GradientRoundTrip.problems(path, arguments: arguments + ["--wrt", random.params.joined(separator: ",")]) {
                Issue.record("\(arguments) \(random)\n\(problem)")
            }
        }
    }

    /// The seeds whose optimized gradient has more nodes than the unoptimized one (checked on
    /// all 200): the known exception of SPEC.md, and only it.
    static let seedsWhereOptimizationAddsNodes: Set<UInt64> = [153]

    @Test(arguments: seeds)
    func optimizedAndUnoptimizedGradientsAgree(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed)
        let differentiated = try Differentiated(random)
        let roots = [differentiated.target] + differentiated.gradients
        let optimized = Optimizer.optimize(differentiated.graph, roots: roots)
        #expect(!optimized.limitReached, "the rules converge, \(random)")
        if let failure = Verifier.verify(optimized.graph) { Issue.record("\(failure), \(random)") }

        var values: [NodeID: Tensor] = [:]
        for leaf in differentiated.program.leaves { values[try #require(optimized.map(leaf.node))] = leaf.value }
        let before = Evaluation(differentiated.graph, outputs: roots, leafValues: differentiated.program.leafValues)([:])
        let after = Evaluation(optimized.graph, outputs: optimized.roots, leafValues: values)([:])
        for (index, (a, b)) in zip(before, after).enumerated() {
            #expect(a.shape == b.shape)
            let scale = max(a.largestMagnitude, b.largestMagnitude)
            for (x, y) in zip(a.values, b.values) where !Closeness.agree(x, y, relative: 1e-12, scale: scale) {
                Issue.record("root \(index): \(x) unoptimized, \(y) optimized, \(random)")
                break
            }
        }

        // Optimization never adds nodes to what the roots need (leaves always survive) — except
        // that `matmul-scalar-factor` (A @ (B * s) = (A @ B) * s) fires even when B * s has other
        // users, so both products stay and a new mul is added (seed 153: 42 nodes become 46).
        // Known and left for the optimizer's owner: rules cannot see use counts today.
        var live = differentiated.graph.reachable(from: roots)
        for leaf in differentiated.program.leaves { live[leaf.node.int] = true }
        let needed = live.filter { $0 }.count
        if Self.seedsWhereOptimizationAddsNodes.contains(seed) {
            withKnownIssue("matmul-scalar-factor adds nodes when the scaled operand is shared") {
                #expect(optimized.graph.count <= needed, "\(needed) nodes before, \(optimized.graph.count) after, \(random)")
            }
        } else {
            #expect(optimized.graph.count <= needed, "\(needed) nodes before, \(optimized.graph.count) after, \(random)")
        }
    }
}
