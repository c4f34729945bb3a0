/// The report's run section: what `slope run` prints (each printed value, a line per training
/// statement, the trained params), what it warns about on stderr, and the picture `--plot`
/// would draw (`ProgramRunner.Options.keepsPlot`): the loss curve and the descent path, or for
/// a program that trains nothing, its printed function or integral.
extension ReportBuilder {
    mutating func addRun(_ compilation: Compilation) {
        var options = ProgramRunner.Options(quiet: true, execution: execution)
        options.keepsPlot = true
        var out = ""
        var found: [Diagnostic] = []
        var result: ProgramRunner.Result?
        do {
            // Training progress would go to stderr; the runner is quiet and its console a sink.
            result = try ProgramRunner(program: compilation.program, options: options, console: Console.capture()).run { event in
                switch event {
                case .warnings(let warnings): found += warnings
                case .printed(let text, let value): out += "\(text) = \(ValueFormatter.literal(value, summarize: true))\n"
                case .trained(let outcome): out += RunCommand.summary(outcome) + "\n"
                }
            }
        } catch {
            found.append(error)
        }
        if let result {
            found += result.diagnostics
            if result.failure == nil && !result.outcomes.isEmpty {
                out += "params:\n"
                for (name, value) in result.params { out += "  \(name) = \(ValueFormatter.literal(value, summarize: true))\n" }
                trained = Dictionary(result.params.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            }
        }
        diagnostics += found

        let plot = result?.plot
        let file = stem + ".svg"
        var blocks: [Block] = [
            .paragraph("What `slope run` prints: each printed value, a line for each training statement, and the params "
                       + "it trained."),
            .command(Self.shown(commandLine(.run, plot == nil ? [] : ["--plot", file]))),
        ]
        if out.isEmpty {
            blocks.append(.paragraph("It prints nothing: the program has no print statement and trains nothing."))
        } else {
            blocks.append(.output(out))
        }
        if !found.isEmpty { blocks.append(.diagnostics(DiagnosticRenderer.render(found))) }
        if let plot {
            let trainedSomething = result.map { !$0.outcomes.isEmpty || $0.failure != nil } ?? false
            let caption = trainedSomething
                ? "`\(file)`: the loss at every step of the last training statement and, for one or two scalar params, "
                    + "the function with the path the optimizer took."
                : "`\(file)`: what `--plot` draws for a program that trains nothing: its first printed integral with the "
                    + "area under it, else its first printed function of one or two scalar params or inputs."
            blocks.append(.picture(svg: plot, caption: caption))
        }
        page.sections.append(ReportPage.Section(id: "run", title: "Run", blocks: blocks))
    }
}
