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

    @Test func withoutShufflingBatchesVisitTheRowsInOrder() {
        // shuffle: false — 0, 1, 2, … and on into the next epoch from row 0.
        var pairs = MiniBatches(rows: 5, batch: 2, seed: 42, shuffle: false)
        #expect((0..<5).map { _ in pairs.next() } == [[0, 1], [2, 3], [4, 0], [1, 2], [3, 4]])
        var single = MiniBatches(rows: 3, batch: 1, seed: 42, shuffle: false)
        #expect((0..<7).map { _ in single.next() } == [[0], [1], [2], [0], [1], [2], [0]])
    }

    /// The Coding Train's exercise: visit the points in order and update after each one.
    static let inOrder = """
        input x = [1, 2, 3]
        input y = [2, 4, 6]
        param m = 0
        E = mean((m*x - y)^2)
        minimize E by sgd(rate: 0.1, steps: 3, batch: 1, shuffle: false)
        """

    @Test func sgdWithoutShufflingIsTheCodingTrainExercise() throws {
        // One point per step, in order, g = 2(m·x − y)·x, m ← m − 0.1·g:
        //   (1, 2): g = 2(0 − 2)·1 = −4        → m = 0.4,   batch loss (0 − 2)² = 4
        //   (2, 4): g = 2(0.8 − 4)·2 = −12.8   → m = 1.68,  batch loss (0.8 − 4)² = 10.24
        //   (3, 6): g = 2(5.04 − 6)·3 = −5.76  → m = 2.256, batch loss (5.04 − 6)² = 0.9216
        // On the full data: E(0) = (4 + 16 + 36)/3 = 56/3; E(2.256) = (0.256² + 0.512² + 0.768²)/3 = 0.917504/3.
        let directory = try TemporaryDirectory()
        let log = directory.path("log.csv")
        let run = try Slope.runJSON(source: Self.inOrder, ["--log", log], in: directory)
        #expect(isClose(try run.param("m"), 2.256, 1e-14))
        let entry = try #require(run.train.first)
        #expect(entry.initial == 56.0 / 3)
        #expect(isClose(entry.final, 0.917504 / 3, 1e-13))
        // One meaning per column: the step's batch loss, and the loss on the full data where computed.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines.first == "step,batch_loss,loss")
        #expect(lines[1] == "0,4,18.666666666666668")
        let batchLosses = lines[1...3].map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[1])! }
        for (found, expected) in zip(batchLosses, [4, 10.24, 0.9216]) { #expect(isClose(found, expected, 1e-13)) }
        #expect(lines[2].hasSuffix(",") && lines[3].hasSuffix(","), "no full-data loss on steps 1 and 2")
        #expect(lines[4] == "3,,\(ValueFormatter.number(entry.final))")
        // Here each step scales m − 2 by 1 − 0.2x², so the order does not matter; with y = 7 for
        // x = 3 the steps are affine maps with different fixed points, which do not commute, and
        // shuffled batches (a permutation drawn from the seed: 0, 1, 2 for some seeds by chance,
        // but not for all) end elsewhere than the points in order.
        let skewed = Self.inOrder.replacingOccurrences(of: "[2, 4, 6]", with: "[2, 4, 7]")
        let inOrder = try Slope.runJSON(source: skewed, in: directory).param("m")
        let shuffled = skewed.replacingOccurrences(of: ", shuffle: false", with: "")
        let ends = try (0..<6).map { try Slope.runJSON(source: shuffled, ["--seed", "\($0)"], in: directory).param("m") }
        #expect(ends.contains { $0 != inOrder }, "\(ends) against \(inOrder)")
    }

    @Test func progressLinesSayWhichLossTheyShow() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.inOrder)
        let result = InProcess.run(["run", path])
        let lines = result.err.split(separator: "\n").map { $0.replacingOccurrences(of: #"  \d+ steps/s"#, with: "", options: .regularExpression) }
        // Each step's loss is its point's; the last line is the final loss, on the full data.
        #expect(lines.count == 4, "\(result.err)")
        #expect(Array(lines.prefix(3)) == ["minimize E by sgd: step 0/3  batch loss 4",
                                           "minimize E by sgd: step 1/3  batch loss 10.240000000000002",
                                           "minimize E by sgd: step 2/3  batch loss 0.9215999999999982"])
        #expect(lines.last?.hasPrefix("minimize E by sgd: step 3/3  loss on the full data 0.30583466") == true, "\(result.err)")
        #expect(result.out.hasPrefix("minimize E by sgd: 3 steps, loss 18.666666666666668 -> "))
    }

    @Test func sgdLogsABatchColumnEvenForStepsOnTheWholeData() throws {
        // A gd statement beside an sgd one: its steps have no batch, so batch_loss is empty.
        let directory = try TemporaryDirectory()
        let log = directory.path("log.csv")
        _ = try Slope.runJSON(source: Self.inOrder + "\nminimize E by gd(rate: 0.01, steps: 1)", ["--log", log], in: directory)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "step,batch_loss,loss")
        // Step 3 is the sgd statement's final loss and the gd statement's first row; step 4 gd's final.
        #expect(lines.count == 6 && lines[4].hasPrefix("3,,") && lines[5].hasPrefix("4,,"), "\(lines)")
    }

    @Test func shuffleIsTrueOrFalse() {
        let errors = InProcess.errors("param m = 1\nminimize m^2 by sgd(rate: 0.1, shuffle: 0)\n")
        #expect(errors.map(\.message) == ["'shuffle' must be true or false, found '0'"])
        #expect(InProcess.errors("param m = 1\nminimize m^2 by sgd(shuffle: true)\n").isEmpty)
        #expect(InProcess.errors("param m = 1\nminimize m^2 by gd(shuffle: false)\n").first?.message.hasPrefix("'gd' has no setting 'shuffle'") == true)
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
