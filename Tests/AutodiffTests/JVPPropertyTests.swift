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
