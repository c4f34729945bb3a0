import Foundation
import Testing
import SlopeTestSupport
@testable import SlopeCore

@Suite struct SVGPlotTests {
    private func render(_ data: TrainingPlotData, _ evaluate: (([Double]) -> Double)? = nil) throws -> ParsedXML {
        let svg = SVGPlot.render(data, evaluate: evaluate)
        return try #require(ParsedXML.parse(svg), "not well-formed XML:\n\(svg.prefix(2000))")
    }

    /// The number of points in a path's `d`: one per M or L command.
    private func pointCount(_ d: String?) -> Int {
        (d ?? "").split(separator: " ").filter { $0.hasPrefix("M") || $0.hasPrefix("L") }.count
    }

    @Test func lossOnlyPlotHasTitleAxesAndOneCurve() throws {
        let data = TrainingPlotData(title: "minimize cost by adam(rate: 0.01, steps: 4)", losses: [5, 4, 3.5, 3.2, 3.1],
                                    parameterNames: [], path: [], maximize: false)
        let svg = try render(data)
        #expect(svg.rootName == "svg")
        #expect(svg.texts.contains("minimize cost by adam(rate: 0.01, steps: 4)"))
        #expect(svg.texts.contains("step"))
        #expect(svg.texts.contains("loss"))
        #expect(svg.count(name: "path", className: "loss-curve") == 1)
        #expect(pointCount(svg.first(name: "path", className: "loss-curve")?.attributes["d"]) == 5)
        #expect(svg.count(name: "circle", className: "path-point") == 0)
        // Steps 0 ... 4 are labelled as whole steps.
        #expect(["0", "1", "2", "3", "4"].allSatisfy(svg.texts.contains))
    }

    @Test(arguments: [(7000, "7000", "8000"), (1000, "1000", "1200"), (3, "3", "4")])
    func theStepAxisEndsAtTheLastStep(steps: Int, last: String, beyond: String) throws {
        // 7000 steps once got ticks every 2000, so the axis ran on to 8000; every 1000 ends at 7000.
        let data = TrainingPlotData(title: "t", losses: (0...steps).map { 1 / Double($0 + 1) }, parameterNames: [], path: [],
                                    maximize: false)
        let svg = try render(data)
        #expect(svg.texts.contains(last))
        #expect(!svg.texts.contains(beyond))
    }

    @Test func batchLossesAreLabelledAndTheSummaryIsOnTheFullData() throws {
        var data = TrainingPlotData(title: "minimize E by sgd(rate: 0.1, steps: 3, batch: 1)", losses: [4, 10.24, 0.9216],
                                    parameterNames: [], path: [], maximize: false)
        data.perBatch = true
        data.fullData = (initial: 56.0 / 3, final: 0.3058346666666659)
        let svg = try render(data)
        #expect(svg.texts.contains("batch loss by step"))
        #expect(svg.texts.contains("batch loss"))
        #expect(svg.texts.contains("full data: initial 18.67, final 0.3058"))
        #expect(!svg.texts.contains { $0.hasPrefix("initial 4") })
    }

    @Test func oneParameterPlotPutsEveryStepOnTheCurve() throws {
        let data = PlotExamples.parabolaRun
        let svg = try render(data) { $0[0] * $0[0] }
        #expect(svg.count(name: "circle", className: "path-point") == 21)
        #expect(svg.count(name: "circle", className: "start-marker") == 1)
        #expect(svg.count(name: "circle", className: "end-marker") == 1)
        #expect(pointCount(svg.first(name: "path", className: "function-curve")?.attributes["d"]) == 200)
        #expect(svg.texts.contains("x"))
        #expect(svg.texts.contains("f(x)"))
        #expect(svg.texts.contains("start x = 3"))
        // x after 20 steps is 3 · 0.8^20 = 0.03458764513820541.
        #expect(svg.texts.contains("end x = 0.03459"))
    }

    @Test func saunaPlotDrawsContoursUnderThePath() throws {
        let svg = try render(PlotExamples.saunaRun(), PlotExamples.sauna)
        #expect(svg.texts.contains("minimize T by gd(rate: 0.1, steps: 200)"))
        #expect(svg.count(name: "circle", className: "path-point") == 201)
        #expect(svg.count(name: "path", className: "contour") == SVGPlot.contourLevelCount)
        #expect(svg.texts.contains("x"))
        #expect(svg.texts.contains("y"))
        #expect(svg.texts.contains("start (3, 3)"))
        #expect(svg.texts.contains("end (4, 4)"))
    }

    @Test func sumOfSquaresPlotReachesTheLeastSquaresLine() throws {
        let svg = try render(PlotExamples.sumOfSquaresRun, PlotExamples.sumOfSquares)
        #expect(svg.count(name: "circle", className: "path-point") == 1001)
        #expect(svg.texts.contains("m"))
        #expect(svg.texts.contains("b"))
        // m = 1/2, b = 7/3 to four digits.
        #expect(svg.texts.contains("end (0.5, 2.333)"))
        // E falls from 38 to 25/6, not three decades: a linear axis.
        #expect(svg.texts.contains("loss"))
        #expect(svg.texts.contains("initial 38, final 4.167"))
    }

    @Test func nonFiniteLossesAreSkipped() throws {
        let data = TrainingPlotData(title: "t", losses: [4, 3, .nan, 2, 1, .infinity, -.infinity],
                                    parameterNames: [], path: [], maximize: false)
        let text = SVGPlot.render(data, evaluate: nil)
        let svg = try #require(ParsedXML.parse(text))
        let d = svg.first(name: "path", className: "loss-curve")?.attributes["d"] ?? ""
        // Two runs, 4 3 and 2 1: the curve is broken at the NaN, not bent through it.
        #expect(pointCount(d) == 4)
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(!text.contains("nan") && !text.contains("inf"))
    }

    @Test func nonFiniteParamsAndFunctionValuesAreSkipped() throws {
        // log(x) is NaN for x < 0, which the box around the path covers; one step is NaN.
        let path: [[Double]] = [[0.5, 1], [0.3, 0.5], [.nan, 0.2], [0.1, 0.1]]
        let data = TrainingPlotData(title: "t", losses: [1, 0.5, .nan, 0.1], parameterNames: ["u", "v"],
                                    path: path, maximize: false)
        let text = SVGPlot.render(data) { log($0[0]) + $0[1] * $0[1] }
        let svg = try #require(ParsedXML.parse(text))
        #expect(svg.count(name: "circle", className: "path-point") == 3)
        #expect(svg.count(name: "path", className: "contour") > 0)
        #expect(!text.contains("nan") && !text.contains("inf"))
    }

    @Test func functionUndefinedEverywhereStillDrawsThePath() throws {
        let data = PlotExamples.parabolaRun
        let text = SVGPlot.render(data) { _ in .nan }
        let svg = try #require(ParsedXML.parse(text))
        #expect(svg.count(name: "circle", className: "path-point") == 0)
        #expect(!text.contains("nan"))
        let twoParams = SVGPlot.render(PlotExamples.saunaRun()) { _ in .nan }
        #expect(try #require(ParsedXML.parse(twoParams)).count(name: "circle", className: "path-point") == 201)
    }

    @Test func withoutEvaluateOneParameterStepsUseTheLosses() throws {
        let svg = try render(PlotExamples.parabolaRun)
        #expect(svg.count(name: "circle", className: "path-point") == 21)
        #expect(svg.count(name: "path", className: "contour") == 0)
    }

    @Test func titlesAndNamesAreEscaped() throws {
        let title = "maximize <a & b> by gd(\"rate\": 'x')"
        let data = TrainingPlotData(title: title, losses: [1, 2], parameterNames: ["<w>", "a&b"],
                                    path: [[0, 0], [1, 1]], maximize: true)
        let text = SVGPlot.render(data) { $0[0] + $0[1] }
        let svg = try #require(ParsedXML.parse(text))
        #expect(svg.texts.contains(title))
        #expect(svg.texts.contains("<w>"))
        #expect(svg.texts.contains("a&b"))
        #expect(svg.texts.contains("objective"))
        #expect(text.contains("&lt;a &amp; b&gt;"))
    }

    @Test func lossesOverManyDecadesUseALogAxis() throws {
        // Newton's method squaring the error: 1, 1e-2, 1e-4, ..., 1e-12.
        let losses = (0...6).map { pow(10.0, -2.0 * Double($0)) }
        let svg = try render(TrainingPlotData(title: "t", losses: losses, parameterNames: [], path: [],
                                              maximize: false))
        #expect(svg.texts.contains("loss (log scale)"))
        #expect(svg.texts.contains("1e-12"))
        let linear = try render(TrainingPlotData(title: "t", losses: [0, 1, 1e-5], parameterNames: [], path: [],
                                                 maximize: false))
        #expect(linear.texts.contains("loss"))
    }

    @Test func emptyAndSingleStepRunsStillDraw() throws {
        for losses in [[], [2.5], [Double.nan]] {
            _ = try render(TrainingPlotData(title: "t", losses: losses, parameterNames: ["x"], path: [[1]],
                                            maximize: false)) { $0[0] }
        }
    }

    @Test func longRunsStayASensibleSize() throws {
        // 100 000 steps of gradient descent on the sum of squares with a small rate.
        let run = PlotExamples.descend(from: [0, 0], rate: 0.001, steps: 100_000, PlotExamples.sumOfSquares,
                                       gradient: PlotExamples.sumOfSquaresGradient)
        let data = TrainingPlotData(title: "t", losses: run.losses, parameterNames: ["m", "b"], path: run.path,
                                    maximize: false)
        let text = SVGPlot.render(data, evaluate: PlotExamples.sumOfSquares)
        let svg = try #require(ParsedXML.parse(text))
        #expect(text.utf8.count < 400_000)
        // At most four points per pixel column of the 400-pixel plot area.
        #expect(pointCount(svg.first(name: "path", className: "loss-curve")?.attributes["d"]) <= 4 * 401)
        #expect(svg.count(name: "circle", className: "path-point") < 2000)
        #expect(svg.count(name: "circle", className: "end-marker") == 1)
    }

    @Test func renderingIsDeterministic() {
        let data = PlotExamples.saunaRun()
        #expect(SVGPlot.render(data, evaluate: PlotExamples.sauna) == SVGPlot.render(data, evaluate: PlotExamples.sauna))
    }

    /// With SLOPE_PLOT_EXAMPLES=DIR, writes the examples there to look at.
    @Test func examplesAreWrittenOnRequest() throws {
        guard let directory = ProcessInfo.processInfo.environment["SLOPE_PLOT_EXAMPLES"] else { return }
        let examples: [(String, TrainingPlotData, ([Double]) -> Double)] = [
            ("sauna", PlotExamples.saunaRun(), PlotExamples.sauna),
            ("sauna_rate_0.5", PlotExamples.saunaRun(rate: 0.5), PlotExamples.sauna),
            ("sum_of_squares", PlotExamples.sumOfSquaresRun, PlotExamples.sumOfSquares),
            ("parabola", PlotExamples.parabolaRun, { $0[0] * $0[0] }),
        ]
        for (name, data, f) in examples {
            try SVGPlot.render(data, evaluate: f).write(toFile: "\(directory)/\(name).svg", atomically: true,
                                                        encoding: .utf8)
        }
    }
}
