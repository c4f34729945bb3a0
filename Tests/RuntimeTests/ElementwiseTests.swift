import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

private let e = 2.718281828459045      // Foundation.M_E, the double nearest e
private let ln2 = 0.6931471805599453   // the double nearest ln 2
private let ulps = 4e-16               // libm results may differ from the nearest double by an ulp or so

private func v(_ values: Double...) -> Tensor { tensor([values.count], values) }

let unaryCases: [OpCase] = [
    OpCase(name: "neg", op: .unary(.neg), operands: [v(1, -2.5, 0)], expected: v(-1, 2.5, -0.0)),
    // e^0 = 1, e^1 = e, e^-1 = 1/e, e^(ln 2) = 2
    OpCase(name: "exp", op: .unary(.exp), operands: [v(0, 1, -1, ln2)], expected: v(1, e, 0.36787944117144233, 2), tolerance: ulps),
    // ln 1 = 0, ln e = 1, ln 0.5 = -ln 2, ln 100 = 2 ln 10 = 4.605170185988092
    OpCase(name: "log", op: .unary(.log), operands: [v(1, e, 0.5, 100)], expected: v(0, 1, -ln2, 4.605170185988092), tolerance: ulps),
    // √0 = 0, √4 = 2, √2 = 1.4142135623730951, √0.25 = 0.5 (sqrt is correctly rounded: exact)
    OpCase(name: "sqrt", op: .unary(.sqrt), operands: [v(0, 4, 2, 0.25)], expected: v(0, 2, 1.4142135623730951, 0.5)),
    OpCase(name: "abs", op: .unary(.abs), operands: [v(-3, 0, 2.5)], expected: v(3, 0, 2.5)),
    // sin 0 = 0, sin π/2 = 1, sin π/6 = 1/2
    OpCase(name: "sin", op: .unary(.sin), operands: [v(0, Double.pi / 2, Double.pi / 6)], expected: v(0, 1, 0.5), tolerance: ulps),
    // cos 0 = 1, cos π = -1, cos π/3 = 1/2
    OpCase(name: "cos", op: .unary(.cos), operands: [v(0, Double.pi, Double.pi / 3)], expected: v(1, -1, 0.5), tolerance: ulps),
    // tanh 0 = 0, tanh 1 = (e² - 1)/(e² + 1) = 0.7615941559557649, tanh(-1000) = -1
    OpCase(name: "tanh", op: .unary(.tanh), operands: [v(0, 1, -1000)], expected: v(0, 0.7615941559557649, -1), tolerance: ulps),
    // σ(0) = 1/2, σ(2) = 1/(1 + e^-2) = 0.8807970779778823, σ(-2) = 1 - σ(2) = 0.11920292202211755,
    // σ(1000) = 1 and σ(-1000) = e^-1000/(1 + e^-1000) = 0 (underflow), both finite, never NaN.
    OpCase(name: "sigmoid", op: .unary(.sigmoid), operands: [v(0, 2, -2, 1000, -1000)],
           expected: v(0.5, 0.8807970779778823, 0.11920292202211755, 1, 0), tolerance: ulps),
    // relu(x) = max(x, 0); its kink at 0 gives 0.
    OpCase(name: "relu", op: .unary(.relu), operands: [v(-1, 0, 2)], expected: v(0, 0, 2)),
    // softplus(0) = ln 2, softplus(1) = ln(1 + e) = 1.3132616875182228,
    // softplus(1000) = 1000 + ln(1 + e^-1000) = 1000 exactly (ln(1 + e^1000) would overflow),
    // softplus(-1000) = ln(1 + e^-1000) = 0 (a NaN here would mean an inf - inf).
    OpCase(name: "softplus", op: .unary(.softplus), operands: [v(0, 1, 1000, -1000)],
           expected: v(ln2, 1.3132616875182228, 1000, 0), tolerance: ulps),
    OpCase(name: "sign", op: .unary(.sign), operands: [v(-2, 0, 3, -0.5)], expected: v(-1, 0, 1, -1)),
    OpCase(name: "step", op: .unary(.step), operands: [v(-2, 0, 3, 1e-300)], expected: v(0, 0, 1, 1)),
]

@Test(arguments: unaryCases)
func unaryOpsComputeTheirHandWorkedValues(_ row: OpCase) {
    expectClose(evaluate(row.op, row.operands), row.expected, tolerance: row.tolerance)
}

@Test(arguments: unaryCases)
func unaryKernelsAgreeWithTheScalarMeaning(_ row: OpCase) {
    // Constant folding applies the op element by element; the interpreter runs its kernels.
    let kernel = evaluate(row.op, row.operands).values
    guard case .unary(let op) = row.op else { Issue.record("not unary"); return }
    let scalar = row.operands[0].values.map { op.apply($0) }
    #expect(kernel.map(\.bitPattern) == scalar.map(\.bitPattern))
}

@Test func poleAndDomainEdgesGiveInfinitiesAndNaNNotTraps() {
    expectClose(evaluate(.unary(.log), [v(0, -1)]), v(-.infinity, .nan))
    expectClose(evaluate(.unary(.sqrt), [v(-1)]), v(.nan))
    expectClose(evaluate(.unary(.exp), [v(1000)]), v(.infinity))
    expectClose(evaluate(.unary(.sign), [v(.nan)]), v(.nan))
    expectClose(evaluate(.unary(.relu), [v(.nan)]), v(.nan))
    expectClose(evaluate(.binary(.div), [v(1, -1, 0), v(0, 0, 0)]), v(.infinity, -.infinity, .nan))
}

let binaryCases: [OpCase] = [
    OpCase(name: "add", op: .binary(.add), operands: [v(1, 2), v(3, 4)], expected: v(4, 6)),
    OpCase(name: "sub", op: .binary(.sub), operands: [v(1, 2), v(3, 5)], expected: v(-2, -3)),
    OpCase(name: "mul", op: .binary(.mul), operands: [v(2, 3), v(4, -5)], expected: v(8, -15)),
    OpCase(name: "div", op: .binary(.div), operands: [v(1, 3), v(4, 2)], expected: v(0.25, 1.5)),
    // 2^3 = 8, 9^0.5 = 3, 4^-1 = 0.25, 5^0 = 1, 3^2 = 9, 2^10 = 1024
    OpCase(name: "pow", op: .binary(.pow), operands: [v(2, 9, 4, 5, 3, 2), v(3, 0.5, -1, 0, 2, 10)], expected: v(8, 3, 0.25, 1, 9, 1024)),
    // mask(x, v) = v where x > 0, else exactly 0 — even where v is infinite.
    OpCase(name: "mask", op: .binary(.mask), operands: [v(1, 0, -1), v(5, .infinity, 7)], expected: v(5, 0, 0)),
    // equal is 1 exactly where the operands are equal; 0 == -0, and NaN equals nothing.
    OpCase(name: "equal", op: .binary(.equal), operands: [v(1, 2, 0, .nan), v(1, 3, -0.0, .nan)], expected: v(1, 0, 1, 0)),
    // max and min pick an operand; a NaN in either gives NaN (as torch.maximum).
    OpCase(name: "max", op: .binary(.max), operands: [v(1, 5, -2, .nan, 3), v(4, 2, -2, 1, .nan)], expected: v(4, 5, -2, .nan, .nan)),
    OpCase(name: "min", op: .binary(.min), operands: [v(1, 5, -2, .nan, 3), v(4, 2, -2, 1, .nan)], expected: v(1, 2, -2, .nan, .nan)),
    OpCase(name: "max with inf", op: .binary(.max), operands: [v(.infinity, -.infinity), v(1, 1)], expected: v(.infinity, 1)),
]

@Test(arguments: binaryCases)
func binaryKernelsAgreeWithTheScalarMeaning(_ row: OpCase) {
    // Constant folding applies the op element by element; the interpreter runs its kernels.
    guard case .binary(let op) = row.op else { Issue.record("not binary"); return }
    let kernel = evaluate(row.op, row.operands).values
    let scalar = zip(row.operands[0].values, row.operands[1].values).map { op.apply($0, $1) }
    #expect(kernel.map(\.bitPattern) == scalar.map(\.bitPattern))
}

@Test(arguments: binaryCases)
func binaryOpsComputeTheirHandWorkedValues(_ row: OpCase) {
    expectClose(evaluate(row.op, row.operands), row.expected, tolerance: row.tolerance)
}

private let matrix = tensor([2, 3], [1, 2, 3, 4, 5, 6])

let broadcastCases: [OpCase] = [
    // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]: the row is added to each row.
    OpCase(name: "[2,3]+[3]", op: .binary(.add), operands: [matrix, v(10, 20, 30)], expected: tensor([2, 3], [11, 22, 33, 14, 25, 36])),
    OpCase(name: "[3]+[2,3]", op: .binary(.add), operands: [v(10, 20, 30), matrix], expected: tensor([2, 3], [11, 22, 33, 14, 25, 36])),
    // [[1], [2]] + [[10, 20, 30]]: a column plus a row is a table.
    OpCase(name: "[2,1]+[1,3]", op: .binary(.add), operands: [tensor([2, 1], [1, 2]), tensor([1, 3], [10, 20, 30])],
           expected: tensor([2, 3], [11, 21, 31, 12, 22, 32])),
    // [[1, 2, 3], [4, 5, 6]] - [[1], [4]]: each row minus its first element.
    OpCase(name: "[2,3]-[2,1]", op: .binary(.sub), operands: [matrix, tensor([2, 1], [1, 4])], expected: tensor([2, 3], [0, 1, 2, 0, 1, 2])),
    // [1, 2, 3] ^ [[2], [3]] = [[1, 4, 9], [1, 8, 27]]
    OpCase(name: "[3]^[2,1]", op: .binary(.pow), operands: [v(1, 2, 3), tensor([2, 1], [2, 3])], expected: tensor([2, 3], [1, 4, 9, 1, 8, 27])),
    OpCase(name: "scalar-tensor", op: .binary(.sub), operands: [Tensor(10), v(1, 2, 3)], expected: v(9, 8, 7)),
    OpCase(name: "tensor/scalar", op: .binary(.div), operands: [v(1, 2, 3), Tensor(2)], expected: v(0.5, 1, 1.5)),
    OpCase(name: "scalar*matrix", op: .binary(.mul), operands: [Tensor(-1), matrix], expected: tensor([2, 3], [-1, -2, -3, -4, -5, -6])),
    OpCase(name: "[1]+[3]", op: .binary(.add), operands: [v(5), v(1, 2, 3)], expected: v(6, 7, 8)),
    OpCase(name: "[2,3]*[1,1]", op: .binary(.mul), operands: [matrix, tensor([1, 1], [2])], expected: tensor([2, 3], [2, 4, 6, 8, 10, 12])),
    // x[i, 0, k] + y[j, 0]: x = [[[1, 2]], [[3, 4]]] ([2, 1, 2]), y = [[10], [20], [30]] ([3, 1]).
    OpCase(name: "[2,1,2]+[3,1]", op: .binary(.add), operands: [tensor([2, 1, 2], [1, 2, 3, 4]), tensor([3, 1], [10, 20, 30])],
           expected: tensor([2, 3, 2], [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34])),
    // mask broadcasting a scalar value over a vector condition.
    OpCase(name: "mask([3],[])", op: .binary(.mask), operands: [v(1, -1, 2), Tensor(7)], expected: v(7, 0, 7)),
    OpCase(name: "mask([],[3])", op: .binary(.mask), operands: [Tensor(-1), v(1, 2, 3)], expected: v(0, 0, 0)),
    // max of a column and a row: [[1], [4]] against [2, 3, 5] is [[2, 3, 5], [4, 4, 5]].
    OpCase(name: "max([2,1],[3])", op: .binary(.max), operands: [tensor([2, 1], [1, 4]), v(2, 3, 5)],
           expected: tensor([2, 3], [2, 3, 5, 4, 4, 5])),
    OpCase(name: "min(scalar,[3])", op: .binary(.min), operands: [Tensor(2), v(1, 2, 3)], expected: v(1, 2, 2)),
    OpCase(name: "min([3],scalar)", op: .binary(.min), operands: [v(1, 2, 3), Tensor(2)], expected: v(1, 2, 2)),
]

@Test(arguments: broadcastCases)
func binaryOpsBroadcastLikeNumPy(_ row: OpCase) {
    expectClose(evaluate(row.op, row.operands), row.expected)
}
