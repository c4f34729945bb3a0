import Testing
@testable import SlopeCore

@Suite struct CommonSubexpressionEliminationTests {
    @Test func mergesRepeatedAndCommutedSubexpressions() {
        // y*x is x*y in canonical order; the second constant 1 is the first; then b is a.
        PassTesting.expect(CommonSubexpressionElimination.pass, on: """
        x: [] = param
        y: [] = param
        t2: [] = mul(x, y)
        t3: [] = constant(1)
        a: [] = add(t2, t3)
        t5: [] = mul(y, x)
        t6: [] = constant(1)
        b: [] = add(t5, t6)
        """, roots: ["a", "b"], gives: """
        x: [] = param
        y: [] = param
        t2: [] = mul(x, y)
        t3: [] = constant(1)
        a: [] = add(t2, t3)
        """, rules: ["merge-duplicate", "merge-duplicate", "merge-duplicate"])
    }

    @Test func constantsMergeByTheirBitsNotTheirValue() {
        // 0 and -0 compare equal but are two constants; two NaNs with the same bits are one.
        PassTesting.expect(CommonSubexpressionElimination.pass, on: """
        t0: [] = constant(0)
        t1: [] = constant(-0)
        t2: [] = constant(nan)
        t3: [] = constant(nan)
        """, roots: ["t0", "t1", "t2", "t3"], gives: """
        t0: [] = constant(0)
        t1: [] = constant(-0)
        t2: [] = constant(nan)
        """, rules: ["merge-duplicate"])
    }

    @Test func reportsEachMergeWithItsLine() throws {
        let program = try #require(PassTesting.lower("param x = 2\na = exp(x)\nb = exp(x)\nprint a, b\n"))
        var report = PassReport()
        let result = CommonSubexpressionElimination.pass.run(program.graph, roots: program.roots, report: &report)
        #expect(result.changed)
        #expect(report.firings.map(\.rule) == ["merge-duplicate"])
        #expect(report.firings.first?.range?.line == 3)
    }

    @Test func leavesAGraphWithoutDuplicatesUnchanged() {
        PassTesting.expectUnchanged(CommonSubexpressionElimination.pass, on: """
        x: [] = param
        y: [] = param
        a: [] = mul(x, y)
        b: [] = exp(a)
        """, roots: ["b"])
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
