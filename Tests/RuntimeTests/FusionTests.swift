import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Fused plans compute what unfused plans compute: every elementwise value bit for bit (the
/// same kernels run on the same elements), reductions to 1e-13 relative (a fused sum adds chunk by
/// chunk, an unfused one in four lanes over the whole array).
struct FusionTests {
    /// Lowers `source`, then runs every printed value with fusion (on two threads where a group
    /// is large enough) and without.
    func compare(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (program, diagnostics) = InProcess.lower(source)
        let p = try #require(program, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        let fused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: true,
                             options: ExecutionOptions(threads: 2))
        let unfused = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues, fuse: false)
        fused.run()
        unfused.run()
        for root in p.roots {
            expectClose(fused.value(root), unfused.value(root), tolerance: 1e-13, sourceLocation: sourceLocation)
        }
    }

    @Test func elementwiseChainsWithScalarsAndRowVectors() throws {
        // A bias row [4] tiled over [300, 4], scalars, a broadcast read in place, and a column sum.
        try compare("""
            seed 3
            input X: [300, 4] = normal(0, 1)
            param b: [4] = uniform(-1, 1)
            param s = 0.5
            h = sigmoid(X * s + b)
            g = h * (1 - h) + broadcast(s, [300, 4])
            print g, sum(g, axis: 0), mean(g), sum_to(g, [4]), softplus(g - 2), exp(-g), log(g + 1)
            """)
    }

    @Test func groupsAboveTheThreadThresholdSplitAndCombineTheirSums() throws {
        // 2^17 elements: two threads, each with its own partial sums.
        try compare("""
            seed 4
            input x: [131072] = uniform(-3, 3)
            y = relu(x) * 2 + abs(x - 1) / 3
            print sum(y), mean(y * y), y
            """)
    }

    @Test func aValueReadAfterItsGroupIsWrittenOut() throws {
        // t is used inside the group and by the matmul after it, so it must be stored.
        try compare("""
            seed 5
            input A: [6, 5] = normal(0, 1)
            input v: [5] = normal(0, 1)
            t = tanh(A) * 2
            u = t @ v
            print sum(t + 1), u, sigmoid(u)
            """)
    }

    @Test func theFusedPlanHasFewerStepsAndNoBufferForRegisterValues() throws {
        let (program, _) = InProcess.lower("input x = [1, 2, 3, 4]\nprint sum(exp(x) * 2 + x)")
        let p = try #require(program)
        let fused = Planner.plan(p.graph, outputs: p.roots)
        let unfused = Planner.plan(p.graph, outputs: p.roots, fuse: false)
        // exp, mul, add and the sum become one fused step; unfused they are four.
        #expect(fused.stepCount == 1)
        #expect(unfused.stepCount == 4)
        #expect(fused.arenaSize < unfused.arenaSize)
    }
}
