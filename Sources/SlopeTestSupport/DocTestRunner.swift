import Foundation

/// Runs the command transcripts of README.md and docs/ (`DocTranscript`) and compares what each
/// command prints with what the page shows (`OutputPattern`): Slope's doc tests.
///
/// Each command runs as the reader would type it at the repository root: through `/bin/sh`, so
/// a pipe (`| tail -3`) or a redirection works, with the built `slope` first on `PATH`, and
/// standard output and standard error written to one file, interleaved as a terminal shows
/// them. The folder it runs in is a scratch copy of the root made of links to the root's
/// entries: a program's path (`Graphs/sauna.graph`) reads the real file, while a file the
/// command writes by a bare name (`--save trained.json`, `--plot sauna.svg`) lands in the
/// scratch folder and is gone afterwards. The commands of one page run in order in the same
/// folder, so a later command can read what an earlier one wrote.
///
/// With `SLOPE_UPDATE_GOLDEN=1` every output that does not match is replaced in the page by
/// what the command printed, and the check fails anyway, so the new text is reviewed as a diff.
public enum DocTestRunner {
    /// A mismatch, a refused block or a command that could not run, at a line of a page.
    public struct Failure: Sendable, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let message: String
        public var description: String { "\(path):\(line): \(message)" }
    }

    /// The pages the doc tests read, relative to the package root: README.md and every `.md`
    /// file under docs/, sorted.
    public static func pages(root: URL = PackagePaths.root) -> [String] {
        var result = ["README.md"]
        let docs = root.appendingPathComponent("docs")
        if let walker = FileManager.default.enumerator(atPath: docs.path) {
            for case let relative as String in walker where relative.hasSuffix(".md") {
                result.append("docs/" + relative)
            }
        }
        return result.sorted()
    }

    /// The `slope` the commands run: `$SLOPE_BINARY`, else the one built beside the tests.
    public static var binary: URL? {
        if let path = ProcessInfo.processInfo.environment["SLOPE_BINARY"] { return URL(fileURLWithPath: path) }
        return PackagePaths.slopeExecutable()
    }

    /// How long one documented command may take before it is stopped and reported.
    public static let timeout: TimeInterval = 300

    /// Checks the page `path` (relative to `root`, or the file `file` shown as `path`) and
    /// returns what failed, in page order. With `update`, rewrites the outputs that differ.
    public static func check(page path: String, file: URL? = nil, root: URL = PackagePaths.root,
                             binary: URL, update: Bool = Golden.isUpdating) -> [Failure] {
        let url = file ?? root.appendingPathComponent(path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return [Failure(path: path, line: 1, message: "cannot read the page")]
        }
        let transcript = DocTranscript(path: path, text: text)
        var failures = transcript.problems.map { Failure(path: path, line: $0.line, message: $0.message) }
        guard !transcript.commands.isEmpty else { return failures }
        let workspace: Workspace
        do { workspace = try Workspace(root: root, binary: binary) } catch {
            return failures + [Failure(path: path, line: transcript.commands[0].line,
                                       message: "cannot make a scratch folder: \(error)")]
        }
        var replacements: [Int: [String]] = [:]
        for command in transcript.commands {
            let output: String
            do { output = try workspace.run(command.text) } catch {
                failures.append(Failure(path: path, line: command.line, message: "\(error)"))
                continue
            }
            let pattern = OutputPattern(command.expected)
            guard !pattern.matches(output) else { continue }
            failures.append(Failure(path: path, line: command.line, message: """
                '\(command.text)' printed something else (- shown on the page, + printed):
                \(pattern.diff(against: output))
                """))
            // The new output keeps the blank lines that separated it from the next command.
            let blanks = command.expected.count - OutputPattern.trimmingTrailingBlanks(command.expected).count
            replacements[command.line] = OutputPattern.trimmingTrailingBlanks(OutputPattern.lines(of: output))
                + Array(repeating: "", count: blanks)
        }
        if update && !replacements.isEmpty {
            do {
                try Data(transcript.rewritten(replacements).utf8).write(to: url, options: .atomic)
                failures.append(Failure(path: path, line: 1, message: """
                    rewrote \(replacements.count) output(s); review the diff (restore any '...' or '[..]' \
                    the new text lost) and run again without SLOPE_UPDATE_GOLDEN
                    """))
            } catch {
                failures.append(Failure(path: path, line: 1, message: "cannot rewrite the page: \(error)"))
            }
        }
        return failures
    }

    /// A scratch folder standing in for the package root, and a `bin` folder holding `slope`.
    final class Workspace {
        let base: URL
        let folder: URL
        let bin: URL

        init(root: URL, binary: URL) throws {
            let files = FileManager.default
            base = files.temporaryDirectory.appendingPathComponent("slope-doc-\(UUID().uuidString)")
            folder = base.appendingPathComponent("root")
            bin = base.appendingPathComponent("bin")
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
            try files.createDirectory(at: bin, withIntermediateDirectories: true)
            try files.createSymbolicLink(at: bin.appendingPathComponent("slope"), withDestinationURL: binary)
            for name in try files.contentsOfDirectory(atPath: root.path) {
                try files.createSymbolicLink(at: folder.appendingPathComponent(name),
                                             withDestinationURL: root.appendingPathComponent(name))
            }
        }

        deinit { try? FileManager.default.removeItem(at: base) }

        /// Runs `command` through the shell and returns everything it wrote to either stream.
        func run(_ command: String) throws -> String {
            let outputFile = base.appendingPathComponent("output")
            try Data().write(to: outputFile)
            let output = try FileHandle(forWritingTo: outputFile)
            defer { try? output.close() }
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLOPE_") }
            environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = folder
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
            if finished.wait(timeout: .now() + DocTestRunner.timeout) == .timedOut {
                process.terminate()
                finished.wait()
                throw DocTestError("'\(command)' did not finish within \(Int(DocTestRunner.timeout)) seconds")
            }
            return String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        }
    }
}

/// Why a documented command could not be checked.
struct DocTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
