import Foundation
import Testing
@testable import SlopeCore
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

    @Test func plotWithNothingToDrawSaysWhyForEachPrintedValue() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param x = 1\nparam y = 2\nparam z = 3\nv = [x, y]\nprint x, v, x*y*z, 3\n")
        let result = InProcess.run(["run", path, "--plot", directory.path("plot.svg")])
        #expect(result.status == .programError)
        #expect(result.err.hasPrefix("slope: error: --plot has nothing to draw: the program trains nothing"))
        for note in ["5:7: note: 'x' is a param itself, not a function of one",
                     "5:10: note: 'v' has shape [2], not a single number",
                     "5:13: note: 'x*y*z' depends on 3 scalar params or inputs (x, y, z); a plot has room for one or two"] {
            #expect(result.err.contains(note), "\(result.err)")
        }
        #expect(result.out.isEmpty, "found before anything runs")
        #expect(InProcess.run(["run", try directory.write("c.graph", "print 3\n"), "--plot", directory.path("p.svg")])
                    .err.contains("note: '3' depends on no scalar param or input"))
    }

    @Test(arguments: [(0.0, -2.0...2.0), (3, -3...9), (-50, -150...50), (0.25, -1.75...2.25), (.nan, -2...2), (.infinity, -2...2),
                      (1e308, (1e308 - Double.greatestFiniteMagnitude / 4)...(1e308 + Double.greatestFiniteMagnitude / 4))])
    func aFunctionIsDrawnAroundItsCurrentValue(value: Double, range: ClosedRange<Double>) {
        // v ± 2·max(1, |v|).
        #expect(FunctionPlot.range(around: value) == range)
    }

    @Test func aProgramThatTrainsNothingPlotsItsPrintedFunctionOfTwoVariables() throws {
        // partials.graph prints f = 3x²y³ and its two partial derivatives, all functions of
        // (x, y): the first, f, is drawn around (1, 2), where f = 3·1·8 = 24.
        let directory = try TemporaryDirectory()
        let plot = directory.path("plot.svg")
        let result = InProcess.run(["run", Slope.example("partials"), "--plot", plot])
        #expect(result.status == .success, "\(result)")
        #expect(result.out == "f = 24\ngrad(f, x) = 48\ngrad(f, y) = 36\n", "the plot changes nothing else")
        let svg = try #require(ParsedXML.parse(try String(contentsOfFile: plot, encoding: .utf8)))
        #expect(svg.texts.contains("f around x = 1, y = 2"))
        #expect(svg.texts.contains("contours of f(x, y)"))
        #expect(svg.texts.contains("(1, 2), f = 24"))
        #expect(svg.count(name: "path", className: "contour") == SVGPlot.contourLevelCount)
        #expect(svg.count(name: "circle", className: "current-point") == 1)
        // x in 1 ± 2 and y in 2 ± 4: the ticks run from -1 to 3 and from -2 to 6.
        #expect(["-1", "3", "-2", "6"].allSatisfy(svg.texts.contains))
        #expect(!svg.elements.contains { $0.attributes["class"] == "loss-curve" })
    }

    @Test(arguments: ["param x = 0/0\nprint x^2\n", "param x = 1e308\nparam y = -1e308\nprint x*y\n",
                      "param x = 1\nprint log(x - 5)\n"])
    func valuesThatAreNotFiniteStillDraw(_ source: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", source)
        let plot = directory.path("plot.svg")
        let result = InProcess.run(["run", path, "--plot", plot])
        #expect(result.status == .success, "\(result)")
        let text = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(ParsedXML.parse(text) != nil)
        #expect(!text.contains("nan\"") && !text.contains("inf\""), "no coordinate is written as nan or inf")
    }

    @Test func aFunctionOfOneVariableIsACurveAndDataAreHeldAtTheirValues() throws {
        // cost(m) = mean((m·x − y)²) over the data x, y: the tensors are data, m the one variable.
        // At m = 0.5: residuals −1.5, −3, −4.5, cost = (2.25 + 9 + 20.25)/3 = 10.5.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", """
            input x = [1, 2, 3]
            input y = [2, 4, 6]
            param m = 0.5
            cost = mean((m*x - y)^2)
            print cost
            """)
        let plot = directory.path("plot.svg")
        #expect(InProcess.run(["run", path, "--plot", plot, "--set", "m=0.5"]).status == .success)
        let svg = try #require(ParsedXML.parse(try String(contentsOfFile: plot, encoding: .utf8)))
        #expect(svg.texts.contains("cost around m = 0.5"))
        #expect(svg.texts.contains("cost(m)"))
        #expect(svg.texts.contains("m = 0.5, cost = 10.5"))
        #expect(svg.count(name: "path", className: "function-curve") == 1)
        // m in 0.5 ± 2, from -1.5 to 2.5, widened to whole ticks: -2, -1, …, 3.
        #expect(["-2", "-1", "0", "1", "2", "3"].allSatisfy(svg.texts.contains), "\(svg.texts)")
    }
}
