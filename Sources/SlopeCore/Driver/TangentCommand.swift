/// `slope tangent`: the Taylor model of the target at a point (`--at`, else the program's
/// values) as a `.graph` program with the numbers written out, or with `--json` as
/// `{"of", "at", "value", "gradient"}` (and `"hessian"` with `--order 2`).
public enum TangentCommand {
    public static func execute(_ arguments: Arguments, console: Console, execution: ExecutionOptions) -> ExitStatus {
        let compilation: Compilation
        var request: CalculusRequest
        switch CalculusRequest.compile(arguments, reportingTo: console) {
        case .success(let compiled): (compilation, request) = compiled
        case .failure(let status): return status
        }
        let program = compilation.program
        let point: [Double]
        do { point = try request.point(arguments.at, in: program) } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return error.status
        }
        request.report(to: console)
        let model: TaylorModel
        do { model = try self.model(program, request, at: point, order: arguments.order, execution: execution) } catch {
            console.err(DiagnosticRenderer.render(error))
            return .programError
        }
        let names = request.variables.map(\.name)
        if arguments.json {
            console.out(json(model, of: request.targetName).rendered() + "\n")
        } else {
            let name = modelName(request.targetName, avoiding: Set(names))
            console.out(TaylorSource.program(model, name: name, kinds: request.variables.map(\.kind), target: request.targetName,
                                             file: compilation.source.path))
        }
        return .success
    }

    /// The Taylor model of `order` 1 or 2 at `point`; the diagnostic for too many variables for
    /// the Hessian, an integral that fails, or a value or derivative that is not finite there.
    static func model(_ program: Program, _ request: CalculusRequest, at point: [Double], order: Int,
                      execution: ExecutionOptions) throws(Diagnostic) -> TaylorModel {
        let range = TargetSelection.definitionRange(of: request.targetName, in: program) ?? program.graph[request.target].range
        // The Hessian takes one reverse pass per variable, so --order 2 has Newton's limit.
        guard order == 1 || request.variables.count <= Newton.maximumParameters else {
            throw CalculusMessages.tooManyVariables(request.targetName, request.variables.count, limit: Newton.maximumParameters,
                                                    command: "tangent --order 2", at: range)
        }
        let evaluator = DerivativeEvaluator(graph: program.graph, target: request.target, variables: request.variables,
                                            withHessian: order == 2, execution: execution)
        let derivatives = evaluator.evaluate(at: point)
        let names = request.variables.map(\.name)
        if let failure = evaluator.integralFailure { throw IntegralMessages.failure(failure) }
        guard derivatives.isFinite else {
            let at = zip(names, point).map { "\($0) = \(ValueFormatter.number($1))" }.joined(separator: ", ")
            throw CalculusMessages.nonFiniteDerivatives(request.targetName, at: at, range: range)
        }
        return TaylorModel(names: names, point: point, value: derivatives.value, gradient: derivatives.gradient,
                           hessian: derivatives.hessian)
    }

    /// `f_tangent`, or `f_tangent_2`, … when a variable already has that name.
    static func modelName(_ target: String, avoiding taken: Set<String>) -> String {
        var name = target + "_tangent", suffix = 2
        while taken.contains(name) || BuiltinFunctions.reservedNames.contains(name) {
            name = target + "_tangent_\(suffix)"
            suffix += 1
        }
        return name
    }

    static func json(_ model: TaylorModel, of target: String) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("of", .string(target)),
            ("at", .object(zip(model.names, model.point).map { ($0, .number($1)) })),
            ("value", .number(model.value)),
            ("gradient", .object(zip(model.names, model.gradient).map { ($0, .number($1)) })),
        ]
        if model.order == 2 { members.append(("hessian", .array(model.hessian.map { .array($0.map(JSONValue.number)) }))) }
        return .object(members)
    }
}
