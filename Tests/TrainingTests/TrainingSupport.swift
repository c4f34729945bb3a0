import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Helpers for the training tests: `slope run` in-process with its JSON read back, the example
/// programs and their CSV data, and a well-formedness check for the SVG plots.

/// One `train` entry of `slope run --json`.
struct TrainEntry: Equatable {
    var target: String
    var method: String
    var steps: Int
    var initial: Double
    var final: Double
}

/// What `slope run --json` printed, read back with Foundation's JSON parser (not Slope's).
struct RunJSON {
    let result: CommandResult
    /// Every param's values, flattened row-major.
    let params: [String: [Double]]
    let train: [TrainEntry]
    /// Printed expressions and their flattened values, in order.
    let prints: [(expr: String, value: [Double])]

    func param(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        let values = try #require(params[name], "no param '\(name)' in \(params.keys.sorted())", sourceLocation: sourceLocation)
        try #require(values.count == 1, "'\(name)' is not a scalar", sourceLocation: sourceLocation)
        return values[0]
    }

    /// The value printed last for `expr`.
    func printed(_ expr: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Double] {
        try #require(prints.last { $0.expr == expr }?.value, "nothing printed for '\(expr)'", sourceLocation: sourceLocation)
    }
}

enum Slope {
    /// The path of `Graphs/NAME.graph`.
    static func example(_ name: String) -> String {
        PackagePaths.graphs.appendingPathComponent("\(name).graph").path
    }

    /// `slope run ARGUMENTS... --json --quiet`, which must succeed, with its JSON read back.
    static func runJSON(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunJSON {
        let result = InProcess.run(["run"] + arguments + ["--json", "--quiet"])
        try #require(result.status == .success, "\(result)", sourceLocation: sourceLocation)
        #expect(result.err.isEmpty, "--quiet wrote to stderr:\n\(result.err)", sourceLocation: sourceLocation)
        return try parse(result, sourceLocation: sourceLocation)
    }

    /// Writes `source` as `test.graph` in `directory` and runs it as `runJSON` does.
    static func runJSON(source: String, _ arguments: [String] = [], in directory: TemporaryDirectory,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> RunJSON {
        let path = try directory.write("test.graph", source)
        return try runJSON([path] + arguments, sourceLocation: sourceLocation)
    }

    static func parse(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunJSON {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any],
                                  "stdout is not a JSON object:\n\(result.out)", sourceLocation: sourceLocation)
        var params: [String: [Double]] = [:]
        for (name, value) in try #require(object["params"] as? [String: Any], sourceLocation: sourceLocation) {
            params[name] = try flatten(value, sourceLocation: sourceLocation)
        }
        var train: [TrainEntry] = []
        for entry in try #require(object["train"] as? [[String: Any]], sourceLocation: sourceLocation) {
            let steps = try #require(entry["steps"] as? Double, sourceLocation: sourceLocation)
            train.append(TrainEntry(target: try #require(entry["target"] as? String, sourceLocation: sourceLocation),
                                    method: try #require(entry["method"] as? String, sourceLocation: sourceLocation),
                                    steps: Int(steps),
                                    initial: try number(entry["initial"] as Any, sourceLocation: sourceLocation),
                                    final: try number(entry["final"] as Any, sourceLocation: sourceLocation)))
        }
        var prints: [(expr: String, value: [Double])] = []
        for item in try #require(object["prints"] as? [[String: Any]], sourceLocation: sourceLocation) {
            prints.append((try #require(item["expr"] as? String, sourceLocation: sourceLocation),
                           try flatten(item["value"] as Any, sourceLocation: sourceLocation)))
        }
        return RunJSON(result: result, params: params, train: train, prints: prints)
    }

    /// A JSON number, or one of the strings "nan", "inf", "-inf" the contract uses for them.
    static func number(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        switch value {
        case let string as String:
            return try #require(["nan": Double.nan, "inf": .infinity, "-inf": -.infinity][string],
                                "unexpected string '\(string)'", sourceLocation: sourceLocation)
        case let number as NSNumber:
            return number.doubleValue
        default:
            Issue.record("not a number: \(value)", sourceLocation: sourceLocation)
            return .nan
        }
    }

    /// A number or nested arrays of numbers, row-major.
    static func flatten(_ value: Any, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Double] {
        if let array = value as? [Any] { return try array.flatMap { try flatten($0, sourceLocation: sourceLocation) } }
        return [try number(value, sourceLocation: sourceLocation)]
    }
}

/// A CSV file of Graphs/data as named columns of numbers (the files are plain: a header, then
/// numbers separated by commas).
struct DataTable {
    let columns: [String: [Double]]
    let rows: Int

    init(_ name: String) throws {
        let text = try String(contentsOf: PackagePaths.graphs.appendingPathComponent("data/\(name)"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
        let header = try #require(lines.first)
        var columns: [String: [Double]] = [:]
        for (index, name) in header.enumerated() {
            columns[name] = try lines.dropFirst().map { try #require(Double($0[index]), "bad cell in \(name)") }
        }
        self.columns = columns
        rows = lines.count - 1
    }

    subscript(name: String) -> [Double] { columns[name] ?? [] }
}

/// `|actual − expected| ≤ tolerance · max(1, |expected|)`.
func isClose(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    Swift.abs(actual - expected) <= tolerance * max(1, Swift.abs(expected))
}

