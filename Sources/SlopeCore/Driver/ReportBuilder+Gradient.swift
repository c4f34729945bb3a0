/// The report's gradient sections: the program `slope grad` prints (reverse mode's backward
/// pass, optimized for reading) and the table `slope check` prints (autodiff against central
/// finite differences). Both differentiate the target `TargetSelection` chooses, so the line
/// naming a target chosen by default is shown as both commands print it on stderr.
extension ReportBuilder {
    mutating func addGradient(_ compilation: Compilation, _ gradient: Result<GradientRequest, Diagnostic>) {
        var blocks: [Block] = [
            .paragraph("What `slope grad` prints: the backward pass reverse mode builds, optimized and written as a "
                       + "`.graph` program, each statement tied by its comment to the line of the source it comes from. "
                       + "`slope run` runs it."),
        ]
        defer { page.sections.append(ReportPage.Section(id: "gradient", title: "The gradient program", blocks: blocks)) }
        guard let request = Self.request(gradient, orNoteIn: &blocks) else { return }
        blocks.append(.command(Self.shown(commandLine(.grad))))
        diagnostics += request.warnings
        if let stderr = Self.stderr(request.announcement, request.warnings) { blocks.append(.diagnostics(stderr)) }
        let program = compilation.program
        let graph = GradCommand.optimizedGradient(program, request, execution: execution)
        let (target, gradients) = GradientRequest.outputs(of: graph)
        do {
            blocks.append(.output(try GradCommand.source(compilation, request, graph, target, gradients)))
        } catch {
            // As grad says it, at the target's definition; the page still shows the rest.
            let range = program.definitions.last { $0.name == request.targetName }?.range ?? program.graph[request.target].range
            let diagnostic = switch error.reason {
            case .lineTooLong: GradientMessages.expansionTooLong(error.name, limit: GraphSource.maximumLineLength, at: range)
            case .integrand(let integrand): GradientMessages.unwritableIntegrand(error.name, integrand: integrand, at: range)
            }
            blocks.append(.diagnostics(DiagnosticRenderer.render([diagnostic])))
        }
    }

    mutating func addCheck(_ compilation: Compilation, _ gradient: Result<GradientRequest, Diagnostic>) {
        var blocks: [Block] = [
            .paragraph("What `slope check` prints: each gradient against central finite differences (the delta method), "
                       + "with the worst absolute and relative error for each name."),
        ]
        defer { page.sections.append(ReportPage.Section(id: "check", title: "Check against finite differences", blocks: blocks)) }
        guard let request = Self.request(gradient, orNoteIn: &blocks) else { return }
        blocks.append(.command(Self.shown(commandLine(.check))))
        if let stderr = Self.stderr(request.announcement, request.warnings) { blocks.append(.diagnostics(stderr)) }
        let program = compilation.program
        do {
            let (results, _) = try CheckCommand.check(program, request, sweep: false, execution: execution)
            blocks.append(.output(CheckCommand.report(request, results, [])))
            let failed = results.filter { !$0.ok }.map(\.name)
            if !failed.isEmpty {
                let failure = GradientMessages.checkFailed(request.targetName, by: failed, at: program.graph[request.target].range)
                diagnostics.append(failure)
                blocks.append(.diagnostics(DiagnosticRenderer.render([failure])))
            }
        } catch {
            diagnostics.append(error)
            blocks.append(.diagnostics(DiagnosticRenderer.render([error])))
        }
    }

    /// Why a program has no gradient to show: it depends on no param, or its last value is not a number.
    static func nothingToDifferentiate(_ problem: Diagnostic) -> Block {
        let notes = problem.notes.map { "; " + TextEscaping.escaped($0.message) }.joined()
        return .note("Nothing to differentiate: " + TextEscaping.escaped(problem.message) + notes + ".")
    }

    /// What a differentiating command writes on stderr before its output: the line naming a
    /// target chosen by default, then its warnings; nil for nothing.
    static func stderr(_ announcement: String?, _ warnings: [Diagnostic]) -> String? {
        let text = (announcement.map { "slope: \($0)\n" } ?? "") + DiagnosticRenderer.render(warnings)
        return text.isEmpty ? nil : text
    }
}

extension ReportBuilder {
    /// The resolved request, or nil with the note saying why there is nothing to differentiate
    /// added to `blocks`.
    static func request(_ gradient: Result<GradientRequest, Diagnostic>, orNoteIn blocks: inout [Block]) -> GradientRequest? {
        switch gradient {
        case .success(let resolved): return resolved
        case .failure(let problem):
            blocks.append(nothingToDifferentiate(problem))
            return nil
        }
    }
}
