import Foundation

/// The command transcripts of one Markdown file: the doc tests' reading of README.md and docs/.
///
/// A checked block is fenced as `console`. Each line starting `$ ` is a command, and the lines
/// after it, up to the next command or the closing fence, are what it prints (standard output
/// and standard error together, as a terminal shows them):
///
///     ```console
///     $ slope run Graphs/paraboloid.graph
///     f = 13
///     grad(f, x) = 4
///     grad(f, y) = 6
///     ```
///
/// Commands that are not to be run (`swift build`, installing Graphviz) go in a block fenced as
/// `sh` without a `$ ` prompt. Any other block that shows a `$ ` prompt is a mistake the doc
/// tests report, so a transcript cannot drop out of the checks by its fence.
public struct DocTranscript: Sendable {
    /// One `$ ` line and the output written under it.
    public struct Command: Sendable {
        /// The file's 1-based line number of the `$ ` line.
        public let line: Int
        /// The command as written after `$ `.
        public let text: String
        /// The expected output, one element per line, as written in the block.
        public let expected: [String]
    }

    /// Something about a block that the doc tests refuse, with the line it is on.
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let message: String
        public init(line: Int, message: String) { self.line = line; self.message = message }
    }

    /// The file as given (a path relative to the package root, for messages).
    public let path: String
    /// The file's lines, kept so the outputs can be rewritten in place.
    public let lines: [String]
    public let commands: [Command]
    public let problems: [Problem]

    /// The fence of a checked block.
    public static let checkedFence = "console"

    public init(path: String, text: String) {
        self.path = path
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [Command] = []
        var problems: [Problem] = []
        var index = 0
        while index < lines.count {
            guard let info = DocTranscript.fenceInfo(lines[index]) else { index += 1; continue }
            let opening = index
            index += 1
            var body: [(line: Int, text: String)] = []
            while index < lines.count, DocTranscript.fenceInfo(lines[index]) != "" {
                body.append((index + 1, lines[index]))
                index += 1
            }
            if index == lines.count {
                problems.append(Problem(line: opening + 1, message: "this code block is never closed"))
            }
            index += 1   // the closing fence
            if info == DocTranscript.checkedFence {
                DocTranscript.readCommands(body, opening: opening + 1, into: &commands, problems: &problems)
            } else if let prompt = body.first(where: { $0.text.hasPrefix("$ ") }) {
                let fence = info.isEmpty ? "a block without a language" : "a '\(info)' block"
                problems.append(Problem(line: prompt.line, message: """
                    \(fence) shows a command ('\(prompt.text)'); fence it as ```console to have it \
                    run and checked, or drop the '$ ' prompt and fence it as ```sh if it must not run
                    """))
            }
        }
        self.commands = commands
        self.problems = problems
    }

    /// The info string of a fence line (`` ``` `` followed by a language, or nothing), or nil
    /// when the line is not a fence. Fences are not indented in these files.
    static func fenceInfo(_ line: String) -> String? {
        guard line.hasPrefix("```") else { return nil }
        return line.dropFirst(3).trimmingCharacters(in: .whitespaces)
    }

    /// Splits a console block's lines into commands and their outputs.
    static func readCommands(_ body: [(line: Int, text: String)], opening: Int,
                             into commands: inout [Command], problems: inout [Problem]) {
        guard let first = body.first, first.text.hasPrefix("$ ") else {
            problems.append(Problem(line: body.first?.line ?? opening,
                                    message: "a console block starts with a '$ ' command line"))
            return
        }
        var current: (line: Int, text: String, output: [String])? = nil
        for entry in body {
            if entry.text.hasPrefix("$ ") {
                if let done = current { commands.append(Command(line: done.line, text: done.text, expected: done.output)) }
                let text = String(entry.text.dropFirst(2))
                current = (entry.line, text, [])
                if text != "slope" && !text.hasPrefix("slope ") {
                    problems.append(Problem(line: entry.line, message: """
                        a checked command runs slope ('$ slope …'); show '\(text)' in a ```sh block without a prompt
                        """))
                }
            } else {
                current?.output.append(entry.text)
            }
        }
        if let done = current { commands.append(Command(line: done.line, text: done.text, expected: done.output)) }
    }

    /// The file with each command's output replaced by `replacements[line of its $ line]`,
    /// for regenerating the transcripts (`SLOPE_UPDATE_GOLDEN=1`).
    public func rewritten(_ replacements: [Int: [String]]) -> String {
        var result: [String] = []
        var skipUntil = 0
        let byLine = Dictionary(uniqueKeysWithValues: commands.map { ($0.line, $0) })
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if number < skipUntil { continue }
            result.append(line)
            if let command = byLine[number], let output = replacements[number] {
                result.append(contentsOf: output)
                skipUntil = number + 1 + command.expected.count
            }
        }
        return result.joined(separator: "\n")
    }
}
