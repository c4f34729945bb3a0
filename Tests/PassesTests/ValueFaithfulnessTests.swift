import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Issue 12: values `run`, training, `grad --json` and `check` compute are IEEE-faithful for the
/// program's actual values. Rules that give a number where IEEE arithmetic gives NaN (`finiteOnly`:
/// x/x = 1 at 0) or that can cancel (`cancelling`: sum-polynomial) serve only the readable
/// gradient `slope grad` prints (`Pipeline.readable`); the stabilizing rewrites, which give the true
/// value where the original overflows, stay.
@Suite struct ValueFaithfulnessTests {
    @Test func onlyTheRulesThatKeepValuesAreAdmittedForEvaluation() {
        #expect(Exactness.keepingValues == [.exact, .lastBits, .stabilizing])
        let rules = AlgebraicSimplification.allRules + Stabilization.allRules
        let barred = rules.filter { !$0.exactness.keepsValues }.map(\.name).sorted()
        #expect(barred == ["div-of-self", "div-of-zero", "exp-of-log", "mul-by-zero", "sub-of-self", "sum-polynomial"])
        let stabilizing = rules.filter { $0.exactness == .stabilizing }.map(\.name).sorted()
        #expect(stabilizing == ["log-of-exp", "log-one-minus-sigmoid-to-softplus", "log-one-plus-exp-to-softplus",
                                "log-sigmoid-to-softplus", "sigmoid-adjoint-cancel"])
    }

    /// Each expression is NaN in IEEE arithmetic at these finite inputs, and a `finiteOnly` rule
    /// would make it a number.
    static let undefined: [(source: String, rule: String)] = [
        ("z/z", "div-of-self"),            // 0/0
        ("0/z", "div-of-zero"),            // 0/0
        ("exp(log(m))", "exp-of-log"),     // log(−1) = NaN
        ("exp(big)*0", "mul-by-zero"),     // exp(1000) = inf, inf · 0 = NaN
        ("exp(big) - exp(big)", "sub-of-self"),   // inf − inf
    ]

    @Test(arguments: undefined.map(\.source))
    func runPrintsTheIEEEValueAtTheProgramsInputs(_ source: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "input z = 0\ninput m = -1\ninput big = 1000\nprint \(source)\n")
        let result = InProcess.run(["run", path])
        #expect(result.status == .success)
        #expect(result.out == "\(source) = nan\n", "\(result)")
    }

    @Test(arguments: undefined)
    func theReadablePipelineStillAppliesTheRule(_ item: (source: String, rule: String)) throws {
        let program = try #require(PassTesting.lower("param z = 0\nparam m = -1\nparam big = 1000\nr = \(item.source)\nprint r\n"))
        let root = try #require(program.names["r"])
        let readable = Optimizer.optimize(program.graph, roots: [root], pipeline: .readable)
        #expect(readable.firings.contains { $0.rule == item.rule })
        let standard = Optimizer.optimize(program.graph, roots: [root])
        #expect(!standard.firings.contains { !(Self.exactness[$0.rule]?.keepsValues ?? true) }, "\(standard.firings.map(\.rule))")
        let value = PassTesting.evaluate(standard.graph, [standard.roots[0]], leafValues: PassTesting.leafValues(program))[0]
        #expect(value.values.allSatisfy { $0.isNaN })
    }

    static let exactness = Dictionary((AlgebraicSimplification.allRules + Stabilization.allRules).map { ($0.name, $0.exactness) },
                                      uniquingKeysWith: { first, _ in first })

    @Test func theIssuesReproductionPrintsNaNTwice() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "input z = 0\ninput m = -1\nprint z/z, exp(log(m))\n")
        let text = InProcess.run(["run", path])
        #expect(text.out == "z/z = nan\nexp(log(m)) = nan\n", "\(text)")
        let json = InProcess.run(["run", path, "--json"])
        #expect(json.out.contains(#"{"expr": "z/z", "value": "nan"}, {"expr": "exp(log(m))", "value": "nan"}"#), "\(json)")
    }

    @Test func gradJSONAndCheckSeeTheIEEEValueToo() throws {
        // E = w·(z/z) + w·exp(log m): at z = 0, m = −1 both factors are NaN, so are E and dE/dw.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "input z = 0\ninput m = -1\nparam w = 2\nE = w*(z/z) + exp(log(m))*w\n")
        let json = InProcess.run(["grad", path, "--json"])
        #expect(json.out == #"{"of": "E", "value": "nan", "gradient": {"w": "nan"}}"# + "\n", "\(json)")
        let printing = try directory.write("print.graph", "input z = 0\ninput m = -1\nparam w = 2\nE = w*(z/z) + exp(log(m))*w\nprint grad(E, w)\n")
        let run = InProcess.run(["run", printing])
        #expect(run.out == "grad(E, w) = nan\n", "\(run)")
        #expect(InProcess.run(["check", path]).status == .programError, "autodiff and differences are both NaN: not a pass")
    }

    @Test func theReadableGradientIsStillSimplified() throws {
        // d/dw of w·(x/x) + w·(y − y) + 0·y prints as 1: the readable form may use every rule.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param w = 2\nparam x = 3\nparam y = 4\nE = w*(x/x) + w*(y - y) + 0*y\n")
        let result = InProcess.run(["grad", path, "--wrt", "w"])
        #expect(result.status == .success)
        #expect(result.out.contains("\nd_w = 1"), "\(result.out)")
    }
}
