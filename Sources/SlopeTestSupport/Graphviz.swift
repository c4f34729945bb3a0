import Foundation
import SlopeCore

/// Graphviz's `dot`, for tests that check that pictures render without an error or a warning.
/// Tests that need it are skipped, with a message saying how to install it, when it is missing.
public enum Graphviz {
    /// The `dot` executable found on PATH, or nil.
    public static let executable = ExecutableSearch.find(["dot"])

    public static var isInstalled: Bool { executable != nil }

    /// Why rendering tests were skipped.
    public static let missingMessage = "Graphviz's 'dot' is not on PATH (apt-get install graphviz); DOT rendering tests skipped"

    /// A folder holding an executable `dot` script with `body`, to put alone on a PATH. A shell
    /// writes it: a script this process wrote itself could still be open for writing in a child
    /// another test is forking at that moment, and executing it would then fail with ETXTBSY.
    public static func standIn(_ body: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "printf '%s\\n' \"$1\" > \"$2\" && chmod 755 \"$2\"", "sh",
                            "#!/bin/sh\n" + body, directory.path("dot")]
        try writer.run()
        writer.waitUntilExit()
        guard writer.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return directory
    }

    /// What one run of `dot` did.
    public struct Rendering: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: String
        /// Exit status 0 and nothing at all on stderr: no error and no warning.
        public var isClean: Bool { status == 0 && errors.isEmpty }
    }

    /// Runs `dot -T<format>` on `source`, through temporary files (so no pipe can fill up).
    public static func render(_ source: String, format: String = "svg") throws -> Rendering {
        guard let executable else { throw CocoaError(.fileNoSuchFile) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slope-dot-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("picture.dot")
        let output = directory.appendingPathComponent("picture.out")
        let errors = directory.appendingPathComponent("errors.txt")
        try Data(source.utf8).write(to: input)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-T" + format, input.path, "-o", output.path]
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Rendering(status: process.terminationStatus,
                         output: (try? Data(contentsOf: output)) ?? Data(),
                         errors: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }
}
