import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A way one command broke the contract (`../shared/CONTRACT.md`): its kind, a detail that
/// tells failures of one kind apart (the crash site, the message with its specifics removed),
/// and an explanation for the report.
struct Finding: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case crash, hang
        case outputBlowup = "output-blowup", fileSizeLimit = "file-size-limit"
        case badStatus = "bad-status", wrongStatus = "wrong-status", silentFailure = "silent-failure"
        case errorButSuccess = "error-but-success", unlocatedDiagnostic = "unlocated-diagnostic"
        case badExcerpt = "bad-excerpt", badJSON = "bad-json", badDOT = "bad-dot", forbiddenText = "forbidden-text"
        case gradOutputFails = "grad-output-fails", gradOutputDisagrees = "grad-output-disagrees"
        case checkDisagrees = "check-disagrees", displayOptionChangesResult = "display-option-changes-result"
        case specialFileReplaced = "special-file-replaced"
    }

    var kind: Kind
    var detail: String
    var explanation: String

    /// What makes two findings the same failure.
    var key: String { "\(kind.rawValue): \(detail)".split(whereSeparator: \.isNewline).joined(separator: " ") }
}

/// The oracles: everything the fuzzer can tell about one run without knowing the right answer.
enum Oracle {
    /// Whether a program among the files asks for a million training steps or more (a mutation
    /// that repeats a digit of `steps: 1000`): running that long is doing what was asked.
    static func asksForLongTraining(_ files: [String: [UInt8]]) -> Bool {
        files.contains { name, bytes in
            guard name.hasSuffix(".graph") else { return false }
            let text = String(decoding: bytes, as: UTF8.self)
            var rest = text[...]
            while let found = rest.range(of: "steps") {
                rest = rest[found.upperBound...]
                let afterColon = rest.drop { $0 == " " || $0 == "\t" }
                guard afterColon.first == ":" else { continue }
                let digits = afterColon.dropFirst().drop { $0 == " " || $0 == "\t" }.prefix { $0.isASCII && $0.isNumber }
                if digits.count >= 7 { return true }
            }
            return false
        }
    }

    static func check(_ command: FuzzCommand, _ outcome: Subprocess.Outcome, files: [String: [UInt8]], smooth: Bool) -> [Finding] {
        // What the command read on standard input is the file `/dev/stdin` its diagnostics name.
        var files = files
        files["/dev/stdin"] = command.stdin ?? []
        let name = command.command
        switch outcome.termination {
        case .signaled(let signal) where signal == SIGXFSZ:
            return [Finding(kind: .fileSizeLimit, detail: "\(name) \(optionSummary(command))",
                            explanation: "killed by SIGXFSZ: a file it wrote passed the fuzzer's file-size limit")]
        case .signaled(let signal):
            let site = crashSite(outcome.stderr)
            return [Finding(kind: .crash, detail: "\(Subprocess.signalName(signal)) \(site)",
                            explanation: "terminated by \(Subprocess.signalName(signal)) (\(site))")]
        case .timedOut where asksForLongTraining(files):
            // Millions of training steps take as long as they take: not a hang.
            return []
        case .timedOut:
            return [Finding(kind: .hang, detail: "\(name) \(optionSummary(command))",
                            explanation: "still running after \(String(format: "%.0f", outcome.seconds)) s; the process group was killed")]
        case .outputLimit:
            return [Finding(kind: .outputBlowup, detail: "\(name) \(optionSummary(command))",
                            explanation: "wrote more than the output limit (\(outcome.stdoutCount) bytes on stdout, \(outcome.stderrCount) on stderr)")]
        case .exited(let status) where !(0...2).contains(status):
            return [Finding(kind: .badStatus, detail: "status \(status)", explanation: "exit status \(status), outside 0, 1, 2")]
        case .exited:
            break
        case .notStarted:
            return []
        }
        let status = outcome.status!
        var findings: [Finding] = []
        if let expected = command.expected, !expected.contains(status) {
            findings.append(Finding(kind: .wrongStatus, detail: "\(template(command.note)): \(status)",
                                    explanation: "exit status \(status) for \(command.note); expected \(expected.sorted())"))
        }
        let report = Diagnostics(outcome.stderr)
        let hasError = report.errors > 0 || report.usage
        if status != 0 && !hasError {
            findings.append(Finding(kind: .silentFailure, detail: "\(name) status \(status)",
                                    explanation: "exit status \(status) without an error on stderr"))
        }
        if status == 0 && report.errors > 0 {
            findings.append(Finding(kind: .errorButSuccess, detail: "\(name): \(template(report.firstError ?? ""))",
                                    explanation: "exit status 0 after printing an error"))
        }
        for text in command.forbidden where String(decoding: outcome.stderr, as: UTF8.self).contains(text) {
            findings.append(Finding(kind: .forbiddenText, detail: text, explanation: "stderr says \(text)"))
        }
        var empty = Set(files.filter { $0.value.isEmpty || $0.value == [0xEF, 0xBB, 0xBF] }.keys)
        for (index, word) in command.words.enumerated() where word == "--set" && index + 1 < command.words.count {
            let assignment = command.words[index + 1]
            if let equals = assignment.firstIndex(of: "="), assignment.index(after: equals) == assignment.endIndex {
                empty.insert("--set " + assignment[..<equals])
            }
        }
        for problem in report.excerptProblems(files: files, empty: empty) {
            findings.append(Finding(kind: .badExcerpt, detail: problem.detail, explanation: problem.explanation))
        }
        if status == 1 {
            for message in report.unlocatedErrors where !acceptableWithoutLocation(message, command) {
                findings.append(Finding(kind: .unlocatedDiagnostic, detail: template(message),
                                        explanation: "an error about the program without FILE:LINE:COL: '\(message.prefix(200))'"))
            }
        }
        let help = command.words.contains { ["--help", "-h", "--version", "-V", "help"].contains($0) }
        if !help, command.has("--json"), ["run", "grad", "check"].contains(name), !outcome.stdoutTruncated,
           status == 0 || !outcome.stdout.isEmpty, status != 2 {
            if let problem = ContractJSON.problem(command, outcome.stdout, status: status) {
                findings.append(Finding(kind: .badJSON, detail: "\(name) \(template(problem))", explanation: problem))
            }
        }
        if !help, name == "dot", status == 0, !outcome.stdoutTruncated {
            let text = String(decoding: outcome.stdout, as: UTF8.self)
            if !text.hasPrefix("digraph") || !text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("}") {
                findings.append(Finding(kind: .badDOT, detail: "dot output shape", explanation: "stdout is not one digraph { … }"))
            }
        }
        if smooth, name == "check", status == 1, !command.has("--of"), !command.has("--wrt"), !command.has("--json"),
           String(decoding: outcome.stdout, as: UTF8.self).contains("FAIL") {
            findings.append(Finding(kind: .checkDisagrees, detail: "check",
                                    explanation: "autodiff and finite differences disagree on a smooth program"))
        }
        return findings
    }

    /// An error with no place is right when it is about the command line or a file it names,
    /// not about the program: it quotes an argument, names an option, or says there is nothing
    /// to differentiate.
    static func acceptableWithoutLocation(_ message: String, _ command: FuzzCommand) -> Bool {
        if message.contains("--") || message.hasPrefix("the program defines no value") { return true }
        let values = command.words.dropFirst().flatMap { word -> [String] in
            guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return [word] }
            return [word, String(word[word.index(after: equals)...])]
        }
        return values.contains { message.contains("'\($0)'") }
    }

    /// The command and its options without their values: `run --json --set`.
    static func optionSummary(_ command: FuzzCommand) -> String {
        let options = Set(command.words.dropFirst().filter { $0.hasPrefix("--") }.map { String($0.prefix { $0 != "=" }) })
        return options.sorted().joined(separator: " ")
    }

    /// Where a crash happened, from the Swift runtime's report on stderr: the fatal error's
    /// message and the first frame in Slope's own code.
    static func crashSite(_ stderr: [UInt8]) -> String {
        let text = String(decoding: stderr, as: UTF8.self)
        var parts: [String] = []
        if let fatal = text.components(separatedBy: "\n").first(where: { $0.contains("Fatal error") }) {
            parts.append(template(String(fatal[fatal.range(of: "Fatal error")!.lowerBound...])))
        }
        let frame = try! NSRegularExpression(pattern: #"0x[0-9a-f]+ (.+?)(?: \+ [0-9]+)? in \S+ at (?:.*/)?Sources/(?:[^:]*/)?([^/:]+):[0-9]+"#)
        for line in text.components(separatedBy: "\n") {
            let range = NSRange(line.startIndex..., in: line)
            guard let match = frame.firstMatch(in: line, range: range),
                  let function = Range(match.range(at: 1), in: line), let file = Range(match.range(at: 2), in: line) else { continue }
            var name = String(line[function])
            for prefix in ["specialized ", "merged "] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
            parts.append("in \(name.prefix(100)) (\(line[file]))")
            break
        }
        return parts.isEmpty ? "at an unknown site" : parts.joined(separator: " ")
    }

    /// A message with its specifics removed, so one bug met with other names and numbers is
    /// one finding: quoted text becomes '…' and numbers N. The quoted spellings of NaN and the
    /// infinities stay: they tell a printed non-finite constant from a misnamed value.
    static func template(_ message: String) -> String {
        var out = ""
        var quoted: String?
        var lastWasDigit = false
        for character in message {
            if character == "'" {
                if let text = quoted {
                    out += ["nan", "inf", "-inf"].contains(text) ? "'\(text)'" : "'…'"
                    quoted = nil
                } else {
                    quoted = ""
                }
                continue
            }
            if quoted != nil {
                quoted!.append(character)
                continue
            }
            if character.isNumber {
                if !lastWasDigit { out += "N" }
                lastWasDigit = true
                continue
            }
            lastWasDigit = false
            out.append(character)
        }
        return String(out.prefix(140))
    }
}

/// The diagnostics on a command's stderr: located headers with the two lines after them,
/// unlocated errors, and whether usage was printed.
struct Diagnostics {
    struct Located {
        let path: String, line: Int, column: Int, severity: String, message: String
        let excerpt: [[UInt8]]
    }

    var located: [Located] = []
    var unlocatedErrors: [String] = []
    var errors = 0
    var usage = false
    var firstError: String?

    /// `PATH:LINE:COL: SEVERITY: MESSAGE`, split by hand: a message may hold any character,
    /// line separators included, which regular expressions treat as line ends.
    static func header(_ text: String) -> (path: String, line: Int, column: Int, severity: String, message: String)? {
        for severity in ["error", "warning", "note"] {
            var searchStart = text.startIndex
            while let marker = text.range(of: ": \(severity): ", range: searchStart..<text.endIndex) {
                searchStart = marker.upperBound
                let prefix = text[..<marker.lowerBound]
                let parts = prefix.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]),
                      !parts[parts.count - 2].hasPrefix("+"), !parts[parts.count - 1].hasPrefix("+") else { continue }
                let path = parts.dropLast(2).joined(separator: ":")
                guard !path.isEmpty else { continue }
                return (path, line, column, severity, String(text[marker.upperBound...]))
            }
        }
        return nil
    }

    init(_ stderr: [UInt8]) {
        let lines = stderr.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        var index = 0
        while index < lines.count {
            let text = String(decoding: lines[index], as: UTF8.self)
            index += 1
            if text.hasPrefix("slope: error: ") {
                errors += 1
                let message = String(text.dropFirst("slope: error: ".count))
                firstError = firstError ?? message
                unlocatedErrors.append(message)
                continue
            }
            if text.hasPrefix("usage: ") { usage = true }
            guard let header = Self.header(text) else { continue }
            // No excerpt when the next line is a header of its own or stderr ends (an empty file).
            var excerpt = Array(lines[index..<min(lines.count, index + 2)])
            if let next = excerpt.first.map({ String(decoding: $0, as: UTF8.self) }),
               next.hasPrefix("slope: ") || Self.header(next) != nil || (next.isEmpty && index + 1 >= lines.count) {
                excerpt = []
            }
            let item = Located(path: header.path, line: header.line, column: header.column,
                               severity: header.severity, message: header.message, excerpt: excerpt)
            located.append(item)
            if item.severity == "error" {
                errors += 1
                firstError = firstError ?? item.message
            }
            index += excerpt.count
        }
    }

    /// Every located diagnostic must show its source line and a caret line, and when its file
    /// is one of the case's files, that line must be the file's line and the caret must sit
    /// under the column.
    /// `empty` names the files (and `--set NAME` values) that are empty, whose diagnostics have no excerpt.
    func excerptProblems(files: [String: [UInt8]], empty: Set<String>) -> [(detail: String, explanation: String)] {
        var problems: [(String, String)] = []
        for item in located {
            let what = "\(item.path):\(item.line):\(item.column)"
            if item.excerpt.isEmpty, empty.contains(item.path.hasPrefix("./") ? String(item.path.dropFirst(2)) : item.path) { continue }
            guard item.excerpt.count == 2 else {
                problems.append(("no excerpt", "\(what): no source line and caret after the header"))
                continue
            }
            let caret = String(decoding: item.excerpt[1], as: UTF8.self).unicodeScalars
            let shape = caret.allSatisfy { " \t^~".unicodeScalars.contains($0) } && caret.filter { $0 == "^" }.count == 1
                && caret.drop { $0 != "^" }.dropFirst().allSatisfy { $0 == "~" }
            guard shape else {
                problems.append(("no caret line", "\(what): the line after the source line is not a caret line"))
                continue
            }
            let caretColumn = caret.prefix { $0 != "^" }.count + 1
            let relative = item.path.hasPrefix("./") ? String(item.path.dropFirst(2)) : item.path
            guard var bytes = files[relative] else { continue }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // SourceFile drops the mark
            let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
            guard item.line >= 1, item.line <= lines.count else {
                problems.append(("line beyond the file", "\(what): the file has \(lines.count) lines"))
                continue
            }
            var line = Array(lines[item.line - 1])
            if line.last == 13 { line.removeLast() }
            guard line.count <= 160 else { continue }  // shown as a window around the caret
            let expected = Self.visible(String(decoding: line, as: UTF8.self))
            let shown = Self.visible(String(decoding: item.excerpt[0], as: UTF8.self))
            if shown != expected {
                problems.append(("source line differs", "\(what): shows '\(shown.prefix(80))', the file's line is '\(expected.prefix(80))'"))
                continue
            }
            guard String(validating: line, as: UTF8.self) != nil else { continue }
            let width = String(decoding: line, as: UTF8.self).unicodeScalars.count
            if item.column < 1 || item.column > width + 1 {
                problems.append(("column beyond the line", "\(what): the line has \(width) characters"))
            } else if caretColumn != item.column {
                problems.append(("caret not under the column", "\(what): the caret is under column \(caretColumn)"))
            }
        }
        return problems
    }

    /// The text with every character that shows nothing (controls, format characters, line
    /// and paragraph separators) as `?`, as the renderer may show them.
    static func visible(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: out.append(scalar == "\t" ? scalar : "?")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
