import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The memory budget: before anything large is allocated — a plan's arena, a drawn, filled or
/// CSV-read initial value, a training statement's plans — it is checked against the limit
/// (SLOPE_MEMORY_LIMIT, else 80 % of physical memory); over it is a diagnostic at the line that
/// makes the largest tensor, exit 1, never a trap. Issue 12: `[40000, 1] + [1, 40000]` passed
/// the per-tensor limit and died with "Fatal error: failed to allocate" (it needs 12.8 GB).
@Suite struct MemoryBudgetTests {
    struct Outcome: CustomStringConvertible {
        let status: SlopeCore.ExitStatus
        let out: String
        let err: String
        var description: String { "status \(status.rawValue)\n--- stdout\n\(out)--- stderr\n\(err)" }
    }

    /// `slope ARGUMENTS...` with SLOPE_MEMORY_LIMIT set, both streams captured.
    static func run(_ arguments: [String], limit: String) -> Outcome {
        let console = Console.capture()
        let status = Driver.main(arguments, console: console, environment: ["SLOPE_MEMORY_LIMIT": limit])
        return Outcome(status: status, out: console.capturedOut, err: console.capturedErr)
    }

    @Test(arguments: [("64G", 64_000_000_000), ("500M", 500_000_000), ("2kB", 2000), ("1000", 1000), ("1.5g", 1_500_000_000),
                      (" 3T ", 3_000_000_000_000)])
    func theLimitIsReadWithDecimalSuffixes(_ text: String, _ bytes: Int) {
        #expect(MemoryBudget(environmentValue: text)?.limit == bytes)
        #expect(MemoryBudget(environmentValue: text)?.origin == .environment(text))
    }

    @Test(arguments: ["", "abc", "-5", "0", "1.5X", "G", "1e3", "99999999999999999999T"])
    func aMalformedLimitIsNotALimit(_ text: String) {
        #expect(MemoryBudget(environmentValue: text) == nil)
        // The driver then keeps the machine's budget.
        #expect(ExecutionOptions(environment: ["SLOPE_MEMORY_LIMIT": text], console: .capture()).memory == .machine)
    }

    @Test func theMachinesBudgetIsFourFifthsOfItsPhysicalMemory() {
        let physical = MemoryBudget.physicalMemory()
        #expect(physical > 100_000_000, "any machine that runs the tests has more than 100 MB")
        #expect(MemoryBudget.machine.limit == Int(Double(physical) * 0.8))
        #expect(MemoryBudget.machine.origin == .physicalMemory(physical))
        #expect(ExecutionOptions(environment: [:], console: .capture()).memory == .machine)
        #expect(ExecutionOptions(environment: ["SLOPE_MEMORY_LIMIT": "2G"], console: .capture()).memory.limit == 2_000_000_000)
    }

    @Test(arguments: [(999, "999 bytes"), (1000, "1 kB"), (12_800_000_000, "12.8 GB"), (1_000_000_000, "1 GB"),
                      (3_200_000_000, "3.2 GB"), (25_600_640_000, "25.6 GB"), (123_456_789, "123 MB"), (999_999, "1 MB")])
    func sizesAreWrittenInDecimalUnits(_ bytes: Int, _ text: String) {
        #expect(MemoryBudget.describe(bytes) == text)
    }

    @Test func theIssuesBroadcastIsADiagnosticAtTheAddition() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "input a: [40000, 1] = 1\ninput b: [1, 40000] = 2\nprint a + b\n")
        let result = Self.run(["run", path], limit: "1G")
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        // The data (2 × 40000 doubles), the plan's arena (the leaves and the 40000 × 40000 sum,
        // each padded to 8 doubles) and the printed copy of the sum.
        #expect(result.err.hasPrefix("""
            \(path):3:7: error: not enough memory: this needs 25.6 GB, more than the limit of 1 GB; \
            'add' here makes a tensor of shape [40000, 40000] (12.8 GB)
            print a + b
                  ^~~~~
            slope: note: the limit was set by SLOPE_MEMORY_LIMIT=1G
            """), "\(result.err)")
    }

    @Test func theMachinesLimitIsNamedInTheNote() throws {
        // 40000 × 40000 × 8 bytes twice (the sum and its printed copy) is over 80 % of any
        // machine with less than 32 GB; with a limit of 1 GB given as the machine's, the note
        // says where the limit came from and how to change it.
        let budget = MemoryBudget(limit: 1_000_000_000, origin: .physicalMemory(1_250_000_000))
        let (program, _) = InProcess.lower("input a: [40000, 1] = 1\ninput b: [1, 40000] = 2\nprint a + b\n")
        let result = Result { try ProgramRunner(program: try #require(program), options: .init(execution: ExecutionOptions(memory: budget)),
                                                console: .capture()).run() }
        guard case .failure(let error as Diagnostic) = result else { Issue.record("ran: \(result)"); return }
        #expect(error.id == "run.memory-limit")
        #expect(error.notes.map(\.message) == [
            "the limit is 80% of this machine's 1.25 GB of memory; SLOPE_MEMORY_LIMIT sets another (such as SLOPE_MEMORY_LIMIT=64G)",
        ])
    }

    @Test func onlyWhatThePlanMaterialisesCounts() throws {
        // exp(a)·a + 1 for 100,000 elements is one fused loop summed as it goes: the arena holds
        // a (800 kB) and the result, so 2 MB is enough beside the data.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "input a: [100000] = 0\nprint sum(exp(a)*a + 1)\n")
        let result = Self.run(["run", path], limit: "2M")
        #expect(result.status == .success, "\(result)")
        #expect(result.out == "sum(exp(a)*a + 1) = 100000\n")
    }

    /// Each way an initial value is made is admitted before it is allocated, at its line.
    @Test(arguments: [
        ("param W: [1000, 1000] = normal(0, 1)\nprint sum(W)\n", "1:25", "'normal' here makes a tensor of shape [1000, 1000] (8 MB)"),
        ("param W: [1000, 1000] = uniform(0, 1)\nprint sum(W)\n", "1:25", "'uniform' here makes a tensor of shape [1000, 1000] (8 MB)"),
        ("param W: [1000, 1000] = 0.5\nprint sum(W)\n", "1:25", "'0.5' here makes a tensor of shape [1000, 1000] (8 MB)"),
        ("param w = linspace(0, 1, 1000000)\nprint sum(w)\n", "1:11", "'linspace' here makes a tensor of shape [1000000] (8 MB)"),
        ("w = linspace(0, 1, 1000000)\nprint sum(w)\n", "1:5", "'linspace' here makes a tensor of shape [1000000] (8 MB)"),
    ])
    func initialValuesAreAdmittedBeforeTheyAreMade(_ source: String, _ location: String, _ what: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", source)
        let result = Self.run(["run", path], limit: "1M")
        #expect(result.status == .programError)
        #expect(result.err.hasPrefix("\(path):\(location): error: not enough memory: this needs 8 MB, more than the limit of 1 MB; \(what)"),
                "\(result.err)")
    }

    @Test func aSetValueThatFillsADeclaredShapeIsAdmitted() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param W: [1000, 1000] = [[1]]\nprint sum(W)\n")
        let result = Self.run(["run", path, "--set", "W=0"], limit: "1M")
        #expect(result.status == .programError)
        #expect(result.err.contains("'--set W' here makes a tensor of shape [1000, 1000] (8 MB)"), "\(result.err)")
    }

    @Test func aCSVFileIsAdmittedBeforeItIsReadAndParsed() throws {
        let directory = try TemporaryDirectory()
        let rows = (0..<2000).map { "\($0),\($0 * 2),\($0 % 7)" }.joined(separator: "\n")
        try directory.write("data.csv", "x,y,z\n" + rows + "\n")
        let path = try directory.write("test.graph", "input D = csv(\"data.csv\")\nprint sum(D)\n")
        // The file is about 30 kB: reading it holds 60 kB, its 6000 numbers 48 kB more.
        let small = Self.run(["run", path], limit: "50k")
        #expect(small.status == .programError)
        #expect(small.err.contains("test.graph:1:15: error: not enough memory"), "\(small.err)")
        #expect(small.err.contains("the file 'data.csv' is read here"), "\(small.err)")
        let enough = Self.run(["run", path], limit: "10M")
        #expect(enough.status == .success, "\(enough)")
    }

    @Test func trainingAdmitsItsStepBesideWhatTheRunHolds() throws {
        // X is 800 kB: the data and the evaluator's plan hold it twice, the training step and the
        // full-data loss twice more. 2.5 MB admits the first two, not the training.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            input X: [1000, 100] = 0.01
            param w: [100] = 1
            L = mean((X @ w)^2)
            minimize L by gd(rate: 0.1, steps: 3)
            """)
        let result = Self.run(["run", path], limit: "2.5M")
        #expect(result.status == .programError)
        #expect(result.err.contains("\(path):1:1: error: not enough memory"), "\(result.err)")
        #expect(result.err.contains("'X' here makes a tensor of shape [1000, 100] (800 kB)"), "\(result.err)")
        #expect(Self.run(["run", path, "--quiet"], limit: "20M").status == .success)
    }

    @Test(arguments: [["grad", "--json"], ["check"], ["dot", "--values"], ["dot", "--grad", "--values"]])
    func everyCommandThatEvaluatesAdmitsItsPlan(_ command: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            input a: [3000, 1] = 1
            param b: [1, 3000] = 2
            E = sum((a + b)^2)
            """)
        // (a + b)^2 is fused into the sum, but its gradient 2(a + b) is materialised: 72 MB.
        let result = Self.run([command[0], path] + command.dropFirst(), limit: "10M")
        #expect(result.status == .programError, "\(result)")
        #expect(result.err.contains("error: not enough memory"), "\(result.err)")
        #expect(result.err.contains("tensor of shape [3000, 3000]"), "\(result.err)")
        #expect(!result.err.contains("Fatal error"))
    }
}

/// A process limit (`ulimit -v`, as slope-fuzz sets for the binaries it runs) smaller than the
/// machine's memory bounds the budget, so a 12.8 GB allocation under a 4 GB limit is a
/// diagnostic, not `Fatal error: failed to allocate` (a CI finding of slope-fuzz, seed 1).
@Test func aProcessMemoryLimitSmallerThanTheMachineBoundsTheBudget() {
    let gigabyte = 1 << 30
    let limited = MemoryBudget.choose(physical: 24 * gigabyte, processLimit: 4 * gigabyte)
    #expect(limited.limit == Int(Double(4 * gigabyte) * 0.8))
    #expect(limited.origin == .processLimit(4 * gigabyte))
    let unlimited = MemoryBudget.choose(physical: 24 * gigabyte, processLimit: nil)
    #expect(unlimited.origin == .physicalMemory(24 * gigabyte))
    let larger = MemoryBudget.choose(physical: 24 * gigabyte, processLimit: 64 * gigabyte)
    #expect(larger.origin == .physicalMemory(24 * gigabyte))
}
