import Foundation

/// Delta debugging of a failing input: the smallest case found, within a budget, that still
/// fails the same way. The program is reduced by lines, then by tokens; then each data file
/// by lines; then the command line, an argument (or an option with its value) at a time.
struct Minimizer {
    /// Whether a candidate still fails the same way.
    let reproduces: (FuzzCase) -> Bool
    let deadline: Date
    let maximumAttempts: Int
    /// False when the finding is about the command line itself (a status it fixes), which
    /// removing arguments would change into another command line.
    let reducesArguments: Bool
    private(set) var attempts = 0

    init(seconds: Double, maximumAttempts: Int = 2000, reducesArguments: Bool = true,
         reproduces: @escaping (FuzzCase) -> Bool) {
        self.reproduces = reproduces
        self.reducesArguments = reducesArguments
        self.deadline = Date().addingTimeInterval(seconds)
        self.maximumAttempts = maximumAttempts
    }

    var exhausted: Bool { attempts >= maximumAttempts || Date() > deadline || Campaign.stopRequested != 0 }

    mutating func test(_ candidate: FuzzCase) -> Bool {
        attempts += 1
        return reproduces(candidate)
    }

    /// The case reduced as far as the budget allows; `fuzzCase` has the failing command only.
    mutating func minimize(_ fuzzCase: FuzzCase) -> FuzzCase {
        var best = fuzzCase
        best.program = reduce(Tokens.lines(best.program)) { candidate in var copy = best; copy.program = candidate; return copy }
        best.program = reduce(Tokens.split(best.program)) { candidate in var copy = best; copy.program = candidate; return copy }
        for name in best.files.keys.sorted() where name != FuzzCase.programName {
            best.files[name] = reduce(Tokens.lines(best.files[name]!)) { candidate in
                var copy = best
                copy.files[name] = candidate
                return copy
            }
        }
        if reducesArguments { best = reduceArguments(best) }
        if var command = best.commands.first, let stdin = command.stdin, !stdin.isEmpty {
            command.stdin = reduce(Tokens.lines(stdin)) { candidate in
                var copy = best
                copy.commands[0].stdin = candidate
                return copy
            }
            best.commands[0].stdin = command.stdin
        }
        return best
    }

    /// ddmin over `items`: removes ever smaller chunks while the case built from the rest
    /// still fails.
    mutating func reduce(_ items: [[UInt8]], _ build: ([UInt8]) -> FuzzCase) -> [UInt8] {
        var items = items
        var chunk = max(1, items.count / 2)
        while !items.isEmpty && !exhausted {
            var removed = false
            var start = 0
            while start < items.count && !exhausted {
                let candidate = Array(items[..<start]) + Array(items[min(items.count, start + chunk)...])
                if test(build(candidate.flatMap { $0 })) {
                    items = candidate
                    removed = true
                } else {
                    start += chunk
                }
            }
            if chunk == 1 && !removed { break }
            if !removed || chunk > items.count { chunk = max(1, chunk / 2) }
        }
        return items.flatMap { $0 }
    }

    /// Drops arguments after the command name, an option with its value first, then alone.
    mutating func reduceArguments(_ fuzzCase: FuzzCase) -> FuzzCase {
        var best = fuzzCase
        for width in [2, 1] {
            var index = 1
            while index < best.commands[0].arguments.count && !exhausted {
                var candidate = best
                let end = min(candidate.commands[0].arguments.count, index + width)
                candidate.commands[0].arguments.removeSubrange(index..<end)
                if test(candidate) { best = candidate } else { index += 1 }
            }
        }
        return best
    }
}
