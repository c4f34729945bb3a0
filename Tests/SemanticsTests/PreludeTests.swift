import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func thePreludeParsesWithoutDiagnostics() {
    #expect(Parser.parse(Prelude.file).diagnostics.isEmpty)
}

@Test func mseIsTheMeanOfSquaredDifferences() throws {
    // mean([1-1, 2-1, 3-1]^2) = mean([0, 1, 4]) = 5/3
    let values = try printed("print mse([1, 2, 3], [1, 1, 1])")
    #expect(values == [Tensor(5.0 / 3.0)])
}

@Test func bceIsTheMeanLogLoss() throws {
    // p = [0.5, 0.8], y = [1, 0]: -mean(1·log 0.5 + 0·log 0.5, 0·log 0.8 + 1·log 0.2)
    //   = -(log 0.5 + log 0.2) / 2 = -log(0.1) / 2 = log(10) / 2 ≈ 1.1512925464970229
    let value = try #require(try printed("print bce([0.5, 0.8], [1, 0])").first?.scalarValue)
    #expect(Swift.abs(value - Foundation.log(10) / 2) <= 1e-15)
}

@Test func linearIsAnAffineMap() throws {
    // [[1, 2]] @ [[3], [4]] + [5] = [[1·3 + 2·4 + 5]] = [[16]]
    #expect(try printed("print linear([[1, 2]], [[3], [4]], [5])") == [tensor([1, 1], [16])])
}

@Test func denseIsASigmoidLayer() throws {
    // sigmoid([[1, -1]] @ [[2], [1]] + [-1]) = sigmoid(2 - 1 - 1) = sigmoid(0) = 0.5
    #expect(try printed("print dense([[1, -1]], [[2], [1]], [-1])") == [tensor([1, 1], [0.5])])
}

@Test func accuracyCountsProbabilitiesOnTheRightSideOfOneHalf() throws {
    // p = [0.9, 0.2, 0.6, 0.4], y = [1, 0, 0, 0]: step(p - 0.5) = [1, 0, 1, 0],
    // |that - y| = [0, 0, 1, 0], so 3 of 4 are right: 0.75.
    #expect(try printed("print accuracy([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 0])") == [Tensor(0.75)])
}
