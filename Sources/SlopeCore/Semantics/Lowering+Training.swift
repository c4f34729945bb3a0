/// Checking a training method and its settings: `gd(rate: 0.1, steps: 1000)`. Settings may also
/// be given positionally in the order the contract lists them.
extension Lowering {
    /// The settings each method accepts, in positional order.
    static let methodSettings: [TrainingMethod.Kind: [String]] = [
        .gd: ["rate", "steps", "tolerance"],
        .sgd: ["rate", "steps", "batch", "tolerance", "shuffle"],
        .momentum: ["rate", "steps", "beta", "tolerance"],
        .adam: ["rate", "steps", "beta1", "beta2", "eps", "tolerance"],
        .newton: ["steps", "tolerance"],
    ]

    mutating func trainingMethod(_ name: String, _ nameRange: SourceRange, _ arguments: [Argument], _ range: SourceRange) -> TrainingMethod? {
        guard let kind = TrainingMethod.Kind(rawValue: name) else {
            diagnostics.append(SemanticMessages.unknownMethod(
                name, suggestion: Suggestions.closest(to: name, among: TrainingMethod.Kind.allCases.map(\.rawValue)), at: nameRange))
            return nil
        }
        var method = TrainingMethod(kind: kind, rate: 0.01, steps: kind == .newton ? 10 : 100, batch: nil,
                                    beta: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, tolerance: nil, range: range)
        let accepted = Lowering.methodSettings[kind]!
        let ast = sources[1]
        var seen: Set<String> = []
        for (position, argument) in arguments.enumerated() {
            let setting: String
            let settingRange = argument.labelRange ?? ast[argument.value].range
            if let label = argument.label {
                guard accepted.contains(label) else {
                    let alias = HabitMessages.settingAlias(label, method: name, accepted: accepted)
                    let suggestion = alias == nil ? Suggestions.closest(to: label, among: accepted) : nil
                    diagnostics.append(SemanticMessages.trainingSetting(
                        "'\(name)' has no setting '\(label)'; its settings are \(accepted.joined(separator: ", "))"
                            + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""), at: settingRange)
                        .withNotes(alias.map { [$0] } ?? []))
                    return nil
                }
                setting = label
            } else {
                guard position < accepted.count, arguments[..<position].allSatisfy({ $0.label == nil }) else {
                    diagnostics.append(SemanticMessages.trainingSetting(
                        "name this setting, as in '\(name)(\(accepted.map { "\($0): …" }.joined(separator: ", ")))'", at: settingRange))
                    return nil
                }
                setting = accepted[position]
            }
            guard seen.insert(setting).inserted else {
                diagnostics.append(SemanticMessages.trainingSetting("'\(setting)' is given twice", at: settingRange))
                return nil
            }
            // `shuffle: false` is the one setting that is a word, not a number.
            if setting == "shuffle" {
                guard case .name(let word) = ast[argument.value].kind, word == "true" || word == "false" else {
                    diagnostics.append(SemanticMessages.trainingSetting(
                        "'shuffle' must be \(Lowering.requirement(of: setting)), found '\(ast[argument.value].range.text)'",
                        at: ast[argument.value].range))
                    return nil
                }
                method.shuffle = word == "true"
                continue
            }
            // `rate: nan` reads as a name; say what the setting needs, not that names are not allowed.
            if case .name(let word) = ast[argument.value].kind, ["nan", "inf", "infinity"].contains(word.lowercased()) {
                diagnostics.append(SemanticMessages.trainingSetting(
                    "'\(setting)' must be \(Lowering.requirement(of: setting)), found '\(word)'", at: ast[argument.value].range))
                return nil
            }
            var evaluator = ConstantEvaluator()
            guard let value = evaluator.scalar(argument.value, in: ast, what: "'\(setting)'") else {
                diagnostics.append(contentsOf: evaluator.diagnostics)
                return nil
            }
            let valueRange = ast[argument.value].range
            func fail() -> TrainingMethod? {
                diagnostics.append(SemanticMessages.trainingSetting(
                    "'\(setting)' must be \(Lowering.requirement(of: setting)), found \(ValueFormatter.number(value))", at: valueRange))
                return nil
            }
            switch setting {
            case "rate":
                guard value > 0, value.isFinite else { return fail() }
                method.rate = value
            case "steps":
                guard value >= 0, value == value.rounded(), value <= 1e9 else { return fail() }
                method.steps = Int(value)
            case "batch":
                guard value >= 1, value == value.rounded(), value <= 1e12 else { return fail() }
                method.batch = Int(value)
            case "beta", "beta1", "beta2":
                guard value >= 0, value < 1 else { return fail() }
                if setting == "beta" { method.beta = value } else if setting == "beta1" { method.beta1 = value } else { method.beta2 = value }
            case "eps":
                guard value > 0, value.isFinite else { return fail() }
                method.epsilon = value
            case "tolerance":
                guard value >= 0, value.isFinite else { return fail() }
                method.tolerance = value
            default:
                break
            }
        }
        // Settings are accepted in the contract's order, but a reader cannot tell which number
        // is which: a warning shows the labelled form.
        let positional = arguments.enumerated().filter { $0.element.label == nil }
        if let first = positional.first {
            let settings = positional.map { (accepted[$0.offset], ast[$0.element.value].range.text) }
            diagnostics.append(HabitMessages.positionalSettings(name, settings, at: ast[first.element.value].range))
        }
        return method
    }

    /// For a training target that depends on no param: the values that were probably meant to
    /// be params. A name given a constant (`m = 0`) is what forgetting `param` writes; an input
    /// is never trained. Each note is at the definition, with the declaration to write.
    func forgottenParams(of target: NodeID) -> [Diagnostic.Note] {
        let live = builder.graph.reachable(from: [target])
        let ast = sources[1]
        var notes: [Diagnostic.Note] = []
        for statement in ast.statements {
            switch statement.kind {
            case .assignment(let name, let nameRange, let value):
                guard let node = globals[name], live[node.int] else { continue }
                var evaluator = ConstantEvaluator()
                guard case .value = evaluator.evaluate(value, in: ast) else { continue }
                notes.append(.init("'\(name)' is a constant; to train it, declare it with 'param \(name) = \(ast[value].range.text)'",
                                   at: nameRange))
            case .declaration(.input, let name, let nameRange, _, _):
                guard let node = globals[name], live[node.int] else { continue }
                notes.append(.init("'\(name)' is an input, which training never changes; to train it, declare it with 'param'",
                                   at: nameRange))
            default:
                continue
            }
        }
        return Array(notes.prefix(3))
    }

    /// What a training setting must be, as its diagnostics say.
    static func requirement(of setting: String) -> String {
        switch setting {
        case "rate", "eps": return "a finite positive number"
        case "steps": return "a whole number from 0 to 10^9"
        case "batch": return "a whole number ≥ 1"
        case "beta", "beta1", "beta2": return "at least 0 and below 1"
        case "shuffle": return "true or false"
        default: return "a finite number ≥ 0"
        }
    }
}
