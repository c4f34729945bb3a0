import Foundation
import Testing
@testable import SlopeCore

/// The readable-gradient examples: after optimization the gradients print as the
/// hand derivation does.
@Suite struct ReadableGradientTests {
    /// The optimized gradients of `target` with respect to `wrt`, printed as expressions.
    static func gradients(_ file: String, of target: String, wrt: [String], freeze: Bool) throws -> [String] {
        let url = PassTesting.graphsDirectory.appendingPathComponent(file)
        let source = try String(contentsOf: url, encoding: .utf8)
        var program = try #require(PassTesting.lower(source, path: url.path, baseDirectory: PassTesting.graphsDirectory.path))
        if freeze { program = program.freezingInputs() }
        var builder = GraphBuilder(program.graph, hashConsing: true)
        let leaves = try wrt.map { name in try #require(program.leaf(named: name)?.node) }
        let gradients = ReverseMode.gradients(of: try #require(program.names[target]), wrt: leaves, in: &builder)
        let optimized = PassTesting.optimize(builder.graph, roots: gradients)
        return optimized.roots.map { ExpressionPrinter.expression(optimized.graph, $0) }
    }

    /// The signed terms of a printed sum, so terms may come in any order: `28*m + 12*b - 42`
    /// gives {"+28*m", "+12*b", "-42"}.
    static func terms(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var sign = "+"
        for part in text.split(separator: " ") {
            if part == "+" || part == "-" { sign = String(part) } else { result.insert(sign + part) }
        }
        return result
    }

    @Test func sumOfSquaresGradientIsLinearInMAndB() throws {
        // E = Σ (m xᵢ + b - yᵢ)² over (1, 2), (2, 5), (3, 3):
        // ∂E/∂m = Σ 2 xᵢ (m xᵢ + b - yᵢ) = 2(14 m + 6 b - 21) = 28 m + 12 b - 42,
        // ∂E/∂b = Σ 2 (m xᵢ + b - yᵢ) = 2(6 m + 3 b - 10) = 12 m + 6 b - 20.
        let printed = try Self.gradients("sum_of_squares.graph", of: "E", wrt: ["m", "b"], freeze: true)
        #expect(Self.terms(printed[0]) == ["+28*m", "+12*b", "-42"], "\(printed[0])")
        #expect(Self.terms(printed[1]) == ["+12*m", "+6*b", "-20"], "\(printed[1])")
    }

    @Test func paraboloidGradientIsTwiceEachCoordinate() throws {
        // ∇(x² + y²) = (2x, 2y)
        let printed = try Self.gradients("paraboloid.graph", of: "f", wrt: ["x", "y"], freeze: false)
        #expect(printed == ["2*x", "2*y"])
    }

    @Test func linearRegressionGradientIsAMeanOfErrorTimesX() throws {
        // cost = mean((m x + b - y)²): ∂cost/∂m = mean(2 (m x + b - y) x), with x and y data.
        let printed = try Self.gradients("linear_regression.graph", of: "cost", wrt: ["m", "b"], freeze: false)
        #expect(printed[0].contains("x") && printed[0].contains("y") && !printed[0].contains("sum_to"), "\(printed[0])")
        #expect(printed.allSatisfy { !$0.contains("broadcast") }, "\(printed)")
    }

    @Test func saunaGradientExpandsToFourMonomials() throws {
        // T = 85 - (1/90) x²(x - 6) y²(y - 6), so ∂T/∂x = -(1/90)(3x² - 12x)(y³ - 6y²)
        //   = -(1/30) x²y³ + (1/5) x²y² + (2/15) x y³ - (4/5) x y².
        let url = PassTesting.graphsDirectory.appendingPathComponent("sauna.graph")
        let program = try #require(PassTesting.lower(try String(contentsOf: url, encoding: .utf8)))
        var builder = GraphBuilder(program.graph, hashConsing: true)
        let x = try #require(program.leaf(named: "x")?.node), y = try #require(program.leaf(named: "y")?.node)
        let dx = ReverseMode.gradients(of: try #require(program.names["T"]), wrt: [x], in: &builder)[0]
        let optimized = PassTesting.optimize(builder.graph, roots: [dx])
        let (graph, root) = try #require(Polynomial.expand(optimized.graph, root: optimized.roots[0]))
        #expect(Verifier.verify(graph) == nil)
        let (polynomial, _) = try #require(Polynomial.read(root, in: graph, variables: .leaves, limits: .init()))
        let mx = try #require(optimized.map(x)), my = try #require(optimized.map(y))
        func coefficient(_ a: Int, _ b: Int) -> Double? {
            var factors: [Polynomial.Monomial.Factor] = []
            if a > 0 { factors.append(.init(variable: mx, exponent: a)) }
            if b > 0 { factors.append(.init(variable: my, exponent: b)) }
            return polynomial.terms[Polynomial.Monomial(factors: factors.sorted { $0.variable < $1.variable })]?.scalarValue
        }
        #expect(polynomial.terms.count == 4)
        for (a, b, expected) in [(2, 3, -1.0 / 30), (2, 2, 1.0 / 5), (1, 3, 2.0 / 15), (1, 2, -4.0 / 5)] {
            let value = try #require(coefficient(a, b), "x^\(a) y^\(b)")
            #expect(Swift.abs(value - expected) < 1e-15, "x^\(a) y^\(b): \(value)")
        }
        let text = ExpressionPrinter.expression(graph, root)
        #expect(Self.terms(text).count == 4, "\(text)")
        #expect(text.contains("x^2*y^3"), "\(text)")
    }

    @Test func expandRefusesWhatIsNotAPolynomial() throws {
        let program = try #require(PassTesting.lower("param x = 1\nf = exp(x) * x\nprint f"))
        #expect(Polynomial.expand(program.graph, root: try #require(program.names["f"])) == nil)
    }
}
