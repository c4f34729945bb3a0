import Testing
@testable import SlopeCore

@Suite struct StabilizationTests {
    /// Log loss of a sigmoid at z, and its gradient, with and without optimization.
    static func logLoss(z: Double, label: Double) throws -> (unoptimized: [Double], optimized: [Double], runs: [PassRun]) {
        let program = try #require(PassTesting.lower("""
        param z = \(z)
        input y = \(label)
        loss = bce(sigmoid(z), y)
        print loss
        """))
        var builder = GraphBuilder(program.graph, hashConsing: true)
        let loss = try #require(program.names["loss"]), zNode = try #require(program.leaf(named: "z")?.node)
        let gradient = ReverseMode.gradients(of: loss, wrt: [zNode], in: &builder)[0]
        let values = PassTesting.leafValues(program)
        let before = PassTesting.evaluate(builder.graph, [loss, gradient], leafValues: values).map { $0.values[0] }
        let optimized = PassTesting.optimize(builder.graph, roots: [loss, gradient])
        let after = PassTesting.evaluate(optimized.graph, optimized.roots, leafValues: values).map { $0.values[0] }
        return (before, after, optimized.runs)
    }

    @Test(arguments: [(1000.0, 1.0), (1000.0, 0.0), (-1000.0, 1.0), (-1000.0, 0.0)])
    func logLossOfASaturatedSigmoidIsFinite(_ z: Double, _ label: Double) throws {
        // bce(sigmoid(z), y) = y softplus(-z) + (1 - y) softplus(z), d/dz = sigmoid(z) - y.
        let (before, after, _) = try Self.logLoss(z: z, label: label)
        #expect(before.contains { !$0.isFinite }, "the unoptimized graph is unstable: \(before)")
        let expectedLoss = label * ScalarMath.softplus(-z) + (1 - label) * ScalarMath.softplus(z)
        let expectedSlope = ScalarMath.sigmoid(z) - label
        #expect(after[0] == expectedLoss, "loss \(after[0])")
        #expect(after[1] == expectedSlope, "gradient \(after[1])")
    }

    @Test func stabilizationReportsItsRewritesOnTheUsersLine() throws {
        let (_, _, runs) = try Self.logLoss(z: 3, label: 1)
        let stabilize = runs.filter { $0.pass == "stabilize" }.flatMap(\.firings)
        #expect(Set(stabilize.map(\.rule)) == ["log-sigmoid-to-softplus", "log-one-minus-sigmoid-to-softplus", "sigmoid-adjoint-cancel"])
        // The logs are in the prelude's bce; the report points at the call on line 3.
        #expect(stabilize.allSatisfy { $0.range?.line == 3 && $0.range?.file.path == "test.graph" })
    }

    @Test func stabilizationTextInTextOut() {
        // log(sigmoid(z)) = -softplus(-z), finite for every z; the sigmoid stays, dead, for dce.
        PassTesting.expect(Stabilization.pass, on: """
        z: [] = param
        t1: [] = sigmoid(z)
        r: [] = log(t1)
        """, roots: ["r"], gives: """
        z: [] = param
        t1: [] = sigmoid(z)
        t2: [] = neg(z)
        t3: [] = softplus(t2)
        r: [] = neg(t3)
        """, rules: ["log-sigmoid-to-softplus"])
    }

    @Test func leavesAStableGraphUnchanged() {
        PassTesting.expectUnchanged(Stabilization.pass, on: """
        z: [] = param
        t1: [] = neg(z)
        t2: [] = softplus(t1)
        r: [] = neg(t2)
        """, roots: ["r"])
    }

    @Test func warnsOnceWithACaretAboutLogOfOneMinusANonSigmoid() throws {
        // p is a param, not a sigmoid: log(1 - p) cannot be rewritten, and is -inf at p = 1.
        // The repeated log on line 4 is one node after optimization, so one warning.
        let program = try #require(PassTesting.lower("""
        param p = 0.5
        input y = 1
        loss = bce(p, y)
        also = log(1 - p/2) + log(1 - p/2)
        print loss, also
        """))
        let optimized = PassTesting.optimize(program.graph, roots: program.roots)
        let warnings = Stabilization.warnings(optimized.graph, roots: optimized.roots)
        #expect(warnings.map(\.id) == ["stabilize.unstable-pattern", "stabilize.unstable-pattern"])
        #expect(warnings.map { $0.range?.line } == [3, 4])
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.first?.message.hasPrefix("log(1 - 'p') is -inf") == true, "\(warnings.map(\.message))")
        #expect(warnings.last?.message.hasPrefix("log(1 - 'p/2') is -inf") == true, "\(warnings.map(\.message))")
        let rendered = DiagnosticRenderer.render(warnings)
        #expect(rendered.contains("test.graph:3:8: warning:"), "\(rendered)")
        #expect(rendered.contains("^"))
    }

    @Test func doesNotWarnAboutWhatWasRewritten() throws {
        let program = try #require(PassTesting.lower("param z = 0\ninput y = 1\nloss = bce(sigmoid(z), y)\nprint loss\n"))
        #expect(!Stabilization.warnings(program.graph).isEmpty, "before optimization the pattern is there")
        let optimized = PassTesting.optimize(program.graph, roots: program.roots)
        #expect(Stabilization.warnings(optimized.graph).isEmpty)
    }
}
