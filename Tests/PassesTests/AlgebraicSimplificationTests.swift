import Foundation
import Testing
@testable import SlopeCore

/// One rule at work: an expression over x = 1.7, y = 0.6, v = [0.5, 2, 3.5], w = [1.5, -0.25, 2]
/// and A: [2, 3], what it prints as after optimization, and a rule that must fire on the way.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let source: String
    let expected: String
    let rule: String
    init(_ source: String, _ expected: String, _ rule: String) {
        self.source = source
        self.expected = expected
        self.rule = rule
    }
    var testDescription: String { "\(rule): \(source)" }
}

@Suite struct AlgebraicSimplificationTests {
    static let declarations = """
    param x = 1.7
    param y = 0.6
    param v = [0.5, 2, 3.5]
    param w = [1.5, -0.25, 2]
    param A = [[1, 2, 3], [4, 5, 6]]

    """

    static let cases: [RuleCase] = [
        RuleCase("x*1", "x", "mul-by-one"),
        RuleCase("x*[1, 1, 1]", "broadcast(x, [3])", "mul-by-one"),   // the 1 widens x: the shape stays [3]
        RuleCase("x*0", "0", "mul-by-zero"),
        RuleCase("broadcast(x, [3])/3", "broadcast(x/3, [3])", "elementwise-before-broadcast"),  // one division, not three
        RuleCase("x*(-1)", "-x", "mul-by-minus-one"),
        RuleCase("2*(3*x)", "6*x", "mul-constants-gathered"),
        RuleCase("(-x)*3", "-3*x", "mul-of-neg-by-constant"),
        RuleCase("(-x)*(-y)", "x*y", "mul-of-negs"),
        RuleCase("(-x)*y", "-x*y", "mul-neg-outward"),           // -(x*y): the minus negates x*y exactly
        RuleCase("(x*2)*y", "2*(x*y)", "mul-constant-outward"),
        RuleCase("sum(v)*(1/3)", "mean(v)", "sum-scaled-to-mean"),
        RuleCase("x + 0", "x", "add-zero"),
        // y(1 − x)(−2) + x(1 − y)·2 = 2(x − y): the log-loss-through-sigmoid gradient's shape
        RuleCase("y*(1 - x)*(-2) + x*(1 - y)*2", "2*(x - y)", "complement-products-cancel"),
        RuleCase("x + (-y)", "x - y", "add-neg-to-sub"),
        RuleCase("x + y*(-2)", "x - 2*y", "add-negative-to-sub"),
        RuleCase("x + x", "2*x", "add-self"),
        RuleCase("2*x + 3*x", "5*x", "add-like-terms"),
        RuleCase("(x + 2) + 3", "x + 5", "add-constants-gathered"),
        RuleCase("(x + 2) + y", "x + y + 2", "add-constant-outward"),
        RuleCase("x - 0", "x", "sub-zero"),
        RuleCase("0 - x", "-x", "sub-from-zero"),
        RuleCase("v - v", "[0, 0, 0]", "sub-of-self"),
        RuleCase("x - (-y)", "x + y", "sub-of-neg"),
        RuleCase("x - y*(-2)", "x + 2*y", "sub-negative-to-add"),
        RuleCase("-x - y", "-(x + y)", "sub-neg-from"),
        RuleCase("x*2 - x", "x", "sub-like-terms"),
        RuleCase("(x + 2) - 3", "x - 1", "sub-constants-gathered"),
        RuleCase("(x + 2) - y", "x - y + 2", "sub-constant-outward"),
        RuleCase("max(x, x)", "x", "extremum-of-same"),
        RuleCase("min(v, v) + 1", "v + 1", "extremum-of-same"),
        RuleCase("max(broadcast(y, [3]))", "y", "reduce-of-broadcast"),
        RuleCase("-(-x)", "x", "neg-of-neg"),
        RuleCase("-(x - y)", "y - x", "neg-of-sub"),
        RuleCase("-(x*3)", "-3*x", "neg-of-scaled"),
        RuleCase("x/1", "x", "div-by-one"),
        RuleCase("x/x", "1", "div-of-self"),
        RuleCase("0/x", "0", "div-of-zero"),
        RuleCase("x/4", "0.25*x", "div-by-power-of-two"),
        RuleCase("(-x)/y", "-x/y", "div-of-neg"),                 // -(x/y)
        RuleCase("(x/y)/y", "x/y^2", "div-twice-by-one-value"),   // x/(y*y)
        RuleCase("x^1", "x", "pow-one"),
        RuleCase("x^0", "1", "pow-zero"),
        RuleCase("x^2", "x^2", "pow-two-to-mul"),                 // x*x, which x^2 computes
        RuleCase("x^3", "x^3", "pow-three-to-mul"),               // x*(x*x), which x^3 computes
        RuleCase("x^4", "(x^2)^2", "pow-integer-to-mul"),         // (x*x)*(x*x)
        RuleCase("x^-2", "1/x^2", "pow-negative-integer-to-div"),
        RuleCase("x^0.5", "sqrt(x)", "pow-half-to-sqrt"),
        RuleCase("exp(log(x))", "x", "exp-of-log"),
        RuleCase("log(exp(x))", "x", "log-of-exp"),
        RuleCase("sum(x)", "x", "reduce-scalar"),
        RuleCase("sum(-v)", "-sum(v)", "reduce-of-neg"),
        RuleCase("sum(x*v)", "x*sum(v)", "reduce-scalar-factor"),
        RuleCase("mean(x*v)", "x*mean(v)", "reduce-scalar-factor"),
        RuleCase("sum(v/x)", "sum(v)/x", "reduce-scalar-factor"),
        RuleCase("sum(x + 0*v)", "3*x", "reduce-of-broadcast"),
        RuleCase("mean(x + 0*v)", "x", "reduce-of-broadcast"),
        // Σ aᵢ(a x + y - b)ᵢ with a = [1, 2, 3], b = [2, 5, 3]: Σa² = 14, Σa = 6, Σab = 21.
        RuleCase("sum((x*[1, 2, 3] + y - [2, 5, 3])*[1, 2, 3])", "14*x + 6*y - 21", "sum-polynomial"),
        RuleCase("v*[2, 2, 2]", "2*v", "elementwise-of-uniform-constant"),
        RuleCase("transpose(transpose(A))", "A", "transpose-of-transpose"),
        RuleCase("transpose(v)", "v", "transpose-of-vector"),
        RuleCase("A @ (v*x)", "x*(A @ v)", "matmul-scalar-factor"),
        RuleCase("log(1 + exp(x))", "softplus(x)", "log-one-plus-exp-to-softplus"),
        RuleCase("log(sigmoid(x))", "-softplus(-x)", "log-sigmoid-to-softplus"),
        RuleCase("log(1 - sigmoid(x))", "-softplus(x)", "log-one-minus-sigmoid-to-softplus"),
    ]

    @Test(arguments: cases)
    func ruleRewritesAndKeepsTheValue(_ rule: RuleCase) throws {
        let program = try #require(PassTesting.lower(Self.declarations + "r = \(rule.source)\nprint r\n"))
        let root = try #require(program.names["r"])
        let optimized = PassTesting.optimize(program.graph, roots: [root])
        let result = optimized.roots[0]
        #expect(ExpressionPrinter.expression(optimized.graph, result) == rule.expected)
        #expect(optimized.firings.contains { $0.rule == rule.rule }, "fired: \(optimized.firings.map(\.rule))")
        #expect(optimized.graph[result].shape == program.graph[root].shape)
        let values = PassTesting.leafValues(program)
        let before = PassTesting.evaluate(program.graph, [root], leafValues: values)[0]
        let after = PassTesting.evaluate(optimized.graph, [result], leafValues: values)[0]
        for (a, b) in zip(before.values, after.values) {
            #expect(Swift.abs(a - b) <= 1e-12 * Swift.max(Swift.abs(a), Swift.abs(b)) + 1e-15, "\(a) became \(b)")
        }
    }

    /// Every whole power the rules turn into products stays within its exponent's count of ulps
    /// of pow (the bound SPEC.md states), at values across the range, and leaves no pow behind.
    @Test func wholePowersAsProductsStayWithinTheirBound() throws {
        let exponents = Array(4...128) + Array(-8 ... -1)
        let points = [1.7, -0.93, 1.0000001, 3.25, -2.5e-2, 0.999]
        for n in exponents {
            let program = try #require(PassTesting.lower("param x = [\(points.map { "\($0)" }.joined(separator: ", "))]\nr = x^\(n)\nprint r\n"))
            let root = try #require(program.names["r"])
            let optimized = PassTesting.optimize(program.graph, roots: [root])
            #expect(!optimized.graph.nodes.contains { $0.op == .binary(.pow) }, "x^\(n) kept a pow")
            let after = PassTesting.evaluate(optimized.graph, [optimized.roots[0]], leafValues: PassTesting.leafValues(program))[0]
            for (x, value) in zip(points, after.values) {
                let exact = Foundation.pow(x, Double(n))
                guard exact.isNormal else { continue }
                let ulps = Swift.abs(value - exact) / exact.ulp
                #expect(ulps <= Double(Swift.abs(n)), "\(x)^\(n) = \(value), pow gives \(exact): \(ulps) ulps")
            }
        }
    }

    @Test func everyRuleHasATestCase() {
        let tested = Set(Self.cases.map(\.rule)).union(IRRuleTests.tested)
        let all = (AlgebraicSimplification.allRules + Stabilization.allRules).map(\.name)
        #expect(Set(all).subtracting(tested).sorted() == [])
    }

    @Test func ruleNamesAreUniqueAndKebabCase() {
        let names = (AlgebraicSimplification.allRules + Stabilization.allRules + ConstantFolding.rules).map(\.name)
        #expect(Set(names).count == names.count)
        for name in names { #expect(name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(name)") }
    }

    @Test func simplificationTextInTextOut() {
        // The pass alone: x*1 is x and y^2 is y*y; the constants stay, dead, for dce.
        PassTesting.expect(AlgebraicSimplification.pass, on: """
        x: [] = param
        y: [] = param
        t2: [] = constant(1)
        t3: [] = mul(x, t2)
        t4: [] = constant(2)
        t5: [] = pow(y, t4)
        z: [] = add(t3, t5)
        """, roots: ["z"], gives: """
        x: [] = param
        y: [] = param
        t2: [] = constant(1)
        t3: [] = constant(2)
        t4: [] = mul(y, y)
        z: [] = add(x, t4)
        """, rules: ["mul-by-one", "pow-two-to-mul"])
    }

    @Test func simplificationOfFormsOnlyReverseModeWrites() {
        // A broadcast feeding an elementwise op is dropped (the op broadcasts anyway), and a
        // sum_to a scalar is a sum, sum(s v) = s sum(v): forms reverse mode writes, written
        // directly. The inner rewrite of the sum is reported before the one that built it.
        PassTesting.expect(AlgebraicSimplification.pass, on: """
        s: [] = param
        v: [3] = param
        t2: [3] = broadcast(s, [3])
        t3: [3] = mul(t2, v)
        r: [] = sum_to(t3, [])
        """, roots: ["r"], gives: """
        s: [] = param
        v: [3] = param
        t2: [3] = broadcast(s, [3])
        t3: [3] = mul(s, v)
        t4: [] = sum(v)
        r: [] = mul(s, t4)
        """, rules: ["elementwise-of-broadcast", "reduce-scalar-factor", "sum-to-scalar"])
    }

    @Test func simplificationLeavesAnOptimalGraphUnchanged() {
        PassTesting.expectUnchanged(AlgebraicSimplification.pass, on: """
        x: [] = param
        y: [] = param
        t2: [] = mul(x, y)
        t3: [] = exp(x)
        z: [] = add(t2, t3)
        """, roots: ["z"])
    }
}

/// Rules on forms the language cannot write (broadcast, reshape, sum_to), built with the
/// builder as autodiff builds them.
@Suite struct IRRuleTests {
    static let tested: Set<String> = [
        "elementwise-of-broadcast", "unary-of-broadcast", "broadcast-same-shape", "broadcast-of-broadcast",
        "reshape-same-shape", "reshape-of-reshape", "sum-to-same-shape", "sum-to-scalar", "sigmoid-adjoint-cancel",
    ]

    /// Builds a graph with a scalar param `s` and a vector param `v: [3]`, optimizes `body`'s
    /// node, checks the rule fired and the value held, and returns the printed result.
    static func rewrite(_ rule: String, _ body: (inout GraphBuilder, NodeID, NodeID) -> NodeID) -> String {
        var builder = GraphBuilder()
        let s = builder.add(.leaf(.param, "s"), [], shape: .scalar, range: nil, name: "s")
        let v = builder.add(.leaf(.param, "v"), [], shape: Shape([3]), range: nil, name: "v")
        let root = body(&builder, s, v)
        let optimized = PassTesting.optimize(builder.graph, roots: [root])
        #expect(optimized.firings.contains { $0.rule == rule }, "\(rule) fired: \(optimized.firings.map(\.rule))")
        let values = ["s": Tensor(0.75), "v": Tensor(shape: Shape([3]), values: [0.5, -2, 3])]
        let before = PassTesting.evaluate(builder.graph, [root], leafValues: values)[0]
        let after = PassTesting.evaluate(optimized.graph, optimized.roots, leafValues: values)[0]
        #expect(before.shape == after.shape)
        for (a, b) in zip(before.values, after.values) { #expect(Swift.abs(a - b) <= 1e-12 * Swift.abs(a) + 1e-15) }
        return ExpressionPrinter.expression(optimized.graph, optimized.roots[0])
    }

    @Test func broadcastFeedingAnElementwiseOpIsDropped() {
        let text = Self.rewrite("elementwise-of-broadcast") { b, s, v in
            let wide = b.add(.broadcast(Shape([3])), [s], range: nil)
            return b.add(.mul, [wide, v], range: nil)
        }
        #expect(text == "s*v")
    }

    @Test func unaryOpRunsBeforeTheBroadcast() {
        let text = Self.rewrite("unary-of-broadcast") { b, s, v in
            let wide = b.add(.broadcast(Shape([3])), [s], range: nil)
            return b.add(.exp, [wide], range: nil)
        }
        #expect(text == "broadcast(exp(s), [3])")
    }

    @Test func broadcastsCollapse() {
        #expect(Self.rewrite("broadcast-same-shape") { b, _, v in b.add(.broadcast(Shape([3])), [v], range: nil) } == "v")
        let text = Self.rewrite("broadcast-of-broadcast") { b, s, _ in
            let once = b.add(.broadcast(Shape([3])), [s], range: nil)
            return b.add(.broadcast(Shape([2, 3])), [once], range: nil)
        }
        #expect(text == "broadcast(s, [2, 3])")
    }

    @Test func reshapesCollapse() {
        #expect(Self.rewrite("reshape-same-shape") { b, _, v in b.add(.reshape(Shape([3])), [v], range: nil) } == "v")
        let text = Self.rewrite("reshape-of-reshape") { b, _, v in
            let column = b.add(.reshape(Shape([3, 1])), [v], range: nil)
            return b.add(.reshape(Shape([1, 3])), [column], range: nil)
        }
        #expect(text == "reshape(v, [1, 3])")
    }

    @Test func sumToBecomesSum() {
        #expect(Self.rewrite("sum-to-same-shape") { b, _, v in b.add(.sumTo(Shape([3])), [v], range: nil) } == "v")
        #expect(Self.rewrite("sum-to-scalar") { b, _, v in b.add(.sumTo(.scalar), [v], range: nil) } == "sum(v)")
    }

    @Test func sigmoidAdjointCancelsTheQuotients() {
        // (a/p - c/(1 - p)) * (p (1 - p)) = a (1 - p) - c p
        let text = Self.rewrite("sigmoid-adjoint-cancel") { b, s, v in
            let p = b.add(.sigmoid, [v], range: nil)
            let one = b.constant(1, range: nil)
            let q = b.sub(one, p, at: nil)
            let first = b.div(s, p, at: nil)
            let second = b.div(v, q, at: nil)
            let adjoint = b.sub(first, second, at: nil)
            return b.mul(adjoint, b.mul(p, q, at: nil), at: nil)
        }
        #expect(text == "s*(1 - sigmoid(v)) - v*sigmoid(v)")
    }
}
