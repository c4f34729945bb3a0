import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// `slope lsp` as an editor runs it: a subprocess spoken to through pipes, each answer read
/// before the next message is sent (so the server answers as messages come, not at the end of
/// its input).
@Suite struct LspBinaryTests {
    /// Reads from `handle` until one whole framed message has arrived; returns its body.
    static func readMessage(_ handle: FileHandle, buffer: inout Data) -> String? {
        while true {
            if let (body, used) = LspSessionFraming.complete(buffer) {
                buffer.removeFirst(used)
                return body
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    @Test func theBinaryAnswersInitializeAndShutdownAndExitsWithZero() throws {
        let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["lsp", "--stdio"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A server that stops answering must not hang the suite.
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }

        var buffer = Data()
        input.fileHandleForWriting.write(Data(LspSession.framed([LspSession.initialize])))
        let initialized = try #require(Self.readMessage(output.fileHandleForReading, buffer: &buffer))
        #expect(initialized.hasPrefix(#"{"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "#), "\(initialized)")

        // The server's standard input is this pipe: `csv("/dev/stdin")` must not read it.
        let text = "input x = csv(\"/dev/stdin\", \"a\")\ny = w @ [1, 2]\n"
        input.fileHandleForWriting.write(Data(LspSession.framed([LspSession.initialized, LspSession.open(text)])))
        let published = try #require(Self.readMessage(output.fileHandleForReading, buffer: &buffer))
        #expect(published.contains(#""code": "input.csv-not-a-regular-file""#), "\(published)")
        #expect(published.contains(#""code": "semantic.undefined-name""#), "\(published)")

        input.fileHandleForWriting.write(Data(LspSession.framed([LspSession.shutdown(id: 2)])))
        #expect(Self.readMessage(output.fileHandleForReading, buffer: &buffer) == #"{"jsonrpc": "2.0", "id": 2, "result": null}"#)

        input.fileHandleForWriting.write(Data(LspSession.framed([LspSession.exit])))
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let log = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(buffer.isEmpty && rest.isEmpty, "nothing but the answers on standard output")
        #expect(log.isEmpty, "\(String(decoding: log, as: UTF8.self))")
    }

    @Test func theBinaryExitsWithOneWhenItsInputEndsWithoutShutdown() throws {
        let executable = try #require(PackagePaths.slopeExecutable(), "the slope executable has not been built")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["lsp"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(LspSession.framed([LspSession.initialize])))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(LspSession.bodies(of: String(decoding: out, as: UTF8.self)).count == 1)
    }
}

/// The first whole framed message in `data`, and the bytes it takes.
enum LspSessionFraming {
    static func complete(_ data: Data) -> (String, Int)? {
        let bytes = [UInt8](data)
        guard let headerEnd = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == [13, 10, 13, 10] }) else {
            return nil
        }
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        guard header.hasPrefix("Content-Length: "), let length = Int(header.dropFirst("Content-Length: ".count)),
              bytes.count >= headerEnd + 4 + length else { return nil }
        return (String(decoding: bytes[(headerEnd + 4)..<(headerEnd + 4 + length)], as: UTF8.self), headerEnd + 4 + length)
    }
}
