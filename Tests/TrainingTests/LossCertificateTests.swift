import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A step whose loss nobody sees computes only the gradient when bounds prove the loss finite
/// (`LossCertificate`). That may change speed only: the params have the bits of a run that
/// computes every loss (`--log` does), and a loss that stops being finite stops training at the
/// same step with the same message.
@Suite struct LossCertificateTests {
    static let logistic = """
        seed 7
        input x1: [3000] = uniform(-1, 1)
        input x2: [3000] = uniform(-1, 1)
        label = step(2*x1 - 3*x2 + 0.5)
        param w1 = 0
        param w2 = 0
        param b = 0
        z = w1*x1 + w2*x2 + b
        loss = bce(sigmoid(z), label)
        minimize loss by gd(rate: 0.5, steps: 60)
        """

    /// One program per method and kind of loss: log loss through a fused loop, a squared error
    /// with momentum, a two-layer network with matrix products and adam, and a regularised loss
    /// that reads a param directly.
    static let programs: [String] = [
        logistic,
        """
        seed 8
        input x: [500] = uniform(0, 1)
        y = 3*x + 2
        param m = 0
        param c = 0
        loss = mean((m*x + c - y)^2)
        minimize loss by momentum(rate: 0.1, steps: 80)
        """,
        """
        seed 9
        input X: [64, 4] = normal(0, 1)
        y = step(X @ [[1], [-1], [0.5], [2]])
        param W1: [4, 8] = normal(0, 0.5)
        param b1: [8] = 0
        param W2: [8, 1] = normal(0, 0.5)
        param b2: [1] = 0
        h = sigmoid(X @ W1 + b1)
        p = sigmoid(h @ W2 + b2)
        loss = bce(p, y)
        minimize loss by adam(rate: 0.05, steps: 50)
        """,
        """
        seed 10
        input x: [200] = uniform(-2, 2)
        param w = 3
        loss = mean(softplus(w*x)) + 0.01*w^2
        minimize loss by gd(rate: 0.2, steps: 40)
        """,
    ]

    @Test(arguments: programs.indices)
    func paramsHaveTheBitsOfARunThatComputesEveryLoss(_ index: Int) throws {
        let directory = try TemporaryDirectory()
        let certified = try Slope.runJSON(source: Self.programs[index], in: directory)
        let everyLoss = try Slope.runJSON(source: Self.programs[index], ["--log", directory.path("log.csv")], in: directory)
        #expect(!certified.params.isEmpty)
        for (name, values) in certified.params {
            let other = try #require(everyLoss.params[name])
            #expect(values.map(\.bitPattern) == other.map(\.bitPattern), "\(name): \(values) vs \(other)")
        }
        #expect(certified.train == everyLoss.train)
    }

    @Test func theLogisticStepHasPartialStepsWithoutTheLogarithms() throws {
        let (lowered, diagnostics) = InProcess.lower(Self.logistic)
        let program = try #require(lowered, "\(diagnostics.map(\.message))")
        let target = try #require(program.graph.namedValues["loss"])
        var held = 0
        let step = try TrainingGraph(program: program.graph, target: target, params: ["w1", "w2", "b"], newton: false,
                                     certified: true, execution: ExecutionOptions(), held: &held)
        let certificate = try #require(step.certificate)
        // z = w1·x1 + w2·x2 + b of fixed inputs and scalar params is bounded through its own
        // nodes' rules: the step measures no extremes, it reads only the three params.
        #expect(certificate.outputs.count == 3, "\(certificate.outputs)")
        #expect(!certificate.sources.contains { if case .extremes = $0.source { return true } else { return false } })
        let plan = step.executor.plan
        let partial = try #require(plan.partialSteps)
        let names = partial.flatMap { step -> [String] in
            guard case .fused(let program) = step.kernel else { return [] }
            return program.instructions.map(\.operation.name) + program.reductions.map(\.name)
        }
        #expect(names.contains("sigmoid") && !names.contains("min") && !names.contains("max"), "\(names)")
        #expect(!names.contains { $0.contains("softplus") }, "the partial steps compute no softplus: \(names)")
        // At the initial params the loss is certified: z = 0 everywhere.
        step.executor.runPartial()
        #expect(certificate.certifies(step.executor))
    }

    /// gd on log(w) + 0 from w = 1 with rate 0.3: w = 0.7, then 0.7 − 0.3/0.7 ≈ 0.271, then
    /// 0.271 − 0.3/0.271 < 0, where log is NaN while the gradient 1/w is finite. Steps 1 and 2
    /// are certified under --quiet (their logs are of positive numbers), so the last finite loss,
    /// log(0.271…), is computed again for the message.
    @Test(arguments: [["--quiet"], ["--quiet", "--log", "LOG"], []])
    func aLossThatTurnsNaNWithAFiniteGradientStopsAtItsStep(_ flags: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            param w = 1
            f = log(w)
            minimize f by gd(rate: 0.3, steps: 10)
            """)
        let result = InProcess.run(["run", path] + flags.map { $0 == "LOG" ? directory.path("log.csv") : $0 })
        #expect(result.status == .programError)
        var w = 1.0, steps = 0, previous = w
        while w > 0 {
            previous = w
            w -= 0.3 * (1 / w)
            steps += 1
        }
        #expect(steps == 3)
        #expect(result.err.contains("test.graph:3:1: error: training stopped at step 3: the loss or its gradient became nan"),
                "\(result.err)")
        #expect(result.err.contains("note: the last finite loss was \(ValueFormatter.number(VectorMath.log(previous)))"),
                "\(result.err)")
    }

    /// maximize w² from 1e150 by gd with rate 0.1: w grows by 1.2 a step, and w² overflows many
    /// steps before the gradient 2w does (and the squared norm of the gradient, 4w², overflows
    /// before w² does: that alone is not a failure).
    @Test func aLossThatOverflowsBeforeItsGradientStopsWhereEveryLossWouldStop() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            param w = 1e150
            f = w^2 + 0
            maximize f by gd(rate: 0.1, steps: 200)
            """)
        let quiet = InProcess.run(["run", path, "--quiet"])
        let logged = InProcess.run(["run", path, "--quiet", "--log", directory.path("log.csv")])
        #expect(quiet.status == .programError)
        var w = 1e150, steps = 0
        while (w * w).isFinite {
            w += 0.1 * 2 * w
            steps += 1
        }
        #expect(quiet.err.contains("training stopped at step \(steps): the loss or its gradient became inf"), "\(quiet.err)")
        #expect(quiet.err == logged.err)
    }
}

/// The ops' bound rules hold every value the op computes from operands inside its operands'
/// bounds (checked on random intervals and points), and prove nothing where the op may leave
/// the finite range or its domain.
@Suite struct ValueBoundsTests {
    @Test func rulesProveNothingOutsideTheDomainOrTheRange() throws {
        let positive = try #require(ValueBounds(0.5, 2))
        let straddling = try #require(ValueBounds(-1, 1))
        #expect(UnaryOp.log.bounds(straddling) == nil)
        #expect(UnaryOp.sqrt.bounds(straddling) == nil)
        #expect(BinaryOp.div.bounds(positive, straddling) == nil)
        let wide = try #require(ValueBounds(0, 800)), huge = try #require(ValueBounds(0, 1e299))
        let half = try #require(ValueBounds(point: 0.5))
        #expect(UnaryOp.exp.bounds(wide) == nil, "e^800 overflows")
        #expect(ReduceOp.sum.bounds(huge, count: 1_000_000) == nil)
        #expect(BinaryOp.pow.bounds(straddling, half) == nil, "(-1)^0.5 is NaN")
        #expect(ValueBounds(1, .nan) == nil && ValueBounds(2, 1) == nil && ValueBounds(of: [1, .nan]) == nil)
        // Where they hold, they are tight up to the widening.
        let two = try #require(ValueBounds(point: 2))
        let square = try #require(BinaryOp.pow.bounds(straddling, two))
        #expect(square.lower <= 0 && square.lower > -1e-300 && square.upper >= 1 && square.upper < 1 + 1e-11)
        let mean = try #require(ReduceOp.mean.bounds(positive, count: 1000))
        #expect(mean.lower < 0.5 && mean.lower > 0.4999 && mean.upper > 2 && mean.upper < 2.0001)
    }

    @Test func everyComputedValueLiesInsideItsBounds() throws {
        var random = SplitMix64(state: 21)
        func unit() -> Double { Double(random.next() >> 11) * 0x1p-53 }
        func interval() -> ValueBounds {
            let scale = [1e-3, 1, 30, 1e6][random.below(4)]
            let a = (unit() * 2 - 1) * scale, b = (unit() * 2 - 1) * scale
            return ValueBounds(min(a, b), max(a, b))!
        }
        func point(in bounds: ValueBounds) -> Double {
            [bounds.lower, bounds.upper, bounds.lower + (bounds.upper - bounds.lower) * unit()][random.below(3)]
        }
        for _ in 0..<2000 {
            let a = interval(), b = interval()
            for op in UnaryOp.allCases {
                guard let result = op.bounds(a) else { continue }
                let x = point(in: a)
                #expect(result.contains(op.apply(x)), "\(op.name)(\(x)) = \(op.apply(x)) outside \(result)")
            }
            for op in BinaryOp.allCases {
                for exponent in [b, ValueBounds(point: [2, 3, 0.5, -1][random.below(4)])!] {
                    let right = op == .pow ? exponent : b
                    guard let result = op.bounds(a, right) else { continue }
                    let x = point(in: a), y = point(in: right)
                    #expect(result.contains(op.apply(x, y)), "\(op.name)(\(x), \(y)) = \(op.apply(x, y)) outside \(result)")
                }
            }
        }
    }
}
