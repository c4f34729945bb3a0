/// Every name written in a document's syntax tree, with what it refers to: the table behind
/// hover, go to definition and completion.
///
/// Names resolve as lowering resolves them: inside a `fn` body its parameters first, then the
/// global values (params, inputs, assignments; the first definition of a name that is defined
/// twice), then the document's functions, the prelude's and the built-ins. A name used before
/// its definition still points at it (lowering reports the order; the editor shows where).
public struct SymbolIndex: Sendable {
    public enum Kind: Sendable, Equatable {
        case param, input, value, function
        /// A parameter of the named `fn`.
        case parameter(of: String)

        public var isFunctionParameter: Bool {
            if case .parameter = self { return true }
            return false
        }
    }

    /// A name the document defines.
    public struct Definition: Sendable {
        public let name: String
        public let kind: Kind
        /// The name where it is defined.
        public let range: SourceRange
        /// The whole defining statement.
        public let statement: SourceRange
        /// A function's parameter names.
        public let parameters: [String]
    }

    public enum Target: Sendable, Equatable {
        /// `definitions[index]`.
        case definition(Int)
        case prelude(String)
        case builtin(String)
        /// A name nothing defines (lowering reports it).
        case unresolved
    }

    /// One place a name is written: a definition or a use.
    public struct Occurrence: Sendable {
        public let name: String
        public let range: SourceRange
        public let target: Target
    }

    public private(set) var definitions: [Definition] = []
    /// Sorted by position.
    public private(set) var occurrences: [Occurrence] = []

    public init(_ ast: AST) {
        var globals: [String: Int] = [:]
        var functions: [String: Int] = [:]
        // Definitions first, so a use before its definition resolves.
        for statement in ast.statements {
            switch statement.kind {
            case .declaration(let kind, let name, let range, _, _):
                add(Definition(name: name, kind: kind == .param ? .param : .input, range: range, statement: statement.range,
                               parameters: []), to: &globals)
            case .assignment(let name, let range, _):
                add(Definition(name: name, kind: .value, range: range, statement: statement.range, parameters: []), to: &globals)
            case .function(let name, let range, let parameters, _):
                add(Definition(name: name, kind: .function, range: range, statement: statement.range,
                               parameters: parameters.map(\.0)), to: &functions)
            case .seed, .print, .train:
                break
            }
        }
        var found: [Occurrence] = definitions.indices.map {
            Occurrence(name: definitions[$0].name, range: definitions[$0].range, target: .definition($0))
        }
        for statement in ast.statements {
            var locals: [String: Int] = [:]
            var roots: [ExpressionID] = []
            switch statement.kind {
            case .declaration(_, _, _, _, let initializer): roots = [initializer]
            case .assignment(_, _, let value): roots = [value]
            case .seed(let value): roots = [value]
            case .print(let items): roots = items.map(\.value)
            case .train(_, let target, _, _, let arguments): roots = [target] + arguments.map(\.value)
            case .function(let name, _, let parameters, let body):
                for (parameter, range) in parameters where locals[parameter] == nil {
                    locals[parameter] = definitions.count
                    definitions.append(Definition(name: parameter, kind: .parameter(of: name), range: range,
                                                  statement: statement.range, parameters: []))
                    found.append(Occurrence(name: parameter, range: range, target: .definition(definitions.count - 1)))
                }
                roots = [body]
            }
            // An explicit stack: a body may nest as deep as the parser allows.
            var stack = roots
            while let id = stack.popLast() {
                let expression = ast[id]
                switch expression.kind {
                case .name(let name):
                    let target = locals[name].map(Target.definition) ?? globals[name].map(Target.definition)
                        ?? Self.function(name, functions)
                    found.append(Occurrence(name: name, range: expression.range, target: target))
                case .call(let name, let calleeRange, _):
                    // A callee is a function; a value called by mistake still points at the value.
                    var target = Self.function(name, functions)
                    if target == .unresolved, let index = locals[name] ?? globals[name] { target = .definition(index) }
                    found.append(Occurrence(name: name, range: calleeRange, target: target))
                case .number, .string, .negate, .binary, .tensor, .invalid:
                    break
                }
                stack.append(contentsOf: expression.children)
            }
        }
        occurrences = found.sorted { $0.range.start < $1.range.start }
    }

    /// The document's function, else the prelude's, else a built-in, else nothing.
    static func function(_ name: String, _ functions: [String: Int]) -> Target {
        if let index = functions[name] { return .definition(index) }
        if Prelude.functionNames.contains(name) { return .prelude(name) }
        if BuiltinFunctions.names.contains(name) { return .builtin(name) }
        return .unresolved
    }

    mutating func add(_ definition: Definition, to table: inout [String: Int]) {
        if table[definition.name] == nil { table[definition.name] = definitions.count }
        definitions.append(definition)
    }

    /// The name at a byte offset: one that contains it, else one that ends there (the cursor
    /// just after a word).
    public func occurrence(at offset: Int) -> Occurrence? {
        var low = 0, high = occurrences.count
        while low < high {
            let mid = (low + high) / 2
            if occurrences[mid].range.end < offset { low = mid + 1 } else { high = mid }
        }
        guard low < occurrences.count else { return nil }
        let candidate = occurrences[low]
        guard candidate.range.start <= offset, offset <= candidate.range.end else { return nil }
        if candidate.range.end == offset, low + 1 < occurrences.count, occurrences[low + 1].range.start == offset {
            return occurrences[low + 1]
        }
        return candidate
    }

    /// The definition an occurrence refers to, when the document has it.
    public func definition(of occurrence: Occurrence) -> Definition? {
        guard case .definition(let index) = occurrence.target else { return nil }
        return definitions[index]
    }
}
