import Testing
@testable import SlopeCore
import SlopeTestSupport

private let matrix = tensor([2, 3], [1, 2, 3, 4, 5, 6])   // [[1, 2, 3], [4, 5, 6]]
private let cube = tensor([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]) // [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
private let square = tensor([2, 2], [1, 2, 3, 4])          // A = [[1, 2], [3, 4]]
private let vector = tensor([2], [5, 6])                  // v = [5, 6]

let reductionCases: [OpCase] = [
    OpCase(name: "sum", op: .reduce(.sum, axis: nil), operands: [matrix], expected: Tensor(21)),
    OpCase(name: "mean", op: .reduce(.mean, axis: nil), operands: [matrix], expected: Tensor(3.5)),
    // 1 + … + 7 = 28: more than one group of four lanes plus a tail.
    OpCase(name: "sum of 7", op: .reduce(.sum, axis: nil), operands: [tensor([7], [1, 2, 3, 4, 5, 6, 7])], expected: Tensor(28)),
    OpCase(name: "sum axis 0", op: .reduce(.sum, axis: 0), operands: [matrix], expected: tensor([3], [5, 7, 9])),
    OpCase(name: "sum axis 1", op: .reduce(.sum, axis: 1), operands: [matrix], expected: tensor([2], [6, 15])),
    OpCase(name: "mean axis 0", op: .reduce(.mean, axis: 0), operands: [matrix], expected: tensor([3], [2.5, 3.5, 4.5])),
    OpCase(name: "mean axis 1", op: .reduce(.mean, axis: 1), operands: [matrix], expected: tensor([2], [2, 5])),
    // The cube along each axis: axis 0 adds the two planes, axis 1 the rows of each plane,
    // axis 2 the pairs: [[6, 8], [10, 12]], [[4, 6], [12, 14]], [[3, 7], [11, 15]].
    OpCase(name: "sum cube axis 0", op: .reduce(.sum, axis: 0), operands: [cube], expected: tensor([2, 2], [6, 8, 10, 12])),
    OpCase(name: "sum cube axis 1", op: .reduce(.sum, axis: 1), operands: [cube], expected: tensor([2, 2], [4, 6, 12, 14])),
    OpCase(name: "sum cube axis 2", op: .reduce(.sum, axis: 2), operands: [cube], expected: tensor([2, 2], [3, 7, 11, 15])),
    OpCase(name: "mean cube axis 1", op: .reduce(.mean, axis: 1), operands: [cube], expected: tensor([2, 2], [2, 3, 6, 7])),
    OpCase(name: "sum of a scalar", op: .reduce(.sum, axis: nil), operands: [Tensor(4)], expected: Tensor(4)),
    // max and min of [[1, 2, 3], [4, 5, 6]]: over everything 6 and 1; down the columns
    // [4, 5, 6] and [1, 2, 3]; along the rows [3, 6] and [1, 4].
    OpCase(name: "max", op: .reduce(.max, axis: nil), operands: [matrix], expected: Tensor(6)),
    OpCase(name: "min", op: .reduce(.min, axis: nil), operands: [matrix], expected: Tensor(1)),
    OpCase(name: "max axis 0", op: .reduce(.max, axis: 0), operands: [matrix], expected: tensor([3], [4, 5, 6])),
    OpCase(name: "min axis 0", op: .reduce(.min, axis: 0), operands: [matrix], expected: tensor([3], [1, 2, 3])),
    OpCase(name: "max axis 1", op: .reduce(.max, axis: 1), operands: [matrix], expected: tensor([2], [3, 6])),
    OpCase(name: "min axis 1", op: .reduce(.min, axis: 1), operands: [matrix], expected: tensor([2], [1, 4])),
    // The cube's middle axis: the larger row of each plane, [[3, 4], [7, 8]].
    OpCase(name: "max cube axis 1", op: .reduce(.max, axis: 1), operands: [cube], expected: tensor([2, 2], [3, 4, 7, 8])),
    // Negative values, -inf and a NaN: max of [-3, -inf, -1] is -1; a NaN anywhere gives NaN
    // (as NumPy's max), wherever it is in the row.
    OpCase(name: "max negatives", op: .reduce(.max, axis: nil), operands: [tensor([3], [-3, -.infinity, -1])], expected: Tensor(-1)),
    OpCase(name: "min with -inf", op: .reduce(.min, axis: nil), operands: [tensor([3], [-3, -.infinity, -1])], expected: Tensor(-.infinity)),
    OpCase(name: "max with NaN first", op: .reduce(.max, axis: nil), operands: [tensor([3], [.nan, 1, 2])], expected: Tensor(.nan)),
    OpCase(name: "min with NaN last", op: .reduce(.min, axis: 1), operands: [tensor([2, 2], [1, .nan, 0, 5])], expected: tensor([2], [.nan, 0])),
]

@Test(arguments: reductionCases)
func reductionsComputeTheirHandWorkedValues(_ row: OpCase) {
    expectClose(evaluate(row.op, row.operands), row.expected)
}

let layoutCases: [OpCase] = [
    OpCase(name: "transpose matrix", op: .transpose, operands: [matrix], expected: tensor([3, 2], [1, 4, 2, 5, 3, 6])),
    OpCase(name: "transpose vector", op: .transpose, operands: [vector], expected: vector),
    // Reversing three axes: y[k, j, i] = x[i, j, k].
    OpCase(name: "transpose cube", op: .transpose, operands: [cube], expected: tensor([2, 2, 2], [1, 5, 3, 7, 2, 6, 4, 8])),
    OpCase(name: "reshape", op: .reshape(Shape([3, 2])), operands: [matrix], expected: tensor([3, 2], [1, 2, 3, 4, 5, 6])),
    OpCase(name: "reshape to scalar", op: .reshape(.scalar), operands: [tensor([1, 1], [9])], expected: Tensor(9)),
    OpCase(name: "broadcast row", op: .broadcast(Shape([2, 3])), operands: [tensor([3], [1, 2, 3])],
           expected: tensor([2, 3], [1, 2, 3, 1, 2, 3])),
    OpCase(name: "broadcast column", op: .broadcast(Shape([2, 3])), operands: [tensor([2, 1], [1, 2])],
           expected: tensor([2, 3], [1, 1, 1, 2, 2, 2])),
    OpCase(name: "broadcast scalar", op: .broadcast(Shape([2, 2])), operands: [Tensor(7)], expected: tensor([2, 2], [7, 7, 7, 7])),
    // sum_to undoes broadcasting by adding: columns 1+4, 2+5, 3+6; rows 1+2+3, 4+5+6.
    OpCase(name: "sum_to row", op: .sumTo(Shape([3])), operands: [matrix], expected: tensor([3], [5, 7, 9])),
    OpCase(name: "sum_to [1,3]", op: .sumTo(Shape([1, 3])), operands: [matrix], expected: tensor([1, 3], [5, 7, 9])),
    OpCase(name: "sum_to column", op: .sumTo(Shape([2, 1])), operands: [matrix], expected: tensor([2, 1], [6, 15])),
    OpCase(name: "sum_to scalar", op: .sumTo(.scalar), operands: [matrix], expected: Tensor(21)),
    OpCase(name: "sum_to cube [2,1]", op: .sumTo(Shape([2, 1])), operands: [cube], expected: tensor([2, 1], [1 + 2 + 5 + 6, 3 + 4 + 7 + 8])),
    // Matrix products, each entry a row of the left times a column of the right:
    // A @ v = [1·5 + 2·6, 3·5 + 4·6] = [17, 39]; v @ A = [5·1 + 6·3, 5·2 + 6·4] = [23, 34];
    // v @ v = 25 + 36 = 61; A @ [[1, 2, 3], [4, 5, 6]] = [[9, 12, 15], [19, 26, 33]].
    OpCase(name: "matmul [n,k]@[k]", op: .matmul, operands: [square, vector], expected: tensor([2], [17, 39])),
    OpCase(name: "matmul [k]@[k,m]", op: .matmul, operands: [vector, square], expected: tensor([2], [23, 34])),
    OpCase(name: "matmul [k]@[k]", op: .matmul, operands: [vector, vector], expected: Tensor(61)),
    OpCase(name: "matmul [n,k]@[k,m]", op: .matmul, operands: [square, matrix], expected: tensor([2, 3], [9, 12, 15, 19, 26, 33])),
    OpCase(name: "matmul [1,k]@[k,1]", op: .matmul, operands: [tensor([1, 3], [1, 2, 3]), tensor([3, 1], [4, 5, 6])],
           expected: tensor([1, 1], [32])),
    OpCase(name: "stack vectors", op: .stack, operands: [tensor([2], [1, 2]), tensor([2], [3, 4]), tensor([2], [5, 6])],
           expected: tensor([3, 2], [1, 2, 3, 4, 5, 6])),
    OpCase(name: "stack scalars", op: .stack, operands: [Tensor(7), Tensor(8)], expected: tensor([2], [7, 8])),
    OpCase(name: "index row", op: .index(1), operands: [tensor([3, 2], [1, 2, 3, 4, 5, 6])], expected: tensor([2], [3, 4])),
    OpCase(name: "index element", op: .index(2), operands: [tensor([3], [7, 8, 9])], expected: Tensor(9)),
]

@Test(arguments: layoutCases)
func structuralOpsComputeTheirHandWorkedValues(_ row: OpCase) {
    expectClose(evaluate(row.op, row.operands), row.expected)
}

@Test func transposeOfAMatrixLargerThanATileMatchesTheDefinition() {
    // 40 × 35 crosses the 32 × 32 tiles on both axes; the oracle is y[c, r] = x[r, c].
    let rows = 40, columns = 35
    let x = tensor([rows, columns], (0..<rows * columns).map(Double.init))
    let y = evaluate(.transpose, [x])
    #expect(y.shape == Shape([columns, rows]))
    var expected = [Double](repeating: 0, count: rows * columns)
    for r in 0..<rows { for c in 0..<columns { expected[c * rows + r] = x.values[r * columns + c] } }
    #expect(y.values == expected)
}

@Test func matmulOfLargerMatricesMatchesTheDefinition() {
    // Entries are small integers, so every sum is exact and the comparison can be too.
    let m = 7, k = 9, n = 5
    let a = tensor([m, k], (0..<m * k).map { Double($0 % 5) - 2 })
    let b = tensor([k, n], (0..<k * n).map { Double($0 % 7) - 3 })
    var expected = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += a.values[i * k + p] * b.values[p * n + j] } } }
    #expect(evaluate(.matmul, [a, b]) == tensor([m, n], expected))
}
