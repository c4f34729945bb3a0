import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The course's worked results, through the Graphs/ programs that state them: `slope grad
/// --json` at the program's point and, with `--set`, at other points. Where every number
/// involved is a small dyadic fraction the arithmetic is exact, so the expected values are
/// compared with ==; elsewhere the tolerance and its reason are given.
@Suite struct CourseGradientTests {
    @Test func theParaboloidsGradientAtTwoThreeIsFourSix() throws {
        // f = x² + y²: ∂f/∂x = 2x = 4 and ∂f/∂y = 2y = 6 at (2, 3); f = 4 + 9 = 13.
        let (value, gradient) = try gradJSON(path: example("paraboloid"))
        #expect(value == 13)
        #expect(gradient["x"] == [4])
        #expect(gradient["y"] == [6])
    }

    @Test(arguments: [(1.0, 2.0), (2.0, -1.0), (0.5, 3.0), (-1.5, 0.5)] as [(Double, Double)])
    func partialsOfThreeXSquaredYCubed(_ x: Double, _ y: Double) throws {
        // f = 3x²y³. Holding y fixed, ∂f/∂x = 3y³ · 2x = 6xy³; holding x fixed,
        // ∂f/∂y = 3x² · 3y² = 9x²y². At (1, 2): 6·1·8 = 48 and 9·1·4 = 36.
        let (value, gradient) = try gradJSON(path: example("partials"), ["--set", "x=\(x)", "--set", "y=\(y)"])
        #expect(value == 3 * x * x * y * y * y)
        #expect(gradient["x"] == [6 * x * y * y * y])
        #expect(gradient["y"] == [9 * x * x * y * y])
    }

    @Test(arguments: [(0.0, 0.0), (0.5, 2.25), (1.0, -1.0), (-2.0, 3.5), (0.5, 7.0 / 3)] as [(Double, Double)])
    func sumOfSquaresPartialsAreTheHandDerivedLines(_ m: Double, _ b: Double) throws {
        // E(m, b) = Σ (m xᵢ + b − yᵢ)² over (1, 2), (2, 5), (3, 3), with
        // Σx² = 14, Σx = 6, Σxy = 2 + 10 + 9 = 21, Σy = 10, n = 3:
        //   ∂E/∂m = Σ 2xᵢ(m xᵢ + b − yᵢ) = 2·14 m + 2·6 b − 2·21 = 28m + 12b − 42
        //   ∂E/∂b = Σ 2(m xᵢ + b − yᵢ)   = 2·6 m + 2·3 b − 2·10 = 12m + 6b − 20
        // Both vanish at the least-squares line m = 1/2, b = 7/3 (to rounding: 7/3 is inexact).
        let (_, gradient) = try gradJSON(path: example("sum_of_squares"), ["--set", "m=\(m)", "--set", "b=\(b)"])
        let dm = try #require(gradient["m"]?.first), db = try #require(gradient["b"]?.first)
        if b == 7.0 / 3 {
            #expect(Swift.abs(dm) < 1e-13 && Swift.abs(db) < 1e-13, "at the minimum: \(dm), \(db)")
        } else {
            #expect(dm == 28 * m + 12 * b - 42)
            #expect(db == 12 * m + 6 * b - 20)
        }
    }

    @Test(arguments: [(3.0, 3.0), (4.0, 4.0), (1.0, 2.0), (5.0, 1.5), (-1.0, 2.0), (2.5, -0.5)] as [(Double, Double)])
    func saunaPartialsAreTheExpandedPolynomials(_ x: Double, _ y: Double) throws {
        // T = 85 − (1/90) x²(x − 6) y²(y − 6) = 85 − (1/90)(x³ − 6x²)(y³ − 6y²).
        //   ∂T/∂x = −(1/90)(3x² − 12x)(y³ − 6y²) = −(1/90)(3x²y³ − 18x²y² − 12xy³ + 72xy²)
        //         = −1/30 x²y³ + 1/5 x²y² + 2/15 xy³ − 4/5 xy²
        //   ∂T/∂y = −(1/90)(x³ − 6x²)(3y² − 12y) = −(1/90)(3x³y² − 12x³y − 18x²y² + 72x²y)
        //         = −1/30 x³y² + 1/5 x²y² + 2/15 x³y − 4/5 x²y
        // At (3, 3): −8.1 + 16.2 + 10.8 − 21.6 = −2.7 for both; at (4, 4), the coldest spot, 0.
        // 1/30, 1/5, 2/15 and 4/5 are inexact, so: 1e-13 relative to the largest term.
        let (_, gradient) = try gradJSON(path: example("sauna"), ["--set", "x=\(x)", "--set", "y=\(y)"])
        let dx = [-x * x * y * y * y / 30, x * x * y * y / 5, 2 * x * y * y * y / 15, -4 * x * y * y / 5]
        let dy = [-x * x * x * y * y / 30, x * x * y * y / 5, 2 * x * x * x * y / 15, -4 * x * x * y / 5]
        let partials: [(String, [Double])] = [("x", dx), ("y", dy)]
        for (name, terms) in partials {
            let actual = try #require(gradient[name]?.first)
            let expected = terms.reduce(0, +)
            let scale = terms.map(Swift.abs).max()!
            #expect(Swift.abs(actual - expected) <= 1e-13 * scale, "∂T/∂\(name) at (\(x), \(y)): \(actual), expected \(expected)")
        }
    }

    @Test func saunaGradientExpandsToTheFourMonomials() {
        // The same polynomial, printed by `slope grad --expand` with like terms collected.
        let result = InProcess.run(["grad", example("sauna"), "--expand"])
        #expect(result.status == .success)
        // Both partials list their terms in one order (degree first, then x before y, higher
        // powers first), with no group left over, and the coefficients as the course writes them.
        #expect(result.out.contains("d_x = -1/30*x^2*y^3 + 0.2*x^2*y^2 + 2/15*x*y^3 - 0.8*x*y^2\n"), "\(result.out)")
        #expect(result.out.contains("d_y = -1/30*x^3*y^2 + 2/15*x^3*y + 0.2*x^2*y^2 - 0.8*x^2*y\n"), "\(result.out)")
    }

    @Test func twoLayerNetworkGradientsAreTheBackpropagationFormulas() throws {
        // Forward, with N = 80 points: Z1 = X W1 + b1, H = σ(Z1), z2 = H W2 + b2, p = σ(z2),
        // loss = −mean(y log p + (1 − y) log(1 − p)). Backward, by hand:
        //   dz2 = (p − y)/N                   (σ′ = p(1 − p) cancels the log loss's 1/(p(1 − p)))
        //   dW2 = Hᵀ dz2,  db2 = Σ dz2
        //   dZ1 = (dz2 W2ᵀ) ⊙ H ⊙ (1 − H)     (dz2 W2ᵀ is the outer product dz2 ⊗ W2)
        //   dW1 = Xᵀ dZ1,  db1 = Σ_rows dZ1
        // computed here in Swift from the program's own data and initial weights. Sums run in
        // another order than Slope's, so: 1e-11 relative to the largest entry of each gradient.
        let path = example("two_layer_network")
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let (lowered, diagnostics) = InProcess.lower(source, path: path,
                                                     options: LoweringOptions(baseDirectory: PackagePaths.graphs.path))
        let program = try #require(lowered, "\(diagnostics)")
        func values(_ name: String) throws -> [Double] { try #require(program.leaf(named: name)).value.values }
        let X = try values("X"), y = try values("y"), W1 = try values("W1"), b1 = try values("b1")
        let W2 = try values("W2"), b2 = try values("b2")[0]
        let n = y.count, hidden = b1.count
        #expect(n == 80 && hidden == 4 && X.count == 2 * n)
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

        var H = [Double](repeating: 0, count: n * hidden), p = [Double](repeating: 0, count: n)
        var loss = 0.0
        for i in 0..<n {
            for j in 0..<hidden { H[i * hidden + j] = sigmoid(X[2 * i] * W1[j] + X[2 * i + 1] * W1[hidden + j] + b1[j]) }
            p[i] = sigmoid((0..<hidden).map { H[i * hidden + $0] * W2[$0] }.reduce(0, +) + b2)
            loss -= (y[i] * log(p[i]) + (1 - y[i]) * log(1 - p[i])) / Double(n)
        }
        let dz2 = (0..<n).map { (p[$0] - y[$0]) / Double(n) }
        let dW2 = (0..<hidden).map { j in (0..<n).map { H[$0 * hidden + j] * dz2[$0] }.reduce(0, +) }
        let db2 = dz2.reduce(0, +)
        var dZ1 = [Double](repeating: 0, count: n * hidden)
        for i in 0..<n {
            for j in 0..<hidden { dZ1[i * hidden + j] = dz2[i] * W2[j] * H[i * hidden + j] * (1 - H[i * hidden + j]) }
        }
        var dW1 = [Double](repeating: 0, count: 2 * hidden), db1 = [Double](repeating: 0, count: hidden)
        for i in 0..<n {
            for j in 0..<hidden {
                let d = dZ1[i * hidden + j]
                dW1[j] += X[2 * i] * d
                dW1[hidden + j] += X[2 * i + 1] * d
                db1[j] += d
            }
        }

        let (value, gradient) = try gradJSON(path: path)
        #expect(Swift.abs(value - loss) <= 1e-12 * loss)
        let expectations: [(String, [Double])] = [("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", [db2])]
        for (name, expected) in expectations {
            let actual = try #require(gradient[name])
            #expect(actual.count == expected.count)
            let scale = expected.map(Swift.abs).max()!
            for (index, (a, e)) in zip(actual, expected).enumerated() {
                #expect(Swift.abs(a - e) <= 1e-11 * scale, "d\(name)[\(index)]: \(a), by hand \(e)")
            }
        }
    }

    @Test(arguments: [0.05, 0.5, 0.5671432904097838, 1, 2, 5])
    func newtonsSecondDerivativeIsExpPlusInverseSquare(_ x: Double) throws {
        // f = e^x − log x: f′ = e^x − 1/x, f″ = e^x + 1/x². Graphs/newton.graph prints f, df,
        // d2f before training. Slope's exp is within 1 ulp of the C library's and the sums
        // add a few roundings: 1e-14 relative to e^x + 1/x (f′ cancels to 0 at the omega
        // constant, so relative to its own size would demand the impossible there).
        let printed = try printedJSON(path: example("newton"), ["--set", "x=\(x)"])
        let (f, df, d2f) = (printed[0][0], printed[1][0], printed[2][0])
        let size = exp(x) + 1 / x
        #expect(Swift.abs(f - (exp(x) - log(x))) <= 1e-14 * (exp(x) + Swift.abs(log(x))))
        #expect(Swift.abs(df - (exp(x) - 1 / x)) <= 1e-14 * size, "f′(\(x)) = \(df)")
        #expect(Swift.abs(d2f - (exp(x) + 1 / (x * x))) <= 1e-14 * (exp(x) + 1 / (x * x)), "f″(\(x)) = \(d2f)")
    }
}
