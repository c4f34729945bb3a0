/// Checking a training method and its settings: `gd(rate: 0.1, steps: 1000)`. Settings may also
/// be given positionally in the order the contract lists them.
extension Lowering {
    /// The settings each method accepts, in positional order.
    static let methodSettings: [TrainingMethod.Kind: [String]] = [
        .gd: ["rate", "steps", "tolerance"],
        .sgd: ["rate", "steps", "batch", "tolerance"],
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
                    let suggestion = Suggestions.closest(to: label, among: accepted)
                    diagnostics.append(SemanticMessages.trainingSetting(
                        "'\(name)' has no setting '\(label)'; its settings are \(accepted.joined(separator: ", "))"
                            + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""), at: settingRange))
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
            var evaluator = ConstantEvaluator()
            guard let value = evaluator.scalar(argument.value, in: ast, what: "'\(setting)'") else {
                diagnostics.append(contentsOf: evaluator.diagnostics)
                return nil
            }
            let valueRange = ast[argument.value].range
            func fail(_ requirement: String) -> TrainingMethod? {
                diagnostics.append(SemanticMessages.trainingSetting(
                    "'\(setting)' must be \(requirement), found \(ValueFormatter.number(value))", at: valueRange))
                return nil
            }
            switch setting {
            case "rate":
                guard value > 0, value.isFinite else { return fail("a positive number") }
                method.rate = value
            case "steps":
                guard value >= 0, value == value.rounded(), value <= 1e9 else { return fail("a whole number from 0 to 10^9") }
                method.steps = Int(value)
            case "batch":
                guard value >= 1, value == value.rounded(), value <= 1e12 else { return fail("a whole number ≥ 1") }
                method.batch = Int(value)
            case "beta", "beta1", "beta2":
                guard value >= 0, value < 1 else { return fail("at least 0 and below 1") }
                if setting == "beta" { method.beta = value } else if setting == "beta1" { method.beta1 = value } else { method.beta2 = value }
            case "eps":
                guard value > 0, value.isFinite else { return fail("a positive number") }
                method.epsilon = value
            case "tolerance":
                guard value >= 0, value.isFinite else { return fail("a number ≥ 0") }
                method.tolerance = value
            default:
                break
            }
        }
        return method
    }
}
