import Foundation
import Testing
import SlopeTestSupport

/// What the built binary does with its output: a standard output it cannot write is an error,
/// a signal removes the temporary files of --log and --save, and `/dev/stdout` as an output
/// file shares standard output. (Issue 12, "Lost or damaged data".)
@Suite struct OutputCLITests {
    /// Starts `slope ARGUMENTS...` in `folder` with standard output going to `out` (a pipe
    /// when nil) and standard error to a pipe.
    static func start(_ arguments: [String], in folder: URL, out: FileHandle? = nil) throws -> (Process, Pipe?, Pipe) {
        let process = Process()
        process.executableURL = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let outPipe = out == nil ? Pipe() : nil
        let err = Pipe()
        process.standardOutput = out ?? outPipe
        process.standardError = err
        try process.run()
        return (process, outPipe, err)
    }

    static func run(_ arguments: [String], in folder: URL, out: FileHandle? = nil) throws -> (status: Int32, out: String, err: String) {
        let (process, outPipe, err) = try start(arguments, in: folder, out: out)
        let outData = outPipe?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    static let program = "param m = 0\nE = (m - 3)^2\nminimize E by gd(rate: 0.25, steps: 2)\n"

    @Test func gradIntoAFullDiskExitsWithOneAndSaysSo() throws {
        // Issue 12: `slope grad f.graph > g.graph` on a full disk exited 0 with an empty file.
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", Self.program)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "no /dev/full on this system")
        let result = try Self.run(["grad", "f.graph"], in: directory.url, out: full)
        #expect(result.status == 1)
        #expect(result.err == "slope: differentiating E (the target of the last minimize statement; choose another with --of)\n"
                              + "slope: error: cannot write to standard output: No space left on device\n")
    }

    @Test func saveToStandardOutputComesBetweenTheCommandsOwnLines() throws {
        // Standard output redirected to a file: the params are written through it, in order,
        // not over the lines around them.
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", Self.program)
        let outPath = try directory.write("out.txt", "")
        let out = try #require(FileHandle(forWritingAtPath: outPath))
        let result = try Self.run(["run", "f.graph", "--quiet", "--save", "/dev/stdout"], in: directory.url, out: out)
        try out.close()
        #expect(result.status == 0, "\(result.err)")
        // m ← m − 0.25 · 2(m − 3) halves the distance to 3: 1.5, 2.25; E = 9 → 0.5625.
        #expect(try String(contentsOfFile: outPath, encoding: .utf8) == """
            minimize E by gd: 2 steps, loss 9 -> 0.5625
            {
              "m": 2.25
            }
            params:
              m = 2.25

            """)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalRemovesTheTemporaryFilesAndEndsWithThatSignal(_ signal: Int32) throws {
        // Issue 12: "a kill leaves hidden .tmp files behind".
        let directory = try TemporaryDirectory()
        try directory.write("long.graph", "param m = 0\nE = (m - 3)^2\nminimize E by gd(rate: 0.0000001, steps: 1000000000)\n")
        let old = try directory.write("params.json", "old params")
        let (process, out, err) = try Self.start(["run", "long.graph", "--quiet", "--log", "log.csv", "--save", "params.json"],
                                                 in: directory.url)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? []).sorted() }
        var deadline = Date().addingTimeInterval(30)
        while names().filter({ $0.hasSuffix(".tmp") }).count < 2 && process.isRunning && Date() < deadline { usleep(10_000) }
        try #require(names().filter { $0.hasSuffix(".tmp") }.count == 2, "the run did not start writing: \(names())")
        kill(process.processIdentifier, signal)
        deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        try #require(!process.isRunning, "signal \(signal) did not stop the run")
        _ = out?.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        #expect(names() == ["long.graph", "params.json"], "no temporary file and no log left")
        #expect(try String(contentsOfFile: old, encoding: .utf8) == "old params")
    }
}
