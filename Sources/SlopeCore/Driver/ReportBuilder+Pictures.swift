/// The report's pictures: the program as `slope dot` draws it and its backward pass as
/// `slope dot --grad` draws it, each turned into SVG by Graphviz's `dot` when it is on PATH
/// (`GraphvizRenderer`). Without it, or when it fails or takes too long, the page shows the
/// command that draws the picture and says how to get Graphviz.
extension ReportBuilder {
    mutating func addPictures(_ compilation: Compilation, _ gradient: Result<GradientRequest, Diagnostic>) {
        var blocks: [Block] = [
            .paragraph("The program as a graph of operations, as `slope dot` draws it, and with its backward pass "
                       + "(`slope dot --grad`): each gradient in pink, joined to the value it is the gradient of by a "
                       + "dashed edge."),
            .heading("The program"),
        ]
        blocks += picture(compilation, commandLine(.dot), file: stem + ".svg",
                          caption: "The forward pass: params and inputs, the operations on them, and the values the "
                                   + "program prints or trains (double border).")
        blocks.append(.heading("The backward pass"))
        switch gradient {
        case .success:
            blocks += picture(compilation, commandLine(.dot, ["--grad"]), file: stem + "-grad.svg",
                              caption: "The backward pass (pink) beside the forward pass: the gradients reverse mode "
                                       + "builds from the seed back to the params, each joined to its value by a dashed edge.")
        case .failure(let problem):
            blocks.append(.note("There is no backward pass to draw: " + TextEscaping.escaped(problem.message) + "."))
        }
        page.sections.append(ReportPage.Section(id: "graph", title: "The graph", blocks: blocks))
    }

    /// The most nodes a picture may have for the report to hand it to Graphviz. Larger ones are
    /// never attempted: `dot` took 28 s for a sum of 5,000 terms (10,001 nodes) and 2 s for
    /// 4,001, and a program with a 40,000-term line waited out both pictures' timeouts (40 s).
    static let mostNodesLaidOut = 5_000

    /// The command that draws one picture, and the picture or why it is missing.
    func picture(_ compilation: Compilation, _ words: [String], file: String, caption: String) -> [Block] {
        let command = Block.command(Self.shown(words) + " | dot -Tsvg > " + ReportBuilder.shellQuoted(file))
        guard let dotArguments = Self.parsed(words) else { return [command] }
        let graphPicture: GraphPicture
        do { graphPicture = try DotCommand.picture(of: compilation.program, dotArguments, execution: execution) } catch {
            return [command, .diagnostics(DiagnosticRenderer.render(error.diagnostics))]
        }
        guard let graphviz else {
            return [command, .note("Graphviz's `dot` is not on PATH, so the picture is not drawn here. Install Graphviz "
                                   + "(`apt-get install graphviz` on Debian and Ubuntu, `brew install graphviz` on macOS) and "
                                   + "make the report again, or run the command above and open `\(file)`.")]
        }
        let drawn = graphPicture.visible.reduce(0) { $1 ? $0 + 1 : $0 }
        guard drawn <= Self.mostNodesLaidOut else {
            return [command, .note("The picture has \(drawn) nodes, more than Graphviz lays out in a reasonable time "
                                   + "(\(Self.mostNodesLaidOut)), so it is not drawn here; the command above draws it.")]
        }
        switch graphviz.svg(DOTWriter.render(graphPicture)) {
        case .success(let svg):
            return [command, .picture(svg: svg, caption: caption)]
        case .failure(.timedOut(let seconds)):
            return [command, .note("Graphviz's `dot` did not finish within \(ValueFormatter.number(seconds)) seconds, so "
                                   + "the picture is not drawn here; the command above draws it.")]
        case .failure(.failed(let status, let message)):
            return [command, .note("Graphviz's `dot` failed (exit status \(status)"
                                   + (message.isEmpty ? "" : ": " + TextEscaping.escaped(message)) + "), so the picture is "
                                   + "not drawn here.")]
        case .failure(.cannotRun(let reason)):
            return [command, .note("The picture is not drawn here: " + TextEscaping.escaped(reason) + ".")]
        }
    }
}
