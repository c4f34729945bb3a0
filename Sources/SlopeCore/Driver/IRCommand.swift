/// `slope ir`: the IR as text — optimized, as lowered (`--no-opt`), or after each pass that
/// changed it (`--passes`), with node counts and the rules that fired on each source line.
public enum IRCommand {
    /// `memory` bounds the initial values, as for every command.
    public static func execute(_ arguments: Arguments, console: Console, memory: MemoryBudget = .machine) -> ExitStatus {
        let compilation: Compilation
        switch Compilation.compile(arguments, reportingTo: console, memory: memory) {
        case .success(let compiled): compilation = compiled
        case .failure(let status): return status
        }
        let program = compilation.program
        if arguments.noOpt {
            console.out(IRPrinter.print(program.graph))
            return .success
        }
        let optimized = Optimizer.optimize(program.graph, roots: roots(of: program), recordGraphs: arguments.passes)
        if arguments.passes {
            console.out(passesReport(lowered: program.graph, optimized))
            console.out(fusionReport(optimized.graph, roots: optimized.roots))
        } else {
            console.out(IRPrinter.print(optimized.graph))
        }
        return .success
    }

    /// What `ir` keeps: printed values, training targets, and every value the user named.
    static func roots(of program: Program) -> [NodeID] {
        program.roots + program.names.values.sorted()
    }

    /// The lowered IR, then for each pass that changed the graph a header with the node counts,
    /// the rules that fired (grouped by rule and line, in order of first firing) and the IR.
    public static func passesReport(lowered: Graph, _ optimized: Optimized) -> String {
        var out = "# lowered: \(lowered.count) nodes\n" + IRPrinter.print(lowered)
        for run in optimized.runs {
            let sweep = run.sweep > 1 ? "sweep \(run.sweep) " : ""
            out += "\n# \(sweep)\(run.phase) round \(run.round), \(run.pass): \(run.nodesBefore) -> \(run.nodesAfter) nodes\n"
            for line in firingLines(run.firings) { out += "#   \(line)\n" }
            if let graph = run.graph { out += IRPrinter.print(graph) }
        }
        return out
    }

    /// The last stage, `fuse`: the fused loops the planner makes of the optimized IR. Fusion is
    /// a planning decision (the IR stays one op per node, for clarity); each group below runs as
    /// one loop over memory, its intermediate values never written out.
    public static func fusionReport(_ graph: Graph, roots: [NodeID]) -> String {
        let plan = Planner.plan(graph, outputs: roots)
        let names = NameTable(graph)
        var groups: [String] = []
        for step in plan.steps {
            guard case .fused(let program) = step.kernel else { continue }
            let ops = program.instructions.map { $0.operation.name } + program.reductions.map(\.name)
            groups.append("#   \(program.count) elements: \(ops.joined(separator: " ")) -> \(names[step.node])"
                          + (program.reductions.isEmpty ? "" : " (\(program.reductions.count) reductions)"))
        }
        return "\n# fuse: \(groups.count) fused loop\(groups.count == 1 ? "" : "s"), \(plan.stepCount) steps in the plan\n"
            + groups.map { $0 + "\n" }.joined()
    }

    /// `mul-by-one at line 6 (x2)`, one line per rule and source line.
    static func firingLines(_ firings: [RuleFiring]) -> [String] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for firing in firings {
            let place = firing.range.map { range in
                range.isPrelude ? "prelude line \(range.line)" : "line \(range.line)"
            } ?? "generated code"
            let key = "\(firing.rule) at \(place)"
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.map { key in counts[key]! > 1 ? "\(key) (x\(counts[key]!))" : key }
    }
}
