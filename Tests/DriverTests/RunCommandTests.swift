import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The Graphs/ programs `slope run` can run to the end today: those without training.
private let runnablePrograms: [String] = PackagePaths.graphPrograms().filter { url in
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return !text.split(separator: "\n").contains { $0.hasPrefix("minimize") || $0.hasPrefix("maximize") }
}.map { $0.deletingPathExtension().lastPathComponent }

@Test func theUntrainedExamplesIncludeParaboloidAndPartials() {
    #expect(runnablePrograms.contains("paraboloid"))
    #expect(runnablePrograms.contains("partials"))
}

@Test(arguments: runnablePrograms)
func runPrintsTheGoldenTextForEachExample(_ name: String) {
    let result = InProcess.run(["run", "Graphs/\(name).graph"].relativeToPackage)
    #expect(result.status == .success)
    #expect(result.err.isEmpty)
    Golden.expectMatch(result.out, command: "run", name: "\(name).txt")
}

@Test(arguments: runnablePrograms)
func runPrintsTheGoldenJSONForEachExample(_ name: String) {
    let result = InProcess.run(["run", "Graphs/\(name).graph", "--json"].relativeToPackage)
    #expect(result.status == .success)
    #expect(result.err.isEmpty)
    Golden.expectMatch(result.out, command: "run", name: "\(name).json")
}

@Test func theParaboloidValuesAreTheHandWorkedOnes() {
    // f = 2^2 + 3^2 = 13, df/dx = 2x = 4, df/dy = 2y = 6.
    let result = InProcess.run(["run", "Graphs/paraboloid.graph"].relativeToPackage)
    #expect(result.out == "f = 13\ngrad(f, x) = 4\ngrad(f, y) = 6\n")
}

@Test func jsonWritesTensorsAsNestedArraysAndNonFiniteValuesAsStrings() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", """
        param m = 0.5
        param W: [2, 2] = 1
        print log(0), 1/0, 0/0, [[1, 2], [3, 4]]
        print m * 2
        """)
    let result = InProcess.run(["run", path, "--json"])
    #expect(result.status == .success)
    #expect(result.out == """
        {"prints": [{"expr": "log(0)", "value": "-inf"}, {"expr": "1/0", "value": "inf"}, \
        {"expr": "0/0", "value": "nan"}, {"expr": "[[1, 2], [3, 4]]", "value": [[1.0, 2.0], [3.0, 4.0]]}, \
        {"expr": "m * 2", "value": 1.0}], "params": {"m": 0.5, "W": [[1.0, 1.0], [1.0, 1.0]]}, "train": []}

        """)
}

@Test func jsonEscapesTheSourceTextOfPrintedExpressions() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "print sum([1,\n\t2])\n")
    let result = InProcess.run(["run", path, "--json"])
    #expect(result.out.hasPrefix(#"{"prints": [{"expr": "sum([1,\n\t2])", "value": 3.0}]"#))
}

@Test func textOutputSummarisesLargeTensors() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "input z: [2000] = 1\nprint z\n")
    let result = InProcess.run(["run", path])
    #expect(result.out == "z = [1, 1, 1, ..., 1, 1, 1]\n")
}

@Test func timeReportsEveryPhase() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "print 1\n")
    let text = InProcess.run(["run", path, "--time"])
    #expect(text.status == .success)
    let rows = text.err.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
    #expect(rows == ["phase", "parse", "compile", "load", "run", "total"])
    let json = InProcess.run(["run", path, "--json", "--time"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let time = try #require(object["time"] as? [String: Double])
    #expect(Set(time.keys) == ["parse", "compile", "load", "run"])
    #expect(time.values.allSatisfy { $0 >= 0 })
}

@Test func anEmptyProgramRunsAndPrintsNothing() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("empty.graph", "")
    let result = InProcess.run(["run", path])
    #expect(result.status == .success)
    #expect(result.out.isEmpty && result.err.isEmpty)
    let json = InProcess.run(["run", path, "--json"])
    #expect(json.out == "{\"prints\": [], \"params\": {}, \"train\": []}\n")
}

extension Array where Element == String {
    /// The arguments with `Graphs/…` made absolute, so tests do not depend on the working folder.
    var relativeToPackage: [String] {
        map { $0.hasPrefix("Graphs/") ? PackagePaths.root.appendingPathComponent($0).path : $0 }
    }
}

@Test func theDriverReadsTheThreadCountFromTheEnvironment() {
    let console = Console.capture()
    let cores = min(2, ProcessInfo.processInfo.activeProcessorCount)
    #expect(ExecutionOptions(environment: ["SLOPE_THREADS": "1"], console: console).threads == 1)
    #expect(ExecutionOptions(environment: ["SLOPE_THREADS": "2"], console: console).threads == 2)
    #expect(ExecutionOptions(environment: ["SLOPE_THREADS": "8"], console: console).threads == 2, "at most two")
    #expect(ExecutionOptions(environment: ["SLOPE_THREADS": "0"], console: console).threads == cores, "ignored")
    #expect(ExecutionOptions(environment: [:], console: console).threads == cores)
    #expect(ExecutionOptions(environment: [:], console: console).showPlan == nil)
}

@Test func showingThePlansChangesNothingElse() {
    // SLOPE_SHOW_PLAN only adds the plans to stderr: the same output, params and status.
    let arguments = ["run", "Graphs/sum_of_squares.graph", "--quiet"].relativeToPackage
    let plain = Console.capture(), shown = Console.capture()
    let plainStatus = Driver.main(arguments, console: plain, environment: [:])
    let shownStatus = Driver.main(arguments, console: shown, environment: ["SLOPE_SHOW_PLAN": "1"])
    #expect(plainStatus == .success && shownStatus == .success)
    #expect(shown.capturedOut == plain.capturedOut)
    #expect(plain.capturedErr.isEmpty)
    let lines = shown.capturedErr.split(separator: "\n")
    #expect(lines.first?.hasPrefix("plan: ") == true, "\(shown.capturedErr)")
    #expect(lines.allSatisfy { $0.hasPrefix("plan: ") || $0.hasPrefix("  ") }, "\(shown.capturedErr)")
}
