import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A tensor from its shape and row-major values.
func tensor(_ shape: [Int], _ values: [Double]) -> Tensor { Tensor(shape: Shape(shape), values: values) }

/// One op applied to input leaves holding `operands`, run through the planner and executor.
func evaluate(_ op: Op, _ operands: [Tensor]) -> Tensor {
    var builder = GraphBuilder()
    let leaves = operands.enumerated().map { index, value in
        builder.add(.leaf(.input, "x\(index)"), [], shape: value.shape, range: nil)
    }
    let output = builder.add(op, Operands(leaves), range: nil)
    let executor = Executor(graph: builder.finish(), outputs: [output],
                            leafValues: Dictionary(uniqueKeysWithValues: zip(leaves, operands)))
    executor.run()
    return executor.value(output)
}

/// Equal shapes and values within `tolerance` relative (exactly equal when 0); NaN matches NaN.
func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Double = 0,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    guard actual.values.count == expected.values.count else { return }
    for (index, (a, e)) in zip(actual.values, expected.values).enumerated() {
        let close = a.isNaN ? e.isNaN : (a == e || Swift.abs(a - e) <= tolerance * Swift.abs(e))
        #expect(close, "element \(index): \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}

/// One row of an op table: the op, its operands and the value worked out by hand.
struct OpCase: Sendable, CustomTestStringConvertible {
    let name: String
    let op: Op
    let operands: [Tensor]
    let expected: Tensor
    /// Relative tolerance: 0 for exact arithmetic, a few ulps for libm functions.
    var tolerance: Double = 0
    var testDescription: String { name }
}
