import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

// Bad input and large input: each ends in a diagnostic or in success, never a crash, a trap,
// a stack overflow or a hang. Sizes are the issue's; a test here that gets slow points at
// quadratic work in Slope, not at a size to shrink.

/// Runs `slope ARGUMENTS` on `program` written to a temporary file.
private func slope(_ command: String, _ program: String, _ arguments: [String] = []) throws -> CommandResult {
    let directory = try TemporaryDirectory()
    let path = try directory.write("limit.graph", program)
    return InProcess.run([command, path] + arguments)
}

@Test(arguments: [
    ("parentheses", "(", ")"),
    ("brackets", "[", "]"),
    ("calls", "exp(", ")"),
])
func tenThousandNestedLevelsEndInADiagnostic(kind: String, open: String, close: String) throws {
    let program = "x = " + String(repeating: open, count: 10_000) + "1" + String(repeating: close, count: 10_000) + "\nprint x\n"
    let result = try slope("run", program)
    #expect(result.status == .programError)
    #expect(result.err.contains("error: expression nested too deeply (more than \(Parser.maximumNesting) levels)"))
    // One diagnostic, not one per level.
    #expect(result.err.components(separatedBy: ": error: ").count == 2)
}

@Test func tenThousandUnaryMinusesAndPowersEndInADiagnostic() throws {
    let minuses = try slope("run", "x = " + String(repeating: "-", count: 10_000) + "1\n")
    #expect(minuses.status == .programError)
    #expect(minuses.err.contains("nested too deeply"))
    let powers = try slope("run", "x = 2" + String(repeating: "^2", count: 10_000) + "\n")
    #expect(powers.status == .programError)
    #expect(powers.err.contains("nested too deeply"))
}

@Test(arguments: [1, 2, 3] as [UInt64])
func binaryGarbageEndsInADiagnostic(seed: UInt64) throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("garbage.graph", Data(ProgramGenerator.garbage(64 * 1024, seed: seed)))
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    #expect(result.out.isEmpty)
    #expect(result.err.hasPrefix(path + ":"))
    // The parser stops reporting after its limit.
    #expect(result.err.components(separatedBy: ": error: ").count - 1 <= Parser.maximumErrors)
    let ir = InProcess.run(["ir", path])
    #expect(ir.status == .programError)
}

@Test func anEmptyFileSucceedsWithNoOutput() throws {
    for command in ["run", "ir"] {
        let result = try slope(command, "")
        #expect(result.status == .success)
        #expect(result.out.isEmpty && result.err.isEmpty)
    }
    let blank = try slope("run", "\n\n   \n# nothing here\n")
    #expect(blank.status == .success && blank.out.isEmpty)
}

@Test func aOneMegabyteCommentLineIsSkipped() throws {
    let result = try slope("run", "# " + String(repeating: "x", count: 1 << 20) + "\nprint 1\n")
    #expect(result.status == .success)
    #expect(result.out == "1 = 1\n")
}

@Test func aOneMegabyteNameIsReportedInAShortExcerpt() throws {
    let name = String(repeating: "a", count: 1 << 20)
    let result = try slope("run", "y = 1 + " + name + "\n")
    #expect(result.status == .programError)
    let lines = result.err.split(separator: "\n")
    // Header, source excerpt and caret line; the excerpt is a window, not the megabyte.
    #expect(lines.count >= 3)
    #expect(lines[0].hasSuffix(":1:9: error: undefined name '\(name)'") || lines[0].contains("undefined name"))
    #expect(lines[1].count <= DiagnosticRenderer.maximumShownWidth)
}

@Test func aOneMegabyteTensorLiteralRuns() throws {
    // [1, 1, …, 1] with 350,000 elements is a little over a megabyte on one line.
    let count = 350_000
    let literal = "[" + Array(repeating: "1", count: count).joined(separator: ", ") + "]"
    #expect(literal.utf8.count > 1 << 20)
    let result = try slope("run", "input x = \(literal)\nprint sum(x)\n")
    #expect(result.status == .success, "\(result.err.prefix(500))")
    #expect(result.out == "sum(x) = \(count)\n")
}

@Test func aOneMegabyteLineOfGarbageEndsInOneDiagnostic() throws {
    let result = try slope("run", "x = " + String(repeating: "$", count: 1 << 20) + "\n")
    #expect(result.status == .programError)
    #expect(result.err.contains("error: unexpected character '$$$$$$$$$$$$$$$$$$$$…'"))
}

@Test func aMillionRowCSVWithOneBadCellNamesItsLine() throws {
    let directory = try TemporaryDirectory()
    // Data row 765,432 is file line 765,433 (after the header).
    try directory.write("big.csv", Data(ProgramGenerator.csv(rows: 1_000_000, badRow: 765_432)))
    let path = try directory.write("p.graph", "input a = csv(\"big.csv\", \"a\")\ninput b = csv(\"big.csv\", \"b\")\nprint sum(a)\n")
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    #expect(result.err.hasPrefix("\(path):2:11: error: big.csv: line 765433, column 'b': 'oops' is not a number\n"))
    // Column a was read first, from the same parse, without complaint: only one error.
    #expect(result.err.components(separatedBy: ": error: ").count == 2)
}

/// Compiles `program` once, then runs it as `slope run` does and prints its IR as `slope ir`
/// does: one compilation for both, as compiling 100,000 lines is the slow part in debug builds.
private func runAndPrintIR(_ program: String) throws -> (printed: [Tensor], ir: String) {
    let directory = try TemporaryDirectory()
    let path = try directory.write("limit.graph", program)
    guard case .command(let arguments) = try Arguments.parse(["run", path]) else { throw DiagnosticsError(diagnostics: []) }
    let compiled: Compilation
    do { compiled = try Compilation.compile(arguments) } catch { throw DiagnosticsError(diagnostics: error.diagnostics) }
    let program = compiled.program
    let executor = Executor(graph: program.graph, outputs: program.roots, leafValues: program.leafValues)
    executor.run()
    return (program.roots.map(executor.value), IRPrinter.print(program.graph))
}

@Test func aChainOfAHundredThousandNodesRunsPrintsItsIRAndReportsErrors() throws {
    let count = 100_000
    let (printed, ir) = try runAndPrintIR(ProgramGenerator.chain(count))
    // x0 = 1 and each step adds 1: x100000 = 100001.
    #expect(printed == [Tensor(Double(count + 1))])
    // One constant per line plus one add per step (x0 = 1 is the first constant, x0 itself).
    let lines = ir.split(separator: "\n")
    #expect(lines.count == 2 * count + 1)
    #expect(lines.last?.hasPrefix("x\(count): [] = add(x\(count - 1), t\(2 * count - 1))") == true)
    #expect(lines.last?.hasSuffix("# \(count + 1):\(String(count).count + 5) x\(count - 1) + 1") == true)
    let error = try slope("run", ProgramGenerator.chain(count, undefinedAtEnd: true))
    #expect(error.status == .programError)
    let column = "print x\(count) + ".count + 1
    #expect(error.err.contains(":\(count + 2):\(column): error: undefined name 'missing'\n"))
}

@Test func aSumOfAHundredThousandTermsRunsPrintsItsIRAndReportsErrors() throws {
    let terms = 100_000
    let (printed, ir) = try runAndPrintIR(ProgramGenerator.longSum(terms))
    #expect(printed == [Tensor(Double(terms))])
    // terms constants and terms - 1 adds; the last add is the whole line, cut at 60 characters.
    let lines = ir.split(separator: "\n")
    #expect(lines.count == 2 * terms - 1)
    #expect(lines.last?.hasSuffix("# 1:5 " + String(repeating: "1 + ", count: 14) + "1...") == true)
    let error = try slope("run", ProgramGenerator.longSum(terms, undefinedAtEnd: true))
    #expect(error.status == .programError)
    // "s = 1" then " + 1" for each further term, then " + ": the name starts after that.
    let column = "s = 1".count + 4 * (terms - 1) + " + ".count + 1
    #expect(error.err.contains(":1:\(column): error: undefined name 'missing'\n"))
}

/// A grad inside a grad: hash-consing hands the outer reverse pass values that the inner one
/// built earlier, which once marked a node as the adjoint of a later node and crashed the
/// namer of every printing command.
@Test(arguments: [["ir", "--no-opt"], ["ir", "--passes"], ["ir"], ["grad", "--no-opt"], ["grad"], ["dot"],
                  ["dot", "--grad"], ["dot", "--grad", "--values"], ["run"]])
func nestedGradsPrintWithEveryCommand(_ command: [String]) throws {
    // h = d/dx (x · d/dx x²) = d/dx 2x² = 4x = 4 at x = 1.
    let result = try slope(command[0], "param x = 1\nh = grad(x*grad(x*x, x), x)\nprint h\n", Array(command.dropFirst()))
    #expect(result.status == .success, "\(result.err)")
    if command == ["run"] { #expect(result.out == "h = 4\n") }
}

@Test func aFourthDerivativePrintsAndRuns() throws {
    // f = sin(x)·eˣ: f'''' = −4 f (the derivatives of eˣ sin x cycle with factor (1 + i)⁴ = −4).
    let program = "param x = 1.5\nf = sin(x)*exp(x)\ng = grad(grad(grad(grad(f, x), x), x), x)\nprint g, -4*f\n"
    for command in ["ir", "dot"] { #expect(try slope(command, program).status == .success) }
    let lines = try slope("run", program).out.split(separator: "\n")
    try #require(lines.count == 2)
    let g = try #require(Double(lines[0].dropFirst("g = ".count))), expected = try #require(Double(lines[1].dropFirst("-4*f = ".count)))
    #expect(Swift.abs(g - expected) <= 1e-12 * Swift.abs(expected), "\(g) against \(expected)")
}

@Test func aPictureOfOneLongLineIsDrawn() throws {
    // 20,000 terms on one line: every node's range spans the terms before it, so reading whole
    // ranges for labels once took minutes here (quadratic); each label reads only its start now.
    let program = "param c = 1\nx = " + Array(repeating: "c", count: 20_000).joined(separator: " + ") + "\nprint x\n"
    let result = try slope("dot", program)
    #expect(result.status == .success)
    #expect(result.out.hasPrefix("digraph"))
}

@Test func theGradientOfA32000LineChainIsAProgramOfLinearSize() throws {
    // v_i = v_{i-1}·v_{i-1}, 32,000 times: d_v0 = 2·v0·2·v1·…, one product nested 32,000 deep.
    // The printer once kept the full text of every partial product (6.9 GB), and written on one
    // line it nests deeper than the parser reads; now it is linear and split into statements.
    let count = 32_000
    let lines = ["param v0 = 1"] + (1...count).map { "v\($0) = v\($0 - 1)*v\($0 - 1)" }
    let directory = try TemporaryDirectory()
    let path = try directory.write("chain.graph", lines.joined(separator: "\n") + "\nprint v\(count)\n")
    let result = InProcess.run(["grad", path])
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.utf8.count < 100 * count, "\(result.out.utf8.count) bytes")
    let copy = try directory.write("gradient.graph", result.out)
    let run = InProcess.run(["run", copy])
    // 2^32000 overflows: the gradient is inf, as `slope grad --json` reports.
    #expect(run.status == .success, "\(run.err.prefix(500))")
    #expect(run.out == "d_v0 = inf\n")
}

@Test func theGradientOfOneLongProductIsPrinted() throws {
    // 20,000 factors on one line: every partial product is shared by the backward pass and gets
    // a statement whose comment quotes its source, which spans all the factors before it.
    // Reading whole ranges for the comments was quadratic; each reads only its start now.
    let count = 20_000
    let program = "param a = 1\nx = " + Array(repeating: "a", count: count).joined(separator: "*") + "\n"
    let result = try slope("grad", program, ["--no-opt"])
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.utf8.count < 300 * count, "\(result.out.utf8.count) bytes")
    // Each comment is cut after 47 characters of the source.
    #expect(result.out.contains("# from line 2: " + Array(repeating: "a", count: 24).joined(separator: "*") + "..."))
}
