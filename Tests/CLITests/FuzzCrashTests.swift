import Foundation
import Testing
import SlopeTestSupport

// Regression cases from slope-fuzz (Tools/fuzz) that crash or blow up: in-process they would
// take the test runner down, so they run the built binary, with the limits the fuzzer sets (an
// address space of 4 GB, a timeout). Inputs are under Tests/Cases/fuzz/.

/// `slope ARGUMENTS` under `ulimit -v`, killed after `timeout` seconds.
private func limitedSlope(_ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, signaled: Bool, err: String) {
    let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -v 4194304; exec \"$0\" \"$@\"", executable.path] + arguments
    // Standard error goes to a file, so nothing has to read it while the process runs.
    let directory = try TemporaryDirectory()
    let errPath = try directory.write("stderr.txt", "")
    let err = try #require(FileHandle(forWritingAtPath: errPath))
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    try err.close()
    let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal, text)
}

@Test func aBroadcastTooLargeForMemoryIsADiagnosticNotATrap() throws {
    let path = PackagePaths.cases.appendingPathComponent("fuzz/huge_broadcast.graph").path
    let result = try limitedSlope(["run", path])
    // Fixed on main (was: an allocation larger than memory is 'Fatal error: failed to allocate', not a diagnostic).
    let firstLine = String(result.err.prefix { $0 != "\n" })
    let located = result.err.contains(path + ":5:")
    #expect(!result.signaled, "\(firstLine)")
    #expect(result.status == 1, "\(firstLine)")
    #expect(located, "\(firstLine)")
}

@Test func sgdOnATargetWithAnInputOutsideTheGradientTrains() throws {
    let path = PackagePaths.cases.appendingPathComponent("fuzz/sgd_unused_input.graph").path
    let result = try limitedSlope(["run", path, "--quiet"])
    // Fixed on main (was: sgd's batch gather reads an input the step graph removed: a force unwrap traps (SIGILL)).
    let firstLine = String(result.err.prefix { $0 != "\n" })
    #expect(!result.signaled, "\(firstLine)")
    #expect(result.status == 0, "\(firstLine)")
}
