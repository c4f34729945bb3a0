import Testing
@testable import SlopeCore

@Suite struct CommonSubexpressionEliminationTests {
    @Test func mergesRepeatedAndCommutedSubexpressions() {
        // x*y and y*x are one product; the two constants 1 are one constant.
        let output = PassTesting.ir("""
        param x = 2
        param y = 3
        a = x*y + 1
        b = y*x + 1
        print a, b
        """, PassTesting.single(CommonSubexpressionElimination.pass))
        #expect(output == """
        x: [] = param
        y: [] = param
        t2: [] = mul(x, y)
        t3: [] = constant(1)
        a: [] = add(t2, t3)

        """)
    }

    @Test func reportsEachMergeWithItsLine() throws {
        let program = try #require(PassTesting.lower("param x = 2\na = exp(x)\nb = exp(x)\nprint a, b\n"))
        var report = PassReport()
        let result = CommonSubexpressionElimination.pass.run(program.graph, roots: program.roots, report: &report)
        #expect(result.changed)
        #expect(report.firings.map(\.rule) == ["merge-duplicate"])
        #expect(report.firings.first?.range?.line == 3)
    }

    @Test func leavesAGraphWithoutDuplicatesUnchanged() throws {
        let program = try #require(PassTesting.lower("param x = 2\nparam y = 1\na = x*y\nb = exp(a)\nprint b\n"))
        var report = PassReport()
        let result = CommonSubexpressionElimination.pass.run(program.graph, roots: program.roots, report: &report)
        #expect(!result.changed)
        #expect(report.firings.isEmpty)
    }

    @Test func neverMergesLeaves() throws {
        var builder = GraphBuilder()
        let a = builder.add(.leaf(.param, "a"), [], shape: .scalar, range: nil, name: "a")
        let b = builder.add(.leaf(.param, "b"), [], shape: .scalar, range: nil, name: "b")
        let sum = builder.add(a, b, at: nil)
        let optimized = PassTesting.optimize(builder.graph, roots: [sum])
        #expect(optimized.graph.count == 3)
    }
}
