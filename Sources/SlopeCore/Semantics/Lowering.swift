import Foundation

/// What a program is lowered with besides its source: `--set` values, `--seed`, and the folder
/// that CSV paths are relative to.
public struct LoweringOptions: Sendable {
    public struct Override: Sendable {
        public let name: String
        public let value: Tensor
        public let range: SourceRange?
        public init(name: String, value: Tensor, range: SourceRange?) {
            self.name = name
            self.value = value
            self.range = range
        }
    }

    public var overrides: [Override] = []
    public var seed: UInt64?
    public var baseDirectory: String = "."
    /// The most nodes the program's graph may have (`Lowering.maximumNodes`; tests lower it).
    public var maximumNodes: Int = Lowering.maximumNodes
    /// What the initial values (drawn, filled, read from CSV files) may take (`MemoryBudget`).
    public var memory: MemoryBudget = .machine
    /// Whether `csv()` reads only regular files: the language server's standard input is the
    /// protocol, and a pipe or device (`csv("/dev/stdin")`) would wait for input forever.
    public var regularFilesOnly = false

    public init(overrides: [Override] = [], seed: UInt64? = nil, baseDirectory: String = ".", memory: MemoryBudget = .machine,
                maximumNodes: Int = Lowering.maximumNodes) {
        self.overrides = overrides
        self.seed = seed
        self.baseDirectory = baseDirectory
        self.memory = memory
        self.maximumNodes = maximumNodes
    }
}

/// A `fn` definition, kept as syntax and inlined at each call.
struct FunctionDefinition {
    let name: String
    let parameters: [String]
    let body: ExpressionID
    /// Which syntax tree holds the body (the prelude's or the user's).
    let source: Int
    let range: SourceRange
}

/// Turns a checked syntax tree into IR: resolves names, inlines functions, infers shapes,
/// evaluates initial values and lowers `grad(...)` through reverse mode. The graph is built as
/// written, so `slope ir --no-opt` and `slope dot` show the user's program.
public struct Lowering {
    /// Deepest chain of nested `fn` calls.
    static let maximumInlineDepth = 64
    /// The most nodes a program's graph may have, counting every node lowering makes: the
    /// calls it inlines and the backward passes of its `grad`s. Past it, the call, the `grad` or
    /// the statement that crossed it is a diagnostic (`semantic.graph-too-large`), reached in a
    /// few seconds and a few hundred megabytes (3 s and 260 MB for the 24 levels of
    /// doubling calls, in a release build), instead of an exponential program running the
    /// machine out of memory. SPEC.md 1.2.
    public static let maximumNodes = 1_000_000
    /// Index of the prelude's syntax tree in `sources`.
    static let preludeSource = 0

    var sources: [AST]
    /// Indexed, so `grad`, `jvp` and `fn` substitutions hash-cons against the graph built so far
    /// without rebuilding a table over it each time (which made many of them quadratic).
    var builder = GraphBuilder(indexing: true)
    var globals: [String: NodeID] = [:]
    var definitions: [(name: String, range: SourceRange)] = []
    var definitionRanges: [String: SourceRange] = [:]
    /// Global names defined as a derivative (`fx = grad(f, x)`): `Program.derivatives`.
    var derivativeNames: Set<String> = []
    /// Names whose definition failed: uses are not reported again.
    var poisoned: Set<String> = []
    var functions: [String: FunctionDefinition] = [:]
    /// Every name the program defines anywhere, for "used before it is defined": built the
    /// first time a name is not found (a table of every name, hashed for every statement,
    /// was a twentieth of lowering a long program that never needs it).
    lazy var laterDefinitions: [String: SourceRange] = Lowering.firstDefinitions(in: sources[1])
    /// The name the current statement defines, for "used in its own definition".
    var defining: String?
    var leaves: [Leaf] = []
    /// The values statements read, in statement order; statements refer to them by position.
    var outputs: [Output] = []
    var statements: [Program.Statement] = []
    var diagnostics: [Diagnostic] = []
    var initialValues: InitialValues
    var overrides: [String: LoweringOptions.Override] = [:]
    /// The `--set` names that name a declaration (whether or not their value fitted it).
    var overriddenLeaves: Set<String> = []
    var inlineStack: [String] = []
    /// The stacks `lower(_:source:locals:)` walks expressions with, reused statement after statement.
    var expressionWalk = ExpressionWalk()
    /// Placeholders made for `grad` with respect to a function parameter, and everything that
    /// depends on them: removed when lowering ends.
    var scratch: [Bool] = []
    var placeholderCount = 0
    let seed: UInt64
    var maximumNodes = Lowering.maximumNodes
    /// Where the graph first grew past `maximumNodes`: once set, lowering stops.
    var budgetCrossing: BudgetCrossing?

    public static func lower(_ ast: AST, options: LoweringOptions = LoweringOptions())
        -> (program: Program?, diagnostics: [Diagnostic], loadSeconds: Double) {
        let lowering = lowered(ast, options: options)
        let loadSeconds = lowering.initialValues.loadSeconds
        if lowering.diagnostics.contains(where: \.isError) {
            return (nil, lowering.diagnostics, loadSeconds)
        }
        return (lowering.finish(), lowering.diagnostics, loadSeconds)
    }

    /// Lowers every statement and returns the lowering itself, errors and all: `lower` finishes
    /// it into a program, and the language server reads the names it defined before an error.
    static func lowered(_ ast: AST, options: LoweringOptions) -> Lowering {
        var seed: UInt64 = 0
        var seedRange: SourceRange?
        var early: [Diagnostic] = []
        // Statements read in place, by index: `for statement in` copies each one out, retaining
        // and releasing what it holds, twice per statement of a long program.
        for index in ast.statements.indices {
            guard case .seed(let value) = ast.statements[index].kind else { continue }
            let statement = ast.statements[index]
            if let seedRange {
                early.append(SemanticMessages.seedRepeated(previous: seedRange, at: statement.range))
                continue
            }
            seedRange = statement.range
            var evaluator = ConstantEvaluator()
            if let number = evaluator.integer(value, in: ast, what: "the seed") {
                if number < 0 { early.append(SemanticMessages.negativeSeed(number, at: ast[value].range)) }
                else { seed = UInt64(number) }
            }
            early.append(contentsOf: evaluator.diagnostics)
        }
        if let override = options.seed { seed = override }
        var lowering = Lowering(sources: [Prelude.ast, ast],
                                initialValues: InitialValues(seed: seed, baseDirectory: options.baseDirectory,
                                                             memory: options.memory, regularFilesOnly: options.regularFilesOnly),
                                seed: seed)
        lowering.diagnostics = early
        lowering.maximumNodes = options.maximumNodes
        for override in options.overrides { lowering.overrides[override.name] = override }
        lowering.registerFunctions(of: Lowering.preludeSource)
        lowering.reserveTables(for: ast)
        for index in ast.statements.indices { lowering.lower(ast.statements[index]) }
        lowering.reportUnusedOverrides()
        return lowering
    }

    /// The program, its interface in the graph, with the scratch nodes of `grad` removed.
    func finish() -> Program {
        var graph = builder.finish()
        graph.leaves = leaves
        graph.outputs = outputs
        graph.namedValues = globals
        var removed = scratch
        removed.append(contentsOf: [Bool](repeating: false, count: graph.count - removed.count))
        if removed.contains(true) {
            // Everything that depends on a placeholder is scratch too.
            for (index, node) in graph.nodes.enumerated() where !removed[index] {
                if node.operands.contains(where: { removed[$0.int] }) { removed[index] = true }
            }
            graph = graph.compacting(removing: removed).graph
        }
        var program = Program(graph: graph, definitions: definitions, statements: statements, seed: seed, file: sources[1].file,
                              derivatives: derivativeNames)
        program.readFiles = (sources[1].file.map { [$0.path] } ?? []) + initialValues.tables.keys.sorted()
        return program
    }

    mutating func registerFunctions(of source: Int) {
        for statement in sources[source].statements {
            if case .function(let name, _, let parameters, let body) = statement.kind {
                functions[name] = FunctionDefinition(name: name, parameters: parameters.map(\.0), body: body,
                                                     source: source, range: statement.range)
            }
        }
    }

    mutating func reserveTables(for ast: AST) {
        // About one name per statement: the tables are sized once, not rehashed as they grow.
        globals.reserveCapacity(ast.statements.count)
        definitionRanges.reserveCapacity(ast.statements.count)
        // About one node per two expressions (a name is an expression and no node): the node
        // array and its index are sized once instead of doubling and rehashing up to the size
        // of a long program (the 100,000-node chain has 200,000 expressions).
        builder.reserveRoom(forNodes: ast.expressions.count / 2)
    }

    /// The first definition of each name in `ast`.
    static func firstDefinitions(in ast: AST) -> [String: SourceRange] {
        var first: [String: SourceRange] = [:]
        first.reserveCapacity(ast.statements.count)
        // Last statement first, each storing its name: the first definition of a name is the one
        // left, for one hash per statement instead of a lookup and an insertion.
        for index in ast.statements.indices.reversed() {
            switch ast.statements[index].kind {
            case .declaration(_, let name, let range, _, _), .assignment(let name, let range, _):
                first[name] = range
            case .seed, .function, .print, .train: break
            }
        }
        return first
    }

    mutating func reportUnusedOverrides() {
        let available = leaves.map(\.name)
        for override in overrides.values.sorted(by: { $0.name < $1.name }) where !overriddenLeaves.contains(override.name) {
            diagnostics.append(InputMessages.overrideUnknown(override.name, available: available, at: override.range))
        }
    }

    // MARK: Statements

    mutating func lower(_ statement: Statement) {
        guard budgetCrossing == nil else { return }
        defer { checkBudget(after: statement) }
        let user = 1
        switch statement.kind {
        case .declaration(let kind, let name, let nameRange, let shape, let initializer):
            guard define(name, at: nameRange) else { return }
            let value: Tensor?
            let overridden = overrides[name] != nil
            if let override = overrides[name] {
                overriddenLeaves.insert(name)
                value = conform(override, to: shape, name: name)
            } else {
                value = initialValues.evaluate(initializer, in: sources[user], declared: shape, for: name)
                diagnostics.append(contentsOf: initialValues.diagnostics)
                initialValues.diagnostics.removeAll()
            }
            guard let value else { poisoned.insert(name); return }
            let op: Op = .leaf(kind, name)
            let node = builder.add(op, [], shape: value.shape, range: statement.range, name: name)
            globals[name] = node
            leaves.append(Leaf(name: name, kind: kind, node: node, value: value,
                               source: InitialValues.source(of: initializer, in: sources[user]), isSet: overridden,
                               range: statement.range))

        case .seed:
            break  // read before lowering

        case .function(let name, let nameRange, let parameters, let body):
            if BuiltinFunctions.names.contains(name) {
                diagnostics.append(SemanticMessages.builtinRedefined(name, at: nameRange))
                return
            }
            if let previous = definitionRanges[name] {
                diagnostics.append(SemanticMessages.nameRedefined(name, previous: previous, at: nameRange))
                return
            }
            var seen: Set<String> = []
            for (parameter, range) in parameters where !seen.insert(parameter).inserted {
                diagnostics.append(SemanticMessages.duplicateParameter(parameter, at: range))
                return
            }
            definitionRanges[name] = nameRange
            functions[name] = FunctionDefinition(name: name, parameters: parameters.map(\.0), body: body,
                                                 source: user, range: statement.range)

        case .assignment(let name, let nameRange, let value):
            guard define(name, at: nameRange) else { return }
            let before = builder.graph.count
            defining = name
            let node = lower(value, source: user, locals: [:])
            defining = nil
            guard let node else { poisoned.insert(name); return }
            if node.int >= before && builder[node].name == nil { builder.setName(node, name) }
            globals[name] = node
            if isDerivative(value, source: user) { derivativeNames.insert(name) }

        case .print(let items):
            var printed: [Output] = []
            for item in items {
                guard let node = lower(item.value, source: user, locals: [:]) else { continue }
                printed.append(Output(name: item.range.text, node: node))
            }
            guard printed.count == items.count else { return }
            statements.append(.print(zip(items, printed).enumerated().map { position, pair in
                (text: pair.1.name, output: outputs.count + position, range: pair.0.range)
            }))
            outputs.append(contentsOf: printed)

        case .train(let direction, let target, let method, let methodRange, let arguments):
            guard let node = lower(target, source: user, locals: [:]) else { return }
            let targetRange = sources[user][target].range
            guard builder[node].shape.isScalar else {
                diagnostics.append(SemanticMessages.nonScalarTarget(direction, builder[node].shape, at: targetRange))
                return
            }
            guard builder.graph.leaves(reachableFrom: [node]).contains(where: { if case .leaf(.param, _) = builder[$0].op { return true }; return false }) else {
                diagnostics.append(SemanticMessages.trainingTargetWithoutParams(direction, at: targetRange)
                    .withNotes(forgottenParams(of: node)))
                return
            }
            guard let settings = trainingMethod(method, methodRange, arguments, statement.range) else { return }
            statements.append(.train(direction: direction, output: outputs.count, targetText: targetRange.text,
                                     method: settings, range: statement.range))
            outputs.append(Output(name: targetRange.text, node: node))
        }
    }

    /// Records a global definition; false (with a diagnostic) when the name is taken.
    mutating func define(_ name: String, at range: SourceRange) -> Bool {
        if BuiltinFunctions.names.contains(name) {
            diagnostics.append(SemanticMessages.builtinRedefined(name, at: range))
            poisoned.insert(name)
            return false
        }
        // One hash for a new name: stored at once, and put back in the rare case it was taken.
        if let previous = definitionRanges.updateValue(range, forKey: name) {
            definitionRanges[name] = previous
            diagnostics.append(SemanticMessages.nameRedefined(name, previous: previous, at: range))
            return false
        }
        definitions.append((name, range))
        return true
    }

    /// A `--set` value for a declaration: a number fills a declared shape; a tensor must match
    /// it. A tensor that does not is a mistake on the command line, not in the file.
    mutating func conform(_ override: LoweringOptions.Override, to declared: DeclaredShape?, name: String) -> Tensor? {
        guard let declared else { return override.value }
        let shape = Shape(declared.dimensions)
        if override.value.shape == shape { return override.value }
        if let scalar = override.value.scalarValue {
            guard initialValues.admit(count: shape.count, shape: shape, what: "--set \(name)", at: declared.range) else {
                diagnostics.append(contentsOf: initialValues.diagnostics)
                initialValues.diagnostics.removeAll()
                return nil
            }
            return Tensor(filling: shape, with: scalar)
        }
        diagnostics.append(InputMessages.overrideShape(name, declared: shape, found: override.value.shape,
                                                       declaration: declared.range))
        return nil
    }
}
