import Foundation

/// Messages of the commands themselves, alphabetised.
enum DriverMessages {
    static func badSetValue(_ name: String, _ text: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "usage.bad-set-value", "--set \(name)=\(text): the value must be a number or a tensor such as [1, 2, 3]", at: range)
    }

    static func nonFinite(_ what: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "run.non-finite", what, at: range)
    }

    /// A file `run` was asked to write (`--save`, `--log`, `--plot`) cannot be written.
    static func outputFile(_ problem: OutputProblem) -> Diagnostic {
        let reason = switch problem.reason {
        case .isDirectory: "it is a directory"
        case .readOnly: "the file is read-only; make it writable (chmod u+w) or choose another path"
        case .missingFolder(let folder): "the folder '\(folder)' does not exist"
        case .system(let code): String(cString: strerror(code))
        case .isInput(let input):
            (input == problem.path ? "this command reads it" : "it is '\(input)', which this command reads")
                + "; an output never replaces an input, so choose another path"
        }
        return Diagnostic(id: "run.output-file", "cannot write '\(problem.path)': \(reason)", at: nil)
    }

    /// A file left as it was because another file of the same run could not be written.
    static func outputKept(_ path: String) -> Diagnostic {
        Diagnostic(.note, id: "run.output-kept", "'\(path)' was left as it was, so the files of this run are not mixed with older ones",
                   at: nil)
    }

    /// `--plot` for a program that trains nothing and prints nothing it can draw; `notes` say
    /// why each printed value does not do.
    static func plotWithoutTraining(notes: [Diagnostic.Note]) -> Diagnostic {
        Diagnostic(id: "run.plot-nothing-to-draw",
                   "--plot has nothing to draw: the program trains nothing, and prints no scalar function of one or two "
                   + "scalar params or inputs", at: nil,
                   notes: notes + [.init("print one, as in 'print f' for f = x^2 + y^2, or train with minimize to plot the training")])
    }

    static func savedLastGood(_ path: String) -> Diagnostic {
        Diagnostic(.note, id: "run.saved-last-good", "saved the params of the last good step to '\(path)'", at: nil)
    }

    static func unknownName(_ option: String, _ name: String, available: [String]) -> Diagnostic {
        let suggestion = Suggestions.closest(to: name, among: available)
        return Diagnostic(id: "usage.unknown-name",
                          "\(option) names '\(name)', which the program does not define"
                            + (available.isEmpty ? "" : "; it defines \(available.joined(separator: ", "))"),
                          at: nil, notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
    }

    static func unreadableFile(_ path: String, _ reason: String) -> Diagnostic {
        Diagnostic(id: "driver.unreadable-file", "cannot read '\(path)': \(reason)", at: nil)
    }

    static func unsupported(_ what: String, at range: SourceRange?) -> Diagnostic {
        Diagnostic(id: "driver.unsupported", what, at: range)
    }

    /// A write to standard output failed (`> /dev/full`, a full disk, a closed descriptor).
    static func unwritableStandardOutput(_ code: Int32) -> Diagnostic {
        Diagnostic(id: "driver.unwritable-stdout", "cannot write to standard output: \(String(cString: strerror(code)))", at: nil)
    }
}
