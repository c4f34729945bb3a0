import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fuzzing campaign: inputs 0, 1, 2, … of one seed, each run in a fresh folder under every
/// command it lists, checked by the oracles; a new finding is minimized and stored.
final class Campaign {
    let options: FuzzOptions
    let slope: String
    let corpus: Corpus
    let store: FindingStore
    let scratch: URL
    var inputs = 0
    var commands = 0
    var folderCounter = 0
    /// Multiplies the timeout while a hang is confirmed.
    var timeoutScale = 1.0
    /// Set by the SIGINT and SIGTERM handlers; the loop stops before the next input.
    nonisolated(unsafe) static var stopRequested: sig_atomic_t = 0

    /// What a child process sees besides the fuzzer's environment: crash reports that name
    /// the crashing function, without colours or prompts.
    static let environment = ["SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none"]

    init(options: FuzzOptions) throws {
        self.options = options
        let root = URL(fileURLWithPath: options.corpus)
        slope = URL(fileURLWithPath: options.slope).standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: slope) else { throw FuzzError("no executable at '\(slope)'") }
        corpus = Corpus(root: root)
        let known = try options.known.map(KnownIssues.init(contentsOf:)) ?? KnownIssues()
        store = try FindingStore(folder: URL(fileURLWithPath: options.output), known: known)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("slope-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// Runs the campaign; the exit status of `slope-fuzz`.
    func run() -> Int32 {
        let started = Date()
        var lastProgress = started
        var index = options.only ?? options.start
        while true {
            if let only = options.only, index > only { break }
            if Campaign.stopRequested != 0 { break }
            if let maximum = options.maximumInputs, inputs >= maximum { break }
            if options.only == nil, options.timeLimit > 0, Date().timeIntervalSince(started) >= options.timeLimit { break }
            let fuzzCase = Inputs.make(index, seed: options.seed, corpus: corpus)
            for (commandIndex, finding, outcome) in execute(fuzzCase) {
                if store.isNew(finding) {
                    report(finding, fuzzCase, commandIndex, outcome, index)
                } else {
                    store.count(finding)
                }
            }
            inputs += 1
            index += options.stride
            if !options.quiet, Date().timeIntervalSince(lastProgress) >= 15 {
                lastProgress = Date()
                progress(started, index)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let range = options.stride == 1 ? "inputs \(options.only ?? options.start)..<\(index)"
            : "inputs \(options.start), \(options.start + options.stride), … \(index - options.stride)"
        let header = "slope-fuzz: seed \(options.seed), \(range) "
            + "(\(inputs) inputs, \(commands) commands) in \(String(format: "%.1f", seconds)) s"
        let summary = store.writeSummary(header)
        FileHandle.standardError.write(Data(summary.utf8))
        return store.unknownCount == 0 ? 0 : 1
    }

    func progress(_ started: Date, _ index: Int) {
        let seconds = Date().timeIntervalSince(started)
        let name = options.stride == 1 ? "slope-fuzz" : "slope-fuzz worker \(options.start % options.stride)"
        let line = name + String(format: ": %.0f s, %d inputs (next %d), %d commands, %.1f inputs/s, %d findings (%d new)\n",
                          seconds, inputs, index, commands, Double(inputs) / max(seconds, 0.001), store.records.count, store.unknownCount)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Minimizes a new finding and writes it.
    func report(_ finding: Finding, _ fuzzCase: FuzzCase, _ commandIndex: Int, _ outcome: Subprocess.Outcome, _ index: Int) {
        var single = fuzzCase
        single.commands = [fuzzCase.commands[commandIndex]]
        // A hang must still be running at three times the timeout: a slow run on a busy machine is not one.
        if finding.kind == .hang {
            timeoutScale = 3
            let confirmed = execute(single).contains { $0.1.key == finding.key }
            timeoutScale = 1
            guard confirmed else { return }
        }
        var minimized = single
        var note = "not minimized"
        if let known = store.known.match(finding) {
            note = "not minimized: a known issue (\(known))"
        } else if options.minimize {
            let reproduces = { (candidate: FuzzCase) in self.execute(candidate).contains { $0.1.key == finding.key } }
            if reproduces(single) {
                let seconds = finding.kind == .hang ? options.minimizeSeconds * 2 : options.minimizeSeconds
                var minimizer = Minimizer(seconds: seconds, maximumAttempts: finding.kind == .hang ? 60 : 2000,
                                          reducesArguments: finding.kind != .wrongStatus, reproduces: reproduces)
                minimized = minimizer.minimize(single)
                note = "\(minimizer.attempts) attempts; program \(single.program.count) -> \(minimized.program.count) bytes"
            } else {
                note = "the command alone did not fail again (it may depend on timing or on the commands before it)"
            }
        }
        let final = execute(minimized).first { $0.1.key == finding.key }?.2 ?? outcome
        do {
            try store.record(finding, minimized: minimized, original: single, outcome: final, input: index,
                             seed: options.seed, minimizeNote: note)
        } catch {
            FileHandle.standardError.write(Data("slope-fuzz: cannot write a finding: \(error)\n".utf8))
        }
        if !options.quiet {
            let known = store.known.match(finding).map { " (known: \($0))" } ?? ""
            FileHandle.standardError.write(Data("slope-fuzz: input \(index): \(finding.key)\(known)\n    \(minimized.commands[0].display)\n".utf8))
        }
    }

    /// Runs every command of a case in a fresh folder: each finding with its command's index
    /// and the run that showed it.
    func execute(_ fuzzCase: FuzzCase) -> [(Int, Finding, Subprocess.Outcome)] {
        folderCounter += 1
        let folder = scratch.appendingPathComponent("case-\(folderCounter)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try fuzzCase.materialize(in: folder)
        } catch {
            FileHandle.standardError.write(Data("slope-fuzz: cannot write an input: \(error)\n".utf8))
            return []
        }
        guard FileManager.default.changeCurrentDirectoryPath(folder.path) else { return [] }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(scratch.path) }
        var results: [(Int, Finding, Subprocess.Outcome)] = []
        // The case's files as the oracles see them: after each command, what is on disk.
        var files = fuzzCase.files
        for (index, original) in fuzzCase.commands.enumerated() {
            var command = original
            SafePaths.sanitize(&command)
            let outcome = launch(command, fuzzCase)
            var findings = Oracle.check(command, outcome, files: files, smooth: fuzzCase.smooth)
            if command.roundTrip, findings.isEmpty, outcome.status == 0, !outcome.stdoutTruncated {
                let (more, printed) = roundTrip(outcome.stdout, stdin: command.stdin, fuzzCase, in: folder)
                findings += more
                if more.isEmpty, let printed, let twin = Consistency.jsonTwin(of: command) {
                    let json = launch(twin, fuzzCase)
                    if json.status == 0, let difference = Consistency.gradientDifference(json: json.stdout, printed: printed) {
                        findings.append(Finding(kind: .gradOutputDisagrees, detail: "the printed gradient differs from grad --json",
                                                explanation: difference))
                    }
                }
            }
            if command.quietTwin, findings.isEmpty, outcome.status != nil, !(command.has("--time") && command.has("--json")),
               let twin = Consistency.quietTwin(of: command, program: fuzzCase.program) {
                let other = launch(twin, fuzzCase)
                if other.status != nil, other.status != outcome.status || other.stdout != outcome.stdout {
                    findings.append(Finding(kind: .displayOptionChangesResult, detail: "--quiet",
                                            explanation: "with and without --quiet: exit \(outcome.status!) and \(other.status!), "
                                                + (other.stdout == outcome.stdout ? "the same stdout" : "different stdout")))
                }
            }
            results += findings.map { (index, $0, outcome) }
            for problem in SpecialOutputs.problems(command, fuzzCase, in: folder) {
                results.append((index, problem, outcome))
            }
            // A file a command may have written is, for the commands after it, what is on disk
            // now: a refused `-o prog.graph` leaves the (perhaps empty) program as it was.
            for option in SafePaths.outputOptions {
                guard let path = command.value(of: option) else { continue }
                let name = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
                files[name] = Self.regularFile(folder.appendingPathComponent(name))
            }
        }
        return results
    }

    /// The bytes of a regular file (not a FIFO, a folder or a device), or nil.
    static func regularFile(_ url: URL) -> [UInt8]? {
        var status = stat()
        guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return (try? Data(contentsOf: url)).map { [UInt8]($0) }
    }

    /// `slope grad`'s output must be a program `slope run` runs.
    /// Returns the findings and, when it ran cleanly, what the printed program printed.
    func roundTrip(_ gradient: [UInt8], stdin: [UInt8]?, _ fuzzCase: FuzzCase, in folder: URL) -> ([Finding], [UInt8]?) {
        let name = "grad_out.graph"
        guard (try? Data(gradient).write(to: folder.appendingPathComponent(name))) != nil else { return ([], nil) }
        var command = FuzzCommand(["run", name, "--json"])
        command.stdin = stdin  // the same data on standard input, for a csv("/dev/stdin") it declares
        let outcome = launch(command, fuzzCase)
        var files = fuzzCase.files
        files[name] = gradient
        var findings = Oracle.check(command, outcome, files: files, smooth: false).map { finding in
            var inner = finding
            inner.detail = "in the gradient program: " + inner.detail
            return inner
        }
        if let status = outcome.status, status != 0 {
            let first = Diagnostics(outcome.stderr).firstError ?? "no message"
            findings.insert(Finding(kind: .gradOutputFails, detail: Oracle.template(first),
                                    explanation: "slope run exits \(status) on the program slope grad printed: \(first.prefix(200))"),
                            at: 0)
        }
        return (findings, findings.isEmpty ? outcome.stdout : nil)
    }

    func launch(_ command: FuzzCommand, _ fuzzCase: FuzzCase) -> Subprocess.Outcome {
        commands += 1
        var environment = Self.environment
        environment.merge(command.environment) { _, new in new }
        let limits = Subprocess.Limits(timeout: options.timeout * timeoutScale, captureBytes: 8 << 20, killBytes: 256 << 20)
        return Subprocess.run(slope, command.arguments, environment: environment, stdin: command.stdin,
                              fifos: fuzzCase.fifos, limits: limits)
    }

    /// `--show`: the input's files and command lines.
    static func show(_ fuzzCase: FuzzCase) -> String {
        var text = "origin: \(fuzzCase.origin)\n"
        for (name, bytes) in fuzzCase.files.sorted(by: { $0.key < $1.key }) {
            text += "--- \(name) (\(bytes.count) bytes)\n" + String(decoding: bytes.prefix(4000), as: UTF8.self)
            if bytes.count > 4000 { text += "\n[…]" }
            if bytes.last != 10 { text += "\n" }
        }
        for name in fuzzCase.fifos { text += "--- \(name) (a FIFO)\n" }
        for (link, target) in fuzzCase.links.sorted(by: { $0.key < $1.key }) { text += "--- \(link) -> \(target)\n" }
        for command in fuzzCase.commands {
            text += "$ " + command.display + (command.stdin == nil ? "" : " < stdin") + (command.roundTrip ? "   (and its output run)" : "") + "\n"
        }
        return text
    }
}

extension Campaign {
    func cleanUp() { try? FileManager.default.removeItem(at: scratch) }
}

/// The limits set on the fuzzer itself, which every child inherits.
enum ResourceLimits {
    static func apply(memoryMegabytes: Int) {
        set(RLIMIT_CORE, 0)
        set(RLIMIT_AS, rlim_t(memoryMegabytes) << 20)
        set(RLIMIT_FSIZE, 512 << 20)
    }

    /// Lowers the soft limit only, so nothing is given up for good.
    static func set(_ resource: __rlimit_resource, _ value: rlim_t) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = min(value, limit.rlim_max)
        _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
    }
}
