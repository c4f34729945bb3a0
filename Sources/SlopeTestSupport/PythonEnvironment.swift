import Foundation

/// The pinned Python environment of the export tests (`Tools/export/requirements.txt`), which
/// `.ci/run` creates at `.build/pyenv`. Slope never needs it: only the tests that run exported
/// models and modules with ONNX Runtime and JAX do. Without it they are skipped with a message,
/// except under CI (`CI=true`), where its absence is a failure (`PythonEnvironmentTests`).
public enum PythonEnvironment {
    public static let python = PackagePaths.root.appendingPathComponent(".build/pyenv/bin/python")
    public static let tools = PackagePaths.root.appendingPathComponent("Tools/export")

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// CI must run the export tests, never skip them.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static let skipMessage = "needs the Python environment at .build/pyenv: run bash .ci/run, or "
        + "python3 -m venv .build/pyenv && .build/pyenv/bin/pip install -r Tools/export/requirements.txt"

    public struct Result: Sendable, CustomStringConvertible {
        public let status: Int32
        public let out: String
        public let err: String
        public var description: String { "exit \(status)\n--- stdout\n\(out)--- stderr\n\(err)" }
    }

    /// Runs the environment's python with `arguments` (output through files, so a chatty
    /// child never blocks on a full pipe).
    public static func run(_ arguments: [String], environment extra: [String: String] = [:],
                           in directory: URL? = nil) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slope-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      out: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      err: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// A fresh folder for one test's files.
    public static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slope-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
