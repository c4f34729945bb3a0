import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Each method's update on the quadratic f(a, b) = (a − 1)² + 10(b + 2)² + ab, against the
/// textbook formula computed here in Swift.
///
///   ∇f = (2(a − 1) + b, 20(b + 2) + a),   H = [[2, 1], [1, 20]],  det H = 39,
///
/// so the minimum solves 2a + b = 2, a + 20b = −40: a = 80/39, b = −82/39.
@Suite struct ParameterUpdateTests {
    static let start = (a: 0.5, b: -1.0)

    static func program(_ method: String, direction: String = "minimize") -> String {
        """
        param a = \(start.a)
        param b = \(start.b)
        f = (a - 1)^2 + 10*(b + 2)^2 + a*b
        g = -f
        \(direction) \(direction == "minimize" ? "f" : "g") by \(method)
        """
    }

    static func gradient(_ theta: [Double]) -> [Double] {
        [2 * (theta[0] - 1) + theta[1], 20 * (theta[1] + 2) + theta[0]]
    }

    static func f(_ theta: [Double]) -> Double {
        pow(theta[0] - 1, 2) + 10 * pow(theta[1] + 2, 2) + theta[0] * theta[1]
    }

    /// The textbook updates, one step at a time, from `start`.
    enum Reference {
        static func gd(rate: Double, steps: Int) -> [Double] {
            var theta = [start.a, start.b]
            for _ in 0..<steps {
                let g = gradient(theta)
                for i in 0..<2 { theta[i] -= rate * g[i] }
            }
            return theta
        }

        /// PyTorch's form (no dampening): v ← βv + g, θ ← θ − rate · v, v₀ = 0.
        static func momentum(rate: Double, beta: Double, steps: Int) -> [Double] {
            var theta = [start.a, start.b], v = [0.0, 0.0]
            for _ in 0..<steps {
                let g = gradient(theta)
                for i in 0..<2 {
                    v[i] = beta * v[i] + g[i]
                    theta[i] -= rate * v[i]
                }
            }
            return theta
        }

        /// Kingma and Ba: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ),
        /// v̂ = v/(1 − β₂ᵗ), θ ← θ − rate · m̂/(√v̂ + ε), t = 1, 2, …
        static func adam(rate: Double, beta1: Double, beta2: Double, eps: Double, steps: Int) -> [Double] {
            var theta = [start.a, start.b], m = [0.0, 0.0], v = [0.0, 0.0]
            for t in 1...steps {
                let g = gradient(theta)
                for i in 0..<2 {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    let mHat = m[i] / (1 - pow(beta1, Double(t)))
                    let vHat = v[i] / (1 - pow(beta2, Double(t)))
                    theta[i] -= rate * mHat / (vHat.squareRoot() + eps)
                }
            }
            return theta
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let method: String
        let expected: @Sendable () -> [Double]
        var testDescription: String { method }
    }

    static let cases: [Case] = [
        Case(method: "gd(rate: 0.01, steps: 3)") { Reference.gd(rate: 0.01, steps: 3) },
        Case(method: "momentum(rate: 0.01, steps: 3, beta: 0.8)") { Reference.momentum(rate: 0.01, beta: 0.8, steps: 3) },
        Case(method: "momentum(rate: 0.01, steps: 3)") { Reference.momentum(rate: 0.01, beta: 0.9, steps: 3) },
        // ε = 0.5 is large enough that where it is added shows in the result.
        Case(method: "adam(rate: 0.1, steps: 3, beta1: 0.8, beta2: 0.9, eps: 0.5)") {
            Reference.adam(rate: 0.1, beta1: 0.8, beta2: 0.9, eps: 0.5, steps: 3)
        },
        Case(method: "adam(rate: 0.1, steps: 3)") { Reference.adam(rate: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, steps: 3) },
        // sgd on a program without data has nothing to batch: it is gd.
        Case(method: "sgd(rate: 0.01, steps: 3)") { Reference.gd(rate: 0.01, steps: 3) },
    ]

    @Test(arguments: cases)
    func threeStepsFollowTheTextbookFormula(_ test: Case) throws {
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: Self.program(test.method), in: directory)
        let expected = test.expected()
        #expect(isClose(try run.param("a"), expected[0], 1e-13), "a: expected \(expected[0])")
        #expect(isClose(try run.param("b"), expected[1], 1e-13), "b: expected \(expected[1])")
        let entry = try #require(run.train.first)
        #expect(entry.steps == 3)
        #expect(isClose(entry.initial, Self.f([Self.start.a, Self.start.b]), 1e-15))
        #expect(isClose(entry.final, Self.f(expected), 1e-12))
    }

    @Test(arguments: [1, 3])
    func newtonLandsOnTheMinimumOfAQuadraticInOneStep(_ steps: Int) throws {
        // A quadratic equals its second-order Taylor model, so θ − H⁻¹∇f is its minimum exactly:
        // (80/39, −82/39). Further steps have a zero gradient and stay there.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: Self.program("newton(steps: \(steps))"), in: directory)
        #expect(isClose(try run.param("a"), 80.0 / 39, 1e-14))
        #expect(isClose(try run.param("b"), -82.0 / 39, 1e-14))
        #expect(run.train.first?.steps == steps)
    }

    @Test func newtonOnOneParamIsTheCoursesStep() throws {
        // x ← x − f′(x)/f″(x) for f(x) = x⁴ − 3x + eˣ: f′ = 4x³ − 3 + eˣ, f″ = 12x² + eˣ.
        var x = 2.0
        var expected: [Double] = []
        for _ in 0..<3 {
            x -= (4 * x * x * x - 3 + exp(x)) / (12 * x * x + exp(x))
            expected.append(x)
        }
        let directory = try TemporaryDirectory()
        for (steps, value) in zip(1...3, expected) {
            let run = try Slope.runJSON(source: "param x = 2\nf = x^4 - 3*x + exp(x)\nminimize f by newton(steps: \(steps))\n", in: directory)
            #expect(isClose(try run.param("x"), value, 1e-14), "after \(steps) steps")
        }
    }

    @Test(arguments: ["gd(rate: 0.01, steps: 3)", "momentum(rate: 0.01, steps: 3)", "adam(rate: 0.1, steps: 3)"])
    func maximizingMinusFTakesTheStepsOfMinimizingF(_ method: String) throws {
        // ∇(−f) = −∇f, and maximize steps along +∇(−f) = −∇f: the same path as minimize f.
        let directory = try TemporaryDirectory()
        let minimized = try Slope.runJSON(source: Self.program(method), in: directory)
        let maximized = try Slope.runJSON(source: Self.program(method, direction: "maximize"), in: directory)
        #expect(isClose(try maximized.param("a"), try minimized.param("a"), 1e-14))
        #expect(isClose(try maximized.param("b"), try minimized.param("b"), 1e-14))
        let entry = try #require(maximized.train.first)
        #expect(entry.target == "g")
        #expect(entry.final > entry.initial, "maximize ascends")
        #expect(isClose(entry.final, -(try #require(minimized.train.first).final), 1e-14))
    }

    @Test func maximizeClimbsToTheTopOfAHill() throws {
        // h(x) = 5 − (x − 3)² has its maximum 5 at x = 3; gd ascends from 0 with factor
        // 1 − 2 · 0.1 = 0.8 per step on the distance to 3.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: "param x = 0\nh = 5 - (x - 3)^2\nmaximize h by gd(rate: 0.1, steps: 200)\n", in: directory)
        #expect(Swift.abs(try run.param("x") - 3) < 1e-12)
        #expect(run.train.first.map { $0.initial == -4 && isClose($0.final, 5, 1e-15) } == true)
    }

    @Test func toleranceStopsOnceTheGradientNormIsUnderIt() throws {
        // gd with rate 0.04 contracts the error by about 1 − 0.04 · 1.945 per step (the smaller
        // eigenvalue of H is 11 − √82 ≈ 1.945), so 10,000 steps are far more than needed.
        // Slope checks ‖∇f‖ before each update and stops at the first step where it is < 1e-6.
        var theta = [Self.start.a, Self.start.b]
        var expectedSteps = 0
        while true {
            let g = Self.gradient(theta)
            if (g[0] * g[0] + g[1] * g[1]).squareRoot() < 1e-6 { break }
            for i in 0..<2 { theta[i] -= 0.04 * g[i] }
            expectedSteps += 1
        }
        #expect(expectedSteps > 100 && expectedSteps < 10_000)

        let directory = try TemporaryDirectory()
        let source = Self.program("gd(rate: 0.04, steps: 10000, tolerance: 1e-6)")
        let run = try Slope.runJSON(source: source, in: directory)
        let entry = try #require(run.train.first)
        #expect(entry.steps == expectedSteps)
        let trained = [try run.param("a"), try run.param("b")]
        let g = Self.gradient(trained)
        #expect((g[0] * g[0] + g[1] * g[1]).squareRoot() < 1e-6)
        #expect(isClose(trained[0], theta[0], 1e-12) && isClose(trained[1], theta[1], 1e-12))

        let text = InProcess.run(["run", try directory.write("test.graph", source), "--quiet"])
        #expect(text.out.hasPrefix("minimize f by gd: \(expectedSteps) steps (gradient norm under the tolerance), loss "))
    }

    @Test func toleranceAlreadyMetTakesNoSteps() throws {
        // At the minimum the gradient is zero, under any tolerance: no update at all.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: "param x = 3\nf = (x - 3)^2\nminimize f by adam(rate: 0.1, steps: 50, tolerance: 1e-9)\n",
                                    in: directory)
        #expect(run.train.first?.steps == 0)
        #expect(try run.param("x") == 3)
    }
}
