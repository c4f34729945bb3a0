import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func aLongChainReusesBuffers() {
    // x -> exp -> neg -> exp -> … 1000 steps on 100-element vectors. Only the input, the output
    // and about two temporaries are live at once, so the arena is a few buffers, not a thousand.
    var builder = GraphBuilder()
    let x = builder.add(.leaf(.input, "x"), [], shape: Shape([100]), range: nil)
    var last = x
    for step in 0..<1000 { last = builder.apply(step % 2 == 0 ? .sin : .neg, last, at: nil) }
    let graph = builder.finish()
    // Unfused, every op is its own step with its own output; fused, the chain is one loop.
    let plan = Planner.plan(graph, outputs: [last], fuse: false)
    let everyNode = graph.nodes.map { Planner.padded($0.shape.count) }.reduce(0, +)
    #expect(plan.stepCount == 1000)
    #expect(Planner.plan(graph, outputs: [last]).stepCount == 1)
    #expect(plan.arenaSize <= 4 * Planner.padded(100))
    #expect(plan.arenaSize * 100 < everyNode)
}

@Test func valuesStillNeededAreNotOverwritten() {
    // y = exp(x); z = neg(y); w = y + z reads y after z was computed: y's buffer must survive.
    var builder = GraphBuilder()
    let x = builder.add(.leaf(.input, "x"), [], shape: Shape([3]), range: nil)
    let y = builder.apply(.exp, x, at: nil)
    let z = builder.neg(y, at: nil)
    let zz = builder.apply(.abs, z, at: nil)
    let w = builder.add(y, zz, at: nil)
    let executor = Executor(graph: builder.finish(), outputs: [w], leafValues: [x: tensor([3], [0, 0, 0])])
    executor.run()
    // e^0 + |-e^0| = 2.
    #expect(executor.value(w) == tensor([3], [2, 2, 2]))
}

@Test func aPlanRunsAgainWithTheSameResultAndSeesNewLeafValues() throws {
    // loss = sum((X @ w + b - y)^2) and a sum_to, so accumulating kernels are covered.
    let source = """
        input X = [[1, 2], [3, 4], [5, 6]]
        input y = [1, 2, 3]
        param w = [0.5, -1]
        param b = 2
        r = X @ w + b - y
        print sum(r^2), sum(X * [[1], [2], [3]], axis: 0)
        """
    let (program, diagnostics) = InProcess.lower(source)
    #expect(diagnostics.isEmpty)
    let p = try #require(program)
    let executor = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues)
    executor.run()
    let first = p.roots.map(executor.value)
    executor.run()
    #expect(p.roots.map(executor.value) == first)
    // By hand: X @ w = [0.5 - 2, 1.5 - 4, 2.5 - 6] = [-1.5, -2.5, -3.5]; + 2 - y = [-0.5, -2.5, -4.5];
    // squares 0.25 + 6.25 + 20.25 = 26.75. Column sums of X scaled by rows 1, 2, 3:
    // [1 + 6 + 15, 2 + 8 + 18] = [22, 28].
    #expect(first == [Tensor(26.75), tensor([2], [22, 28])])
    // A new value for b: residuals [0.5, -1.5, -3.5], squares 0.25 + 2.25 + 12.25 = 14.75.
    executor.setValue(try #require(p.names["b"]), Tensor(3))
    executor.run()
    #expect(executor.value(p.roots[0]) == Tensor(14.75))
}

@Test func runCheckingFiniteNamesTheNodeWhereANaNWasBorn() throws {
    let (program, _) = InProcess.lower("input x = [1, 0]\ny = log(x)\nz = y * 2\nprint sum(z)")
    let p = try #require(program)
    let executor = Executor(graph: p.graph, outputs: p.roots, leafValues: p.leafValues)
    // log(0) = -inf appears first at y; z and the sum only pass it on. The fused plan keeps
    // y in a register, so the search runs an unfused plan of the same graph.
    executor.run()
    #expect(executor.firstNonFinite() == p.names["y"])
}

@Test func reshapeIsAViewOfItsOperand() {
    var builder = GraphBuilder()
    let x = builder.add(.leaf(.input, "x"), [], shape: Shape([2, 3]), range: nil)
    let e = builder.apply(.exp, x, at: nil)
    let r = builder.reshape(e, Shape([6]), at: nil)
    let plan = Planner.plan(builder.finish(), outputs: [r])
    #expect(plan.stepCount == 1)
    #expect(plan.offsets[r.int] == plan.offsets[e.int])
}

@Test func anEmptyTensorRunsWithoutTrapping() {
    // sum over no elements is 0; sum along an empty axis of [0, 3] is [0, 0, 0].
    #expect(evaluate(.reduce(.sum, axis: nil), [tensor([0], [])]) == Tensor(0))
    #expect(evaluate(.reduce(.sum, axis: 0), [tensor([0, 3], [])]) == tensor([3], [0, 0, 0]))
}

@Test func arenaAllocatorMergesFreedNeighbours() {
    var arena = ArenaAllocator()
    let a = arena.allocate(8), b = arena.allocate(8), c = arena.allocate(8)
    #expect([a, b, c] == [0, 8, 16])
    arena.release(a, 8)
    arena.release(b, 8)
    // a and b merged into one block of 16: a request for 16 fits without growing.
    #expect(arena.allocate(16) == 0)
    #expect(arena.size == 24)
}

@Test func aFusedSumOfABroadcastScalarCountsEveryElement() throws {
    // sum(broadcast(s, [2, 3])) = 6 s and sum_to(broadcast(s, [2, 3]), [3]) = [2s, 2s, 2s]: the
    // broadcast is fused into the reduction as a single value, which the reduction once read as
    // if it were a whole chunk (s followed by whatever lay after it in the arena).
    var builder = GraphBuilder()
    let x = builder.add(.leaf(.input, "x"), [], shape: Shape([2]), range: nil)
    let s = builder.matmul(x, x, at: nil)
    let wide = builder.broadcast(s, Shape([2, 3]), at: nil)
    let total = builder.add(.reduce(.sum, axis: nil), [wide], range: nil)
    let columns = builder.sumTo(wide, Shape([3]), at: nil)
    let graph = builder.finish()
    let executor = Executor(graph: graph, outputs: [total, columns], leafValues: [x: tensor([2], [1, 2])])
    for _ in 0..<2 {
        executor.run()
        // s = 1·1 + 2·2 = 5.
        #expect(executor.value(total) == Tensor(30))
        #expect(executor.value(columns) == tensor([3], [10, 10, 10]))
    }
}
