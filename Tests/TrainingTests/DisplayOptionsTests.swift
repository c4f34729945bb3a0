import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// The contract: an option of `run` that only changes what is shown (`--quiet`, `--json`,
/// `--time`, `--log`, `--plot`) never changes the result — the same params, the same exit status
/// and the same diagnostics with or without it. Issue 12 found `--quiet` turning a failed run
/// (log of a negative param at step 11) into a successful one.
@Suite struct DisplayOptionsTests {
    /// Objectives that train well, that go non-finite in the loss only (log(x) once x < 0, with
    /// a finite gradient 1/x), in the loss between progress lines, that diverge, and that batch.
    static let programs: [String] = [
        "param x = 3\nE = log(x)\n",
        "param x = 1\nE = log(x) + x^2 * 0.01\n",
        "param x = 2\nE = x^4\n",
        "param m = 0\nparam b = 0\ninput x = [1, 2, 3]\ninput y = [2, 5, 3]\nE = sum((m*x + b - y)^2)\n",
        "param b = 1\ninput y = [3.6e-2, 5, -1, 2]\nE = mean(y*y) + b*b\n",
    ]

    static let methods: [String] = [
        "gd(rate: 0.5, steps: 60)",
        "sgd(rate: 0.3, steps: 60, batch: 2)",
        "momentum(rate: 0.2, steps: 60)",
        "adam(rate: 0.5, steps: 60)",
        "newton(steps: 8)",
        "gd(rate: 0.01, steps: 60, tolerance: 0.5)",
    ]

    static let flagSets: [[String]] = [
        ["--quiet"], ["--json"], ["--time"], ["--json", "--quiet", "--time"], ["--log", "LOG", "--plot", "PLOT"],
    ]

    /// What a run decides: its status, the saved params (the trained ones, or after a failure
    /// those of the last good step) and its diagnostics (stderr without progress lines and the
    /// --time table, which are display).
    struct Outcome: Equatable, CustomStringConvertible {
        let status: SlopeCore.ExitStatus
        let params: String
        let diagnostics: [String]
        var description: String { "status \(status.rawValue), params \(params)\n" + diagnostics.joined(separator: "\n") }
    }

    static func isDisplay(_ line: Substring) -> Bool {
        let progress = line.contains(": step ") && line.hasSuffix(" steps/s")
        let timeTable = line.hasPrefix("phase ") || ["parse", "compile", "load", "run", "total"].contains { name in
            line.hasPrefix(name + " ") && line.hasSuffix(" s")
        }
        return progress || timeTable
    }

    static func run(_ source: String, _ flags: [String], in directory: TemporaryDirectory) throws -> Outcome {
        let path = try directory.write("test.graph", source)
        let save = directory.path("params.json")
        try? FileManager.default.removeItem(atPath: save)
        let files = ["LOG": directory.path("loss.csv"), "PLOT": directory.path("plot.svg")]
        let result = InProcess.run(["run", path, "--save", save] + flags.map { files[$0] ?? $0 })
        let params = (try? String(contentsOfFile: save, encoding: .utf8)) ?? "(not saved)"
        let diagnostics = result.err.replacingOccurrences(of: "\r", with: "\n").split(separator: "\n")
            .filter { !isDisplay($0) }.map(String.init)
        return Outcome(status: result.status, params: params, diagnostics: diagnostics)
    }

    @Test(arguments: programs, methods)
    func theResultIsTheSameWhateverIsShown(_ program: String, _ method: String) throws {
        let directory = try TemporaryDirectory()
        let source = program + "minimize E by \(method)\n"
        let plain = try Self.run(source, [], in: directory)
        for flags in Self.flagSets {
            let shown = try Self.run(source, flags, in: directory)
            #expect(shown == plain, "with \(flags):\n\(shown)\nwithout:\n\(plain)")
        }
    }

    @Test func theTableCoversSuccessAndFailure() throws {
        // The table is only worth having if both kinds of outcome occur in it.
        let directory = try TemporaryDirectory()
        let failed = try Self.run(Self.programs[0] + "minimize E by \(Self.methods[0])\n", [], in: directory)
        #expect(failed.status == .programError)
        #expect(failed.diagnostics.contains { $0.contains("training stopped at step 11") }, "\(failed)")
        let diverged = try Self.run(Self.programs[2] + "minimize E by \(Self.methods[0])\n", ["--quiet"], in: directory)
        #expect(diverged.diagnostics.contains { $0.contains("the loss or its gradient became inf") }, "x ← x − 2x³ from 2")
        let converged = try Self.run(Self.programs[3] + "minimize E by \(Self.methods[4])\n", [], in: directory)
        #expect(converged.status == .success)
        #expect(converged.diagnostics.isEmpty, "\(converged)")
    }
}
