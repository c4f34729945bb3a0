import Testing
@testable import SlopeCore

/// Lives with the passes' tests because the printer is how optimized gradients are read.
@Suite struct ExpressionPrinterTests {
    static func printed(_ expression: String) throws -> String {
        let program = try #require(PassTesting.lower("param x = 1\nparam y = 2\nparam z = 3\nr = \(expression)\nprint r\n"))
        return ExpressionPrinter.expression(program.graph, try #require(program.names["r"]))
    }

    @Test(arguments: [
        ("x + y*z", "x + y*z"),
        ("(x + y)*z", "(x + y)*z"),
        ("x - (y - z)", "x - (y - z)"),
        ("x - y - z", "x - y - z"),
        ("x/(y*z)", "x/(y*z)"),
        ("-x^2", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("x^y^z", "x^y^z"),
        ("(x^y)^z", "(x^y)^z"),
        ("-(-x)", "-(-x)"),
        ("exp(x + 1)*2", "2*exp(x + 1)"),
        ("x + -3", "x - 3"),
        ("sum([x, y])", "sum([x, y])"),
    ])
    func printsWithTheGrammarsPrecedence(_ source: String, _ expected: String) throws {
        #expect(try Self.printed(source) == expected)
    }

    @Test func printedExpressionsParseBackToTheSameValue() throws {
        let source = "(x - y)^2 / (z + 1) - exp(-x)*y"
        let program = try #require(PassTesting.lower("param x = 1\nparam y = 2\nparam z = 3\nr = \(source)\nprint r\n"))
        let text = ExpressionPrinter.expression(program.graph, try #require(program.names["r"]))
        let again = try #require(PassTesting.lower("param x = 1\nparam y = 2\nparam z = 3\nr = \(text)\nprint r\n"))
        let a = PassTesting.evaluate(program.graph, [program.names["r"]!], leafValues: PassTesting.leafValues(program))
        let b = PassTesting.evaluate(again.graph, [again.names["r"]!], leafValues: PassTesting.leafValues(again))
        #expect(a[0].values == b[0].values)
    }

    @Test func programBindsSharedValuesOnce() throws {
        let program = try #require(PassTesting.lower("param x = 1\ns = exp(x)\nr = s*s + s\nprint r\n"))
        let root = try #require(program.names["r"])
        let (definitions, roots) = ExpressionPrinter.program(program.graph, roots: [root])
        #expect(definitions.map { "\($0.name) = \($0.expression)" } == ["s = exp(x)"])
        #expect(roots == ["s*s + s"], "a root is written out; only values used twice or named and used get a statement")
    }

    /// x (%0) and a builder to add to it.
    static func builderWithX() -> GraphBuilder {
        var b = GraphBuilder()
        b.add(.leaf(.param, "x"), [], shape: .scalar, range: nil, name: "x")
        return b
    }

    @Test func aChainOf32000NestedProductsPrintsInLinearSpace() {
        // x*(x*(…(x*x)…)): each product is used once, so the whole chain is one expression of
        // 4n - 1 characters. Keeping every operand's full text (n²/2 characters here, over 2 GB)
        // was the 6.9 GB `slope grad` of a 32,000-line chain.
        let n = 32_000
        var b = Self.builderWithX()
        var t = NodeID(0)
        for _ in 0..<n { t = b.mul(NodeID(0), t, at: nil) }
        let text = ExpressionPrinter.expression(b.graph, t)
        #expect(text.utf8.count == 4 * n - 1)
        #expect(text == String(repeating: "x*(", count: n - 1) + "x*x" + String(repeating: ")", count: n - 1))
    }

    @Test func aDeeplyNestedValueGetsStatementsSoTheProgramParses() throws {
        // The same chain written as a program: every value nested more than
        // `maximumNesting` levels inside a statement gets a statement of its own, as the
        // parser reads at most `Parser.maximumNesting` levels.
        let n = 32_000
        var b = Self.builderWithX()
        var t = NodeID(0)
        for _ in 0..<n { t = b.mul(NodeID(0), t, at: nil) }
        let (definitions, roots) = ExpressionPrinter.program(b.graph, roots: [t])
        // After a statement the chain restarts from its name: x*t, x*(x*t), … reach depth
        // maximumNesting + 1 at the (maximumNesting + 2)th product, which gets the next one.
        #expect(definitions.count == n / (ExpressionPrinter.maximumNesting + 2))
        let source = "param x = 1\n" + definitions.map { "\($0.name) = \($0.expression)\n" }.joined() + "r = \(roots[0])\nprint r\n"
        let program = try #require(PassTesting.lower(source))
        let value = PassTesting.evaluate(program.graph, [try #require(program.names["r"])], leafValues: PassTesting.leafValues(program))
        #expect(value[0].values == [1])
    }

    @Test func aValueUsedTwiceByOneNodeGetsAStatement() {
        // (x + 1)*(x + 1) is one mul using t2 twice: written inline twice, a chain of such
        // squares doubles at each step (the 6 GB `grad --no-opt`).
        var b = Self.builderWithX()
        let one = b.constant(1, range: nil)
        let sum = b.add(NodeID(0), one, at: nil)
        let square = b.mul(sum, sum, at: nil)
        let (definitions, roots) = ExpressionPrinter.program(b.graph, roots: [square])
        #expect(definitions.map { "\($0.name) = \($0.expression)" } == ["t2 = x + 1"])
        #expect(roots == ["t2*t2"])
    }

    @Test func aDoublingChainIsRefusedWhenWrittenOutInFull() {
        // t_k = t_{k-1} + t_{k-1}: 40 nodes whose text in full has about 2^40 characters. The
        // length is counted, not written, so the answer is quick.
        var b = Self.builderWithX()
        var t = NodeID(0)
        for _ in 0..<40 { t = b.add(t, t, at: nil) }
        #expect(ExpressionPrinter.expression(b.graph, t, limit: 1_000_000) == nil)
        var small = Self.builderWithX()
        var u = NodeID(0)
        for _ in 0..<3 { u = small.add(u, u, at: nil) }
        // 8 x's, 7 pluses with their spaces, and the parentheses right operands keep.
        let expected = "x + x + (x + x) + (x + x + (x + x))"
        #expect(ExpressionPrinter.expression(small.graph, u, limit: expected.utf8.count) == expected)
        #expect(ExpressionPrinter.expression(small.graph, u, limit: expected.utf8.count - 1) == nil)
    }

    @Test func nonFiniteConstantsPrintAsTheDivisionsThatMakeThem() throws {
        var b = Self.builderWithX()
        let x = NodeID(0)
        let nan = b.constant(.nan, range: nil), inf = b.constant(.infinity, range: nil), minusInf = b.constant(-.infinity, range: nil)
        let product = b.mul(x, nan, at: nil)
        let sum = b.add(product, minusInf, at: nil)
        let quotient = b.div(inf, x, at: nil)
        let vector = b.constant(Tensor(shape: Shape([3]), values: [1, .nan, -.infinity]), range: nil)
        let scaled = b.mul(vector, x, at: nil)
        let texts = [sum, quotient, scaled].map { ExpressionPrinter.expression(b.graph, $0) }
        #expect(texts == ["(0/0)*x + -1/0", "1/0/x", "[1, 0/0, -1/0]*x"])
        // Each parses and computes what the graph computes: nan, inf/2 and [2, nan, -inf].
        let program = try #require(PassTesting.lower("param x = 2\na = \(texts[0])\nb = \(texts[1])\nc = \(texts[2])\nprint a, b, c\n"))
        let values = PassTesting.evaluate(program.graph, ["a", "b", "c"].map { program.names[$0]! }, leafValues: PassTesting.leafValues(program))
        #expect(values[0].values[0].isNaN)
        #expect(values[1].values == [.infinity])
        #expect(values[2].values[0] == 2 && values[2].values[1].isNaN && values[2].values[2] == -.infinity)
    }
}
