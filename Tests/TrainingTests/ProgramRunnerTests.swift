import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `ProgramRunner` runs the statements and returns what happened; `slope run` only formats it.
@Suite struct ProgramRunnerTests {
    static func program(_ source: String) throws -> Program {
        let (program, diagnostics) = InProcess.lower(source)
        return try #require(program, "\(DiagnosticsError(diagnostics: diagnostics))")
    }

    @Test func statementsRunInOrderEachFromTheValuesBeforeIt() throws {
        // E = (m - 3)²: printed at m = 0 (9), then trained by gd with rate 0.25: each step halves
        // m - 3 (m ← m − 0.25 · 2(m − 3)), so after 2 steps m = 3 − 3/4 = 2.25 and E = 0.5625.
        let program = try Self.program("""
            param m = 0
            E = (m - 3)^2
            print E
            minimize E by gd(rate: 0.25, steps: 2)
            print E, m
            """)
        var events: [String] = []
        let result = try ProgramRunner(program: program, options: .init(quiet: true), console: .capture()).run { event in
            switch event {
            case .warnings(let warnings): events.append("warnings \(warnings.count)")
            case .printed(let text, let value): events.append("\(text) = \(value.values)")
            case .trained(let outcome): events.append("trained \(outcome.steps)")
            }
        }
        #expect(events == ["warnings 0", "E = [9.0]", "trained 2", "E = [0.5625]", "m = [2.25]"])
        #expect(result.printed.map(\.text) == ["E", "E", "m"])
        #expect(result.params.map(\.name) == ["m"] && result.params[0].value == Tensor(2.25))
        #expect(result.outcomes.map { [$0.initial, $0.final] } == [[9, 0.5625]])
        #expect(result.succeeded && result.diagnostics.isEmpty && result.failure == nil)
    }

    @Test func aFailedTrainingStopsTheStatementsAndSavesTheLastGoodStep() throws {
        // log(x) with rate 1 from x = 2: x ← x − 1/x gives 1.5, 0.83…, −0.37…, where log is nan.
        let directory = try TemporaryDirectory()
        let program = try Self.program("param x = 2\nf = log(x)\nminimize f by gd(rate: 1, steps: 10)\nprint x\n")
        let save = directory.path("params.json")
        let result = try ProgramRunner(program: program, options: .init(save: save, quiet: true), console: .capture()).run()
        #expect(!result.succeeded && result.failure != nil)
        #expect(result.printed.isEmpty, "the print after the failed training does not run")
        #expect(result.diagnostics.map(\.id) == ["train.non-finite", "run.saved-last-good"])
        #expect(FileManager.default.fileExists(atPath: save))
    }

    @Test func anUnusableParamsFileStopsBeforeAnythingRuns() throws {
        let program = try Self.program("param m = 0\nprint m\n")
        var events = 0
        #expect(throws: Diagnostic.self) {
            try ProgramRunner(program: program, options: .init(load: "/nonexistent/params.json"), console: .capture()).run { _ in events += 1 }
        }
        #expect(events == 0)
    }
}
