import Foundation
import Testing
import SlopeTestSupport

/// Runs the built `slope` executable and collects its exit status and both streams.
private func slope(_ arguments: [String], in folder: URL = PackagePaths.root) throws -> (status: Int32, out: String, err: String) {
    let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting, so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Test func theBinaryRunsAnExampleAndExitsWithZero() throws {
    let result = try slope(["run", "Graphs/partials.graph"])
    // f = 3 x^2 y^3 at (1, 2): f = 24, df/dx = 6 x y^3 = 48, df/dy = 9 x^2 y^2 = 36.
    #expect(result.status == 0)
    #expect(result.out == "f = 24\ngrad(f, x) = 48\ngrad(f, y) = 36\n")
    #expect(result.err.isEmpty)
}

@Test func theBinaryPrintsJSON() throws {
    let result = try slope(["run", "Graphs/paraboloid.graph", "--json"])
    #expect(result.status == 0)
    #expect(result.out == """
        {"prints": [{"expr": "f", "value": 13.0}, {"expr": "grad(f, x)", "value": 4.0}, \
        {"expr": "grad(f, y)", "value": 6.0}], "params": {"x": 2.0, "y": 3.0}, "train": []}

        """)
    #expect(result.err.isEmpty)
}

@Test func theBinaryReportsAWrongProgramOnStderrAndExitsWithOne() throws {
    let directory = try TemporaryDirectory()
    try directory.write("bad.graph", "param w = 1\ny = w @ [1, 2]\n")
    let result = try slope(["run", "bad.graph"], in: directory.url)
    #expect(result.status == 1)
    #expect(result.out.isEmpty)
    #expect(result.err == """
        bad.graph:2:7: error: '@' multiplies vectors and matrices, not shapes [] and [2]; use '*' for a scalar factor
        y = w @ [1, 2]
              ^

        """)
}

@Test func theBinaryRejectsAnUnknownOptionWithUsageAndExitsWithTwo() throws {
    let result = try slope(["run", "Graphs/partials.graph", "--fast"])
    #expect(result.status == 2)
    #expect(result.out.isEmpty)
    #expect(result.err.hasPrefix("slope: error: unknown option '--fast' for 'run'\n\nusage: slope run FILE.graph [options]\n"))
}

@Test func theBinaryPrintsHelpOnStdoutAndExitsWithZero() throws {
    let result = try slope(["--help"])
    #expect(result.status == 0)
    #expect(result.out.hasPrefix("slope: a computation-graph compiler"))
    #expect(result.out.contains("exit status: 0 success, 1 the program is wrong, 2 the command line is wrong."))
    #expect(result.err.isEmpty)
}

@Test func theBinarySurvivesBinaryGarbage() throws {
    let directory = try TemporaryDirectory()
    try directory.write("garbage.graph", Data(ProgramGenerator.garbage(4096, seed: 99)))
    let result = try slope(["run", "garbage.graph"], in: directory.url)
    // A diagnostic, not a signal: a crash would show as a status above 128 or a trap.
    #expect(result.status == 1)
    #expect(result.err.hasPrefix("garbage.graph:"))
}

@Test func theBinaryPrintsATangentPlane() throws {
    // x² + y² at (2, 3): 13 + 4(x − 2) + 6(y − 3).
    let result = try slope(["tangent", "Graphs/paraboloid.graph", "--at", "x=2,y=3"])
    #expect(result.status == 0)
    #expect(result.out.contains("\nf_tangent = 13 + 4*(x - 2) + 6*(y - 3)\nprint f_tangent\n"), "\(result.out)")
    #expect(result.err == "slope: differentiating f (the last value the program defines; choose another with --of)\n")
}

@Test func theBinaryFindsTheSaunasCriticalPointsAndRejectsAMissingRange() throws {
    let result = try slope(["critical", "Graphs/sauna.graph", "--in", "x=1:7,y=1:7", "--json"])
    #expect(result.status == 0)
    #expect(result.out.contains(#""kind": "minimum""#) && result.out.contains(#""kind": "saddle""#), "\(result.out)")
    let missing = try slope(["critical", "Graphs/sauna.graph", "--in", "x=1:7"])
    #expect(missing.status == 2)
    #expect(missing.out.isEmpty)
    #expect(missing.err.hasPrefix("slope: error: --in gives no range for 'y'; 'T' depends on it\n"), "\(missing.err)")
}

@Test func aFileThatSeveralCSVCallsNameIsReadOnce() throws {
    // Standard input can be read only once: a second read of it would find it empty.
    let directory = try TemporaryDirectory()
    try directory.write("two.graph", "input a = csv(\"/dev/stdin\", \"a\")\ninput b = csv(\"/dev/stdin\", \"b\")\nprint sum(a) + sum(b)\n")
    let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
    let process = Process()
    process.executableURL = executable
    process.arguments = ["run", "two.graph"]
    process.currentDirectoryURL = directory.url
    let input = Pipe(), out = Pipe(), err = Pipe()
    process.standardInput = input
    process.standardOutput = out
    process.standardError = err
    try process.run()
    input.fileHandleForWriting.write(Data("a,b\n1,2\n3,4\n".utf8))
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    // (1 + 3) + (2 + 4)
    #expect(String(decoding: errData, as: UTF8.self) == "")
    #expect(String(decoding: outData, as: UTF8.self) == "sum(a) + sum(b) = 10\n")
    #expect(process.terminationStatus == 0)
}

@Test func aLongProgramCompiledWhileTheHeapIsFollowedGivesWhatTheInProcessRunGives() throws {
    // Past `HeapFollower.smallestSource` (256 KB), the executable compiles with a thread that
    // populates the heap ahead of the compiler: it must change no value. The tests run Slope
    // in-process without it.
    let lines = 10_000
    var source = "# " + String(repeating: "a long program ", count: 4_000) + "\nparam x = 0.5\nt0 = x\n"
    for k in 1...lines { source += "t\(k) = sin(t\(k - 1)) + x\n" }
    source += "print t\(lines), grad(t\(lines), x)\n"
    #expect(source.utf8.count >= 256 << 10)
    let directory = try TemporaryDirectory()
    try directory.write("chain.graph", source)
    let binary = try slope(["run", "chain.graph"], in: directory.url)
    let inProcess = InProcess.run(["run", directory.url.appendingPathComponent("chain.graph").path])
    #expect(binary.status == 0)
    #expect(binary.err.isEmpty)
    #expect(binary.out == inProcess.out)
    // t = sin(t) + x converges to the fixed point t* = sin(t*) + 1/2, and dt/dx to 1/(1 − cos t*).
    var t = 0.5
    for _ in 0..<200 { t = sin(t) + 0.5 }
    let printed = binary.out.split(separator: "\n").compactMap { $0.split(separator: " = ").last.flatMap { Double($0) } }
    #expect(printed.count == 2)
    #expect(printed.count == 2 && abs(printed[0] - t) <= 1e-12 && abs(printed[1] - 1 / (1 - cos(t))) <= 1e-12)
}
