import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Training that produces a NaN or infinity stops with an error naming the step and the first
/// node that produced it; with --save the params of the last good step are kept.
@Suite struct NonFiniteTrainingTests {
    /// gd with rate 1 on x⁴ from 2: x ← x − 4x³ overshoots further every step.
    static let quartic = """
        param x = 2
        f = x^4
        minimize f by gd(rate: 1, steps: 100)
        """

    /// The iterates of `quartic` computed in Swift up to the first whose loss or gradient is not
    /// finite: that step's number, and the iterate before it (the last good one).
    static func quarticFailure() -> (step: Int, lastGood: Double) {
        var x = 2.0, previous = x, step = 0
        while (x * x * x * x).isFinite && (4 * x * x * x).isFinite {
            previous = x
            x -= 4 * x * x * x
            step += 1
        }
        return (step, previous)
    }

    @Test func theQuarticDivergesAtAKnownStep() {
        // 2 → −30 → 107970 → −5.03e15 → 5.10e47 → −5.3e143, whose fourth power overflows.
        #expect(Self.quarticFailure().step == 5)
        #expect(Swift.abs(Self.quarticFailure().lastGood - 5.1e47) < 0.01e47)
    }

    @Test(arguments: [["--quiet"], [], ["--quiet", "--log", "LOG"]])
    func divergenceNamesTheStepAndTheNodeWhateverIsPrinted(_ flags: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.quartic)
        let result = InProcess.run(["run", path] + flags.map { $0 == "LOG" ? directory.path("log.csv") : $0 })
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        let expected = Self.quarticFailure()
        #expect(result.err.contains("test.graph:3:1: error: training stopped at step \(expected.step): the loss or its gradient became inf"),
                "\(result.err)")
        // The first non-finite value is the loss itself, f = x^4 on line 2, named by its user name.
        #expect(result.err.contains("test.graph:2:5: note: the first non-finite value came from 'f'"), "\(result.err)")
        #expect(result.err.contains("f = x^4\n    ^~~"))
    }

    @Test func divergenceWithSaveKeepsTheLastGoodParams() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.quartic)
        let save = directory.path("params.json")
        let result = InProcess.run(["run", path, "--quiet", "--save", save])
        #expect(result.status == .programError)
        #expect(result.err.contains("saved the params of the last good step to '\(save)'"))
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: save))) as? [String: Double])
        let x = try #require(saved["x"])
        #expect(isClose(x, Self.quarticFailure().lastGood, 1e-12))
        #expect(x.isFinite && (x * x * x * x).isFinite, "the saved params have a finite loss")
    }

    /// gd with rate 1 on 2x + log(x) from 1: the gradient 2 + 1/x = 3 sends x to −2, where
    /// log(x) is NaN but the gradient 2 + 1/x = 1.5 is finite and keeps x negative. Only the
    /// loss shows the problem, and it is computed on every step.
    static let logOfNegative = """
        param x = 1
        g = log(x)
        f = 2*x + g
        minimize f by gd(rate: 1, steps: 50)
        """

    @Test(arguments: [["--quiet"], [], ["--quiet", "--log", "LOG"]])
    func aNaNOnlyInTheLossIsReportedAtItsFirstStep(_ flags: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.logOfNegative)
        let save = directory.path("params.json")
        let result = InProcess.run(["run", path, "--save", save] + flags.map { $0 == "LOG" ? directory.path("log.csv") : $0 })
        #expect(result.status == .programError)
        #expect(result.err.contains("test.graph:4:1: error: training stopped at step 1: the loss or its gradient became nan"),
                "\(result.err)")
        #expect(result.err.contains("test.graph:2:5: note: the first non-finite value came from 'g' (log) here"), "\(result.err)")
        #expect(result.err.contains("note: the last finite loss was 2"), "f(1) = 2 + log 1 = 2")
        // The last good step is step 0, at x = 1.
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: save))) as? [String: Double])
        #expect(saved == ["x": 1])
    }

    @Test(arguments: [["--quiet"], []])
    func aNaNInTheLossBetweenProgressLinesIsCaughtWithOrWithoutQuiet(_ flags: [String]) throws {
        // log(x) + x²/100 from 1 with rate 0.3: x = 1 → 0.694 → 0.259 → −0.899 (log is NaN at
        // step 3; its gradient 1/x + x/50 is finite) → 0.43 → …, back among positive numbers.
        // The loss is computed in the step's plan on every step, so step 3 is caught whatever
        // is shown (it once went unnoticed with --quiet, which computed the loss only at step 0
        // and at the end).
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            param x = 1
            f = log(x) + x^2 * 0.01
            minimize f by gd(rate: 0.3, steps: 20)
            """)
        let result = InProcess.run(["run", path] + flags)
        #expect(result.status == .programError)
        #expect(result.err.contains("training stopped at step 3"), "\(result.err)")
    }

    /// Issue 12: gd on log(x) from 3 with rate 0.5 (x ← x − 0.5/x): 3, 2.83, …, 0.7769 (step 9),
    /// 0.13332 (step 10, log = −2.0149859755627677), −3.617 (step 11, log is NaN while the
    /// gradient 1/x stays finite). It stopped at step 11 without --quiet and ran on to
    /// x = 5.81 with it, exiting 0, and --save saved that.
    @Test(arguments: [[], ["--quiet"], ["--json"], ["--quiet", "--json", "--time"]])
    func logOfANegativeParamStopsAtStepElevenWhateverIsShown(_ flags: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            param x = 3
            E = log(x)
            minimize E by gd(rate: 0.5, steps: 100)
            """)
        let save = directory.path("params.json")
        let result = InProcess.run(["run", path, "--save", save] + flags)
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        #expect(result.err.contains("test.graph:3:1: error: training stopped at step 11: the loss or its gradient became nan"),
                "\(result.err)")
        #expect(result.err.contains("test.graph:2:5: note: the first non-finite value came from 'E' (log) here"))
        #expect(result.err.contains("note: the last finite loss was -2.0149859755627677"), "log(0.1333222731226893)")
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: save))) as? [String: Double])
        #expect(saved == ["x": 0.1333222731226893], "the iterate of step 10, the last whose loss was finite")
    }

    @Test func aNaNParamFromTheStartIsReportedAtStepZero() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param x = 1\nf = (x - 3)^2\nminimize f by gd(steps: 5)\n")
        // A params file may hold "nan" (the form run --json writes it in).
        let load = try directory.write("nan.json", #"{"x": "nan"}"#)
        let loaded = InProcess.run(["run", path, "--quiet", "--load", load])
        #expect(loaded.status == .programError)
        #expect(loaded.err.contains("training stopped at step 0: the loss or its gradient became nan"), "\(loaded.err)")
    }
}
