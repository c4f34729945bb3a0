import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Every op's tangent rule (forward mode, `jvp`), on the same table of cases as the adjoint
/// rules: the tangent of y along a random direction against central differences of y itself,
/// element by element; against reverse mode (∇(w·y) · v); and forward over reverse, the
/// Hessian–vector product jvp(∇f, x, v), against reverse over reverse.
struct TangentProgram {
    let names: [String]
    let evaluation: Evaluation
    let values: [String: Tensor]

    init(_ testCase: GradientCase) throws {
        let (names, declarations, yShape) = try GradientProgram.declarations(testCase)
        let tangent = names.map { "jvp(y, \($0), v\($0))" }.joined(separator: " + ")
        let reverse = names.map { "sum(grad(sum(w * y), \($0)) * v\($0))" }.joined(separator: " + ")
        let forwardOverReverse = names.map { x in
            "hf\(x) = " + names.map { "jvp(g\(x), \($0), v\($0))" }.joined(separator: " + ")
        }
        let reverseOverReverse = names.map { "hr\($0) = grad(d, \($0))" }
        let source = (declarations + [
            testCase.functions + "y = \(testCase.expression)",
            "f = sum(w * y) + sum(y * y) / 2",
            "t = \(tangent)",
            "r = \(reverse)",
        ] + names.map { "g\($0) = grad(f, \($0))" }
          + ["d = " + names.map { "sum(g\($0) * v\($0))" }.joined(separator: " + ")]
          + forwardOverReverse + reverseOverReverse).joined(separator: "\n") + "\n"
        let program = try lowered(source)
        evaluation = try Evaluation(program, outputs: ["y", "t", "r", "w"] + names.map { "hf" + $0 } + names.map { "hr" + $0 })
        self.names = names
        values = GradientProgram.values(testCase, names: names, yShape: yShape)
    }

    func moved(by t: Double) -> [String: Tensor] {
        var moved = values
        for name in names { moved[name] = values[name]!.moved(along: values["v" + name]!, by: t) }
        return moved
    }
}

@Suite struct TangentRulesTests {
    @Test(arguments: GradientCase.all)
    func theTangentMatchesCentralDifferencesOfTheValue(_ testCase: GradientCase) throws {
        let program = try TangentProgram(testCase)
        let results = program.evaluation(program.values)
        let tangent = results[1]
        #expect(tangent.shape == results[0].shape, "the tangent has y's shape")
        let numeric = Differences.derivative { t in program.evaluation(program.moved(by: t))[0].values }
        let scale = max(results[0].largestMagnitude, tangent.largestMagnitude)
        for (index, (a, n)) in zip(tangent.values, numeric).enumerated() {
            expectAgreement(a, n, scale: scale, "ẏ[\(index)] of \(testCase.testDescription)")
        }
    }

    @Test(arguments: GradientCase.all)
    func forwardAndReverseModeAgree(_ testCase: GradientCase) throws {
        // w · ẏ = ∇(w · y) · v: the same number by the two transformations.
        let program = try TangentProgram(testCase)
        let results = program.evaluation(program.values)
        let forward = zip(results[3].values, results[1].values).reduce(0) { $0 + $1.0 * $1.1 }
        let reverse = results[2].values[0]
        let scale = max(1, Swift.abs(reverse), zip(results[3].values, results[1].values).map { Swift.abs($0 * $1) }.max() ?? 0)
        #expect(Swift.abs(forward - reverse) <= 1e-12 * scale, "\(forward) vs \(reverse): \(testCase.testDescription)")
    }

    @Test(arguments: GradientCase.all)
    func forwardOverReverseIsTheHessianVectorProduct(_ testCase: GradientCase) throws {
        let program = try TangentProgram(testCase)
        let results = program.evaluation(program.values)
        let count = program.names.count
        for position in 0..<count {
            let forward = results[4 + position], reverse = results[4 + count + position]
            let scale = max(1, forward.largestMagnitude, reverse.largestMagnitude)
            for (index, (f, r)) in zip(forward.values, reverse.values).enumerated() {
                #expect(Swift.abs(f - r) <= 1e-11 * scale, "(Hv)[\(index)] \(f) vs \(r): \(testCase.testDescription)")
            }
        }
    }
}
