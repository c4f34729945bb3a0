import Foundation

/// The report's tangent and critical points, for a target that is a function of one or two
/// scalar params or inputs (tensor inputs, the data, held at their values; no tensor param),
/// the programs whose function the plots draw: the tangent line or plane `slope tangent`
/// prints at the program's values, and the critical points `slope critical` finds in a box
/// around the values the program starts from and its run ends at (`criticalBox`).
extension ReportBuilder {
    mutating func addCalculus(_ compilation: Compilation) {
        let program = compilation.program
        var blocks: [Block] = []
        defer { page.sections.append(ReportPage.Section(id: "calculus", title: "Tangent and critical points", blocks: blocks)) }
        let scope = "`slope tangent` and `slope critical` are shown for a function of one or two scalar params or inputs"
        var request: CalculusRequest
        do { request = try CalculusRequest.resolve(arguments, in: program) } catch {
            let message = error.diagnostics.first.map { TextEscaping.escaped($0.message) } ?? "there is no target"
            blocks.append(.note(scope + ", as the plots are; here \(message)."))
            return
        }
        let live = program.graph.reachable(from: [request.target])
        let tensors = program.params.filter { live[$0.node.int] && !$0.value.shape.isScalar }.map { "'\($0.name)'" }
        let variables = request.variables.map(\.name)
        guard (1...2).contains(variables.count), tensors.isEmpty else {
            let reason = !tensors.isEmpty
                ? "'\(request.targetName)' depends on the tensor param\(tensors.count == 1 ? "" : "s") \(tensors.joined(separator: ", "))"
                : "'\(request.targetName)' depends on \(variables.count) scalar params or inputs (\(variables.joined(separator: ", ")))"
            blocks.append(.note(scope + ", as the plots are; here \(reason)."))
            return
        }
        let shape = variables.count == 1 ? "line" : "plane"
        blocks.append(.paragraph("The tangent \(shape) at the program's values (`slope tangent`): the value of "
                                 + "'\(request.targetName)' there plus its gradient times the step, as a program. Then its "
                                 + "critical points (`slope critical`) in a box around where the program starts and ends, "
                                 + "each classified by the second-derivative test."))
        blocks.append(.heading("The tangent \(shape)"))
        blocks += tangent(program, &request, file: compilation.source.path)
        blocks.append(.heading("Critical points"))
        blocks += critical(program, &request)
    }

    /// `slope tangent` at the program's values (with `--load`, at the loaded ones, given by `--at`).
    func tangent(_ program: Program, _ request: inout CalculusRequest, file: String) -> [Block] {
        var at: [String] = []
        if arguments.load != nil {
            at = request.variables.filter { $0.kind == .param }.map { "\($0.name)=\(ValueFormatter.number($0.value.values[0]))" }
        }
        let words = commandLine(.tangent, at.isEmpty ? [] : ["--at", at.joined(separator: ",")])
        var blocks: [Block] = [.command(Self.shown(words))]
        guard let parsed = Self.parsed(words) else { return blocks }
        let point: [Double]
        do { point = try request.point(parsed.at, in: program) } catch {
            return blocks + [.diagnostics(DiagnosticRenderer.render(error.diagnostics))]
        }
        if let stderr = Self.stderr(request.announcement, request.warnings) { blocks.append(.diagnostics(stderr)) }
        do {
            let model = try TangentCommand.model(program, request, at: point, order: 1, execution: execution)
            let name = TangentCommand.modelName(request.targetName, avoiding: Set(request.variables.map(\.name)))
            blocks.append(.output(TaylorSource.program(model, name: name, kinds: request.variables.map(\.kind),
                                                       target: request.targetName, file: file)))
        } catch {
            blocks.append(.diagnostics(DiagnosticRenderer.render([error])))
        }
        return blocks
    }

    /// `slope critical` in the box `criticalBox` gives.
    func critical(_ program: Program, _ request: inout CalculusRequest) -> [Block] {
        let start = request.variables.map { $0.value.values[0] }
        let end = request.variables.map { trained[$0.name]?.values.first ?? $0.value.values[0] }
        let ranges = Self.criticalBox(from: start, to: end)
        let box = zip(request.variables, ranges).map { "\($0.name)=\($1.lower):\($1.upper)" }.joined(separator: ",")
        let words = commandLine(.critical, ["--in", box])
        var blocks: [Block] = [.command(Self.shown(words))]
        guard let parsed = Self.parsed(words) else { return blocks }
        let searched: [(lower: Double, upper: Double)]
        do { searched = try request.box(parsed.box, in: program) } catch {
            return blocks + [.diagnostics(DiagnosticRenderer.render(error.diagnostics))]
        }
        let evaluator = DerivativeEvaluator(graph: program.graph, target: request.target, variables: request.variables,
                                            withHessian: true, execution: execution)
        let result = CriticalPointSearch(box: searched).run(evaluator)
        var stderr = Self.stderr(request.announcement, []) ?? ""
        if result.isConstant { stderr += DiagnosticRenderer.render(CalculusMessages.constantTarget(request.targetName)) }
        else if result.points.isEmpty { stderr += DiagnosticRenderer.render(CalculusMessages.noCriticalPoints(request.targetName)) }
        if !stderr.isEmpty { blocks.append(.diagnostics(stderr)) }
        blocks.append(.output(CriticalCommand.table(result, names: request.variables.map(\.name), box: searched,
                                                    of: request.targetName)))
        return blocks
    }

    /// The box the report searches for critical points, written as `--in` takes it. Each
    /// variable's range runs from where the program starts to where its run ended, widened by
    /// 30% of that span on each side (as the descent plot frames its path); a variable that
    /// did not move is given v ± 2·max(1, |v|) (as the function plot frames a point). The ends
    /// are rounded outwards to two significant digits of the width, so the command reads well.
    static func criticalBox(from start: [Double], to end: [Double]) -> [(lower: String, upper: String)] {
        zip(start, end).map { first, last in
            let last = last.isFinite ? last : first
            var (low, high) = (min(first, last), max(first, last))
            if high > low {
                let pad = 0.3 * (high - low)
                (low, high) = (low - pad, high + pad)
            } else {
                let range = FunctionPlot.range(around: first)
                (low, high) = (range.lowerBound, range.upperBound)
            }
            // (A range too wide or too narrow to round is written as it is.)
            let width = log10(high - low)
            guard width.isFinite, Swift.abs(width) < 300 else { return (ValueFormatter.number(low), ValueFormatter.number(high)) }
            let exponent = Int(width.rounded(.down)) - 1
            let step = pow(10, Double(exponent))
            let decimals = max(0, -exponent)
            func written(_ value: Double) -> String {
                let text = CriticalCommand.trimmed(String(format: "%.\(decimals)f", value))
                return Double(text) == 0 ? "0" : text
            }
            return (written((low / step).rounded(.down) * step), written((high / step).rounded(.up) * step))
        }
    }
}
