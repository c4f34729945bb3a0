import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Progress on stderr and the summary at the end of `slope run`. In tests stderr is captured,
/// not a terminal, so progress comes as plain lines every tenth of the steps.
@Suite struct ProgressReporterTests {
    @Test func quietPrintsNothingOnStderr() throws {
        let result = InProcess.run(["run", Slope.example("sum_of_squares"), "--quiet"])
        #expect(result.status == .success)
        #expect(result.err == "")
    }

    @Test func withoutQuietPlainLinesAppearEveryTenthOfTheSteps() throws {
        let result = InProcess.run(["run", Slope.example("sum_of_squares")])
        #expect(result.status == .success)
        let lines = result.err.split(separator: "\n").map(String.init)
        // Steps 0, 100, …, 900 before their updates, then the end at step 1000.
        #expect(lines.count == 11, "\(result.err)")
        let prefix = "minimize E by gd: step "
        let steps = lines.compactMap { line -> Int? in
            guard line.hasPrefix(prefix) else { return nil }
            return Int(line.dropFirst(prefix.count).prefix { $0 != "/" })
        }
        #expect(steps == Array(stride(from: 0, through: 1000, by: 100)))
        #expect(lines.allSatisfy { $0.contains("/1000  loss ") && $0.hasSuffix(" steps/s") })
        #expect(lines.first?.hasPrefix("minimize E by gd: step 0/1000  loss 38  ") == true)
        #expect(lines.last?.hasPrefix("minimize E by gd: step 1000/1000  loss 4.166666666666667  ") == true)
        #expect(!result.err.contains("\u{1B}"), "no terminal escapes when stderr is not a terminal")
    }

    @Test func aRunShorterThanTenStepsReportsEveryStep() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param x = 4\nf = (x - 1)^2\nminimize f by gd(rate: 0.25, steps: 3)\n")
        let lines = InProcess.run(["run", path]).err.split(separator: "\n")
        #expect(lines.map { $0.split(separator: " ").prefix(5).joined(separator: " ") }
                == ["minimize f by gd: step", "minimize f by gd: step", "minimize f by gd: step", "minimize f by gd: step"])
        #expect(lines.map { $0.split(separator: " ")[5] } == ["0/3", "1/3", "2/3", "3/3"])
    }

    @Test func onATerminalOneLineIsRewrittenInPlace() throws {
        // A live line: each report returns to the start of the line and clears it (\r ESC[K);
        // how many appear depends on the time (one per 0.1 s), but the first is step 0 and the
        // line ends with the final step and a newline.
        let console = Console(capturing: true, errorIsTerminal: true)
        let status = Driver.main(["run", Slope.example("sum_of_squares")], console: console)
        #expect(status == .success)
        let err = console.capturedErr
        let clear = "\r\u{1B}[K"
        #expect(err.hasPrefix(clear + "minimize E by gd: step 0/1000  loss 38  "), "\(err)")
        let last = try #require(err.components(separatedBy: clear).last)
        #expect(last.hasPrefix("minimize E by gd: step 1000/1000  loss 4.16666666666666"))
        #expect(last.hasSuffix(" steps/s\n"))
        #expect(err.filter { $0 == "\n" }.count == 1, "one line, rewritten")
    }

    @Test func textOutputEndsWithTheSummaryAndTheParams() throws {
        let result = InProcess.run(["run", Slope.example("sum_of_squares"), "--quiet"])
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == "E = 38")
        // The initial loss E(0, 0) = 38 and the final one, 25/6 to within rounding.
        let summary = try #require(lines.dropFirst().first)
        #expect(summary.hasPrefix("minimize E by gd: 1000 steps, loss 38 -> 4.16666666666666"))
        #expect(lines[3] == "params:")
        #expect(lines[4].hasPrefix("  m = 0.5"))
        #expect(lines[5].hasPrefix("  b = 2.333333333333"))
        let final = try #require(Double(String(summary.split(separator: " ").last ?? "")))
        #expect(lines[2] == "E = \(summary.split(separator: " ").last ?? "")" && isClose(final, 25.0 / 6, 1e-13))
    }

    @Test func paramsAreListedOnlyWhenSomethingWasTrained() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param x = 4\nprint x\n")
        #expect(InProcess.run(["run", path]).out == "x = 4\n")
    }

    @Test func jsonTrainEntriesHaveTargetMethodStepsInitialAndFinal() throws {
        let result = InProcess.run(["run", Slope.example("sauna"), "--json", "--quiet"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let train = try #require(object["train"] as? [[String: Any]])
        #expect(train.count == 1)
        let entry = try #require(train.first)
        #expect(Set(entry.keys) == ["target", "method", "steps", "initial", "final"])
        #expect(entry["target"] as? String == "T")
        #expect(entry["method"] as? String == "gd")
        #expect(entry["steps"] as? Double == 200)
        // T(3, 3) = 85 − (1/90) · 9 · (−3) · 9 · (−3) = 85 − 729/90 = 76.9.
        #expect((entry["initial"] as? Double).map { isClose($0, 76.9, 1e-15) } == true)
        #expect((entry["final"] as? Double).map { isClose($0, 85 - 1024.0 / 90, 1e-14) } == true)
    }
}
