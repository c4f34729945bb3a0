import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The program's interface lives in its graph: the leaf table, the outputs its statements read
/// and the global names, moved by every pass so nobody renumbers them (Program.swift,
/// Graph+Interface.swift).
@Suite struct ProgramTests {
    static func lowered(_ source: String, options: LoweringOptions = LoweringOptions()) throws -> Program {
        let (program, diagnostics) = InProcess.lower(source, options: options)
        return try #require(program, "\(DiagnosticsError(diagnostics: diagnostics))")
    }

    @Test func theLeafTableSaysHowEachValueWasGiven() throws {
        let program = try Self.lowered("""
            param w: [2] = normal(0, 1)
            param b = 0.5
            input x = [1, 2]
            input u = uniform(-1, 1)
            print sum(w * x) + b + u
            """, options: LoweringOptions(overrides: [.init(name: "b", value: Tensor(2), range: nil)]))
        #expect(program.leaves.map(\.name) == ["w", "b", "x", "u"])
        #expect(program.leaves.map(\.source) == [.random, .literal, .literal, .random])
        #expect(program.leaves.map(\.isSet) == [false, true, false, false])
        #expect(program.leaf(named: "b")?.value == Tensor(2), "--set replaces the value")
        for leaf in program.leaves { #expect(program.graph[leaf.node].op == .leaf(leaf.kind, leaf.name)) }
    }

    @Test func statementsReadTheGraphsOutputsInOrder() throws {
        let program = try Self.lowered("""
            param m = 1
            E = (m - 3)^2
            print E, m*2
            minimize E by gd(rate: 0.1, steps: 1)
            """)
        #expect(program.graph.outputs.map(\.name) == ["E", "m*2", "E"])
        #expect(program.roots == program.graph.outputs.map(\.node))
        #expect(program.roots[0] == program.names["E"])
    }

    @Test func optimizingMovesTheInterfaceWithTheValues() throws {
        // y = m*1 + 0 is m itself; `dead` is computed by nothing the program reads, so its name goes.
        let program = try Self.lowered("""
            param m = 2
            input x = 3
            y = m*1 + 0
            dead = exp(x)
            print y * x
            """)
        let optimized = Optimizer.optimize(program).program
        #expect(optimized.graph.count < program.graph.count)
        #expect(Verifier.verify(optimized.graph) == nil)
        #expect(optimized.leaves.map(\.name) == ["m", "x"])
        for leaf in optimized.leaves { #expect(optimized.graph[leaf.node].op == .leaf(leaf.kind, leaf.name)) }
        #expect(optimized.names["y"] == optimized.leaf(named: "m")?.node)
        #expect(optimized.names["dead"] == nil)
        guard case .print(let items) = optimized.actions.first else { Issue.record("no print"); return }
        #expect(ExpressionPrinter.expression(optimized.graph, items[0].node) == "m*x")
        let executor = Executor(graph: optimized.graph, outputs: optimized.roots, leafValues: optimized.leafValues)
        executor.run()
        #expect(executor.value(optimized.roots[0]) == Tensor(6))
    }

    @Test func theVerifierChecksThatTheInterfaceNamesItsOwnNodes() throws {
        let program = try Self.lowered("param m = 2\ninput x = 3\nprint m * x\n")
        #expect(Verifier.verify(program.graph) == nil)
        var swapped = program.graph
        swapped.leaves[0].node = try #require(program.leaf(named: "x")).node
        #expect(Verifier.verify(swapped)?.problem == "leaf 'm' names a node that is not param 'm'")
        var outside = program.graph
        outside.outputs[0].node = NodeID(outside.count)
        #expect(Verifier.verify(outside)?.problem == "output 'm * x' names a node outside the graph")
    }

    @Test func gradientsAreAppendedAsNamedOutputs() throws {
        // f = m²x: ∂f/∂m = 2mx = 12 and ∂f/∂x = m² = 4 at (m, x) = (2, 3).
        let program = try Self.lowered("param m = 2\ninput x = 3\nf = m^2 * x\nprint f\n")
        let f = try #require(program.names["f"])
        let wrt = try [#require(program.leaf(named: "m")).node, #require(program.leaf(named: "x")).node]
        let (graph, gradients) = program.graph.withOutputs([Output(name: "f", node: f)]).appendingGradients(of: f, wrt: wrt)
        #expect(graph.outputs.map(\.name) == ["f", "d_m", "d_x"])
        let optimized = Optimizer.optimize(graph).graph
        #expect(optimized.outputs.map(\.name) == ["f", "d_m", "d_x"])
        let executor = Executor(graph: optimized, outputs: optimized.outputs.map(\.node), leafValues: optimized.leafValues)
        executor.run()
        #expect(optimized.outputs.map { executor.value($0.node) } == [Tensor(12), Tensor(12), Tensor(4)])
        #expect(gradients.count == 2)
    }

    @Test func rebindingInfersShapesAgain() throws {
        // The same IR at another row count: mean over 2 rows instead of 3.
        let program = try Self.lowered("input X = [[1, 2], [3, 4], [5, 6]]\nparam w = [1, 1]\nE = mean(X @ w)\nprint E\n")
        let rebound = try program.graph.rebinding(["X": tensor([2, 2], [1, 2, 3, 4])])
        #expect(rebound.count == program.graph.count)
        let e = try #require(program.names["E"])
        let executor = Executor(graph: rebound, outputs: [e], leafValues: rebound.leafValues)
        executor.run()
        #expect(executor.value(e) == Tensor(5), "mean(3, 7) = 5")
    }

    @Test func rebindingRefusesShapesTheNodesWereNotBuiltFor() throws {
        // sum_to's shape [3] was chosen for three rows; and one row would be spread over the
        // constant's three instead of meeting it element by element.
        let fixed = try Self.lowered("input x = [1, 2, 3]\ny = sum_to(x, [3])\nprint y\n")
        #expect(throws: Graph.RebindingFailure.self) { try fixed.graph.rebinding(["x": tensor([2], [1, 2])]) }
        let spread = try Self.lowered("input x = [1, 2, 3]\ny = x * [1, 2, 3]\nprint y\n")
        #expect(throws: Graph.RebindingFailure.self) { try spread.graph.rebinding(["x": tensor([1], [1])]) }
        #expect(throws: Never.self, "the same shape always fits") { try spread.graph.rebinding(["x": tensor([3], [4, 5, 6])]) }
    }
}
