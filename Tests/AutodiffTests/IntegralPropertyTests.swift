import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Properties of random programs with integrals in them (`RandomProgram(integrals: true)`):
/// the gradient through Leibniz's rule agrees with central differences of the program, forward
/// mode agrees with reverse mode, and the printed gradient program runs and prints the same
/// gradients. A failure names its seed.
@Suite struct IntegralPropertyTests {
    static let seeds: [UInt64] = Array(0..<40)

    @Test func theGeneratedProgramsHoldIntegrals() {
        let sources = Self.seeds.map { RandomProgram(seed: $0, integrals: true).source }
        #expect(sources.filter { $0.contains("integral(") }.count >= 30)
        #expect(sources.contains { $0.contains("1 + tanh(") })
    }

    @Test(arguments: seeds)
    func gradientMatchesCentralDifferences(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed, integrals: true)
        let differentiated = try GradientPropertyTests.Differentiated(random)
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
    func forwardModeAgreesWithReverseMode(_ seed: UInt64) throws {
        // jvp(f, p, v) = sum(grad(f, p) * v) for each param p along a direction of ones.
        let random = RandomProgram(seed: seed, integrals: true)
        let checks = random.params.map { "print jvp(f, \($0), \($0)*0 + 1), sum(grad(f, \($0)))" }
        let values = try InProcess.printedValues(random.source + checks.joined(separator: "\n") + "\n").get()
        for pair in stride(from: 0, to: values.count, by: 2) {
            let (forward, reverse) = (values[pair].values[0], values[pair + 1].values[0])
            #expect(Closeness.agree(forward, reverse, relative: 1e-10, scale: Swift.abs(reverse)), "\(forward) vs \(reverse), \(random)")
        }
    }

    @Test(arguments: Array(seeds.prefix(20)))
    func printedGradientProgramRoundTrips(_ seed: UInt64) throws {
        let random = RandomProgram(seed: seed, integrals: true)
        let directory = try TemporaryDirectory()
        let path = try directory.write("random.graph", random.source)
        for problem in GradientRoundTrip.problems(path, arguments: ["--wrt", random.params.joined(separator: ",")]) {
            Issue.record("\(random)\n\(problem)")
        }
    }
}
