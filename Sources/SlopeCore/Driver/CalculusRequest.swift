/// What `tangent` and `critical` work on: the target (`--of`, with `grad`'s default) and its
/// variables, every scalar param and input the target depends on, in declaration order. Tensor
/// leaves it reads are held at their values. The names `--at` and `--in` give are checked here,
/// against the program: an unknown name, a computed value or a tensor is a usage error (exit 2);
/// a scalar leaf the target does not depend on is a warning.
struct CalculusRequest {
    /// The target's name as generated source can use it (`target` for an expression such as
    /// `mse(p, y)`, as `grad` does).
    let targetName: String
    let target: NodeID
    let variables: [Leaf]
    var warnings: [Diagnostic] = []
    /// Which target was chosen for the user (`TargetSelection`); nil after `--of`.
    var announcement: String? = nil

    static func resolve(_ arguments: Arguments, in program: Program) throws(Compilation.Failure) -> CalculusRequest {
        let selection = try TargetSelection.select(of: arguments.of, wrt: nil, in: program)
        var name = selection.name
        if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) || name.first?.isNumber == true { name = "target" }
        let live = program.graph.reachable(from: [selection.node])
        let variables = program.leaves.filter { live[$0.node.int] && $0.value.shape.isScalar }
        guard !variables.isEmpty else {
            let tensors = program.leaves.filter { live[$0.node.int] }.map(\.name)
            throw Compilation.Failure(diagnostics: [CalculusMessages.noVariables(selection.name, tensors: tensors,
                                                                                 at: program.graph[selection.node].range)],
                                      status: .programError)
        }
        return CalculusRequest(targetName: name, target: selection.node, variables: variables,
                               announcement: selection.announcement)
    }

    /// Prints, once `--at` or `--in` has been read, the line naming a target chosen by default
    /// (on stderr, as `grad` does) and the warnings about the names those options gave.
    func report(to console: Console) {
        if let announcement { console.err("slope: \(announcement)\n") }
        console.err(DiagnosticRenderer.render(warnings))
    }

    /// The position among the variables of the `option` name `name`, or nil (with a warning
    /// added) for a scalar leaf the target does not depend on.
    mutating func variable(_ name: String, option: String, in program: Program) throws(Compilation.Failure) -> Int? {
        if let index = variables.firstIndex(where: { $0.name == name }) { return index }
        let failure: Diagnostic
        if let leaf = program.leaf(named: name) {
            guard !leaf.value.shape.isScalar else {
                warnings.append(CalculusMessages.independent(targetName, of: name, option: option, at: leaf.range))
                return nil
            }
            failure = CalculusMessages.tensorVariable(option, name, leaf.value.shape, at: leaf.range)
        } else if program.names[name] != nil {
            failure = CalculusMessages.computedVariable(option, name, at: TargetSelection.definitionRange(of: name, in: program))
        } else {
            failure = DriverMessages.unknownName(option, name, available: variables.map(\.name))
        }
        throw Compilation.Failure(diagnostics: [failure], status: .usageError)
    }

    /// The point `--at` gives: its values, and the program's values for the variables it leaves out.
    mutating func point(_ at: [(name: String, value: Double)], in program: Program) throws(Compilation.Failure) -> [Double] {
        var point = variables.map { $0.value.values[0] }
        for (name, value) in at {
            if let index = try variable(name, option: "--at", in: program) { point[index] = value }
        }
        return point
    }

    /// The box `--in` gives: a range for every variable, or a usage error naming those without one.
    mutating func box(_ ranges: [(name: String, lower: Double, upper: Double)],
                      in program: Program) throws(Compilation.Failure) -> [(lower: Double, upper: Double)] {
        var box: [(lower: Double, upper: Double)?] = variables.map { _ in nil }
        for (name, lower, upper) in ranges {
            if let index = try variable(name, option: "--in", in: program) { box[index] = (lower, upper) }
        }
        let missing = zip(variables, box).filter { $0.1 == nil }.map(\.0.name)
        guard missing.isEmpty else {
            throw Compilation.Failure(diagnostics: [CalculusMessages.missingRanges(targetName, missing, all: variables.map(\.name))],
                                      status: .usageError)
        }
        return box.compactMap { $0 }
    }

    /// Compiles and resolves for `tangent` and `critical`; on failure the diagnostics are printed
    /// and the exit status returned; on success the compilation's warnings are printed.
    static func compile(_ arguments: Arguments, reportingTo console: Console) -> Result<(Compilation, CalculusRequest), ExitStatus> {
        do {
            let compilation = try Compilation.compile(arguments)
            let request = try resolve(arguments, in: compilation.program)
            console.err(DiagnosticRenderer.render(compilation.warnings))
            return .success((compilation, request))
        } catch {
            console.err(DiagnosticRenderer.render(error.diagnostics))
            return .failure(error.status)
        }
    }
}
