import Testing
@testable import SlopeCore
import SlopeTestSupport

struct TensorSummaryTests {
    @Test(arguments: [
        (13.0, "13"), (-2.0, "-2"), (0.512371, "0.5124"), (1e-5, "1e-05"), (-123456.7, "-1.235e+05"),
        (2e9, "2e+09"), (-0.0, "-0"), (Double.nan, "nan"), (-Double.infinity, "-inf"),
    ])
    func numbersKeepFourSignificantDigits(value: Double, expected: String) {
        #expect(TensorSummary.number(value) == expected)
    }

    @Test func scalarIsOneNumber() {
        #expect(TensorSummary.lines(Tensor(4)) == ["4"])
    }

    @Test func shortTensorListsEveryEntry() {
        let tensor = Tensor(shape: Shape([3]), values: [1, 2.5, -3])
        #expect(TensorSummary.lines(tensor) == ["[3]: 1, 2.5, -3"])
        #expect(TensorSummary.lines(tensor, withShape: false) == ["1, 2.5, -3"])
    }

    @Test func longTensorShowsFirstEntriesAndRange() {
        let tensor = Tensor(shape: Shape([2, 3]), values: [5, -1, 2, 9, 0, 3])
        #expect(TensorSummary.lines(tensor) == ["[2, 3]: 5, -1, 2, …", "min -1, max 9"])
    }

    @Test func uniformTensorIsOneValue() {
        #expect(TensorSummary.lines(Tensor(filling: Shape([4]), with: 0)) == ["[4]: all 0"])
    }

    @Test func nansAreCountedOutsideTheRange() {
        let tensor = Tensor(shape: Shape([5]), values: [.nan, 1, 2, .nan, -4])
        #expect(TensorSummary.lines(tensor) == ["[5]: nan, 1, 2, …", "min -4, max 2, 2 nan"])
    }
}

/// One rule for negative zero (issue 13): `-x^2` at x = 0 is `-0` in `run`, in its JSON and in
/// `dot --values` alike.
@Test func negativeZeroIsWrittenTheSameWayByRunAndDot() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("zero.graph", "input x = 0\ny = -x^2\nprint y\n")
    let run = InProcess.run(["run", path])
    #expect(run.out.contains("y = -0"))
    let json = InProcess.run(["run", path, "--json"])
    #expect(json.out.contains("\"value\": -0.0"))
    let dot = InProcess.run(["dot", path, "--values"])
    #expect(dot.out.contains("data -0"))
}
