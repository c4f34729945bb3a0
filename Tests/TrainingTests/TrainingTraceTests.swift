import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `TrainingTrace`: what --plot draws, kept only for --plot and bounded however long training
/// runs. Issue 12: the path of one or two scalar params was recorded on every step, plot or not
/// (70 bytes a step: 300 million steps reached 24 GB).
@Suite struct TrainingTraceTests {
    @Test func aShortRunKeepsEveryStep() {
        var trace = TrainingTrace()
        for step in 0..<100 { trace.record(step: step, loss: Double(step), point: [Double(step)]) }
        trace.finish(steps: 100, loss: -1, point: [100])
        #expect(trace.steps == Array(0...100))
        #expect(trace.losses.last == -1 && trace.points.last == [100])
    }

    @Test(arguments: [TrainingTrace.capacity - 1, TrainingTrace.capacity, 3000, 100_000, 3_000_000])
    func aLongRunKeepsAtMostTheCapacityEvenlySpaced(_ count: Int) {
        var trace = TrainingTrace()
        for step in 0..<count { trace.record(step: step, loss: Double(step) * 0.5, point: [Double(step), -Double(step)]) }
        trace.finish(steps: count, loss: .nan, point: [0, 0])
        let kept = trace.steps.dropLast()
        // At most `capacity` recorded steps, at least half of them once thinning started.
        #expect(kept.count < TrainingTrace.capacity)
        #expect(kept.count >= min(count, TrainingTrace.capacity / 2))
        // The multiples of the stride from 0, none missing, and the final point after them.
        #expect(Array(kept) == Array(Swift.stride(from: 0, to: count, by: trace.stride)))
        #expect(trace.steps.last == count)
        // Each kept step carries its own loss and point.
        for (index, step) in kept.enumerated() {
            #expect(trace.losses[index] == Double(step) * 0.5)
            #expect(trace.points[index] == [Double(step), -Double(step)])
        }
    }

    static func outcome(_ source: String, plot: String?) throws -> TrainingOutcome {
        let (program, diagnostics) = InProcess.lower(source)
        let lowered = try #require(program, "\(DiagnosticsError(diagnostics: diagnostics))")
        let result = try ProgramRunner(program: lowered, options: .init(plot: plot, quiet: true), console: .capture()).run()
        #expect(result.succeeded, "\(result.diagnostics.map(\.message))")
        return try #require(result.outcomes.first)
    }

    @Test func withoutPlotNothingIsRecordedPerStep() throws {
        // f = (x − 1)² from 3 with rate 0.1: 100,000 steps of one scalar param.
        let source = "param x = 3\nf = (x - 1)^2\nminimize f by gd(rate: 0.1, steps: 100000)\n"
        let outcome = try Self.outcome(source, plot: nil)
        #expect(outcome.steps == 100_000)
        #expect(outcome.trace.steps.isEmpty)
        #expect(outcome.losses.map(\.step) == [0, 100_000], "the first loss and the final one")
    }

    @Test func withPlotALongRunIsBoundedAndDrawn() throws {
        let directory = try TemporaryDirectory()
        let plot = directory.path("plot.svg")
        let source = "param x = 3\nparam y = -2\nf = (x - 1)^2 + (y + 1)^2\nminimize f by gd(rate: 0.001, steps: 100000)\n"
        let outcome = try Self.outcome(source, plot: plot)
        #expect(outcome.trace.steps.count <= TrainingTrace.capacity)
        #expect(outcome.trace.steps.first == 0 && outcome.trace.steps.last == 100_000)
        // x − 1 shrinks by 1 − 0.002 a step: the trace's first point is the start (3, −2).
        #expect(outcome.trace.points.first == [3, -2])
        #expect(outcome.trace.losses.first == 5)
        let text = try String(contentsOfFile: plot, encoding: .utf8)
        let svg = try #require(ParsedXML.parse(text))
        #expect(svg.count(name: "path", className: "loss-curve") == 1)
        let dots = svg.count(name: "circle", className: "path-point")
        #expect(dots > 0 && dots <= TrainingTrace.capacity)
        // The loss axis runs to the last step, not to the number of kept entries.
        #expect(svg.texts.contains("100000") || svg.texts.contains("100,000") || svg.texts.contains("1e+05"), "\(svg.texts.prefix(40))")
    }
}
