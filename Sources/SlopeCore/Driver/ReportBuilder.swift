import Foundation

/// The page of `slope report`, gathered from one compilation of the program (the file is read
/// once, so a pipe works as for every command). Each section shows what one command prints,
/// under the command line that prints it, so a reader can type it and get the same text; the
/// commands' own functions make the text (`RunCommand.summary`, `DotCommand.picture`,
/// `GradCommand.source`, `CheckCommand.report`, `TaylorSource`, `CriticalCommand.table`).
/// Every diagnostic found on the way stands in the source listing at its line.
///
/// The sections, one file each: `+Run` (values, training, the plot), `+Pictures` (the graph and
/// its backward pass), `+Gradient` (the gradient program and the check), `+Calculus` (the
/// tangent and the critical points).
struct ReportBuilder {
    typealias Block = ReportPage.Block

    let arguments: Arguments
    let execution: ExecutionOptions
    let graphviz: GraphvizRenderer?
    var page: ReportPage
    /// What the page reports against the program, in the order found: the compilation's
    /// diagnostics, the run's warnings and failure, the gradient's warnings, a failed check.
    /// They stand in the listing and go to stderr; an error among them makes the exit status 1.
    var diagnostics: [Diagnostic] = []
    /// Every param's value when the run ended (trained, or where it started), for the box the
    /// critical points are searched in; empty when the program trained nothing.
    var trained: [String: Tensor] = [:]
    /// The files the program read (its own, its CSV files), which `-o` may not replace.
    var readFiles: [String] = []

    /// The page, or the failure that leaves none: a usage error (an unknown `--of` or `--wrt`
    /// name, a bad `--set`) or a file that cannot be read.
    static func build(_ arguments: Arguments, execution: ExecutionOptions,
                      graphviz: GraphvizRenderer?) throws(Compilation.Failure) -> ReportBuilder {
        let started = Date()
        let source: SourceFile
        switch FileInput.read(arguments.file) {
        case .success(let bytes): source = SourceFile(path: arguments.file, bytes: bytes)
        case .failure(let failure):
            throw Compilation.Failure(diagnostics: [DriverMessages.unreadableFile(arguments.file, failure.reason)],
                                      status: .programError)
        }
        var report = ReportBuilder(arguments: arguments, execution: execution, graphviz: graphviz,
                                   page: ReportPage(title: arguments.file))
        report.page.lead = openingComment(of: source)
        var compilation: Compilation
        do {
            compilation = try Compilation.compile(arguments, source: source, memory: execution.memory, started: started)
            try compilation.loadParams(from: arguments.load)
        } catch {
            guard error.status != .usageError else { throw error }
            report.diagnostics = error.diagnostics
            report.page.sections = [report.sourceSection(source, notRun: true)]
            return report
        }
        report.diagnostics += compilation.warnings
        report.readFiles = compilation.program.readFiles
        // Resolved before anything runs: a name the command line got wrong is a usage error, as
        // for grad; a program with nothing to differentiate only loses those sections.
        let gradient: Result<GradientRequest, Diagnostic>
        do { gradient = .success(try GradientRequest.resolve(arguments, in: compilation.program)) } catch {
            guard error.status != .usageError, let problem = error.diagnostics.first else { throw error }
            gradient = .failure(problem)
        }
        report.addRun(compilation)
        report.addPictures(compilation, gradient)
        report.addGradient(compilation, gradient)
        report.addCheck(compilation, gradient)
        report.addCalculus(compilation)
        report.page.sections.insert(report.sourceSection(source, notRun: false), at: 0)
        return report
    }

    /// The program as written, numbered, with every diagnostic under its line.
    func sourceSection(_ source: SourceFile, notRun: Bool) -> ReportPage.Section {
        let errors = diagnostics.filter(\.isError).count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        var counts: [String] = []
        if errors > 0 { counts.append(errors == 1 ? "1 error" : "\(errors) errors") }
        if warnings > 0 { counts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
        let summary = counts.isEmpty ? "The program as written; Slope finds nothing to warn about in it."
            : "The program as written, with \(counts.joined(separator: " and ")), each under the line it points at."
        var blocks: [Block] = [.paragraph(summary), .listing(SourceListing(file: source, diagnostics: diagnostics))]
        if notRun {
            blocks.append(.note("Nothing else can be shown until the program compiles: fix the errors above and make "
                                + "the report again (`\(Self.shown(["report", arguments.file]))`)."))
        }
        return ReportPage.Section(id: "source", title: "Source", blocks: blocks)
    }

    /// The words of `slope COMMAND` for this program: the file, the report's options that the
    /// command takes (`--of`, `--wrt`, `--set`, `--seed`, `--load`), then `extra`.
    func commandLine(_ command: Arguments.Command, _ extra: [String] = []) -> [String] {
        let accepted = Arguments.options[command] ?? [:]
        var words = [command.rawValue] + (arguments.file.hasPrefix("-") ? ["--", arguments.file] : [arguments.file])
        if accepted["--of"] != nil, let of = arguments.of { words += ["--of", of] }
        if accepted["--wrt"] != nil, let wrt = arguments.wrt { words += ["--wrt", wrt.joined(separator: ",")] }
        for (name, value) in arguments.sets { words += ["--set", "\(name)=\(value)"] }
        if let seed = arguments.seed { words += ["--seed", String(seed)] }
        if accepted["--load"] != nil, let load = arguments.load { words += ["--load", load] }
        return words + extra
    }

    /// The arguments those words give, as the command would parse them (nil only for a usage
    /// error, which the report's own options, already parsed, rule out).
    static func parsed(_ words: [String]) -> Arguments? {
        guard case .command(let arguments)? = try? Arguments.parse(words) else { return nil }
        return arguments
    }

    /// `slope grad Graphs/sauna.graph --set 'x=[1, 2]'`: the words as a shell reads them.
    static func shown(_ words: [String]) -> String {
        "slope " + words.map(shellQuoted).joined(separator: " ")
    }

    /// A word as is when a POSIX shell reads it so, else in single quotes (`'` as `'\''`).
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_-+=.,/:@%".unicodeScalars.contains(scalar))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The program's file name without its folder and extension (`sauna`), for the names of
    /// the files the commands shown would write.
    var stem: String {
        let name = ((arguments.file as NSString).lastPathComponent as NSString).deletingPathExtension
        return name.isEmpty ? "program" : name
    }

    /// The paragraphs of the comment the program opens with, what it shows: its lines without
    /// `#`, a line holding only `#` between paragraphs, up to the first line that is not a comment.
    static func openingComment(of source: SourceFile) -> [String] {
        var paragraphs: [String] = [], current: [String] = []
        let text = String(decoding: source.bytes, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasPrefix("#") else { break }
            let words = trimmed.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
            if words.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(words)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs
    }
}
