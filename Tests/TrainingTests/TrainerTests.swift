import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Every Graphs/ program with a minimize statement trains to the answer worked out here,
/// independently of Slope: by hand, by least squares on the CSV data, or by a Newton loop in Swift.
@Suite struct TrainerTests {
    @Test func everyTrainingExampleIsCovered() throws {
        // A new example with a minimize statement needs a test below.
        let training = try PackagePaths.graphPrograms().filter {
            try String(contentsOf: $0, encoding: .utf8).split(separator: "\n")
                .contains { $0.hasPrefix("minimize") || $0.hasPrefix("maximize") }
        }.map { $0.deletingPathExtension().lastPathComponent }
        #expect(training == ["linear_regression", "newton", "perceptron_classification", "perceptron_regression",
                             "sauna", "softmax_regression", "sum_of_squares", "two_layer_network"])
    }

    @Test func softmaxRegressionMatchesAHandWrittenGradientDescent() throws {
        // Cross-entropy of softmax(X W + b) against one-hot Y, mean over the n = 6 rows. By hand:
        // ∂L/∂z = (softmax(z) − Y)/n, ∂L/∂W = Xᵀ ∂L/∂z, ∂L/∂b = Σ_rows ∂L/∂z. At W = 0 every
        // probability is 1/3, so the loss starts at log 3.
        let x: [[Double]] = [[1, 2], [2, 1], [-1, -1], [-2, -1], [1, -2], [2, -1]]
        let labels = [0, 0, 1, 1, 2, 2]
        var w = [[Double]](repeating: [0, 0, 0], count: 2), b = [0.0, 0, 0]
        func loss(_ w: [[Double]], _ b: [Double]) -> (Double, [[Double]]) {
            var total = 0.0, gradient: [[Double]] = []
            for (row, label) in zip(x, labels) {
                let z = (0..<3).map { k in row[0] * w[0][k] + row[1] * w[1][k] + b[k] }
                let largest = z.max()!
                let normalizer = largest + Foundation.log(z.map { Foundation.exp($0 - largest) }.reduce(0, +))
                total += normalizer - z[label]
                gradient.append((0..<3).map { k in (Foundation.exp(z[k] - normalizer) - (k == label ? 1 : 0)) / 6 })
            }
            return (total / 6, gradient)
        }
        let initial = loss(w, b).0
        for _ in 0..<200 {
            let dz = loss(w, b).1
            for j in 0..<2 { for k in 0..<3 { w[j][k] -= 0.5 * zip(x, dz).reduce(0) { $0 + $1.0[j] * $1.1[k] } } }
            for k in 0..<3 { b[k] -= 0.5 * dz.reduce(0) { $0 + $1[k] } }
        }
        let run = try Slope.runJSON([Slope.example("softmax_regression")])
        let entry = try #require(run.train.first)
        #expect(isClose(entry.initial, Foundation.log(3), 1e-15) && isClose(initial, Foundation.log(3), 1e-15))
        #expect(isClose(entry.final, loss(w, b).0, 1e-10))
        let trainedB = try #require(run.params["b"]), trainedW = try #require(run.params["W"])
        for k in 0..<3 { #expect(isClose(trainedB[k], b[k], 1e-9)) }
        for j in 0..<2 { for k in 0..<3 { #expect(isClose(trainedW[j * 3 + k], w[j][k], 1e-9)) } }
    }

    @Test func sumOfSquaresReachesTheLeastSquaresLine() throws {
        // E(m, b) = Σ (m xᵢ + b − yᵢ)² over (1, 2), (2, 5), (3, 3). Setting the partials to zero:
        //   ∂E/∂m = 2 Σ xᵢ (m xᵢ + b − yᵢ) = 28m + 12b − 42 = 0   (Σx² = 14, Σx = 6, Σxy = 21)
        //   ∂E/∂b = 2 Σ (m xᵢ + b − yᵢ)    = 12m +  6b − 20 = 0   (n = 3, Σy = 10)
        // Subtracting twice the second from the first: 4m − 2 = 0, so m = 1/2 and b = (20 − 6)/6 = 7/3.
        // The residuals there are 5/6, −5/3, 5/6, so E = (25 + 100 + 25)/36 = 25/6; at (0, 0),
        // E = 2² + 5² + 3² = 38.
        let run = try Slope.runJSON([Slope.example("sum_of_squares")])
        #expect(isClose(try run.param("m"), 0.5, 1e-12))
        #expect(isClose(try run.param("b"), 7.0 / 3.0, 1e-12))
        let entry = try #require(run.train.first)
        #expect(run.train.count == 1 && entry.target == "E" && entry.method == "gd" && entry.steps == 1000)
        #expect(entry.initial == 38)
        #expect(isClose(entry.final, 25.0 / 6.0, 1e-12))
    }

    @Test func linearRegressionRecoversTheLineOfItsData() throws {
        // The least-squares line, from the normal equations in closed form:
        // m = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², b = ȳ − m x̄. The file's comment says the points lie
        // within 0.1 of y = 3x + 2, so the fit must be close to that line as well.
        let data = try DataTable("line.csv")
        let x = data["x"], y = data["y"]
        let n = Double(data.rows)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let sxx = x.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        let m = sxy / sxx, b = meanY - m * meanX
        #expect(Swift.abs(m - 3) < 0.1 && Swift.abs(b - 2) < 0.1)

        let run = try Slope.runJSON([Slope.example("linear_regression")])
        #expect(Swift.abs(try run.param("m") - m) < 1e-6)
        #expect(Swift.abs(try run.param("b") - b) < 1e-6)
        // The final loss is the least-squares residual: mean((m x + b − y)²).
        let residual = zip(x, y).reduce(0) { $0 + pow(m * $1.0 + b - $1.1, 2) } / n
        #expect(isClose(try #require(run.train.first).final, residual, 1e-9))
    }

    @Test func perceptronRegressionReachesTheLeastSquaresWeights() throws {
        // L = (1/2) mean((X w + b − y)²) is minimal where the normal equations hold:
        // Aᵀ A θ = Aᵀ y with A = [size, age, 1] and θ = (w₁, w₂, b), solved here by Cramer's rule.
        let data = try DataTable("houses.csv")
        let rows = (0..<data.rows).map { [data["size"][$0], data["age"][$0], 1.0] }
        let y = data["price"]
        var normal = [[Double]](repeating: [0, 0, 0], count: 3)
        var rhs = [0.0, 0.0, 0.0]
        for (row, target) in zip(rows, y) {
            for i in 0..<3 {
                rhs[i] += row[i] * target
                for j in 0..<3 { normal[i][j] += row[i] * row[j] }
            }
        }
        func det(_ a: [[Double]]) -> Double {
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        }
        let theta = (0..<3).map { column -> Double in
            var replaced = normal
            for i in 0..<3 { replaced[i][column] = rhs[i] }
            return det(replaced) / det(normal)
        }

        let run = try Slope.runJSON([Slope.example("perceptron_regression")])
        let w = try #require(run.params["w"])
        #expect(w.count == 2)
        #expect(Swift.abs(w[0] - theta[0]) < 1e-6 && Swift.abs(w[1] - theta[1]) < 1e-6, "w = \(w), expected \(theta[0..<2])")
        #expect(Swift.abs(try run.param("b") - theta[2]) < 1e-6)
    }

    /// T(x, y) = 85 − (1/90) x²(x − 6) y²(y − 6), the sauna's temperature.
    static let saunaWithNewton = (try? String(contentsOfFile: Slope.example("sauna"), encoding: .utf8))?
        .replacingOccurrences(of: "by gd(rate: 0.3, steps: 200)", with: "by newton(steps: 20)") ?? ""

    @Test func gradientDescentFindsTheSaunasColdestSpot() throws {
        // ∂T/∂x = −(1/90)(3x² − 12x) y²(y − 6) and ∂T/∂y = −(1/90) x²(x − 6)(3y² − 12y) both vanish at
        // (4, 4), where T = 85 − (16 · (−2))² / 90 = 85 − 1024/90.
        let run = try Slope.runJSON([Slope.example("sauna")])
        #expect(isClose(try run.param("x"), 4, 1e-9))
        #expect(isClose(try run.param("y"), 4, 1e-9))
        #expect(isClose(try #require(run.train.first).final, 85 - 1024.0 / 90, 1e-12))
    }

    @Test(arguments: [(3.5, 4.5), (4.5, 3.5), (3.7, 4.2)])
    func newtonFindsTheSaunasColdestSpotFromNearby(_ start: (Double, Double)) throws {
        #expect(Self.saunaWithNewton.contains("newton(steps: 20)"))
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: Self.saunaWithNewton, ["--set", "x=\(start.0)", "--set", "y=\(start.1)"], in: directory)
        #expect(Swift.abs(try run.param("x") - 4) < 1e-12)
        #expect(Swift.abs(try run.param("y") - 4) < 1e-12)
        #expect(run.train.first?.method == "newton")
    }

    @Test func newtonFromTheFilesStartFindsTheOtherCriticalPoint() throws {
        // Newton's method seeks a zero of the gradient, not a minimum. From (3, 3) it goes to
        // (6, 6): there x − 6 = 0 and y − 6 = 0, so ∂T/∂x = −(1/90)(3x² − 12x) y²(y − 6) = 0 and
        // ∂T/∂y = 0 as well, and T = 85 (the sauna's walls are as hot as its air).
        // There T_xx = T_yy = 0 and T_xy = −u′(6)v′(6)/90 = −36·36/90 = −14.4 (u′ = 3x² − 12x), so
        // the Hessian's eigenvalues are ±14.4: a saddle, which Newton's method warns about.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.saunaWithNewton)
        let result = InProcess.run(["run", path, "--json", "--quiet"])
        #expect(result.status == .success)
        let run = try Slope.parse(result)
        #expect(Swift.abs(try run.param("x") - 6) < 1e-12)
        #expect(Swift.abs(try run.param("y") - 6) < 1e-12)
        #expect(isClose(try #require(run.train.first).final, 85, 1e-12))
        #expect(result.err.hasPrefix("\(path):9:1: warning: newton ended at a saddle point of 'T', not a minimum\n"), "\(result.err)")
        #expect(result.err.contains("note: the Hessian there has eigenvalues -14.4, 14.4\n"), "\(result.err)")
    }

    @Test func newtonReachesTheOmegaConstant() throws {
        // f(x) = eˣ − log x has f′(x) = eˣ − 1/x, zero where x eˣ = 1: x = W(1) = Ω = 0.5671432904097838…
        // Newton's step x ← x − f′(x)/f″(x) with f″(x) = eˣ + 1/x², computed here from 0.05.
        var x = 0.05
        for _ in 0..<10 { x -= (exp(x) - 1 / x) / (exp(x) + 1 / (x * x)) }
        #expect(Swift.abs(x - 0.567143290409783873) < 1e-15)

        let run = try Slope.runJSON([Slope.example("newton")])
        let trained = try run.param("x")
        #expect(Swift.abs(trained - 0.567143290409783873) < 1e-15)
        #expect(Swift.abs(trained * exp(trained) - 1) < 1e-15)
        // By the eighth step f′(x) is exactly 0 in float64: Newton has converged and stops.
        #expect(run.train.first?.steps == 8)
    }

    /// The fraction of rows whose predicted class (p ≥ 0.5) is the label.
    static func accuracy(_ p: [Double], _ labels: [Double]) -> Double {
        Double(zip(p, labels).filter { ($0.0 >= 0.5 ? 1.0 : 0.0) == $0.1 }.count) / Double(labels.count)
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    @Test func perceptronClassifiesItsPoints() throws {
        // At w = 0, b = 0 every p is 1/2, so the log loss starts at −log(1/2) = log 2 (to Slope's
        // log, accurate to 2 ulp: SPEC §8).
        let data = try DataTable("points.csv")
        let run = try Slope.runJSON([Slope.example("perceptron_classification")])
        let w = try #require(run.params["w"]), b = try run.param("b")
        let p = (0..<data.rows).map { Self.sigmoid(data["x1"][$0] * w[0] + data["x2"][$0] * w[1] + b) }
        let accuracy = Self.accuracy(p, data["label"])
        #expect(accuracy >= 0.95)
        #expect(try run.printed("accuracy(p, y)") == [accuracy])
        let entry = try #require(run.train.first)
        #expect(isClose(entry.initial, log(2.0), 1e-15))
        #expect(entry.final < 0.05)
    }

    @Test func twoLayerNetworkClassifiesTheCircle() throws {
        // hidden = sigmoid(X W1 + b1) with W1 [2, 4]; p = sigmoid(hidden · W2 + b2).
        let data = try DataTable("circle.csv")
        let run = try Slope.runJSON([Slope.example("two_layer_network")])
        let w1 = try #require(run.params["W1"]), b1 = try #require(run.params["b1"])
        let w2 = try #require(run.params["W2"]), b2 = try run.param("b2")
        #expect(w1.count == 8 && b1.count == 4 && w2.count == 4)
        let p = (0..<data.rows).map { row -> Double in
            let input = [data["x1"][row], data["x2"][row]]
            let hidden = (0..<4).map { unit in Self.sigmoid(input[0] * w1[unit] + input[1] * w1[4 + unit] + b1[unit]) }
            return Self.sigmoid(zip(hidden, w2).reduce(b2) { $0 + $1.0 * $1.1 })
        }
        let accuracy = Self.accuracy(p, data["label"])
        #expect(accuracy >= 0.95)
        #expect(try run.printed("accuracy(p, y)") == [accuracy])
        let entry = try #require(run.train.first)
        #expect(entry.method == "adam" && entry.steps == 2000 && entry.final < entry.initial / 10)
    }
}
