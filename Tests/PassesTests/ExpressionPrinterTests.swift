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
        ("-(-x)", "x"),
        ("exp(x + 1)*2", "2*exp(x + 1)"),
        ("x + -3", "x - 3"),
        ("sum([x, y])", "sum([x, y])"),
    ])
    func printsWithTheGrammarsPrecedence(_ source: String, _ expected: String) throws {
        #expect(try Self.printed(source) == expected)
    }

    /// The sign and number rules of SPEC.md ("Printed gradients"), each exact in IEEE
    /// arithmetic, so the printed form computes the same bits as the graph it prints.
    static let exactSpellings: [(String, String)] = [
        ("x + -y", "x - y"),
        ("x - -y", "x + y"),
        ("exp(x) + -1/x", "exp(x) - 1/x"),
        ("exp(x) - -1/x/x", "exp(x) + 1/x/x"),
        ("-(-x)", "x"),
        ("-1*x", "-x"),
        ("x*-1", "-x"),
        ("-(2*x)", "-2*x"),
        ("-(x/y)", "-x/y"),
        ("-(x*y*z)", "-x*y*z"),
        ("-(x + y)", "-(x + y)"),
        ("-x^2", "-x^2"),
        ("x*-y", "x*(-y)"),
        ("x + -2*y", "x - 2*y"),
        ("x - -2*y", "x + 2*y"),
        ("y - -(x*z)", "y + x*z"),
        ("x - -(x - y)", "x + (x - y)"),
        ("-(-2*x)", "2*x"),
        ("x*y*2", "2*(x*y)"),
        ("x*x", "x^2"),
        ("x*x*x", "x^3"),
        ("x*(x*x)", "x^3"),
        ("x + 0.03333333333333333", "x + 1/30"),
        ("x - 0.03333333333333333", "x - 1/30"),
        ("x + -0.03333333333333333", "x - 1/30"),
        ("x*0.03333333333333333", "1/30*x"),
        ("x*-0.03333333333333333", "-1/30*x"),
        ("x/0.03333333333333333", "x/(1/30)"),
        ("x*y*0.03333333333333333", "1/30*(x*y)"),
        ("x + 0.13333333333333333*y", "x + 2/15*y"),
        ("0.03333333333333333^x", "(1/30)^x"),
        ("x^0.03333333333333333", "x^(1/30)"),
        ("x*0.5", "0.5*x"),
        ("x*0.1", "0.1*x"),
        ("x + 0.0125", "x + 0.0125"),
        ("x*0.3333333", "0.3333333*x"),
    ]

    @Test(arguments: exactSpellings)
    func signsAndFractionsAreWrittenAsACourseWritesThem(_ source: String, _ expected: String) throws {
        #expect(try Self.printed(source) == expected)
    }

    @Test(arguments: exactSpellings)
    func theSpellingsComputeTheSameBits(_ source: String, _ expected: String) throws {
        // Both lowered without the optimizer and run at points where rounding, zeros and
        // infinities show: any reassociation or lost sign would differ somewhere.
        let original = try #require(PassTesting.lower("param x = 1\nparam y = 2\nparam z = 3\nr = \(source)\nprint r\n"))
        let text = ExpressionPrinter.expression(original.graph, try #require(original.names["r"]))
        let printed = try #require(PassTesting.lower("param x = 1\nparam y = 2\nparam z = 3\nr = \(text)\nprint r\n"))
        let points: [(Double, Double, Double)] = [(1, 2, 3), (0.1, 0.7, 1e-300), (-0.0, 0.0, 5), (0, -0.0, -1), (3, 3, 3),
                                                  (.infinity, 2, -.infinity), (1e308, 1e308, 7), (-2.5, 1 / 3, 0.3)]
        for (x, y, z) in points {
            let values = ["x": Tensor(x), "y": Tensor(y), "z": Tensor(z)]
            let a = PassTesting.evaluate(original.graph, [original.names["r"]!], leafValues: values)[0].values[0]
            let b = PassTesting.evaluate(printed.graph, [printed.names["r"]!], leafValues: values)[0].values[0]
            #expect(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN), "\(source) as \(text) at \((x, y, z)): \(a) and \(b)")
        }
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
        #expect(roots == ["s^2 + s"], "a root is written out; only values used twice or named and used get a statement")
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
        // The two innermost products, x*x and x*(x*x), read x^2 and x^3.
        #expect(text.utf8.count == 4 * n - 7)
        #expect(text == String(repeating: "x*(", count: n - 3) + "x*x^3" + String(repeating: ")", count: n - 3))
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
        // (x + 1)/(x + 1) is one div using t2 twice: written inline twice, a chain of such
        // quotients doubles at each step (the 6 GB `grad --no-opt`).
        var b = Self.builderWithX()
        let one = b.constant(1, range: nil)
        let sum = b.add(NodeID(0), one, at: nil)
        let quotient = b.div(sum, sum, at: nil)
        let (definitions, roots) = ExpressionPrinter.program(b.graph, roots: [quotient])
        #expect(definitions.map { "\($0.name) = \($0.expression)" } == ["t2 = x + 1"])
        #expect(roots == ["t2/t2"])
    }

    @Test func aSquareWritesItsBaseOnce() {
        // (x + 1)*(x + 1) reads (x + 1)^2, which the interpreter computes as that product, so
        // the base needs no statement; a chain of squares stays linear.
        var b = Self.builderWithX()
        let one = b.constant(1, range: nil)
        var square = b.add(NodeID(0), one, at: nil)
        for _ in 0..<3 { square = b.mul(square, square, at: nil) }
        let (definitions, roots) = ExpressionPrinter.program(b.graph, roots: [square])
        #expect(definitions.isEmpty)
        #expect(roots == ["(((x + 1)^2)^2)^2"])
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
        #expect(texts == ["x*(0/0) - 1/0", "1/0/x", "[1, 0/0, -1/0]*x"])
        // Each parses and computes what the graph computes: nan, inf/2 and [2, nan, -inf].
        let program = try #require(PassTesting.lower("param x = 2\na = \(texts[0])\nb = \(texts[1])\nc = \(texts[2])\nprint a, b, c\n"))
        let values = PassTesting.evaluate(program.graph, ["a", "b", "c"].map { program.names[$0]! }, leafValues: PassTesting.leafValues(program))
        #expect(values[0].values[0].isNaN)
        #expect(values[1].values == [.infinity])
        #expect(values[2].values[0] == 2 && values[2].values[1].isNaN && values[2].values[2] == -.infinity)
    }
}
