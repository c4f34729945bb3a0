/// What `grad` and `check` differentiate: the target and names chosen by `TargetSelection`,
/// with the warnings and checks those two commands add: a warning for a `--wrt` name the target
/// does not depend on, and an error when there is nothing to differentiate by.
public struct GradientRequest: Sendable {
    /// The target's name, usable as a value name in generated source (`target` when the
    /// training statement's target is an expression such as `mse(p, y)`).
    public let targetName: String
    public let target: NodeID
    public let wrt: [(name: String, node: NodeID)]
    /// "the target does not depend on 'q'" warnings.
    public let warnings: [Diagnostic]
    /// Which target was chosen for the user, printed on stderr (`TargetSelection`); nil after `--of`.
    public var announcement: String? = nil

    public static func resolve(_ arguments: Arguments, in program: Program) throws(Compilation.Failure) -> GradientRequest {
        let selection = try TargetSelection.select(of: arguments.of, wrt: arguments.wrt, in: program)
        var targetName = selection.name
        if !targetName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) || targetName.first?.isNumber == true {
            targetName = "target"
        }
        guard !selection.wrt.isEmpty else {
            throw Compilation.Failure(diagnostics: [GradientMessages.noParams(selection.name, at: program.graph[selection.node].range)],
                                      status: .programError)
        }
        let live = program.graph.reachable(from: [selection.node])
        let warnings = selection.wrt.filter { !live[$0.node.int] }.map {
            GradientMessages.independent(selection.name, of: $0.name, at: $0.range)
        }
        return GradientRequest(targetName: targetName, target: selection.node,
                               wrt: selection.wrt.map { ($0.name, $0.node) }, warnings: warnings,
                               announcement: selection.announcement)
    }

    /// Compiles and resolves for `grad` and `check`: on failure the diagnostics are printed and
    /// the exit status returned; on success the warnings are printed, and the line naming a
    /// target that was chosen by default.
    static func compile(_ arguments: Arguments, reportingTo console: Console,
                        memory: MemoryBudget = .machine) -> Result<(Compilation, GradientRequest), ExitStatus> {
        do {
            var compilation = try Compilation.compile(arguments, memory: memory)
            try compilation.loadParams(from: arguments.load)
            let request = try resolve(arguments, in: compilation.program)
            console.err(DiagnosticRenderer.render(compilation.warnings))
            if let announcement = request.announcement { console.err("slope: \(announcement)\n") }
            console.err(DiagnosticRenderer.render(request.warnings))
            return .success((compilation, request))
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return .failure(error.status)
        }
    }

    /// `graph` asked for the target and its gradient by each --wrt name: its outputs are the
    /// target (`outputs[0]`, named `targetName`) and then `d_A`, `d_B`, … in --wrt order, the
    /// backward pass appended to the forward pass and sharing its nodes.
    public func differentiate(_ graph: Graph) -> Graph {
        var result = graph.withOutputs([Output(name: targetName, node: target)])
        result.appendGradients(of: target, wrt: wrt.map(\.node))
        return result
    }

    /// The target and the gradients of a graph made by `differentiate` (or optimized from one).
    public static func outputs(of graph: Graph) -> (target: NodeID, gradients: [NodeID]) {
        (graph.outputs[0].node, graph.outputs.dropFirst().map(\.node))
    }
}
