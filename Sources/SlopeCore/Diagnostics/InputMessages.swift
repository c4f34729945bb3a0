/// Messages about initial values and CSV files, alphabetised.
enum InputMessages {
    /// One problem of a CSV file's rows, as `csvProblems` lists them.
    enum CSVProblem {
        case ragged(line: Int, found: Int, expected: Int)
        case badCell(line: Int, column: String, text: String, outOfRange: Bool)

        var line: Int {
            switch self {
            case .ragged(let line, _, _), .badCell(let line, _, _, _): return line
            }
        }

        var id: String {
            switch self {
            case .ragged: return "input.csv-ragged"
            case .badCell(_, _, _, let outOfRange): return outOfRange ? "input.csv-out-of-range" : "input.csv-not-a-number"
            }
        }

        /// `line 3 has 2 fields but the header has 3`, `line 4, column 'b': 'x' is not a number`.
        var text: String {
            switch self {
            case .ragged(let line, let found, let expected):
                return "line \(line) has \(found) field\(found == 1 ? "" : "s") but the header has \(expected)"
            case .badCell(let line, let column, let text, let outOfRange):
                let shown = text.isEmpty ? "an empty cell" : "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
                return "line \(line), column '\(column)': \(shown) "
                    + (outOfRange ? "is out of range: a float64 is at most about 1.8e308 in magnitude" : "is not a number")
            }
        }
    }

    /// A file's problems in one diagnostic: the first is the error (at `rowsRange` for a row,
    /// `cellRange` for a cell), the next ones notes, and "and N more" for the rest of `total`.
    static func csvProblems(path: String, _ problems: [CSVProblem], total: Int,
                            rowsRange: SourceRange, cellRange: SourceRange) -> Diagnostic {
        let first = problems[0]
        var notes = problems.dropFirst().map { Diagnostic.Note("also \($0.text)") }
        if total > problems.count { notes.append(.init("and \(total - problems.count) more problem\(total - problems.count == 1 ? "" : "s") in \(path)")) }
        let range: SourceRange
        if case .ragged = first { range = rowsRange } else { range = cellRange }
        return Diagnostic(id: first.id, "\(path): \(first.text)", at: range, notes: notes)
    }

    static func csvEmpty(path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.csv-empty", "\(path) is empty; a CSV file needs a header row of column names", at: range)
    }

    static func csvNoRows(path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.csv-no-rows", "\(path) has a header but no rows", at: range)
    }

    /// Only where `LoweringOptions.regularFilesOnly` is set: in the language server.
    static func csvNotRegularFile(path: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.csv-not-a-regular-file",
                   "the editor does not read CSV file '\(path)': it is a pipe or a device, which would wait for input",
                   at: range, notes: [.init("slope run reads it")])
    }

    static func csvUnreadable(path: String, reason: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.csv-unreadable", "cannot read CSV file '\(path)': it \(reason)", at: range,
                   notes: [.init("paths are relative to the folder of the .graph file")])
    }

    static func csvUnterminatedQuote(path: String, line: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.csv-unterminated-quote", "\(path): the quoted field starting on line \(line) never ends", at: range)
    }

    static func csvUnknownColumn(_ column: String, path: String, available: [String], suggestion: String?, at range: SourceRange) -> Diagnostic {
        var notes: [Diagnostic.Note] = []
        if let suggestion { notes.append(.init("did you mean '\(suggestion)'?")) }
        let list = available.count > 12 ? available.prefix(12).joined(separator: ", ") + ", …" : available.joined(separator: ", ")
        return Diagnostic(id: "input.csv-unknown-column",
                          "\(path) has no column '\(column)'; its columns are \(list)", at: range, notes: notes)
    }

    /// `normal(mean, std)` needs a finite mean and a finite std ≥ 0; `uniform(low, high)` finite
    /// bounds with low ≤ high. Nil when the arguments are fine.
    static func drawArguments(_ function: String, _ a: Double, _ b: Double, first: SourceRange, second: SourceRange) -> Diagnostic? {
        let shown = (ValueFormatter.number(a), ValueFormatter.number(b))
        if function == "normal" {
            if !a.isFinite {
                return Diagnostic(id: "input.bad-distribution", "the mean of 'normal' must be a finite number, found \(shown.0)", at: first)
            }
            guard b >= 0, b.isFinite else {
                return Diagnostic(id: "input.bad-distribution",
                                  "the standard deviation of 'normal' must be a finite number ≥ 0, found \(shown.1)", at: second,
                                  notes: b < 0 ? [.init("write normal(\(shown.0), \(ValueFormatter.number(-b))) for a spread of \(ValueFormatter.number(-b))")] : [])
            }
            return nil
        }
        guard a.isFinite, b.isFinite else {
            return Diagnostic(id: "input.bad-distribution", "the bounds of 'uniform' must be finite numbers, found \(shown.0) and \(shown.1)",
                              at: a.isFinite ? second : first)
        }
        guard a <= b else {
            return Diagnostic(id: "input.bad-distribution",
                              "'uniform' draws between a low and a high bound, but \(shown.0) is above \(shown.1)", at: first.union(second),
                              notes: [.init("write uniform(\(shown.1), \(shown.0))")])
        }
        return nil
    }

    static func initializerArguments(_ function: String, _ usage: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.initializer-arguments", "'\(function)' takes \(usage)", at: range)
    }

    static func notAnInitializer(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.not-an-initializer",
                   "an initial value must be a number, a tensor literal, normal(mean, std), uniform(low, high) or csv(...)", at: range)
    }

    /// `--set NAME=[…]` with a tensor of another shape than the declaration's: a usage error.
    static func overrideShape(_ name: String, declared: Shape, found: Shape, declaration: SourceRange) -> Diagnostic {
        Diagnostic(id: "usage.set-shape",
                   "--set gives '\(name)' a value of shape \(found), but '\(name)' is declared with shape \(declared)", at: nil,
                   notes: [.init("'\(name)' is declared here; give --set a number (which fills the shape) or a tensor of shape \(declared)",
                                 at: declaration)])
    }

    static func overrideUnknown(_ name: String, available: [String], at range: SourceRange?) -> Diagnostic {
        let suggestion = Suggestions.closest(to: name, among: available)
        return Diagnostic(id: "usage.unknown-set-name",
                          "--set names '\(name)', which is not a param or input of the program"
                            + (available.isEmpty ? "" : "; they are \(available.joined(separator: ", "))"),
                          at: range, notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
    }

    static func shapeTooLarge(_ shape: Shape, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "input.shape-too-large", "shape \(shape) has too many elements", at: range)
    }
}
