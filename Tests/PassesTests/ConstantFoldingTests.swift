import Testing
@testable import SlopeCore

@Suite struct ConstantFoldingTests {
    @Test func foldsConstantArithmeticTextInTextOut() {
        // 2*3 = 6 and sum([1, 2, 3]) = 6, one constant; x is a param, so the adds stay.
        let output = PassTesting.ir("""
        param x = 1
        z = x + 2*3 + sum([1, 2, 3])
        print z
        """, PassTesting.single(ConstantFolding.pass))
        #expect(output == """
        x: [] = param
        t3: [] = constant(6)
        t4: [] = add(x, t3)
        z: [] = add(t4, t3)

        """)
    }

    @Test func leavesAGraphWithoutConstantArithmeticUnchanged() throws {
        let program = try #require(PassTesting.lower("param x = 1\nz = exp(x) * 2\nprint z\n"))
        var report = PassReport()
        let result = ConstantFolding.pass.run(program.graph, roots: program.roots, report: &report)
        #expect(!result.changed)
        #expect(report.firings.isEmpty)
    }

    @Test func foldsExactlyAsTheInterpreterComputes() throws {
        // A sum of 100 values accumulates in four lanes in the kernel; folding must match it bit
        // for bit, not sum left to right.
        let values = (1...100).map { 1.0 / Double($0) }
        let folded = try #require(ConstantFolding.evaluate(.reduce(.sum, axis: nil), [Tensor(shape: Shape([100]), values: values)]))
        var builder = GraphBuilder()
        let input = builder.add(.leaf(.input, "v"), [], shape: Shape([100]), range: nil, name: "v")
        let sum = builder.add(.reduce(.sum, axis: nil), [input], range: nil)
        let interpreted = PassTesting.evaluate(builder.graph, [sum], leafValues: ["v": Tensor(shape: Shape([100]), values: values)])[0]
        #expect(folded.values[0].bitPattern == interpreted.values[0].bitPattern)
    }

    @Test func foldsBroadcastingOpsAndMatrixProducts() throws {
        let a = Tensor(shape: Shape([2, 2]), values: [1, 2, 3, 4])
        let b = Tensor(shape: Shape([2]), values: [10, 20])
        #expect(ConstantFolding.evaluate(.binary(.add), [a, b])?.values == [11, 22, 13, 24])
        #expect(ConstantFolding.evaluate(.matmul, [a, b])?.values == [50, 110])   // [1·10 + 2·20, 3·10 + 4·20]
        #expect(ConstantFolding.evaluate(.transpose, [a])?.values == [1, 3, 2, 4])
    }

    @Test func doesNotFoldIntoLargeLiterals() {
        #expect(ConstantFolding.evaluate(.broadcast(Shape([1000, 1000])), [Tensor(0)]) == nil)
        #expect(ConstantFolding.evaluate(.broadcast(Shape([4])), [Tensor(0)])?.values == [0, 0, 0, 0])
    }
}
