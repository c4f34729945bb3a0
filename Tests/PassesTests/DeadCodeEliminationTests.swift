import Testing
@testable import SlopeCore

@Suite struct DeadCodeEliminationTests {
    @Test func removesWhatTheRootsDoNotUseButKeepsLeaves() {
        PassTesting.expect(DeadCodeElimination.pass, on: """
        x: [] = param
        unused: [] = param
        dead: [] = exp(x)
        t3: [] = constant(3)
        live: [] = mul(x, t3)
        t5: [] = constant(4)
        """, roots: ["live"], gives: """
        x: [] = param
        unused: [] = param
        t2: [] = constant(3)
        live: [] = mul(x, t2)
        """)
    }

    @Test func mapsRemovedNodesToNothing() throws {
        let program = try #require(PassTesting.lower("""
        param x = 2
        dead = exp(x)
        live = x * 3
        print live
        """))
        let optimized = PassTesting.optimize(program.graph, roots: program.roots,
                                             pipeline: PassTesting.single(DeadCodeElimination.pass))
        #expect(optimized.map(try #require(program.names["dead"])) == nil)
        #expect(optimized.map(try #require(program.names["live"])) == NodeID(2))
    }

    @Test func leavesALiveGraphUnchanged() {
        PassTesting.expectUnchanged(DeadCodeElimination.pass, on: """
        x: [] = param
        t1: [] = constant(3)
        live: [] = mul(x, t1)
        """, roots: ["live"])
    }
}
