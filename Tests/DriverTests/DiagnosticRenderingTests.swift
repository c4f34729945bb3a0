import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A diagnostic category: a program that triggers it, and the exact stderr of `slope run`
/// (with FILE standing for the program's path).
struct CategoryCase: Sendable, CustomTestStringConvertible {
    let id: String
    let program: String
    let stderr: String
    var testDescription: String { id }
}

let categoryCases: [CategoryCase] = [
    CategoryCase(id: "syntax.unexpected-token", program: "x = 1\ny = (2 + ]\n", stderr: """
        FILE:2:10: error: expected an expression, found ']'
        y = (2 + ]
                 ^

        """),
    CategoryCase(id: "syntax.number-followed-by-name", program: "y = 3 * 2x\n", stderr: """
        FILE:1:9: error: a number cannot run into a name: '2x'
        y = 3 * 2x
                ^~
        slope: note: write '2*x' for a product

        """),
    CategoryCase(id: "semantic.undefined-name", program: "param rate = 1\nz = 2 * rte\n", stderr: """
        FILE:2:9: error: undefined name 'rte'
        z = 2 * rte
                ^~~
        slope: note: did you mean 'rate'?

        """),
    CategoryCase(id: "semantic.use-before-definition", program: "y = x\nx = 1\n", stderr: """
        FILE:1:5: error: 'x' is used before it is defined
        y = x
            ^
        FILE:2:1: note: 'x' is defined later, here; move the definition up
        x = 1
        ^

        """),
    CategoryCase(id: "shape.broadcast-mismatch", program: "input X: [3, 2] = 1\nparam b: [4] = 0\nz = X + b\n", stderr: """
        FILE:3:7: error: cannot add shapes [3, 2] and [4]
        z = X + b
              ^
        slope: note: shapes broadcast when their trailing dimensions are equal or 1

        """),
    CategoryCase(id: "shape.matmul-mismatch", program: "input A: [2, 3] = 1\nz = A @ A\n", stderr: """
        FILE:2:7: error: cannot multiply matrices of shapes [2, 3] and [2, 3]: inner dimensions 3 and 2 differ
        z = A @ A
              ^

        """),
    CategoryCase(id: "input.csv-unreadable", program: "input x = csv(\"gone.csv\", \"a\")\n", stderr: """
        FILE:1:15: error: cannot read CSV file 'gone.csv': it does not exist
        input x = csv("gone.csv", "a")
                      ^~~~~~~~~~
        slope: note: paths are relative to the folder of the .graph file

        """),
    CategoryCase(id: "input.not-an-initializer", program: "param w = 1\ninput x = w + 1\n", stderr: """
        FILE:2:11: error: an initial value must be a number, a tensor literal, normal(mean, std), uniform(low, high) or csv(...)
        input x = w + 1
                  ^

        """),
]

@Test(arguments: categoryCases)
func eachDiagnosticCategoryRendersFileLineColumnMessageSourceAndCaret(_ row: CategoryCase) throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", row.program)
    let result = InProcess.run(["run", path])
    #expect(result.status == .programError)
    #expect(result.out.isEmpty)
    #expect(result.err == row.stderr.replacingOccurrences(of: "FILE", with: path))
}

@Test func everyCategoryIsCovered() {
    let prefixes = Set(categoryCases.map { String($0.id.prefix { $0 != "." }) })
    #expect(prefixes == ["syntax", "semantic", "shape", "input"])
}

// MARK: The renderer

private func render(_ text: String, start: Int, end: Int, message: String = "m") -> String {
    let file = SourceFile(path: "f.graph", text: text)
    return DiagnosticRenderer.render(Diagnostic(id: "t.t", message, at: SourceRange(file: file, start: start, end: end)))
}

@Test func tabsAreCopiedIntoTheCaretLine() {
    // "\tx =\t1 + q": q is byte 9; the caret line repeats both tabs so it lines up.
    #expect(render("\tx =\t1 + q", start: 9, end: 10) == "f.graph:1:10: error: m\n\tx =\t1 + q\n\t   \t    ^\n")
}

@Test func theRangeIsUnderlinedOnItsFirstLine() {
    // A range running past the line end is underlined to the end of that line only.
    #expect(render("ab cdef\nxyz", start: 3, end: 10) == "f.graph:1:4: error: m\nab cdef\n   ^~~~\n")
}

@Test func anEndOfLineIsMarkedJustPastTheText() {
    #expect(render("x = 1 +\n", start: 7, end: 8) == "f.graph:1:8: error: m\nx = 1 +\n       ^\n")
    #expect(render("x = 1 +", start: 7, end: 7) == "f.graph:1:8: error: m\nx = 1 +\n       ^\n")
}

@Test func columnsCountCharactersSoCaretsLineUpAfterNonASCIIText() {
    // "é" is two bytes but one column: 'z' at byte 9 is column 8.
    #expect(render("a = \"é\" z", start: 9, end: 10) == "f.graph:1:9: error: m\na = \"é\" z\n        ^\n")
}

@Test func controlCharactersAreShownAsQuestionMarks() {
    #expect(render("x\u{1}y", start: 2, end: 3) == "f.graph:1:3: error: m\nx?y\n  ^\n")
}

@Test func aLongLineIsShownAsAWindowAroundTheColumn() {
    let line = String(repeating: "a", count: 5000) + "ZZ" + String(repeating: "b", count: 5000)
    let rendered = render(line, start: 5000, end: 5002)
    let lines = rendered.split(separator: "\n")
    #expect(lines[0] == "f.graph:1:5001: error: m")
    #expect(lines[1].count == DiagnosticRenderer.maximumShownWidth)
    #expect(lines[1].contains("ZZ"))
    // The caret sits under the first Z of the window, with ~ under the second.
    let caretColumn = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
    let zColumn = lines[1].firstIndex(of: "Z").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
    #expect(caretColumn != nil && caretColumn == zColumn)
    #expect(lines[2].hasSuffix("^~"))
}

@Test func aDiagnosticWithoutALocationNamesSlope() {
    #expect(DiagnosticRenderer.render(Diagnostic(id: "t.t", "no file", at: nil)) == "slope: error: no file\n")
}

// MARK: Text from the user's files is escaped

@Test(arguments: [
    ("plain é α text", "plain é α text"),
    ("\u{1b}[31mred", "\\x1b[31mred"),
    ("a\u{0}b", "a\\0b"),
    ("tab\tline\nreturn\r", "tab\\tline\\nreturn\\r"),
    ("\u{7f}\u{7}", "\\x7f\\x07"),
    ("\u{85}", "\\u{0085}"),
    ("abc\u{202e}fed", "abc\\u{202e}fed"),
])
func controlCharactersAreEscapedAsAProgrammerWritesThem(_ text: String, _ escaped: String) {
    #expect(TextEscaping.escaped(text) == escaped)
}

@Test func messagesAndNotesAreEscapedWhenRendered() {
    let file = SourceFile(path: "f.graph", text: "x = 1")
    let diagnostic = Diagnostic(id: "t.t", "cell '\u{1b}[2J' is bad", at: SourceRange(file: file, start: 4, end: 5),
                                notes: [.init("see '\u{0}'"), .init("also '\u{1b}'", at: SourceRange(file: file, start: 0, end: 1))])
    let rendered = DiagnosticRenderer.render(diagnostic)
    #expect(!rendered.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0 })
    #expect(rendered == """
        f.graph:1:5: error: cell '\\x1b[2J' is bad
        x = 1
            ^
        slope: note: see '\\0'
        f.graph:1:1: note: also '\\x1b'
        x = 1
        ^

        """)
}

@Test func directionOverridesInTheSourceLineAreShownAsQuestionMarksKeepingTheCaretInPlace() {
    // U+202E would make the rest of the line read backwards; it is one column, shown as '?'.
    // Bytes: "a = " 0–3, U+202E 4–6, "b + " 7–10, "q" 11; columns: q is the tenth character.
    #expect(render("a = \u{202e}b + q", start: 11, end: 12) == "f.graph:1:10: error: m\na = ?b + q\n         ^\n")
}

@Test func aUsageErrorEchoingTheCommandLineIsEscapedToo() {
    let result = InProcess.run(["r\u{1b}[31mn", "p.graph"])
    #expect(result.status == .usageError)
    #expect(result.err.hasPrefix("slope: error: unknown command 'r\\x1b[31mn'"))
}

@Test func aProgramLevelErrorIsAtTheFilesFirstLine() throws {
    // Nothing to differentiate: about the whole program, so at 1:1 (with no excerpt for an
    // empty file, which has no line to show).
    let directory = try TemporaryDirectory()
    for (name, text) in [("empty.graph", ""), ("comment.graph", "# only a comment\n")] {
        let path = try directory.write(name, text)
        for command in ["grad", "check", "dot"] {
            let arguments = command == "dot" ? [command, path, "--grad"] : [command, path]
            let result = InProcess.run(arguments)
            #expect(result.status == .programError)
            let excerpt = text.isEmpty ? "" : "# only a comment\n^\n"
            #expect(result.err == "\(path):1:1: error: the program defines no value to differentiate\n" + excerpt
                                   + "slope: note: define one, as in 'loss = ...', or name one with --of\n", "\(command): \(result)")
        }
    }
}

@Test func aByteOrderMarkIsNeitherATokenNorAColumn() {
    let file = SourceFile(path: "f.graph", bytes: [0xEF, 0xBB, 0xBF] + Array("y = zz".utf8))
    #expect(file.text(0, 6) == "y = zz")
    let (_, diagnostics) = Parser.parse(file)
    #expect(diagnostics.isEmpty)
    #expect(InProcess.errors("\u{feff}y = zz + 1").map { "\($0.range!.line):\($0.range!.column)" } == ["1:5"])
}

