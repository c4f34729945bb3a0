import Foundation

/// The output folder: one subfolder per distinct finding with its minimized input, a script
/// that reproduces it, the original input, and what the command printed; and `summary.txt`.
final class FindingStore {
    struct Record {
        let finding: Finding
        let folder: String
        let known: String?
        var count: Int
        let firstInput: Int
    }

    let folder: URL
    let known: KnownIssues
    private(set) var records: [String: Record] = [:]
    private(set) var order: [String] = []

    init(folder: URL, known: KnownIssues) throws {
        self.folder = folder
        self.known = known
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A new run replaces what an earlier one wrote here, and nothing else.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name == "known" || name == "summary.txt" || name.range(of: #"^[0-9]{3}-"#, options: .regularExpression) != nil {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    func isNew(_ finding: Finding) -> Bool { records[finding.key] == nil }

    /// Counts a finding seen again.
    func count(_ finding: Finding) { records[finding.key]?.count += 1 }

    var unknownCount: Int { records.values.filter { $0.known == nil }.count }

    /// Writes a new finding: `minimized` and `original` hold the failing command only.
    func record(_ finding: Finding, minimized: FuzzCase, original: FuzzCase, outcome: Subprocess.Outcome,
                input: Int, seed: UInt64, minimizeNote: String) throws {
        let knownAs = known.match(finding)
        let name = String(format: "%03d-", order.count + 1) + finding.kind.rawValue + "-" + Self.slug(finding.detail)
        let target = folder.appendingPathComponent(knownAs == nil ? name : "known/" + name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try write(minimized, to: target)
        try write(original, to: target.appendingPathComponent("original"))
        var report = """
            kind: \(finding.kind.rawValue)
            detail: \(finding.detail)
            what: \(finding.explanation)
            command: \(minimized.commands[0].display)\(minimized.commands[0].stdin == nil ? "" : " < stdin.bin")
            input: \(input) of seed \(seed) (slope-fuzz --seed \(seed) --only \(input))
            origin: \(original.origin)
            minimized: \(minimizeNote)

            """
        if let knownAs { report += "known issue: \(knownAs)\n" }
        if !minimized.commands[0].note.isEmpty { report += "note: \(minimized.commands[0].note)\n" }
        report += "\n--- stderr (first 4 KB)\n" + String(decoding: outcome.stderr.prefix(4096), as: UTF8.self)
        report += "\n--- stdout (first 2 KB)\n" + String(decoding: outcome.stdout.prefix(2048), as: UTF8.self) + "\n"
        try Data(report.utf8).write(to: target.appendingPathComponent("finding.txt"))
        records[finding.key] = Record(finding: finding, folder: (knownAs == nil ? "" : "known/") + name,
                                      known: knownAs, count: 1, firstInput: input)
        order.append(finding.key)
    }

    /// A case's files, its special files' recipe and its command as `repro.sh`.
    private func write(_ fuzzCase: FuzzCase, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in fuzzCase.files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        guard let command = fuzzCase.commands.first else { return }
        if let stdin = command.stdin { try Data(stdin).write(to: folder.appendingPathComponent("stdin.bin")) }
        let script = folder.appendingPathComponent("repro.sh")
        try Data(fuzzCase.reproduction(command).utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }

    /// `summary.txt`: the campaign's numbers and every finding with its count and folder.
    func writeSummary(_ header: String) -> String {
        var text = header + "\n"
        let unknown = order.filter { records[$0]!.known == nil }, knownKeys = order.filter { records[$0]!.known != nil }
        text += unknown.isEmpty ? "no new findings\n" : "\(unknown.count) finding(s):\n"
        for key in unknown {
            let record = records[key]!
            text += "  \(record.folder)  (\(record.count)×, first at input \(record.firstInput))\n    \(key)\n"
        }
        if !knownKeys.isEmpty {
            text += "\(knownKeys.count) known issue(s) seen (listed in the known-issues file):\n"
            for key in knownKeys {
                let record = records[key]!
                text += "  \(record.folder)  (\(record.count)×)\n    \(key)\n    known: \(record.known!)\n"
            }
        }
        try? Data(text.utf8).write(to: folder.appendingPathComponent("summary.txt"))
        return text
    }

    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII { out.unicodeScalars.append(scalar) }
            else if out.last != "-" { out += "-" }
            if out.count >= 48 { break }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

/// Findings already reported elsewhere (an issue under way), so a bounded run in CI fails
/// only on new ones. One per line: text the finding's key contains, then ` # ` and why.
struct KnownIssues {
    struct Entry {
        let pattern: String
        let reason: String
    }

    let entries: [Entry]

    init(entries: [Entry] = []) { self.entries = entries }

    init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        entries = text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let parts = trimmed.components(separatedBy: " # ")
            return Entry(pattern: parts[0].trimmingCharacters(in: .whitespaces),
                         reason: parts.dropFirst().joined(separator: " # "))
        }
    }

    /// The reason of the first entry the finding matches.
    func match(_ finding: Finding) -> String? {
        entries.first { finding.key.contains($0.pattern) }.map { $0.reason.isEmpty ? $0.pattern : $0.reason }
    }
}
