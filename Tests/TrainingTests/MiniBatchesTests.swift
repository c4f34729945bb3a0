import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `sgd`: mini-batches along the first axis of the inputs that share the row count.
@Suite struct MiniBatchesTests {
    /// linear_regression.graph with another method, its CSV path made absolute.
    static func lineFit(_ method: String) -> String {
        let csv = PackagePaths.graphs.appendingPathComponent("data/line.csv").path
        return """
            input x = csv("\(csv)", "x")
            input y = csv("\(csv)", "y")
            param m = 0
            param b = 0
            cost = mse(m*x + b, y)
            minimize cost by \(method)
            """
    }

    @Test(arguments: [20, 21, 1000])
    func sgdWithTheWholeDataTakesExactlyTheStepsOfGD(_ batch: Int) throws {
        // line.csv has 20 rows: a batch of 20 or more is the data, whole and unshuffled.
        #expect(try DataTable("line.csv").rows == 20)
        let directory = try TemporaryDirectory()
        let sgd = try Slope.runJSON(source: Self.lineFit("sgd(rate: 0.02, steps: 50, batch: \(batch))"), in: directory)
        let gd = try Slope.runJSON(source: Self.lineFit("gd(rate: 0.02, steps: 50)"), in: directory)
        #expect(sgd.params.mapValues { $0.map(\.bitPattern) } == gd.params.mapValues { $0.map(\.bitPattern) })
        #expect(sgd.train.first.map { [$0.initial, $0.final] } == gd.train.first.map { [$0.initial, $0.final] })
    }

    @Test func sgdWithSmallBatchesIsDeterministicForASeed() throws {
        let directory = try TemporaryDirectory()
        let source = Self.lineFit("sgd(rate: 0.02, steps: 300, batch: 5)")
        let first = try Slope.runJSON(source: source, in: directory)
        let second = try Slope.runJSON(source: source, in: directory)
        let seeded = try Slope.runJSON(source: source, ["--seed", "7"], in: directory)
        let seededAgain = try Slope.runJSON(source: source, ["--seed", "7"], in: directory)
        let gd = try Slope.runJSON(source: Self.lineFit("gd(rate: 0.02, steps: 300)"), in: directory)

        #expect(first.params == second.params)
        #expect(seeded.params == seededAgain.params)
        #expect(seeded.params != first.params, "another seed draws other batches")
        #expect(first.params != gd.params, "batches of 5 are not the whole data")
        // initial and final are on the full data: the initial loss is gd's; training reduces it
        // to near the noise level (the points lie within 0.1 of the line, so mse < 0.01).
        for run in [first, seeded] {
            let entry = try #require(run.train.first)
            #expect(entry.method == "sgd" && entry.steps == 300)
            #expect(entry.initial == gd.train.first?.initial)
            #expect(entry.final < 0.01)
            let m = try run.param("m"), b = try run.param("b")
            #expect(Swift.abs(m - 3) < 0.1 && Swift.abs(b - 2) < 0.2)
        }
    }

    /// Issue 12: an input the target reads whose value the step's gradient does not need
    /// (dL/db = 2b) was gathered through a force-unwrapped pointer the step's plan did not
    /// have: SIGSEGV. The batch loss reads y now; with `mean(y)^0` (= 1, exactly) y is gone from
    /// the step altogether and simply gets no rows.
    @Test(arguments: ["mean(y*y) + b*b", "mean(y)^0 + b*b"])
    func anInputTheGradientDoesNotReadIsBatchedWithoutACrash(_ loss: String) throws {
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: """
            param b = 1
            input y = [3.6e-2, 5]
            L = \(loss)
            minimize L by sgd(rate: 0.001, steps: 4, batch: 1)
            """, in: directory)
        // b ← b − 0.001 · 2b four times, whatever the batches hold.
        var b = 1.0
        for _ in 0..<4 { b -= 0.001 * (2 * b) }
        #expect(try run.param("b") == b)
        let entry = try #require(run.train.first)
        #expect(entry.steps == 4)
        // On the full data: mean(y²) = (0.001296 + 25)/2 = 12.500648, mean(y)^0 = 1.
        let rest = loss.hasPrefix("mean(y*y)") ? (0.036 * 0.036 + 25) / 2 : 1
        #expect(isClose(entry.initial, rest + 1, 1e-15))
        #expect(isClose(entry.final, rest + b * b, 1e-15))
    }

    @Test func batchesVisitEveryRowOncePerEpochAndCarryOverIntoTheNext() {
        // 10 rows in batches of 4: batches 1–2 and half of 3 are one permutation, the rest of 3
        // and batches 4–5 the next.
        var batches = MiniBatches(rows: 10, batch: 4, seed: 42)
        let drawn = (0..<5).flatMap { _ in batches.next() }
        #expect(drawn.count == 20)
        #expect(Set(drawn[0..<10]) == Set(0..<10))
        #expect(Set(drawn[10..<20]) == Set(0..<10))
        #expect(Array(drawn[0..<10]) != Array(drawn[10..<20]), "each epoch has its own permutation")
        var again = MiniBatches(rows: 10, batch: 4, seed: 42)
        #expect((0..<5).flatMap { _ in again.next() } == drawn)
    }

    @Test func sgdBatchesInputsWithDeclaredShapes() throws {
        // The batch step is the program's graph with X and y rebound to 2 rows and its shapes
        // inferred again: the declared [6, 2] does not stand in the way. The fit is exact, as below.
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: """
            input X: [6, 2] = [[1, 0], [0, 1], [1, 1], [2, 1], [1, 3], [-1, 2]]
            input y: [6] = [1, -2, -1, 0, -5, -5]
            param w: [2] = 0
            loss = mean((X @ w - y)^2)
            minimize loss by sgd(rate: 0.05, steps: 2000, batch: 2)
            """, in: directory)
        let w = try #require(run.params["w"])
        #expect(Swift.abs(w[0] - 1) < 1e-9 && Swift.abs(w[1] + 2) < 1e-9, "w = \(w)")
    }

    @Test func aStepWhoseShapesWereFixedForTheWholeDataCannotBatch() throws {
        // grad(loss, b) inside the target was built for 6 rows: mean's adjoint spreads over
        // exactly 6, so the step does not fit a batch of 2, and the note says where.
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", """
            input x = [1, 2, 3, 4, 5, 6]
            input y = [2, 4, 6, 8, 10, 12]
            param w = 0
            param b = 0
            loss = mean((w*x + b - y)^2)
            minimize loss + grad(loss, b)^2 by sgd(rate: 0.01, steps: 10, batch: 2)
            """)
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .programError)
        #expect(result.err.hasPrefix("\(path):6:1: error: sgd could not compile the program at batch shape\n"), "\(result.err)")
        #expect(result.err.contains("note: "), "\(result.err)")
    }

    @Test func aParamWithOneEntryPerRowIsNamedAsWhatCannotBatch() throws {
        // b has the data's 4 rows but is a param, so it stays [4] while X @ w becomes [2]:
        // the error names b and why, the notes show where it is declared and what no longer fits.
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.graph", """
            input X = [[1, 2], [3, 4], [5, 6], [7, 8]]
            input y = [1, 2, 3, 4]
            param w: [2] = 0
            param b: [4] = 0
            loss = mean((X @ w + b - y)^2)
            minimize loss by sgd(rate: 0.01, steps: 10, batch: 2)
            """)
        let result = InProcess.run(["run", path, "--quiet"])
        #expect(result.status == .programError)
        #expect(result.err.hasPrefix("""
            \(path):6:1: error: sgd cannot train on batches of 2 of the 4 rows: the param 'b' has shape [4], \
            one entry per row of the data, but params are not batched
            minimize loss by sgd(rate: 0.01, steps: 10, batch: 2)
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            \(path):4:1: note: 'b' is declared here
            param b: [4] = 0
            ^~~~~~~~~~~~~~~~
            \(path):5:14: note: at batch shape this value's operands no longer fit together: cannot add shapes [2] and [4]
            """), "\(result.err)")
        #expect(result.err.hasSuffix("slope: note: give 'b' a shape without the 4 rows, or train with gd "
                                     + "(or sgd with batch: 4 or more, which uses the data whole)\n"), "\(result.err)")
    }

    @Test func sgdBatchesEveryInputWithTheRowCountAndLeavesTheOthersWhole() throws {
        // w has 3 rows but is not an input; X and y have 6 and are batched together, so the fit
        // is exact whichever rows are drawn: y = X w with w = (1, −2).
        let directory = try TemporaryDirectory()
        let run = try Slope.runJSON(source: """
            input X = [[1, 0], [0, 1], [1, 1], [2, 1], [1, 3], [-1, 2]]
            input y = [1, -2, -1, 0, -5, -5]
            input scale = [1, 1]
            param w: [2] = 0
            loss = mean((X @ (w * scale) - y)^2)
            minimize loss by sgd(rate: 0.05, steps: 2000, batch: 2)
            """, in: directory)
        let w = try #require(run.params["w"])
        #expect(Swift.abs(w[0] - 1) < 1e-9 && Swift.abs(w[1] + 2) < 1e-9, "w = \(w)")
    }
}
