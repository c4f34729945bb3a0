import Foundation
import SlopeCore
import Testing

/// Runs the programs in `Tests/Cases/` and checks the expectations written as comments on
/// the lines they concern:
///
///     print x^2 + 1, [1, 2] * 2      # expect: 5, [2, 4]
///     z = X @ W + b                  # error: cannot add shapes [3, 2] and [4]
///     y = 1 + zz                     # error(9): undefined name 'zz'
///
/// `# expect:` lists the values the print statement on that line prints, compared to 1e-12
/// relative (tensors as literals; `nan`, `inf` and `-inf` allowed). `# error:` expects a
/// diagnostic on that line whose message contains the text; `# error(COL):` pins its column.
/// `# warning:` and `# warning(COL):` expect a warning the same way. After either, each
/// `# note: TEXT` expects a note of that diagnostic containing the text:
///
///     y = m**2                       # error(6): expected an expression # note: write powers with '^'
///
/// A case with errors must fail with exit status 1 and report no error that is not expected; a
/// case without must succeed. Warnings that are not expected are allowed.
public struct GraphCase: Sendable, CustomTestStringConvertible {
    public let url: URL
    public init(url: URL) { self.url = url }
    public var name: String { url.lastPathComponent }
    public var testDescription: String { name }

    /// Every `.graph` file directly under `Tests/Cases/`, sorted by name.
    public static func all() -> [GraphCase] {
        let folder = PackagePaths.cases
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".graph") }.sorted().map { GraphCase(url: folder.appendingPathComponent($0)) }
    }
}

public enum CaseRunner {
    public struct PrintExpectation: Sendable {
        public let line: Int
        public let values: [ExpectedValue]
    }

    public struct ErrorExpectation: Sendable {
        public let line: Int
        public let column: Int?
        public let message: String
        /// Fragments of notes the diagnostic must carry.
        public var notes: [String] = []
        public var severity = "error"
    }

    /// The expectations written in a case's comments.
    public static func expectations(in text: String) throws -> (prints: [PrintExpectation], errors: [ErrorExpectation]) {
        var prints: [PrintExpectation] = []
        var errors: [ErrorExpectation] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let number = index + 1
            if let range = line.range(of: "# expect:") {
                let values = try ExpectedValue.parseList(String(line[range.upperBound...]))
                prints.append(PrintExpectation(line: number, values: values))
            }
            for severity in ["error", "warning"] {
                guard let range = line.range(of: "# \(severity)") else { continue }
                var rest = line[range.upperBound...]
                var column: Int?
                if rest.hasPrefix("(") , let close = rest.firstIndex(of: ")") {
                    column = Int(rest[rest.index(after: rest.startIndex)..<close])
                    guard column != nil else { throw CaseError("line \(number): '# \(severity)(COL):' needs a whole number") }
                    rest = rest[rest.index(after: close)...]
                }
                guard rest.hasPrefix(":") else { continue }
                let parts = rest.dropFirst().components(separatedBy: "# note:").map { $0.trimmingCharacters(in: .whitespaces) }
                errors.append(ErrorExpectation(line: number, column: column, message: parts[0],
                                               notes: Array(parts.dropFirst()), severity: severity))
            }
        }
        return (prints, errors)
    }

    /// A diagnostic as rendered on stderr: `PATH:LINE:COL: SEVERITY: MESSAGE`, with the notes
    /// that follow it (`PATH:LINE:COL: note: …` or `slope: note: …`).
    struct Reported {
        let line: Int
        let column: Int
        let severity: String
        let message: String
        var notes: [String] = []
    }

    /// The diagnostics located in `path`, and the error lines located elsewhere.
    static func reported(in err: String, path: String) -> (located: [Reported], other: [String]) {
        var located: [Reported] = []
        var other: [String] = []
        var current: Int?  // index of the diagnostic that notes belong to
        for line in err.split(separator: "\n").map(String.init) {
            if let range = line.range(of: ": note: "), line.hasPrefix("slope: note: ") || line.hasPrefix(path + ":") {
                if let current { located[current].notes.append(String(line[range.upperBound...])) }
                continue
            }
            guard line.hasPrefix(path + ":") else {
                if line.contains(": error: ") { other.append(line); current = nil }
                continue
            }
            let parts = line.dropFirst(path.count + 1).split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let number = Int(parts[0]), let column = Int(parts[1]),
                  parts[2] == " error" || parts[2] == " warning" else { continue }
            located.append(Reported(line: number, column: column, severity: String(parts[2].dropFirst()),
                                    message: String(parts[3].dropFirst())))
            current = located.count - 1
        }
        return (located, other)
    }

    /// Runs one case and returns every way it failed its expectations (empty when it passed).
    public static func problems(_ graphCase: GraphCase) -> [String] {
        let path = graphCase.url.path
        guard let text = try? String(contentsOf: graphCase.url, encoding: .utf8) else { return ["cannot read \(path)"] }
        let prints: [PrintExpectation], errors: [ErrorExpectation]
        do { (prints, errors) = try expectations(in: text) } catch { return ["\(error)"] }
        if prints.isEmpty && errors.isEmpty { return ["the case states no expectation"] }
        let result = InProcess.run(["run", path, "--json"])
        if !errors.contains(where: { $0.severity == "error" }) {
            let warnings = errors.isEmpty ? [] : checkErrors(errors, result: result, path: path)
            return warnings + checkPrints(prints, result: result, text: text, path: path)
        }
        return checkErrors(errors, result: result, path: path)
    }

    /// Records an issue for every problem of a case.
    public static func verify(_ graphCase: GraphCase, sourceLocation: SourceLocation = #_sourceLocation) {
        for problem in problems(graphCase) {
            Issue.record("\(graphCase.name): \(problem)", sourceLocation: sourceLocation)
        }
    }

    static func checkErrors(_ expected: [ErrorExpectation], result: CommandResult, path: String) -> [String] {
        var problems: [String] = []
        let expectsErrors = expected.contains { $0.severity == "error" }
        if expectsErrors && result.status != .programError {
            problems.append("expected exit status 1, found \(result.status.rawValue)")
        }
        var (reported, other) = reported(in: result.err, path: path)
        for expectation in expected {
            if let index = reported.firstIndex(where: { diagnostic in
                diagnostic.severity == expectation.severity && diagnostic.line == expectation.line
                    && (expectation.column == nil || diagnostic.column == expectation.column)
                    && diagnostic.message.contains(expectation.message)
                    && expectation.notes.allSatisfy { note in diagnostic.notes.contains { $0.contains(note) } }
            }) {
                reported.remove(at: index)
            } else {
                problems.append("line \(expectation.line)\(expectation.column.map { ":\($0)" } ?? ""): "
                                + "expected \(expectation.severity == "error" ? "an error" : "a warning") containing \"\(expectation.message)\""
                                + expectation.notes.map { " with a note containing \"\($0)\"" }.joined())
            }
        }
        for error in reported where error.severity == "error" {
            problems.append("unexpected error at \(error.line):\(error.column): \(error.message)")
        }
        for line in other { problems.append("unexpected error elsewhere: \(line)") }
        if !problems.isEmpty { problems.append("stderr was:\n\(result.err)") }
        return problems
    }

    static func checkPrints(_ expected: [PrintExpectation], result: CommandResult, text: String, path: String) -> [String] {
        guard result.status == .success else { return ["expected success, found \(result)"] }
        guard let data = result.out.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let printed = object["prints"] as? [[String: Any]] else {
            return ["--json output is not an object with prints: \(result.out)"]
        }
        // Which printed values each print statement's line produced, in program order.
        let (ast, _) = Parser.parse(SourceFile(path: path, text: text))
        var valuesByLine: [Int: [Any]] = [:]
        var next = 0
        for statement in ast.statements {
            guard case .print(let items) = statement.kind else { continue }
            let values = printed[min(next, printed.count)..<min(next + items.count, printed.count)].map { $0["value"] as Any }
            valuesByLine[statement.range.line] = values
            next += items.count
        }
        var problems: [String] = []
        for expectation in expected {
            guard let actual = valuesByLine[expectation.line] else {
                problems.append("line \(expectation.line): '# expect:' but no print statement starts on this line")
                continue
            }
            guard actual.count == expectation.values.count else {
                problems.append("line \(expectation.line): expected \(expectation.values.count) values, printed \(actual.count)")
                continue
            }
            for (value, json) in zip(expectation.values, actual) {
                guard let found = ExpectedValue(json: json) else {
                    problems.append("line \(expectation.line): cannot read the printed value \(json)")
                    continue
                }
                if !value.matches(found) { problems.append("line \(expectation.line): expected \(value), printed \(found)") }
            }
        }
        return problems
    }
}

struct CaseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A number or tensor as written after `# expect:` (or read back from `--json`).
public struct ExpectedValue: Sendable, Equatable, CustomStringConvertible {
    public let shape: [Int]
    public let values: [Double]

    public static let relativeTolerance = 1e-12

    /// Equal shapes, and each value within 1e-12 relative (NaN matches NaN, infinities match by sign).
    public func matches(_ other: ExpectedValue) -> Bool {
        guard shape == other.shape, values.count == other.values.count else { return false }
        return zip(values, other.values).allSatisfy { ExpectedValue.close($0, $1) }
    }

    public static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return Swift.abs(a - b) <= relativeTolerance * Swift.max(Swift.abs(a), Swift.abs(b))
    }

    public var description: String { ValueFormatter.literal(values, shape: Shape(shape)) }

    /// From a JSON value as `--json` writes it: a number, "nan"/"inf"/"-inf", or nested arrays.
    public init?(json: Any) {
        if let number = json as? NSNumber {
            shape = []
            values = [number.doubleValue]
            return
        }
        if let text = json as? String, let value = ExpectedValue.special(text) {
            shape = []
            values = [value]
            return
        }
        guard let items = json as? [Any] else { return nil }
        let elements = items.compactMap(ExpectedValue.init(json:))
        guard elements.count == items.count, let first = elements.first else {
            if items.isEmpty { shape = [0]; values = []; return }
            return nil
        }
        guard elements.allSatisfy({ $0.shape == first.shape }) else { return nil }
        shape = [elements.count] + first.shape
        values = elements.flatMap(\.values)
    }

    init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    static func special(_ text: String) -> Double? {
        switch text {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    /// `V, V, ...` where V is a number, nan, inf, -inf or `[V, ...]`.
    public static func parseList(_ text: String) throws -> [ExpectedValue] {
        var reader = Reader(characters: Array(text))
        var result: [ExpectedValue] = []
        repeat {
            result.append(try reader.value())
        } while reader.consume(",")
        reader.skipSpaces()
        guard reader.atEnd else { throw CaseError("cannot read the expectation '\(text)'") }
        return result
    }

    struct Reader {
        let characters: [Character]
        var position = 0

        var atEnd: Bool { position >= characters.count }

        mutating func skipSpaces() {
            while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
        }

        mutating func consume(_ character: Character) -> Bool {
            skipSpaces()
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
            return true
        }

        /// Iterative over nesting, so an expectation cannot overflow the stack either.
        mutating func value() throws -> ExpectedValue {
            var open: [[ExpectedValue]] = []  // elements of the lists not yet closed
            while true {
                var current: ExpectedValue
                if consume("[") {
                    if consume("]") { current = ExpectedValue(shape: [0], values: []) } else { open.append([]); continue }
                } else {
                    current = try scalar()
                }
                // A value is complete: add it to its list, closing every list that ends here.
                while true {
                    guard !open.isEmpty else { return current }
                    open[open.count - 1].append(current)
                    if consume(",") { break }
                    guard consume("]") else { throw CaseError("expected ',' or ']' in an expectation") }
                    let elements = open.removeLast()
                    guard let first = elements.first, elements.allSatisfy({ $0.shape == first.shape }) else {
                        throw CaseError("a ragged tensor in an expectation")
                    }
                    current = ExpectedValue(shape: [elements.count] + first.shape, values: elements.flatMap(\.values))
                }
            }
        }

        mutating func scalar() throws -> ExpectedValue {
            skipSpaces()
            let start = position
            while position < characters.count, !",[] \t".contains(characters[position]) { position += 1 }
            let word = String(characters[start..<position])
            guard let value = ExpectedValue.special(word) ?? Double(word) else {
                throw CaseError("'\(word)' is not a number")
            }
            return ExpectedValue(shape: [], values: [value])
        }
    }
}
