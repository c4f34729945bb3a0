import Foundation

/// Graphviz's `dot`, run by `slope report` to turn a `slope dot` picture into SVG. Slope never
/// needs Graphviz: without it the report says how to get the picture. `dot` is looked up on the
/// PATH the driver was given (so a test can hide it), run with `-Tsvg` on the DOT text, and
/// stopped when it has not finished after `timeout` seconds (SIGTERM, then SIGKILL a second
/// later): a picture is not worth a hung report.
///
/// The DOT text reaches `dot` through an unlinked temporary file as its standard input, not a
/// pipe, so nothing waits on a full pipe and a `dot` that dies early cannot raise SIGPIPE in the
/// writer. Its standard output and error are read to their ends on their own threads.
public struct GraphvizRenderer: Sendable {
    /// The `dot` executable.
    public let executable: String
    public var timeout: Double
    let environment: [String: String]

    public static let defaultTimeout = 20.0

    /// `dot` on `environment["PATH"]`, or nil when it is not there.
    public init?(environment: [String: String], timeout: Double = GraphvizRenderer.defaultTimeout) {
        guard let found = ExecutableSearch.find(["dot"], environment: environment) else { return nil }
        self.executable = found
        self.timeout = timeout
        self.environment = environment
    }

    /// Why there is no picture.
    public enum Failure: Error, Sendable, Equatable {
        /// `dot` could not be started, or the input not handed to it.
        case cannotRun(String)
        /// `dot` exited with a status other than 0; its first line on stderr.
        case failed(status: Int32, message: String)
        /// `dot` did not finish within `timeout` seconds.
        case timedOut(Double)
    }

    /// The SVG document `dot -Tsvg` writes for `source`.
    public func svg(_ source: String) -> Result<String, Failure> {
        guard let input = Self.unlinkedFile(holding: Array(source.utf8)) else {
            return .failure(.cannotRun("cannot make a temporary file for the picture: \(String(cString: strerror(errno)))"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-Tsvg"]
        process.environment = environment
        process.standardInput = input
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch {
            return .failure(.cannotRun("cannot run '\(executable)': \(error.localizedDescription)"))
        }
        try? input.close()
        let out = Drain(output.fileHandleForReading), err = Drain(errors.fileHandleForReading)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 1) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            _ = out.bytes()
            _ = err.bytes()
            return .failure(.timedOut(timeout))
        }
        let svg = String(decoding: out.bytes(), as: UTF8.self)
        let message = String(decoding: err.bytes(), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let first = message.split(separator: "\n").first.map(String.init) ?? ""
            return .failure(.failed(status: process.terminationStatus, message: first))
        }
        return .success(svg)
    }

    /// A temporary file holding `bytes`, already unlinked, open for reading from its start.
    static func unlinkedFile(holding bytes: [UInt8]) -> FileHandle? {
        var template = Array((NSTemporaryDirectory() + "/slope-picture-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        // Close-on-exec, so other children do not inherit it; `dot` gets it as its standard input.
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        guard OutputFile.writeAll(bytes, to: descriptor) == nil, lseek(descriptor, 0, SEEK_SET) == 0 else {
            close(descriptor)
            return nil
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// What one pipe delivers, read to its end on a thread of its own.
    final class Drain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        /// Waits for the end of the stream.
        func bytes() -> Data {
            done.wait()
            return data
        }
    }
}
