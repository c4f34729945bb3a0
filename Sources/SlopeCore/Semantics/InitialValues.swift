import Foundation

/// Computes the initial value of each param and input: a number (filling the declared shape),
/// a tensor literal, `normal(mean, std)`, `uniform(low, high)` or `csv(file, column, …)`.
/// Reading CSV files happens here, which is the "load" phase of `slope run --time`.
struct InitialValues {
    var random: Random
    let baseDirectory: String
    var tables: [String: CSVTable] = [:]
    /// What has been reported about each file (by resolved path): the file itself when it could
    /// not be read (`"file"`), its rows (`"rows"`), each of its columns (`"column 2"`). A file's
    /// problems are reported once however many `csv()` calls name it; later calls fail quietly.
    var reported: [String: Set<String>] = [:]
    var constants = ConstantEvaluator()
    var diagnostics: [Diagnostic] = []
    /// Seconds spent reading CSV files and drawing random values.
    var loadSeconds: Double = 0
    /// What the values may take together, and the bytes they (and the CSV tables kept for
    /// reuse) hold so far: each value is admitted before it is allocated.
    let memory: MemoryBudget
    var held = 0

    /// Largest tensor an initializer may create (2^31 elements).
    static let maximumCount = 1 << 31

    /// `LoweringOptions.regularFilesOnly`.
    let regularFilesOnly: Bool

    init(seed: UInt64, baseDirectory: String, memory: MemoryBudget = .machine, regularFilesOnly: Bool = false) {
        self.random = Random(seed: seed)
        self.baseDirectory = baseDirectory
        self.memory = memory
        self.regularFilesOnly = regularFilesOnly
        constants.memory = memory
    }

    /// Admits `count` float64s that `what` makes at `range` against the memory budget; false
    /// after a diagnostic when they do not fit beside the values made so far.
    mutating func admit(count: Int, shape: Shape?, what: String, at range: SourceRange) -> Bool {
        admit(bytes: MemoryBudget.bytes(count: count), shape: shape, what: what, at: range)
    }

    mutating func admit(bytes: Int, shape: Shape?, what: String, at range: SourceRange) -> Bool {
        do {
            try memory.admit(bytes: bytes, shape: shape, what: what, at: range, held: &held)
            return true
        } catch {
            diagnostics.append(error)
            return false
        }
    }

    /// How a declaration's initializer gives the value: drawn, read from a file, or written out.
    static func source(of root: ExpressionID, in ast: AST) -> ValueSource {
        guard case .call(let name, _, _) = ast[root].kind else { return .literal }
        switch name {
        case "normal", "uniform": return .random
        case "csv": return .csv
        default: return .literal
        }
    }

    /// The initial value of a declaration, or nil after a diagnostic.
    mutating func evaluate(_ root: ExpressionID, in ast: AST, declared: DeclaredShape?, for leafName: String) -> Tensor? {
        let expression = ast[root]
        let declaredShape = declared.map { Shape($0.dimensions) }
        if let declaredShape, declaredShape.dimensions.reduce(1.0, { $0 * Double($1) }) > Double(Self.maximumCount) {
            diagnostics.append(InputMessages.shapeTooLarge(declaredShape, at: declared!.range))
            return nil
        }
        if case .call(let name, let calleeRange, let arguments) = expression.kind,
           ["normal", "uniform", "csv"].contains(name) {
            let shape = declaredShape ?? .scalar
            switch name {
            case "normal", "uniform":
                guard arguments.count == 2, arguments.allSatisfy({ $0.label == nil }) else {
                    diagnostics.append(InputMessages.initializerArguments(
                        name, name == "normal" ? "two numbers: normal(mean, std)" : "two numbers: uniform(low, high)", at: expression.range))
                    return nil
                }
                guard let a = scalar(arguments[0].value, ast, "the first argument of '\(name)'"),
                      let b = scalar(arguments[1].value, ast, "the second argument of '\(name)'") else { return nil }
                // A negative spread or an empty interval would still draw numbers (normal(0, -1)
                // is normal(0, 1) with the signs flipped), so it is refused rather than guessed at.
                if let problem = InputMessages.drawArguments(name, a, b, first: ast[arguments[0].value].range,
                                                             second: ast[arguments[1].value].range) {
                    diagnostics.append(problem)
                    return nil
                }
                // Drawing values is the "load" phase of --time, like reading files.
                guard admit(count: shape.count, shape: shape, what: name, at: expression.range) else { return nil }
                let start = Date()
                defer { loadSeconds += Date().timeIntervalSince(start) }
                var values = [Double](repeating: 0, count: shape.count)
                for index in values.indices {
                    values[index] = name == "normal" ? random.normal(a, b) : random.uniform(a, b)
                }
                return Tensor(shape: shape, values: values)
            default:
                guard let table = csv(arguments, ast, callee: calleeRange, call: expression.range) else { return nil }
                return conform(table, to: declared, name: leafName, fromFile: true, at: expression.range)
            }
        }
        constants.held = held
        switch constants.evaluate(root, in: ast) {
        case .value(let tensor):
            // A literal is as large as its source text at most: counted once it is made.
            guard admit(count: tensor.shape.count, shape: tensor.shape, what: "tensor literal", at: expression.range) else { return nil }
            return conform(tensor, to: declared, name: leafName, fromFile: false, at: expression.range)
        case .notConstant(let range):
            diagnostics.append(InputMessages.notAnInitializer(at: range))
            return nil
        case .failed:
            diagnostics.append(contentsOf: constants.diagnostics)
            constants.diagnostics.removeAll()
            return nil
        }
    }

    /// A number fills the declared shape; any other value must have the declared shape or, for
    /// values read from files, the same number of elements (a [1, 128] file fills a [128] param).
    mutating func conform(_ tensor: Tensor, to declared: DeclaredShape?, name: String, fromFile: Bool, at range: SourceRange) -> Tensor? {
        guard let declared else { return tensor }
        let shape = Shape(declared.dimensions)
        if tensor.shape == shape { return tensor }
        if let scalar = tensor.scalarValue {
            guard admit(count: shape.count, shape: shape, what: range.text, at: range) else { return nil }
            return Tensor(filling: shape, with: scalar)
        }
        if fromFile && tensor.shape.count == shape.count { return tensor.reshaped(shape) }
        diagnostics.append(ShapeMessages.declaredShapeMismatch(name, declared: shape, found: tensor.shape, at: range))
        return nil
    }

    mutating func scalar(_ id: ExpressionID, _ ast: AST, _ what: String) -> Double? {
        let value = constants.scalar(id, in: ast, what: what)
        diagnostics.append(contentsOf: constants.diagnostics)
        constants.diagnostics.removeAll()
        return value
    }

    /// csv("file") is every column as [rows, columns]; csv("file", "a") is column a as [rows];
    /// csv("file", "a", "b") is [rows, 2].
    mutating func csv(_ arguments: [Argument], _ ast: AST, callee: SourceRange, call: SourceRange) -> Tensor? {
        var strings: [(String, SourceRange)] = []
        for argument in arguments {
            guard argument.label == nil, case .string(let text) = ast[argument.value].kind else {
                diagnostics.append(InputMessages.initializerArguments(
                    "csv", "a file name and column names, all in quotes: csv(\"data.csv\", \"x\")", at: ast[argument.value].range))
                return nil
            }
            strings.append((text, ast[argument.value].range))
        }
        guard let (path, pathRange) = strings.first else {
            diagnostics.append(InputMessages.initializerArguments("csv", "a file name: csv(\"data.csv\", \"x\")", at: call))
            return nil
        }
        guard let (table, resolved) = load(path, at: pathRange) else { return nil }
        guard table.rowCount > 0 || table.raggedRowCount > 0 else {
            if reported[resolved, default: []].insert("rows").inserted {
                diagnostics.append(InputMessages.csvNoRows(path: path, at: pathRange))
            }
            return nil
        }
        var columnIndices: [Int] = []
        for (column, range) in strings.dropFirst() {
            guard let index = table.index(of: column) else {
                diagnostics.append(InputMessages.csvUnknownColumn(
                    column, path: path, available: table.header,
                    suggestion: Suggestions.closest(to: column, among: table.header), at: range))
                return nil
            }
            columnIndices.append(index)
        }
        let selected = columnIndices.isEmpty ? Array(table.header.indices) : columnIndices
        guard problems(of: table, resolved, path, columns: selected, rowsRange: pathRange, cellRange: call) else { return nil }
        let rows = table.rowCount
        if columnIndices.count == 1 {
            return Tensor(shape: Shape([rows]), values: table.columns[selected[0]])
        }
        guard admit(count: rows * selected.count, shape: Shape([rows, selected.count]), what: "csv", at: call) else { return nil }
        var values = [Double](repeating: 0, count: rows * selected.count)
        for (position, column) in selected.enumerated() {
            let source = table.columns[column]
            for row in 0..<rows { values[row * selected.count + position] = source[row] }
        }
        return Tensor(shape: Shape([rows, selected.count]), values: values)
    }

    /// Whether the rows and the `columns` of a table are all numbers; if not, reports what has
    /// not been reported about the file yet: every short or long row and every bad cell of those
    /// columns, in line order, the first few in full and the rest as a count.
    mutating func problems(of table: CSVTable, _ resolved: String, _ path: String, columns: [Int],
                           rowsRange: SourceRange, cellRange: SourceRange) -> Bool {
        var seen: Set<Int> = []
        let bad = columns.filter { table.badCellCounts[$0] > 0 && seen.insert($0).inserted }
        guard table.raggedRowCount > 0 || !bad.isEmpty else { return true }
        var problems: [InputMessages.CSVProblem] = []
        var total = 0
        if reported[resolved, default: []].insert("rows").inserted {
            problems += table.raggedRows.map { .ragged(line: $0.line, found: $0.found, expected: table.header.count) }
            total += table.raggedRowCount
        }
        for column in bad where reported[resolved, default: []].insert("column \(column)").inserted {
            problems += table.badCells[column].map {
                .badCell(line: $0.line, column: table.header[column], text: $0.text, outOfRange: $0.outOfRange)
            }
            total += table.badCellCounts[column]
        }
        if !problems.isEmpty {
            // Stable: at one line, rows come before cells, and cells in the order of `columns`.
            let shown = Array(problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
                .map(\.element).prefix(CSVTable.keptProblems))
            diagnostics.append(InputMessages.csvProblems(path: path, shown, total: total, rowsRange: rowsRange, cellRange: cellRange))
        }
        return false
    }

    /// Reads a file once per program, relative to the .graph file's folder; a file that cannot
    /// be read is reported at the first `csv()` call that names it.
    mutating func load(_ path: String, at range: SourceRange) -> (table: CSVTable, resolved: String)? {
        let resolved = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
        if let table = tables[resolved] { return (table, resolved) }
        guard reported[resolved, default: []].insert("file").inserted else { return nil }
        var status = stat()
        if regularFilesOnly, stat(resolved, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            diagnostics.append(InputMessages.csvNotRegularFile(path: path, at: range))
            return nil
        }
        let start = Date()
        defer { loadSeconds += Date().timeIntervalSince(start) }
        do {
            // The file's bytes are held while it is parsed (twice: as read and as bytes), and
            // the numbers stay with the table: each is admitted before it is allocated.
            let size = (try? FileManager.default.attributesOfItem(atPath: resolved)[.size] as? Int) ?? 0
            guard admit(bytes: 2 * size, shape: nil, what: "the file '\(path)'", at: range) else { return nil }
            let bytes = try CSVTable.read(path: resolved)
            defer { held -= 2 * size }
            let cells = CSVTable.cellBound(bytes)
            guard admit(count: cells, shape: nil, what: "the file '\(path)'", at: range) else { return nil }
            let table = try CSVTable.parse(path: resolved, bytes: bytes, cellBound: cells)
            tables[resolved] = table
            return (table, resolved)
        } catch {
            switch error {
            case .unreadable(let reason):
                diagnostics.append(InputMessages.csvUnreadable(path: path, reason: reason, at: range))
            case .empty:
                diagnostics.append(InputMessages.csvEmpty(path: path, at: range))
            case .unterminatedQuote(let line):
                diagnostics.append(InputMessages.csvUnterminatedQuote(path: path, line: line, at: range))
            }
            return nil
        }
    }
}
