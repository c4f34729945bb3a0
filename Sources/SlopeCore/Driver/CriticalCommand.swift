import Foundation

/// `slope critical`: the critical points of the target in the box `--in` gives, found by
/// `CriticalPointSearch`, as a table (with the course's second-derivative test for one and two
/// variables) or with `--json` as `{"of", "points": [{"at", "value", "kind", "eigenvalues"}]}`.
public enum CriticalCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation
        var request: CalculusRequest
        switch CalculusRequest.compile(arguments, reportingTo: console) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        let program = compilation.program
        let box: [(lower: Double, upper: Double)]
        do { box = try request.box(arguments.box, in: program) } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        request.report(to: console)
        let limit = CriticalPointSearch.maximumVariables
        guard request.variables.count <= limit else {
            let range = TargetSelection.definitionRange(of: request.targetName, in: program) ?? program.graph[request.target].range
            console.err(DiagnosticRenderer.render(CalculusMessages.tooManyVariables(request.targetName, request.variables.count,
                                                                                    limit: limit, command: "critical", at: range)))
            return .programError
        }

        let evaluator = DerivativeEvaluator(graph: program.graph, target: request.target, variables: request.variables,
                                            withHessian: true, execution: execution)
        let result = CriticalPointSearch(box: box).run(evaluator)
        let names = request.variables.map(\.name)
        if arguments.json {
            console.out(json(result, names: names, of: request.targetName).rendered() + "\n")
        } else {
            console.out(table(result, names: names, box: box, of: request.targetName))
        }
        if result.isConstant {
            console.err(DiagnosticRenderer.render(CalculusMessages.constantTarget(request.targetName)))
        } else if result.points.isEmpty {
            console.err(DiagnosticRenderer.render(CalculusMessages.noCriticalPoints(request.targetName)))
        }
        return .success
    }

    static func json(_ result: CriticalPointSearch.Result, names: [String], of target: String) -> JSONValue {
        .object([
            ("of", .string(target)),
            ("points", .array(result.points.map { point in
                .object([
                    ("at", .object(zip(names, point.point).map { ($0, .number($1)) })),
                    ("value", .number(point.value)),
                    ("kind", .string(point.kind.rawValue)),
                    ("eigenvalues", .array(point.eigenvalues.map(JSONValue.number))),
                ])
            })),
        ])
    }

    /// The table: a line saying what was searched and how, a header row, one row per point
    /// (the coordinates, the value, the kind and the eigenvalues; for one variable f″, for two
    /// the second partials and D = fxx·fyy − fxy²), and the rule the kinds follow.
    static func table(_ result: CriticalPointSearch.Result, names: [String], box: [(lower: Double, upper: Double)],
                      of target: String) -> String {
        let d = names.count
        let ranges = zip(names, box).map { "\($0) in [\(ValueFormatter.number($1.lower)), \(ValueFormatter.number($1.upper))]" }
        let grid = d == 1 ? "\(result.starts) starts"
            : d == 2 ? "\(result.startsPerAxis) × \(result.startsPerAxis) starts"
            : "\(result.starts) starts (\(result.startsPerAxis) per axis)"
        var out = "critical points of \(target) for \(ranges.joined(separator: ", ")), by Newton's method from \(grid):\n\n"

        // The course's names for the second partials: fxx, fyy, fxy (Txx … for the sauna's T).
        let f = target.count == 1 ? target : "f"
        func partial(_ a: String, _ b: String) -> String { names.allSatisfy { $0.count == 1 } ? f + a + b : "\(f)_\(a)_\(b)" }
        var header = names + [target, "kind"]
        if d == 1 { header.append("\(f)''") }
        else { header.append("eigenvalues") }
        // D is the determinant, unless the target is called D.
        let determinantName = target == "D" ? "det" : "D"
        if d == 2 { header += [partial(names[0], names[0]), partial(names[1], names[1]), partial(names[0], names[1]), determinantName] }

        // Values at rounding level show as 0: f below 1e-12 of how much it changes across the
        // box, second derivatives below 1e-9 of that in their units (a degenerate point's
        // f″ = 3·10⁻²¹ is 0 to every digit the search can vouch for).
        let widths = box.map { $0.upper - $0.lower }
        let noise = 1e-9 * result.scale
        let widest = widths.max() ?? 1
        var rows = [header]
        for point in result.points {
            let h = point.hessian
            var row = zip(point.point, widths).map { coordinate($0, width: $1) }
            row.append(number(point.value, snappingBelow: 1e-3 * noise))
            row.append(point.kind.rawValue)
            if d == 1 {
                row.append(number(h[0][0], snappingBelow: noise / (widths[0] * widths[0])))
            } else {
                row.append(point.eigenvalues.map { number($0, snappingBelow: noise / (widest * widest)) }.joined(separator: ", "))
            }
            if d == 2 {
                let (w0, w1) = (widths[0], widths[1])
                let determinant = h[0][0] * h[1][1] - h[0][1] * h[0][1]
                row.append(number(h[0][0], snappingBelow: noise / (w0 * w0)))
                row.append(number(h[1][1], snappingBelow: noise / (w1 * w1)))
                row.append(number(h[0][1], snappingBelow: noise / (w0 * w1)))
                row.append(number(determinant, snappingBelow: noise * result.scale / (w0 * w0 * w1 * w1)))
            }
            rows.append(row)
        }
        out += aligned(rows)
        switch d {
        case 1:
            out += "\nsecond-derivative test: \(f)'' > 0: a minimum, \(f)'' < 0: a maximum, \(f)'' = 0: no verdict\n"
        case 2:
            let (xx, yy, xy) = (partial(names[0], names[0]), partial(names[1], names[1]), partial(names[0], names[1]))
            let D = determinantName
            out += "\nsecond-derivative test: \(D) = \(xx)·\(yy) − \(xy)²; \(D) > 0 and \(xx) > 0: a minimum, "
                + "\(D) > 0 and \(xx) < 0: a maximum,\n\(D) < 0: a saddle, \(D) = 0: no verdict\n"
        default:
            out += "\nevery eigenvalue > 0: a minimum, every eigenvalue < 0: a maximum, both signs: a saddle,\n"
                + "an eigenvalue 0: degenerate\n"
        }
        return out
    }

    /// Columns padded to their widest entry, two spaces apart.
    static func aligned(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A coordinate to nine decimal places of the box's width, trailing zeros dropped: Newton's
    /// end point 4.000000000000001 shows as 4.
    static func coordinate(_ value: Double, width: Double) -> String {
        let decimals = max(0, min(17, 9 - Int(log10(width).rounded(.down))))
        return trimmed(String(format: "%.\(decimals)f", value))
    }

    /// Ten significant digits, and 0 for a value at rounding level (|value| ≤ `snappingBelow`).
    static func number(_ value: Double, snappingBelow threshold: Double = 0) -> String {
        guard value.isFinite else { return ValueFormatter.number(value) }
        if Swift.abs(value) <= threshold { return "0" }
        let text = String(format: "%.10g", value)
        guard let exponent = text.firstIndex(where: { $0 == "e" }) else { return trimmed(text) }
        return trimmed(String(text[..<exponent])) + text[exponent...]
    }

    /// Without trailing zeros after a decimal point, and `-0` as `0`.
    static func trimmed(_ text: String) -> String {
        var text = text
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
