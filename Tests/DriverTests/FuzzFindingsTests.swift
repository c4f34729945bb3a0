import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

// Regression cases from slope-fuzz (Tools/fuzz): each input under Tests/Cases/fuzz/ is a finding,
// minimized, with the seed and input number that found it in its first comment. Each test runs
// the command in-process and checks the behaviour the contract asks for. Findings in code other
// engineers were changing were `withKnownIssue` until their fixes landed; all pass now.
// (Crashes and blow-ups run through the binary, in CLITests/FuzzCrashTests.swift.)

private func fuzzCase(_ name: String) -> String {
    PackagePaths.cases.appendingPathComponent("fuzz").appendingPathComponent(name).path
}

/// The located errors on stderr: `PATH:LINE:COL: error: MESSAGE` with the two lines after it.
private func errors(_ stderr: String, in path: String) -> [(line: Int, column: Int, message: String, source: String, caret: String)] {
    let lines = stderr.components(separatedBy: "\n")
    var found: [(Int, Int, String, String, String)] = []
    for (index, line) in lines.enumerated() where line.hasPrefix(path + ":") {
        let parts = line.dropFirst(path.count + 1).split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let number = Int(parts[0]), let column = Int(parts[1]), parts[2] == " error",
              index + 2 < lines.count else { continue }
        found.append((number, column, String(parts[3].dropFirst()), lines[index + 1], lines[index + 2]))
    }
    return found
}

@Test func aZeroSecondDerivativeWithinItsRoundingChecksOK() {
    let result = InProcess.run(["check", fuzzCase("check_rounding_of_a_zero_derivative.graph")])
    #expect(result.status == .success, "\(result.out)\(result.err)")
    #expect(!result.out.contains("FAIL"))
}

@Test func aFailedCheckExitsWithOneAndADiagnosticAtTheTarget() {
    let path = fuzzCase("check_nan_gradient.graph")
    let result = InProcess.run(["check", path])
    #expect(result.status == .programError)
    #expect(result.out.contains("FAIL"))
    let reported = errors(result.err, in: path)
    #expect(reported.count == 1)
    #expect(reported.first?.line == 6)
    #expect(reported.first?.column == 5)
    #expect(reported.first?.message == "the gradient of 'f' by 'p' disagrees with central differences")
    #expect(reported.first?.caret.hasPrefix("    ^~~~") == true)
    // With --json the verdict is in the object and the diagnostic still on stderr.
    let json = InProcess.run(["check", path, "--json"])
    #expect(json.status == .programError)
    #expect(json.out.contains("\"ok\": false"))
    #expect(errors(json.err, in: path).count == 1)
}

@Test func aProgramIsReadFromAPipe() throws {
    let text = try String(contentsOfFile: fuzzCase("pipe_program.graph"), encoding: .utf8)
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    // 0.2 KB fits the pipe's buffer, so it can be written before the reader starts.
    _ = text.utf8CString.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count - 1) }
    close(ends[1])
    defer { close(ends[0]) }
    let result = InProcess.run(["run", "/dev/fd/\(ends[0])"])
    #expect(result.status == .success, "\(result)")
    // f = x^2 = 9 and df/dx = 2x = 6 at x = 3.
    #expect(result.out == "f = 9\ngrad(f, x) = 6\n")
}

@Test func aStrayContinuationByteStillGetsItsCaret() {
    let path = fuzzCase("stray_continuation_byte.graph")
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    let reported = errors(result.err, in: path)
    #expect(reported.map(\.line) == [2])
    #expect(reported.first?.column == 1)
    // One byte (0xA0) that starts no character; the file has five.
    #expect(reported.first?.message == "unexpected bytes (1 byte that is not Slope source)")
    #expect(reported.first?.caret == "^")
}

@Test func aLineSeparatorInTheProgramKeepsTheHeaderOnOneLine() {
    let path = fuzzCase("line_separator.graph")
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    let reported = errors(result.err, in: path)
    #expect(reported.map(\.line) == [2])
    #expect(reported.first?.column == 3)
    // The renderer escapes the line separator (TextEscaping), so the header stays one line.
    #expect(reported.first?.message == #"unexpected character '\u{2028}'"#)
    #expect(reported.first?.caret == "  ^")
}

@Test func theEndOfACarriageReturnLineIsTheColumnTheCaretIsUnder() {
    let path = fuzzCase("crlf_end_of_file.graph")
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    let reported = errors(result.err, in: path)
    // "x=1+" then '\r' and the end of the file: the caret and the header both say column 5.
    #expect(reported.map(\.column) == [5])
    #expect(reported.first?.source == "x=1+")
    #expect(reported.first?.caret == "    ^")
}

@Test func aNameGivenTwiceToWrtIsAUsageError() {
    let result = InProcess.run(["grad", fuzzCase("duplicate_wrt.graph"), "--wrt", "p0,p0"])
    #expect(result.status == .usageError)
    #expect(result.err.hasPrefix("slope: error: --wrt names 'p0' twice; give each name once\n"))
    #expect(result.out.isEmpty)
}

@Test func theGradientProgramOfANaNConstantRuns() throws {
    let grad = InProcess.run(["grad", fuzzCase("grad_nan_constant.graph")])
    #expect(grad.status == .success)
    let directory = try TemporaryDirectory()
    let printed = try directory.write("gradient.graph", grad.out)
    // Fixed on main (was: slope grad prints a folded NaN constant as 'nan', which does not parse).
    let run = InProcess.run(["run", printed])
    #expect(run.status == .success, "\(run)")
}

@Test func thePrintedGradientGivesGradJSONsValuesThroughADiscreteOp() throws {
    let path = fuzzCase("grad_discrete_after_finite_only.graph")
    let json = InProcess.run(["grad", path, "--json"])
    #expect(json.out.contains("\"gradient\": {\"p1\": [0.0, 1.0, 1.0]}"), "\(json.out)")
    let grad = InProcess.run(["grad", path])
    #expect(grad.status == .success)
    let directory = try TemporaryDirectory()
    let printed = try directory.write("gradient.graph", grad.out)
    let run = InProcess.run(["run", printed, "--json"])
    // Fixed on main (was: exp(log(p1)) printed as p1, and the program printed d_p1 = [1, 1, 1]).
    #expect(run.out.contains("[0.0, 1.0, 1.0]"), "\(grad.out)\n\(run.out)")
}

@Test func quietDoesNotChangeTheResultOfATrainingThatFails() {
    let path = fuzzCase("quiet_changes_result.graph")
    let shown = InProcess.run(["run", path])
    let quiet = InProcess.run(["run", path, "--quiet"])
    #expect(shown.status == .programError)
    #expect(shown.err.contains("error: training stopped at step"))
    // Fixed on main (was: --quiet skips the loss on steps that are not shown, so a NaN loss goes unnoticed).
    #expect(quiet.status == shown.status)
    #expect(quiet.out == shown.out)
}

@Test func saveWritesThroughAFIFOAndALink() throws {
    let program = fuzzCase("save_to_special_files.graph")
    let directory = try TemporaryDirectory()
    let fifo = directory.path("params.fifo")
    #expect(mkfifo(fifo, 0o644) == 0)
    // Held open for reading and writing, so a writer never blocks and the bytes stay readable.
    let reader = open(fifo, O_RDWR | O_NONBLOCK)
    defer { close(reader) }
    let target = try directory.write("target.json", "keep\n")
    try FileManager.default.createSymbolicLink(atPath: directory.path("link.json"), withDestinationPath: "target.json")
    let toFIFO = InProcess.run(["run", program, "--quiet", "--save", fifo])
    let toLink = InProcess.run(["run", program, "--quiet", "--save", directory.path("link.json")])
    #expect(toFIFO.status == .success && toLink.status == .success)
    var status = stat()
    // Both stay what they were; the link's target gets the params (fixed by the file-output work).
    #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    #expect(lstat(directory.path("link.json"), &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
    #expect((try? String(contentsOfFile: target, encoding: .utf8))?.contains("\"m\"") == true)
    var bytes = [UInt8](repeating: 0, count: 4096)
    let count = read(reader, &bytes, bytes.count)
    #expect(count > 0 && String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).contains("\"m\""))
}

@Test func aLineBreakInAQuotedCellIsShownEscapedOnTheHeaderLine() {
    let path = fuzzCase("csv_cell_with_line_break.graph")
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    let reported = errors(result.err, in: path)
    #expect(reported.count == 1)
    #expect(reported.first?.message == #"cell_line_break.csv: line 2, column 'c': 'a\nb' is not a number"#)
    #expect(reported.first?.source == #"input T = csv("cell_line_break.csv")"#)
    #expect(reported.first?.caret.hasPrefix("          ^~~") == true)
}

@Test func aGradientThatIsZeroUpToRoundingChecksAsZero() {
    let result = InProcess.run(["check", fuzzCase("check_cancelling_zero_gradient.graph")])
    #expect(result.status == .success, "\(result)")
    #expect(result.out.contains("p1    3"))
    #expect(!result.out.contains("FAIL"))
}

/// slope-fuzz seed 3 input 26082: `grad --no-opt --json` evaluated reverse mode's raw output,
/// where 1 - sigmoid(1/p0) cancels (to 0 for p0 near 0, NaN after the log's adjoint): its
/// values differed from what the printed gradient gives when run. --no-opt only changes what
/// is shown, so the JSON is the evaluated gradient's, element for element.
@Test func gradNoOptJSONIsTheEvaluatedGradient() {
    let path = fuzzCase("grad_no_opt_json_is_the_evaluated_gradient.graph")
    let shown = InProcess.run(["grad", path, "--no-opt", "--json"]), evaluated = InProcess.run(["grad", path, "--json"])
    #expect(shown.status == .success && evaluated.status == .success, "\(shown) \(evaluated)")
    #expect(shown.out == evaluated.out)
    #expect(!shown.out.contains("nan"), "\(shown.out)")
}
