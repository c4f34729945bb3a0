import Foundation

/// The expected output of a documented command, with two marks for what legitimately varies
/// from run to run (the same marks as Rust's trycmd):
///
/// - a line that is exactly `...` matches any number of lines, none included;
/// - `[..]` inside a line matches any characters on that line, none included
///   (`minimize E by gd: step 100/1000  loss 4.167538102533725  [..] steps/s`).
///
/// Everything else matches exactly. Blank lines at the end of either side are ignored, so a
/// blank line may separate two commands in one block.
public struct OutputPattern: Sendable {
    public static let anyLines = "..."
    public static let anyText = "[..]"

    public let lines: [String]

    public init(_ lines: [String]) { self.lines = OutputPattern.trimmingTrailingBlanks(lines) }

    /// Whether `output` (the command's text, lines separated by newlines) matches.
    public func matches(_ output: String) -> Bool {
        matches(lines: OutputPattern.lines(of: output))
    }

    /// Matches by dynamic programming over (pattern line, output line), from the ends:
    /// `suffix[i][j]` says whether pattern lines i... match output lines j....
    public func matches(lines output: [String]) -> Bool {
        let p = lines, a = OutputPattern.trimmingTrailingBlanks(output)
        var suffix = Array(repeating: Array(repeating: false, count: a.count + 1), count: p.count + 1)
        suffix[p.count][a.count] = true
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            for j in stride(from: a.count, through: 0, by: -1) {
                if p[i] == OutputPattern.anyLines {
                    // Match nothing here, or swallow output line j and stay on this pattern line.
                    suffix[i][j] = suffix[i + 1][j] || (j < a.count && suffix[i][j + 1])
                } else {
                    suffix[i][j] = j < a.count && OutputPattern.line(p[i], matches: a[j]) && suffix[i + 1][j + 1]
                }
            }
        }
        return suffix[0][0]
    }

    /// One pattern line against one output line, `[..]` matching any run of characters.
    public static func line(_ pattern: String, matches text: String) -> Bool {
        let pieces = pattern.components(separatedBy: anyText)
        guard pieces.count > 1 else { return pattern == text }
        guard let first = pieces.first, let last = pieces.last,
              text.hasPrefix(first), text.count >= first.count + last.count else { return false }
        var rest = text.dropFirst(first.count)
        guard rest.hasSuffix(last) else { return false }
        rest = rest.dropLast(last.count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }

    /// A text's lines, without the empty piece after a final newline.
    public static func lines(of text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    static func trimmingTrailingBlanks(_ lines: [String]) -> [String] {
        var result = lines
        while let last = result.last, last.trimmingCharacters(in: .whitespaces).isEmpty { result.removeLast() }
        return result
    }

    /// A line diff of the pattern against the output, `-` for expected lines that are missing,
    /// `+` for printed lines that were not expected and two spaces for lines that agree (a
    /// pattern line and the output line it matches; `...` is shown in place of the lines it stands for). The
    /// alignment is a longest common subsequence, so one changed line shows as one `-` and one `+`.
    public func diff(against output: String) -> String {
        let p = lines, a = OutputPattern.trimmingTrailingBlanks(OutputPattern.lines(of: output))
        let same: (Int, Int) -> Bool = { i, j in p[i] != OutputPattern.anyLines && OutputPattern.line(p[i], matches: a[j]) }
        var common = Array(repeating: Array(repeating: 0, count: a.count + 1), count: p.count + 1)
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            for j in stride(from: a.count - 1, through: 0, by: -1) {
                common[i][j] = same(i, j) ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0, j = 0
        while i < p.count || j < a.count {
            if i < p.count, p[i] == OutputPattern.anyLines {
                // `...` stands for the lines up to the first that matches the next pattern line.
                result.append("  " + p[i]); i += 1
                while j < a.count, !(i < p.count && same(i, j)) { j += 1 }
            } else if i < p.count, j < a.count, same(i, j) {
                result.append("  " + a[j]); i += 1; j += 1
            } else if i < p.count, j == a.count || common[i + 1][j] >= common[i][j + 1] {
                result.append("- " + p[i]); i += 1
            } else {
                result.append("+ " + a[j]); j += 1
            }
        }
        return result.joined(separator: "\n")
    }
}
