import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// The files training writes besides --save: `--log FILE.csv` and `--plot FILE.svg`.
@Suite struct TrainingPlotsTests {
    /// The rows of a `step,loss` log after its header.
    static func rows(_ path: String) throws -> [(step: Int, loss: Double)] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "step,loss")
        #expect(lines.last == "", "the file ends with a newline")
        return try lines.dropFirst().dropLast().map { line in
            let cells = line.split(separator: ",")
            try #require(cells.count == 2, "bad row '\(line)'")
            return (try #require(Int(cells[0])), try #require(Double(cells[1])))
        }
    }

    @Test func logHasOneRowPerStepAndTheFinalLoss() throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("loss.csv")
        let run = try Slope.runJSON([Slope.example("sum_of_squares"), "--log", log])
        let rows = try Self.rows(log)
        // 1000 updates: the loss before each (steps 0 … 999) and the final loss (step 1000).
        #expect(rows.map(\.step) == Array(0...1000))
        // E(0, 0) = 38. One step of rate 0.05 along −∇E = (42, 20) gives (m, b) = (2.1, 1), where
        // the residuals are 1.1, 0.2, 4.3 and E = 1.21 + 0.04 + 18.49 = 19.74.
        #expect(rows[0].loss == 38)
        #expect(isClose(rows[1].loss, 19.74, 1e-14))
        let entry = try #require(run.train.first)
        #expect(rows.last?.loss == entry.final)
        // Gradient descent with a small enough rate never increases a convex quadratic.
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $1.loss <= $0.loss + 1e-12 })
    }

    @Test func logNumbersStepsOnAcrossTrainingStatements() throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("loss.csv")
        _ = try Slope.runJSON(source: """
            param x = 4
            f = (x - 1)^2
            minimize f by gd(rate: 0.25, steps: 3)
            minimize f by momentum(rate: 0.25, steps: 2)
            """, ["--log", log], in: directory)
        // gd halves the distance to 1 each step (x ← x − 0.25 · 2(x − 1)): 3, 1.5, 0.75, 0.375,
        // so f = 9, 2.25, 0.5625, then 0.140625 where momentum starts (the first statement's final
        // loss is the second one's first). Momentum: v = g = 0.75, x = 1.375 − 0.1875 = 1.1875;
        // v = 0.9 · 0.75 + 0.375 = 1.05, x = 1.1875 − 0.2625 = 0.925.
        let rows = try Self.rows(log)
        #expect(rows.map(\.step) == [0, 1, 2, 3, 4, 5])
        let expected = [9, 2.25, 0.5625, 0.140625, 0.03515625, 0.005625]
        for (row, value) in zip(rows, expected) { #expect(isClose(row.loss, value, 1e-14), "step \(row.step)") }
    }

    struct PlotCase: CustomTestStringConvertible, Sendable {
        let program: String
        /// Path points drawn on the function: one per step and the final point; 0 with no function panel.
        let pathPoints: Int
        let functionClass: String?
        var testDescription: String { program }
    }

    static let plots: [PlotCase] = [
        PlotCase(program: "newton", pathPoints: 10, functionClass: "function-curve"),   // 1 param, 8 steps to a zero gradient
        PlotCase(program: "sauna", pathPoints: 201, functionClass: "contour"),          // 2 params, 200 steps
        PlotCase(program: "two_layer_network", pathPoints: 0, functionClass: nil),      // 25 params: loss only
    ]

    @Test(arguments: plots)
    func plotIsWellFormedSVG(_ test: PlotCase) throws {
        let directory = try TemporaryDirectory()
        let plot = directory.path("plot.svg")
        let run = try Slope.runJSON([Slope.example(test.program), "--plot", plot])
        let text = try String(contentsOfFile: plot, encoding: .utf8)
        let svg = try #require(ParsedXML.parse(text), "not well-formed XML:\n\(text.prefix(1000))")
        #expect(svg.elements.first?.name == "svg")
        let entry = try #require(run.train.first)
        #expect(svg.texts.contains { $0.hasPrefix("minimize \(entry.target) by \(entry.method)(") }, "a title")
        #expect(svg.count(name: "path", className: "loss-curve") == 1)
        #expect(svg.count(name: "circle", className: "path-point") == test.pathPoints)
        if let functionClass = test.functionClass {
            #expect(svg.elements.contains { $0.attributes["class"] == functionClass })
        } else {
            #expect(!svg.elements.contains { ["function-curve", "contour"].contains($0.attributes["class"]) })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["plot.svg"])
    }

    @Test func failedTrainingPlotsTheStepsBeforeTheFailure() throws {
        // A failed run still draws its plot, so the file is never an earlier run's left in
        // place: the loss curve of the failed statement up to its last good step, no function.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", NonFiniteTrainingTests.quartic)
        let plot = directory.path("plot.svg")
        let result = InProcess.run(["run", path, "--quiet", "--plot", plot])
        #expect(result.status == .programError)
        #expect(result.err.contains("training stopped at step"))
        #expect(!result.err.contains("--plot needs"), "\(result.err)")
        let svg = try #require(ParsedXML.parse(try String(contentsOfFile: plot, encoding: .utf8)))
        #expect(svg.texts.contains("minimize f by gd(rate: 1, steps: 100), stopped by an error"))
        #expect(svg.count(name: "path", className: "loss-curve") == 1)
        #expect(!svg.elements.contains { ["function-curve", "contour"].contains($0.attributes["class"]) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["plot.svg", "test.graph"])
    }

    @Test func plotWithoutTrainingIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param x = 1\nprint x\n")
        let result = InProcess.run(["run", path, "--plot", directory.path("plot.svg")])
        #expect(result.status == .programError)
        #expect(result.err.contains("--plot needs a minimize or maximize statement"))
        #expect(result.out.isEmpty, "found before anything runs")
    }
}
