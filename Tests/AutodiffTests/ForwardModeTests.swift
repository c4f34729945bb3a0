import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The forward-mode engine: tangents of tangents share what they compute, as reverse mode's
/// derivatives of derivatives do (both build sums in the normal form of
/// `GraphBuilder+LinearCombinations.swift`).
@Suite struct ForwardModeTests {
    /// `jvp(…jvp(sin(x)*exp(x), x, 1)…, x, 1)`, `depth` deep, at x = 0.5.
    static func nestedTangent(_ depth: Int) -> String {
        var expression = "sin(x)*exp(x)"
        for _ in 0..<depth { expression = "jvp(\(expression), x, 1)" }
        return "param x = 0.5\nh = \(expression)\nprint h\n"
    }

    @Test(arguments: [10, 20])
    func nestedTangentsOfSinTimesExpStaySmall(_ depth: Int) throws {
        // (eˣ sin x)⁽ⁿ⁾ = 2^(n/2) eˣ sin(x + nπ/4). Each level adds about 7 nodes; built as
        // written each level doubled the graph (18 deep passed a million nodes).
        let (program, diagnostics) = InProcess.lower(Self.nestedTangent(depth))
        let graph = try #require(program, "\(diagnostics)").graph
        #expect(graph.count <= 8 * depth + 20, "\(graph.count) nodes at depth \(depth)")
        let value = try printedJSON(Self.nestedTangent(depth))[0][0]
        let exact = pow(2, Double(depth) / 2) * exp(0.5) * sin(0.5 + Double(depth) * Double.pi / 4)
        #expect(Swift.abs(value - exact) <= 1e-13 * Swift.abs(exact), "\(value) against \(exact)")
    }
}
