import Testing
@testable import SlopeCore

@Suite struct DeadCodeEliminationTests {
    @Test func removesWhatTheRootsDoNotUseButKeepsLeaves() throws {
        let program = try #require(PassTesting.lower("""
        param x = 2
        param unused = 5
        dead = exp(x)
        live = x * 3
        print live
        """))
        let optimized = PassTesting.optimize(program.graph, roots: program.roots,
                                             pipeline: PassTesting.single(DeadCodeElimination.pass))
        #expect(IRPrinter.print(optimized.graph, locations: false) == """
        x: [] = param
        unused: [] = param
        t2: [] = constant(3)
        live: [] = mul(x, t2)

        """)
        #expect(optimized.map(try #require(program.names["dead"])) == nil)
    }

    @Test func leavesALiveGraphUnchanged() throws {
        let program = try #require(PassTesting.lower("param x = 2\nlive = x * 3\nprint live\n"))
        var report = PassReport()
        let result = DeadCodeElimination.pass.run(program.graph, roots: program.roots, report: &report)
        #expect(!result.changed)
    }
}
