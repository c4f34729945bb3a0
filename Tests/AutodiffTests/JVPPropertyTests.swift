import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Forward mode against reverse mode on 200 generated programs (`RandomProgram`): for every
/// param x and a random direction v of its shape, jvp(f, x, v) = sum(grad(f, x) * v) to 1e-12
/// relative, and the same after optimization (the optimizer treats forward-mode IR like any
/// other).
@Suite struct JVPPropertyTests {
    @Test(arguments: 0..<200)
    func forwardModeEqualsTheGradientAlongTheDirection(seed: Int) throws {
        let program = RandomProgram(seed: UInt64(seed))
        let plain = try lowered(program.source)
        var lines = [program.source]
        var random = Random(seed: UInt64(1000 + seed))
        for x in program.params {
            let shape = plain.graph[try #require(plain.names[x])].shape
            let direction = Domain.any.draw(shape, &random)
            lines.append("input v_\(x): \(shape) = \(ValueFormatter.literal(direction.values, shape: shape))")
            lines.append("forward_\(x) = jvp(f, \(x), v_\(x))")
            lines.append("reverse_\(x) = sum(grad(f, \(x)) * v_\(x))")
        }
        let extended = try lowered(lines.joined(separator: "\n") + "\n")
        let outputs = try program.params.flatMap { ["forward_\($0)", "reverse_\($0)"] }.map { try #require(extended.names[$0]) }
        let optimized = Optimizer.optimize(extended.graph, roots: outputs)
        var values: [NodeID: Tensor] = [:]
        for leaf in extended.leaves { if let node = optimized.map(leaf.node) { values[node] = leaf.value } }
        let runs = [
            ("unoptimized", Evaluation(extended.graph, outputs: outputs, leafValues: extended.leafValues)([:])),
            ("optimized", Evaluation(optimized.graph, outputs: optimized.roots, leafValues: values)([:])),
        ]
        for (label, results) in runs {
            for (position, x) in program.params.enumerated() {
                let forward = results[2 * position].values[0], reverse = results[2 * position + 1].values[0]
                #expect(Swift.abs(forward - reverse) <= 1e-12 * max(1, Swift.abs(reverse)),
                        "∂f/∂\(x) · v (\(label)): jvp \(forward), grad \(reverse) — \(program)")
            }
        }
    }
}

/// Graphs/directional_derivative.graph against the hand computation in its header: ∇f = (2x, 2y)
/// = (4, 6) at (2, 3), so D_u f = 4·0.6 + 6·0.8 = 7.2, and H u = 2u = (1.2, 1.6).
@Test func theDirectionalDerivativeExampleMatchesItsHandComputation() throws {
    let result = InProcess.run(["run", PackagePaths.graphs.appendingPathComponent("directional_derivative.graph").path, "--json"])
    #expect(result.status == .success, "\(result)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let prints = try #require(object["prints"] as? [[String: Any]])
    let values = prints.map { $0["value"] }
    #expect(Swift.abs((values[0] as? Double ?? 0) - 7.2) < 1e-14)
    #expect(Swift.abs((values[1] as? Double ?? 0) - 7.2) < 1e-14)
    let hessianVector = try #require(values[2] as? [Double])
    #expect(Swift.abs(hessianVector[0] - 1.2) < 1e-15 && Swift.abs(hessianVector[1] - 1.6) < 1e-15)
}
