import Testing
@testable import SlopeCore

@Suite struct ConstantFoldingTests {
    @Test func foldsConstantArithmeticTextInTextOut() {
        // 2*3 = 6 and sum([1, 2, 3]) = 6: one constant, as the rebuilt graph is hash-consed.
        // x is a param, so the adds stay; the 2 and 3 are dead now, for dce to remove.
        PassTesting.expect(ConstantFolding.pass, on: """
        x: [] = param
        t1: [] = constant(2)
        t2: [] = constant(3)
        t3: [] = mul(t1, t2)
        t4: [3] = constant([1, 2, 3])
        t5: [] = sum(t4)
        t6: [] = add(x, t3)
        z: [] = add(t6, t5)
        """, roots: ["z"], gives: """
        x: [] = param
        t1: [] = constant(2)
        t2: [] = constant(3)
        t3: [] = constant(6)
        t4: [3] = constant([1, 2, 3])
        t5: [] = add(x, t3)
        z: [] = add(t5, t3)
        """, rules: ["fold-constants", "fold-constants"])
    }

    @Test func foldsStructuralOpsOfConstants() {
        // broadcast(2, [3]) = [2, 2, 2], printed as the one number that fills it;
        // index([[1, 2], [3, 4]], 1) = [3, 4]; the column sums are [1 + 3, 2 + 4] = [4, 6].
        PassTesting.expect(ConstantFolding.pass, on: """
        v: [3] = input
        t1: [] = constant(2)
        t2: [3] = broadcast(t1, [3])
        t3: [3] = mul(v, t2)
        t4: [2, 2] = constant([[1, 2], [3, 4]])
        t5: [2] = index(t4, 1)
        t6: [2] = sum(t4, axis: 0)
        """, roots: ["t3", "t5", "t6"], gives: """
        v: [3] = input
        t1: [] = constant(2)
        t2: [3] = constant(2)
        t3: [3] = mul(v, t2)
        t4: [2, 2] = constant([[1, 2], [3, 4]])
        t5: [2] = constant([3, 4])
        t6: [2] = constant([4, 6])
        """)
    }

    @Test func leavesAGraphWithoutConstantArithmeticUnchanged() {
        PassTesting.expectUnchanged(ConstantFolding.pass, on: """
        x: [] = param
        t1: [] = exp(x)
        t2: [] = constant(2)
        z: [] = mul(t1, t2)
        """, roots: ["z"])
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
