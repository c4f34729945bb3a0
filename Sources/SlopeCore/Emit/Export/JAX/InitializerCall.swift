/// How a declaration draws or reads its value, read back from its text (`param W: [2, 4] =
/// normal(0, 1)`), for the exported module to do the same: the distribution and its numbers,
/// or the CSV file and columns. Nil for anything else (a literal, written out as a value).
enum InitializerCall {
    case normal(mean: Double, std: Double)
    case uniform(low: Double, high: Double)
    case csv(path: String, columns: [String])

    init?(_ leaf: Leaf) {
        let text = leaf.range.text
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let file = SourceFile(path: leaf.range.file.path, text: String(text[text.index(after: equals)...]))
        let (ast, root, diagnostics) = Parser.parseExpression(file)
        guard let root, diagnostics.isEmpty, case .call(let name, _, let arguments) = ast[root].kind else { return nil }
        switch name {
        case "normal", "uniform":
            var evaluator = ConstantEvaluator()
            let numbers = arguments.compactMap { argument -> Double? in
                guard case .value(let tensor) = evaluator.evaluate(argument.value, in: ast) else { return nil }
                return tensor.scalarValue
            }
            guard numbers.count == 2 else { return nil }
            self = name == "normal" ? .normal(mean: numbers[0], std: numbers[1]) : .uniform(low: numbers[0], high: numbers[1])
        case "csv":
            let strings = arguments.compactMap { argument -> String? in
                if case .string(let value) = ast[argument.value].kind { return value }
                return nil
            }
            guard let path = strings.first, strings.count == arguments.count else { return nil }
            self = .csv(path: path, columns: Array(strings.dropFirst()))
        default:
            return nil
        }
    }
}
