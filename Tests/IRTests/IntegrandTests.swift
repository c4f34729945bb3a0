import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The integrand as a value: structural equality (what CSE and hash-consing merge), its leaves
/// first, captures nothing reads dropped, and its body inlined at a point as ordinary IR.
@Suite struct IntegrandTests {
    static func scaled(_ op: Op, name: String) -> Integrand {
        Integrand.build(name: name, variable: "t", captures: [.init(shape: .scalar, hint: "w")]) { b, t, captures in
            b.add(op, [captures[0], b.apply(.sin, t, at: nil)], range: nil)
        }
    }

    @Test func equalBodiesAreEqualWhateverTheirNames() {
        let f = Self.scaled(.mul, name: "f"), g = Self.scaled(.mul, name: "g"), h = Self.scaled(.add, name: "h")
        #expect(f == g && f.hashValue == g.hashValue)
        #expect(f != h)
        var builder = GraphBuilder(hashConsing: true)
        let w = builder.add(.leaf(.param, "w"), [], shape: .scalar, range: nil)
        let zero = builder.constant(0, range: nil), one = builder.constant(1, range: nil)
        let first = builder.integral(f, from: zero, to: one, captures: [w], at: nil)
        #expect(builder.integral(g, from: zero, to: one, captures: [w], at: nil) == first)
        #expect(builder.integral(h, from: zero, to: one, captures: [w], at: nil) != first)
    }

    /// A body of `nodes` (leaf names or an op on earlier positions) with `result` as its value.
    static func body(_ nodes: [(Op, [Int], Shape)], result: Int) -> Graph {
        var graph = Graph()
        graph.nodes = nodes.map { Node(op: $0.0, operands: Operands($0.1.map(NodeID.init)), shape: $0.2, range: nil) }
        graph.outputs = [Output(name: "g", node: NodeID(result))]
        return graph
    }

    @Test func theLeavesComeFirstInOrder() {
        // A body built with a constant and the capture before the variable starts t, then c.
        let graph = Self.body([(.leaf(.input, "c"), [], .scalar), (.constant(Tensor(2)), [], .scalar),
                               (.leaf(.input, "t"), [], .scalar), (.mul, [2, 1], .scalar)], result: 3)
        let integrand = Integrand(body: graph, variable: "t", captures: ["c"], name: "g")
        #expect(integrand.body.nodes.map(\.op) == [.leaf(.input, "t"), .leaf(.input, "c"), .constant(Tensor(2)), .mul])
        #expect(integrand.body.nodes[3].operands == [NodeID(0), NodeID(2)])
        #expect(integrand.result == NodeID(3) && integrand.variableNode == NodeID(0) && integrand.captureNodes == [NodeID(1)])
        #expect(Verifier.check(integrand) == nil)
    }

    @Test func capturesNothingReadsAreDropped() {
        let graph = Self.body([(.leaf(.input, "t"), [], .scalar), (.leaf(.input, "unused"), [], Shape([3])),
                               (.leaf(.input, "w"), [], .scalar), (.mul, [0, 2], .scalar)], result: 3)
        let (pruned, kept) = Integrand(body: graph, variable: "t", captures: ["unused", "w"], name: "g").pruned()
        #expect(kept == [1] && pruned.captures == ["w"])
        #expect(pruned.body.count == 3)
        #expect(Verifier.check(pruned) == nil)
    }

    @Test func inliningAtAPointIsOrdinaryIR() {
        // g(t) = w·sin(t) at t = π/2 with w = 3 is 3.
        var builder = GraphBuilder()
        let w = builder.add(.leaf(.input, "w"), [], shape: .scalar, range: nil)
        let point = builder.constant(Double.pi / 2, range: nil)
        let value = Self.scaled(.mul, name: "g").inline(at: point, captures: [w], in: &builder)
        let executor = Executor(graph: builder.finish(), outputs: [value], leafValues: [w: Tensor(3)])
        executor.run()
        #expect(executor.value(value) == Tensor(3))
    }
}
