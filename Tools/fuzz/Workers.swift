import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--jobs N`: one campaign in N worker processes. Worker J runs inputs start+J, start+J+N, …
/// (the inputs are independent: input I depends only on the seed and I), writes its findings
/// under DIR/job-J, and the parent joins the workers' summaries into DIR/summary.txt.
enum Workers {
    static func run(_ options: FuzzOptions, arguments: [String]) -> Int32 {
        let jobs = options.jobs
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let started = Date()
        var children: [(job: Int, pid: pid_t)] = []
        for job in 0..<jobs {
            var share: [String] = []
            if let maximum = options.maximumInputs {
                // Worker J's inputs among the campaign's first `maximum`.
                let count = maximum / jobs + (job < maximum % jobs ? 1 : 0)
                if count == 0 { continue }
                share = ["--max-inputs", String(count)]
            }
            let workerArguments = arguments + share + [
                "--jobs", "1", "--stride", String(jobs), "--start", String(options.start + job),
                "--out", outputFolder(options, job)]
            guard let pid = spawn(executable, workerArguments) else {
                FileHandle.standardError.write(Data("slope-fuzz: cannot start worker \(job)\n".utf8))
                children.forEach { kill($0.pid, SIGTERM) }
                return 2
            }
            children.append((job, pid))
        }
        var status: Int32 = 0, running = children, forwarded = false
        while !running.isEmpty {
            // A SIGINT or SIGTERM to the parent is handed on; the workers write their summaries.
            if Campaign.stopRequested != 0, !forwarded {
                forwarded = true
                running.forEach { kill($0.pid, SIGTERM) }
            }
            var waitStatus: Int32 = 0
            let pid = waitpid(-1, &waitStatus, WNOHANG)
            if pid <= 0 { usleep(200_000); continue }
            running.removeAll { $0.pid == pid }
            let code = waitStatus & 0x7f == 0 ? (waitStatus >> 8) & 0xff : 2
            status = max(status, code == 0 ? 0 : (code == 1 ? 1 : 2))
        }
        let summary = joinedSummary(options, children.map(\.job), seconds: Date().timeIntervalSince(started))
        try? Data(summary.utf8).write(to: URL(fileURLWithPath: options.output).appendingPathComponent("summary.txt"))
        FileHandle.standardError.write(Data(("\n" + summary).utf8))
        return status
    }

    static func outputFolder(_ options: FuzzOptions, _ job: Int) -> String {
        URL(fileURLWithPath: options.output).appendingPathComponent("job-\(job)").path
    }

    /// The header of every worker's summary, then each worker's findings under its folder.
    static func joinedSummary(_ options: FuzzOptions, _ jobs: [Int], seconds: Double) -> String {
        var inputs = 0, commands = 0, clean = true
        var body = ""
        for job in jobs {
            let path = URL(fileURLWithPath: outputFolder(options, job)).appendingPathComponent("summary.txt")
            guard let text = try? String(contentsOf: path, encoding: .utf8) else {
                body += "worker \(job): no summary (it did not finish)\n"
                clean = false
                continue
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if let header = lines.first {
                inputs += count(before: " inputs,", in: header)
                commands += count(before: " commands)", in: header)
            }
            body += "worker \(job) (job-\(job)/): " + lines.dropFirst().joined(separator: "\n") + (lines.count > 1 ? "" : "\n")
            if lines.count > 1, lines[1] != "no new findings" { clean = false }
        }
        let header = "slope-fuzz: seed \(options.seed), \(jobs.count) workers, \(inputs) inputs from \(options.start) "
            + "(\(commands) commands) in \(String(format: "%.1f", seconds)) s\n"
        return header + (clean ? "no new findings in any worker\n" : "") + body
    }

    /// The number just before `marker` in a worker's summary header: "(1234 inputs, 5678 commands)".
    static func count(before marker: String, in header: Substring) -> Int {
        guard let range = header.range(of: marker) else { return 0 }
        let digits = header[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed())) ?? 0
    }

    static func spawn(_ executable: String, _ arguments: [String]) -> pid_t? {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, executable, nil, nil, argv, environ)
        return result == 0 ? pid : nil
    }
}
