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
}
