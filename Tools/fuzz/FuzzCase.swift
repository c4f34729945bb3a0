import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One input of a campaign: the files of a folder (the program, its CSV and params files, the
/// FIFOs, folders and links its command lines name) and the command lines run in it, as
/// arguments after `slope`, with relative paths.
struct FuzzCase {
    /// Where the input came from: the generator and its index, or the seed file and mutations.
    var origin: String
    /// Files by relative path.
    var files: [String: [UInt8]] = [:]
    /// FIFOs to create; the fuzzer drains them while a command runs.
    var fifos: [String] = []
    /// Empty folders to create.
    var folders: [String] = []
    /// Symbolic links to create, link → target.
    var links: [String: String] = [:]
    var commands: [FuzzCommand] = []
    /// Generated to be smooth and away from kinks: `slope check` must agree.
    var smooth = false

    /// The program file every command reads by default.
    static let programName = "prog.graph"

    var program: [UInt8] {
        get { files[Self.programName] ?? [] }
        set { files[Self.programName] = newValue }
    }

    /// Writes the case into `folder`, which must exist and be empty.
    func materialize(in folder: URL) throws {
        for name in folders {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        for name in fifos where mkfifo(folder.appendingPathComponent(name).path, 0o644) != 0 {
            throw FuzzError("cannot make the FIFO \(name): \(String(cString: strerror(errno)))")
        }
        for (link, target) in links.sorted(by: { $0.key < $1.key }) {
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(link).path, withDestinationPath: target)
        }
    }

    /// A shell script that rebuilds the special files and runs `command`, for a finding's folder.
    func reproduction(_ command: FuzzCommand) -> String {
        var script = "#!/usr/bin/env bash\n# Reproduces the finding: run from anywhere; SLOPE names the binary.\n"
        script += "cd \"$(dirname \"$0\")\"\nSLOPE=\"${SLOPE:-slope}\"\n"
        for name in folders { script += "mkdir -p \(Shell.quote(name))\n" }
        for name in fifos {
            script += "rm -f \(Shell.quote(name)); mkfifo \(Shell.quote(name))\n"
            script += "cat \(Shell.quote(name)) > /dev/null &   # a reader, so the writer never blocks\n"
        }
        for (link, target) in links.sorted(by: { $0.key < $1.key }) {
            script += "ln -sfn \(Shell.quote(target)) \(Shell.quote(link))\n"
        }
        var line = command.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Shell.quote($0.value)) " }.joined()
        line += "\"$SLOPE\" " + command.arguments.map(Shell.quote).joined(separator: " ")
        if command.stdin != nil { line += " < stdin.bin" }
        script += line + "\n"
        if command.roundTrip {
            script += "status=$?; [ $status -eq 0 ] || exit $status\n"
            script += "# The gradient program it printed must run:\n"
            script += line + " > grad_out.graph && \"$SLOPE\" run grad_out.graph --json" + (command.stdin == nil ? "" : " < stdin.bin") + "\n"
            script += "# and its last print must give what --json gives:\n" + line + " --json\n"
        }
        if command.quietTwin {
            script += "# The same with --quiet toggled must print the same and exit alike:\n"
            script += line + " > first.txt; echo \"status $?\"\n"
            let twin = Consistency.quietTwin(of: command, program: program) ?? command
            script += "\"$SLOPE\" " + twin.arguments.map(Shell.quote).joined(separator: " ") + " > second.txt; echo \"status $?\"\n"
            script += "diff first.txt second.txt\n"
        }
        return script
    }
}

/// One command line, with what it reads on standard input and what the fuzzer knows of the
/// answer beyond the general oracles.
struct FuzzCommand {
    /// The arguments after `slope`.
    var arguments: [[UInt8]]
    var environment: [String: String] = [:]
    /// Standard input; /dev/null when nil.
    var stdin: [UInt8]?
    /// The statuses the contract allows for this command line, when the fuzzer knows them.
    var expected: Set<Int32>?
    /// Text that must not appear on standard error (a program given on a pipe is still read).
    var forbidden: [String] = []
    /// A `grad` whose printed program is run again with `slope run --json`, which must succeed.
    var roundTrip = false
    /// A `run` that is run again with `--quiet` toggled: the two must print the same and exit alike.
    var quietTwin = false
    /// Why the command was made this way, for the finding's report.
    var note = ""

    init(_ arguments: [String], note: String = "") {
        self.arguments = arguments.map { Array($0.utf8) }
        self.note = note
    }

    var words: [String] { arguments.map { String(decoding: $0, as: UTF8.self) } }
    var command: String { words.first ?? "" }
    func has(_ option: String) -> Bool { words.contains { $0 == option || $0.hasPrefix(option + "=") } }

    /// The value given to `option`, as `--option VALUE` or `--option=VALUE`.
    /// The last one wins, as on slope's command line.
    func value(of option: String) -> String? {
        let words = self.words
        var found: String?
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count { found = words[index + 1] }
            if word.hasPrefix(option + "=") { found = String(word.dropFirst(option.count + 1)) }
        }
        return found
    }

    /// The command line as a person would type it, for reports.
    var display: String { "slope " + arguments.map(Shell.quote).joined(separator: " ") }
}

struct FuzzError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// POSIX shell quoting of arbitrary bytes.
enum Shell {
    static func quote(_ text: String) -> String { quote(Array(text.utf8)) }

    static func quote(_ bytes: [UInt8]) -> String {
        let plain = !bytes.isEmpty && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-_./=,:@+%".utf8.contains(byte)
        }
        if plain { return String(decoding: bytes, as: UTF8.self) }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "'") }) {
            return "'" + String(decoding: bytes, as: UTF8.self) + "'"
        }
        // Bash/ksh/zsh ANSI-C quoting keeps every byte as it was.
        return "$'" + bytes.map { byte in
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\") {
                return String(UnicodeScalar(byte))
            }
            return "\\x" + String(byte, radix: 16).leftPadded(2)
        }.joined() + "'"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
