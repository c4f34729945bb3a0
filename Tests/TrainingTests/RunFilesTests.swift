import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The files of one `slope run` (--save, --log, --plot): checked before anything runs, and at
/// the end all this run's or all as they were (issue 12: "the outputs of one run can end up
/// mixed with an earlier run's").
@Suite struct RunFilesTests {
    /// Prints, then trains: a run that got anywhere would show both on its streams.
    static let program = """
        param m = 0
        print m
        E = (m - 3)^2
        minimize E by gd(rate: 0.25, steps: 2)
        """

    static func names(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    struct BadPath: CustomTestStringConvertible, Sendable {
        let option: String
        /// What is at the path (made in the test's folder), and the path given.
        let make: @Sendable (TemporaryDirectory) throws -> String
        let reason: String
        var testDescription: String { "\(option): \(reason)" }
    }

    static let badPaths: [BadPath] = ["--save", "--log", "--plot"].flatMap { option in [
        BadPath(option: option, make: { $0.path("absent/file") }, reason: "the folder '' does not exist"),
        BadPath(option: option, make: { directory in
            try FileManager.default.createDirectory(atPath: directory.path("runs"), withIntermediateDirectories: false)
            return directory.path("runs")
        }, reason: "it is a directory"),
        BadPath(option: option, make: { directory in
            let path = try directory.write("frozen", "keep me")
            chmod(path, 0o444)
            return path
        }, reason: "the file is read-only; make it writable (chmod u+w) or choose another path"),
    ] }

    @Test(arguments: badPaths)
    func aBadOutputPathIsReportedBeforeAnythingRuns(_ bad: BadPath) throws {
        // Issue 12: "Output paths are checked before training starts, not after."
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", Self.program)
        let path = try bad.make(directory)
        let before = try Self.names(directory)
        let result = InProcess.run(["run", source, bad.option, path])
        #expect(result.status == .programError)
        #expect(result.out.isEmpty, "nothing ran, not even the print")
        let reason = bad.reason.replacingOccurrences(of: "''", with: "'\(directory.path("absent"))'")
        #expect(result.err == "slope: error: cannot write '\(path)': \(reason)\n")
        #expect(try Self.names(directory) == before, "nothing made, nothing left behind")
        if bad.reason.hasPrefix("the file is read-only") { #expect(try Self.text(path) == "keep me") }
    }

    @Test func theFirstBadPathStopsTheRunAndTheGoodOnesAreLeftAsTheyWere() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", Self.program)
        let save = try directory.write("params.json", "old params")
        let result = InProcess.run(["run", source, "--save", save, "--log", directory.path("absent/log.csv")])
        #expect(result.status == .programError)
        #expect(try Self.text(save) == "old params")
        #expect(try Self.names(directory) == ["params.json", "test.graph"])
    }

    @Test func plotWithNothingToDrawIsReportedBeforeAnythingRuns() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", "param x = 1\nprint x\n")
        let result = InProcess.run(["run", source, "--plot", directory.path("plot.svg")])
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        #expect(result.err == """
            slope: error: --plot has nothing to draw: the program trains nothing, and prints no scalar function of one or two scalar params or inputs
            \(source):2:7: note: 'x' is a param itself, not a function of one
            print x
                  ^
            slope: note: print one, as in 'print f' for f = x^2 + y^2, or train with minimize to plot the training

            """)
        #expect(try Self.names(directory) == ["test.graph"])
    }

    /// The quartic of `NonFiniteTrainingTests` with `steps` steps: 3 finish, 100 diverge at step 5.
    static func quartic(steps: Int) -> String { "param x = 2\nf = x^4\nminimize f by gd(rate: 1, steps: \(steps))\n" }

    @Test func aFailedRunReplacesEveryFileOfTheRunBeforeIt() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", Self.quartic(steps: 3))
        let files = ["--save": directory.path("params.json"), "--log": directory.path("log.csv"), "--plot": directory.path("plot.svg")]
        let arguments = files.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        let first = InProcess.run(["run", source, "--quiet"] + arguments)
        try #require(first.status == .success, "\(first)")
        #expect(try Self.text(files["--log"]!).split(separator: "\n").count == 5, "the header, steps 0, 1, 2 and the final loss")

        try directory.write("test.graph", Self.quartic(steps: 100))
        let second = InProcess.run(["run", source, "--quiet"] + arguments)
        #expect(second.status == .programError)
        #expect(second.err.contains("training stopped at step 5"))
        // Every file is the second run's: the last good params (x after 4 steps, 5.1e47), the
        // log's good rows (steps 0 to 4), and a plot of the failed statement.
        let (_, lastGood) = NonFiniteTrainingTests.quarticFailure()
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files["--save"]!))) as? [String: Double])
        #expect(isClose(try #require(saved["x"]), lastGood, 1e-12))
        #expect(try TrainingPlotsTests.rows(files["--log"]!).map(\.step) == [0, 1, 2, 3, 4])
        let plot = try #require(ParsedXML.parse(try Self.text(files["--plot"]!)))
        #expect(plot.texts.contains("minimize f by gd(rate: 1, steps: 100), stopped by an error"), "\(plot.texts)")
        #expect(try Self.names(directory) == ["log.csv", "params.json", "plot.svg", "test.graph"])
    }

    @Test func whenOneFileCannotBeWrittenNoneIsReplaced() throws {
        // /dev/full opens like any device, then refuses every write: found only at the end.
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", Self.program)
        let save = try directory.write("params.json", "old params")
        let plot = try directory.write("plot.svg", "old plot")
        let result = InProcess.run(["run", source, "--quiet", "--save", save, "--log", "/dev/full", "--plot", plot])
        #expect(result.status == .programError)
        #expect(result.err == """
            slope: error: cannot write '/dev/full': No space left on device
            slope: note: '\(save)' was left as it was, so the files of this run are not mixed with older ones
            slope: note: '\(plot)' was left as it was, so the files of this run are not mixed with older ones

            """)
        #expect(try Self.text(save) == "old params")
        #expect(try Self.text(plot) == "old plot")
        #expect(try Self.names(directory) == ["params.json", "plot.svg", "test.graph"])
    }
}

extension RunFilesTests {
    /// An output never replaces what the command reads (as `gcc -o a.c a.c` refuses): the
    /// program itself, by its name or a link, and the CSV files it names, for every option
    /// that writes and for `slope export -o`. Reading and writing one params file (`--load
    /// p.json --save p.json`, training on from where it stopped) is not an input of the
    /// program and stays allowed.
    @Test(arguments: [["run", "--save"], ["run", "--log"], ["run", "--plot"], ["export", "--to", "jax", "-o"],
                      ["export", "--to", "onnx", "-o"], ["report", "-o"]])
    func anOutputNeverReplacesTheProgramOrItsData(_ options: [String]) throws {
        let directory = try TemporaryDirectory()
        let csv = try directory.write("line.csv", "x,y\n0,1\n1,3\n2,5\n")
        let text = Self.program + "\ninput x = csv(\"line.csv\", \"x\")\nprint sum(x)\n"
        let source = try directory.write("test.graph", text)
        symlink("test.graph", directory.path("link.graph"))
        for (target, shown) in [(source, "this command reads it"), (directory.path("link.graph"), "it is '\(source)', which this command reads"),
                                (csv, "this command reads it")] {
            let result = InProcess.run([options[0], source] + options.dropFirst() + [target])
            #expect(result.status == .programError && result.out.isEmpty, "\(options) \(target): \(result)")
            #expect(result.err == "slope: error: cannot write '\(target)': \(shown); an output never replaces an input, "
                    + "so choose another path\n", "\(result.err)")
        }
        #expect(try Self.text(source) == text)
        #expect(try Self.text(csv) == "x,y\n0,1\n1,3\n2,5\n")
        #expect(try Self.names(directory) == ["line.csv", "link.graph", "test.graph"], "no temporary file left")
    }

    @Test func loadingAndSavingOneParamsFileTrainsOnFromWhereItStopped() throws {
        let directory = try TemporaryDirectory()
        let source = try directory.write("test.graph", Self.program)
        let params = directory.path("params.json")
        #expect(InProcess.run(["run", source, "--quiet", "--save", params]).status == .success)
        let again = InProcess.run(["run", source, "--quiet", "--load", params, "--save", params])
        #expect(again.status == .success, "\(again)")
        // m ← m − 0.25 · 2(m − 3) from 0: 1.5, 2.25, then on from there: 2.625, 2.8125.
        let saved = try Self.text(params)
        #expect(saved.contains("\"m\": 2.8125"), "\(saved)")
    }
}
