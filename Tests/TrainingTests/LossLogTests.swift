import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `--log` is streamed: rows reach the file as the steps happen, and a run that fails keeps the
/// rows of its good steps (issue 12: "when training fails, --log keeps only its header").
@Suite struct LossLogTests {
    @Test func aFailedRunKeepsTheLogsGoodRows() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", NonFiniteTrainingTests.quartic)
        let log = directory.path("log.csv")
        let result = InProcess.run(["run", source, "--quiet", "--log", log])
        #expect(result.status == .programError)
        #expect(result.err.contains("training stopped at step 5"))
        // x ← x − 4x³ from 2: −30, 107970, −5.03e15, 5.10e47; the loss x⁴ before each update.
        var x = 2.0, expected: [Double] = []
        for _ in 0..<5 {
            expected.append(x * x * x * x)
            x -= 4 * x * x * x
        }
        let rows = try TrainingPlotsTests.rows(log)
        #expect(rows.map(\.step) == [0, 1, 2, 3, 4])
        for (row, value) in zip(rows, expected) { #expect(isClose(row.loss, value, 1e-12), "step \(row.step)") }
        #expect(rows.first?.loss == 16 && rows.dropFirst().first?.loss == 810_000)
    }

    @Test func theLogIsOnDiskWhileTheRunIsStillGoing() throws {
        // After the first statement, before the run ends, its rows are already in the file
        // being written (all but its final loss, which the next statement's first row stands for).
        let directory = try TemporaryDirectory()
        let (program, diagnostics) = InProcess.lower("""
            param x = 4
            f = (x - 1)^2
            minimize f by gd(rate: 0.25, steps: 3)
            minimize f by gd(rate: 0.25, steps: 3)
            """)
        let compiled = try #require(program, "\(DiagnosticsError(diagnostics: diagnostics))")
        let log = directory.path("log.csv")
        var seen: [String] = []
        let runner = ProgramRunner(program: compiled, options: .init(log: log, quiet: true), console: .capture())
        let result = try runner.run { event in
            guard case .trained = event, seen.isEmpty else { return }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []
            if let temporary = names.first(where: { $0.hasPrefix(".log.csv.slope-") }) {
                seen = ((try? String(contentsOfFile: directory.path(temporary), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
        }
        #expect(result.succeeded)
        // f = 9, 2.25, 0.5625 before the updates of the first statement.
        #expect(seen == ["step,loss", "0,9", "1,2.25", "2,0.5625"])
        #expect(try TrainingPlotsTests.rows(log).map(\.step) == Array(0...6))
    }

    @Test func theStepThatConvergedIsLoggedOnce() throws {
        // Rate 0.5 on (x − 1)² lands on 1 in one step; at step 1 the gradient is 0, under the
        // tolerance, so training stops there: rows for step 0 (f = 9) and the final loss (0),
        // not a second row for step 1.
        let directory = try TemporaryDirectory()
        let log = directory.path("log.csv")
        _ = try Slope.runJSON(source: "param x = 4\nf = (x - 1)^2\nminimize f by gd(rate: 0.5, steps: 10, tolerance: 1e-9)\n",
                              ["--log", log], in: directory)
        let rows = try TrainingPlotsTests.rows(log)
        #expect(rows.map(\.step) == [0, 1])
        #expect(rows.map(\.loss) == [9, 0])
    }

    @Test func aStatementThatFailsAtOnceKeepsTheFinalRowOfTheOneBefore() throws {
        // The first statement finishes at x = 1.5 (f = 0.25 after rate 0.25 halves x − 1 twice
        // from 3); the second is refused before its first step (newton on 65 params), so the
        // first statement's final loss is the log's last row.
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", """
            param x = 3
            param W: [65] = 1
            f = (x - 1)^2
            g = sum(W) * sum(W)
            minimize f by gd(rate: 0.25, steps: 2)
            minimize g by newton(steps: 1)
            """)
        let log = directory.path("log.csv")
        let result = InProcess.run(["run", source, "--quiet", "--log", log])
        #expect(result.status == .programError, "\(result)")
        let rows = try TrainingPlotsTests.rows(log)
        #expect(rows.map(\.step) == [0, 1, 2])
        #expect(rows.map(\.loss) == [4, 1, 0.25])
    }
}
