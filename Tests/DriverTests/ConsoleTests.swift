import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A failed write to standard output is an error (issue 12: `slope grad f.graph > g.graph` on a
/// full disk exited 0 and left an empty file). `/dev/full` fails every write with ENOSPC.
@Suite struct ConsoleTests {
    /// Runs `slope ARGUMENTS...` in-process with standard output going to `/dev/full`.
    static func runIntoAFullDisk(_ arguments: [String]) throws -> (status: SlopeCore.ExitStatus, err: String) {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0, "no /dev/full on this system")
        defer { close(full) }
        let console = Console.capture(outputTo: full)
        let status = Driver.main(arguments, console: console)
        return (status, console.capturedErr)
    }

    static let program = "param m = 1\nE = (m - 3)^2\nminimize E by gd(rate: 0.25, steps: 2)\n"

    @Test(arguments: [["grad"], ["ir"], ["dot"], ["run"], ["run", "--json"], ["check"]])
    func everyCommandReportsAStandardOutputItCannotWrite(_ command: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("f.graph", Self.program)
        let result = try Self.runIntoAFullDisk(command + [path])
        #expect(result.status == .programError)
        #expect(result.err.hasSuffix("slope: error: cannot write to standard output: No space left on device\n"), "\(result.err)")
    }

    @Test func helpIntoAFullDiskIsAnErrorToo() throws {
        let result = try Self.runIntoAFullDisk(["--help"])
        #expect(result.status == .programError)
        #expect(result.err == "slope: error: cannot write to standard output: No space left on device\n")
    }

    @Test func aFailedRunReportsBothItsFailureAndTheOutput() throws {
        // The print before the training cannot be written, and the training diverges.
        let directory = try TemporaryDirectory()
        let path = try directory.write("f.graph", "param x = 2\nprint x\nf = x^4\nminimize f by gd(rate: 1, steps: 100)\n")
        let result = try Self.runIntoAFullDisk(["run", "--quiet", path])
        #expect(result.status == .programError)
        #expect(result.err.contains("error: training stopped at step 5"), "\(result.err)")
        #expect(result.err.hasSuffix("slope: error: cannot write to standard output: No space left on device\n"))
    }

    @Test func outputIsWrittenOnlyUntilTheFirstFailure() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0)
        defer { close(full) }
        let console = Console.capture(outputTo: full)
        console.out("a")
        #expect(console.outputError == ENOSPC)
        console.out("b")
        #expect(console.outputError == ENOSPC)
        console.err("still captured\n")
        #expect(console.capturedErr == "still captured\n")
    }

    @Test func aCapturingConsoleNeverFails() {
        let console = Console.capture()
        console.out("x")
        #expect(console.outputError == nil && console.capturedOut == "x")
    }
}
