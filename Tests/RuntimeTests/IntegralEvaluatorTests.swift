import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// How an integral step runs: its body planned once, batched when it is elementwise in the
/// variable, its report and its failures, and the bounds on its work.
@Suite struct IntegralEvaluatorTests {
    /// The lowered program's first integral node, and an executor of it at the program's values.
    static func integral(_ source: String) throws -> (graph: Graph, node: NodeID, executor: Executor) {
        let (program, diagnostics) = InProcess.lower(source)
        let graph = try #require(program, "\(diagnostics.map(\.message))").graph
        let node = try #require(graph.ids.last { graph[$0].op.integrand != nil })
        return (graph, node, Executor(graph: graph, outputs: [node], leafValues: graph.leafValues))
    }

    @Test func anElementwiseBodyRunsInBatchesAndAnyOtherPointByPoint() throws {
        let elementwise = try #require(Self.integral("param w = 2\nfn g(t) = w*sin(t)^2 + exp(-t)\nprint integral(g, 0, 1)")
            .graph.nodes.compactMap(\.op.integrand).first)
        #expect(IntegralProgram(elementwise).batch != nil)
        // A tensor integrand, a reduction over the variable, and a nested integral are run point by point.
        for source in ["param W = [1, 2]\nfn g(t) = W*t\nprint integral(g, 0, 1)",
                       "input v = [1, 2]\nfn g(t) = sum(v*t)\nprint integral(g, 0, 1)",
                       "fn h(s) = s\nfn g(t) = integral(h, 0, t)\nprint integral(g, 0, 1)"] {
            let integrand = try #require(try Self.integral(source).graph.nodes.compactMap(\.op.integrand).last)
            #expect(IntegralProgram(integrand).batch == nil, "\(source)")
        }
    }

    @Test func batchedAndPointByPointEvaluationAgreeToTheBit() throws {
        // The batched plan pads its last batch with copies of the last point; what it computes
        // at each point is what the point plan computes, bit for bit.
        let (graph, node, _) = try Self.integral("param w = 1.7\nfn g(t) = w*sin(3*t)^2 + sqrt(t) + exp(-t)\nprint integral(g, 0, 2)")
        let integrand = try #require(graph[node].op.integrand)
        let points = (0..<333).map { 2 * Double($0) / 333 }
        var results: [[Double]] = []
        for batching in [true, false] {
            let evaluator = IntegralEvaluator(IntegralProgram(integrand, batching: batching), node: node, range: nil,
                                              options: ExecutionOptions(), budget: nil)
            #expect((evaluator.batch != nil) == batching)
            let leaf = try #require(integrand.captureNodes[0])
            evaluator.point.pointer(leaf)?.pointee = 1.7
            evaluator.batch?.pointer(leaf)?.pointee = 1.7
            results.append(try evaluator.evaluate(at: points))
        }
        #expect(results[0].map(\.bitPattern) == results[1].map(\.bitPattern))
        #expect(Swift.abs(results[0][100] - (1.7 * pow(sin(3 * points[100]), 2) + points[100].squareRoot() + exp(-points[100]))) < 1e-15)
    }

    @Test func aRunReportsTheValueErrorAndEvaluations() throws {
        let (_, node, executor) = try Self.integral("fn v(t) = 3*t^2 + 2\nprint integral(v, 0, 2)")
        executor.run()
        let report = try #require(executor.lastIntegrals.first)
        #expect(report.node == node && report.integrand == "v")
        #expect(report.value == Tensor(12))
        // A quadratic is integrated exactly by both rules: one interval, 15 points.
        #expect(report.evaluations == 15 && report.intervals == 1)
        #expect(report.error > 0 && report.error < 1e-12)
        #expect(executor.integralFailure == nil)
    }

    @Test func aFailureIsRecordedAndTheValueIsNaN() throws {
        let (_, node, executor) = try Self.integral("fn f(t) = 1/(t - 0.5)\nprint integral(f, 0, 1)")
        executor.run()
        #expect(executor.value(node).values[0].isNaN)
        let failure = try #require(executor.integralFailure)
        #expect(failure.reason == .notFinite(at: 0.5, value: .infinity))
        #expect(failure.node == node && failure.integrand == "f" && failure.variable == "t")
        #expect(failure.range?.text == "integral(f, 0, 1)")
        #expect(executor.lastIntegrals.isEmpty)
        #expect(throws: Diagnostic.self) { try executor.runCheckingIntegrals() }
    }

    @Test func aBoundThatIsNotFiniteFailsBeforeAnyEvaluation() throws {
        let (_, _, executor) = try Self.integral("input b = 1\nfn g(t) = t\nprint integral(g, 0, b)")
        let (graph, _, _) = try Self.integral("input b = 1\nfn g(t) = t\nprint integral(g, 0, b)")
        executor.setValue(try #require(graph.leaf(named: "b")).node, Tensor(-.infinity))
        executor.run()
        #expect(executor.integralFailure?.reason == .boundNotFinite(1, -.infinity))
    }

    @Test func aFailedIntegralDoesNotStopTheOthers() throws {
        // Each integral of a run is evaluated; the failure is the one a value depends on.
        let (program, _) = InProcess.lower("fn f(t) = 1/t\nfn g(t) = t\nbad = integral(f, -1, 1)\ngood = integral(g, 0, 2)\nprint bad, good")
        let graph = try #require(program).graph
        let bad = try #require(graph.namedValues["bad"]), good = try #require(graph.namedValues["good"])
        let executor = Executor(graph: graph, outputs: [bad, good], leafValues: [:])
        executor.run()
        #expect(executor.value(good) == Tensor(2))
        #expect(executor.integralFailure(affecting: [good]) == nil)
        #expect(executor.integralFailure(affecting: [bad])?.node == bad)
    }

    @Test func nestedIntegralsShareOneBudgetOfEvaluations() throws {
        // Four levels of oscillating integrands need more evaluations than the budget allows:
        // the innermost call fails, with the enclosing ones as context, in bounded time.
        let (_, _, executor) = try Self.integral("""
            fn g0(t) = sin(40*t)
            fn g1(t) = integral(g0, 0, t) * sin(9*t)
            fn g2(t) = integral(g1, 0, t) * cos(9*t)
            fn g3(t) = integral(g2, 0, t) * sin(7*t)
            fn g4(t) = integral(g3, 0, t) * cos(7*t)
            print integral(g4, 0, 1)
            """)
        let start = Date()
        executor.run()
        let failure = try #require(executor.integralFailure)
        #expect(failure.reason == .tooManyEvaluations(limit: IntegralEvaluator.maximumEvaluations))
        #expect(failure.enclosing.count >= 1)
        #expect(Date().timeIntervalSince(start) < 120)
    }

    @Test func aLargeTensorIntegrandGetsFewerIntervals() {
        #expect(IntegralEvaluator.intervals(forComponents: 1) == 2000)
        #expect(IntegralEvaluator.intervals(forComponents: 60) == 2000)
        #expect(IntegralEvaluator.intervals(forComponents: 1000) == 133)
        #expect(IntegralEvaluator.intervals(forComponents: 10_000_000) == 1)
    }

    @Test func thePlanCountsTheBodysMemory() throws {
        let (graph, node, _) = try Self.integral("param w = 2\nfn g(t) = w*t\nprint integral(g, 0, 1)")
        let plan = Planner.plan(graph, outputs: [node])
        #expect(plan.integrals.count == 1)
        #expect(MemoryBudget.bytes(of: plan) > MemoryBudget.bytes(count: plan.arenaSize + max(plan.scratchSize, 1)))
    }
}

