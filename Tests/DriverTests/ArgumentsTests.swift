import Testing
@testable import SlopeCore
import SlopeTestSupport

@Test func aSuccessfulRunExitsWithZero() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "print 2 + 2\n")
    let result = InProcess.run(["run", path])
    #expect(result.status == .success)
    #expect(result.status.rawValue == 0)
    #expect(result.out == "2 + 2 = 4\n")
}

@Test func aWrongProgramExitsWithOne() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "print nothing\n")
    let result = InProcess.run(["run", path])
    #expect(result.status.rawValue == 1)
    #expect(result.out.isEmpty)
    #expect(result.err.hasPrefix("\(path):1:7: error: undefined name 'nothing'\n"))
}

@Test func aMissingFileExitsWithOne() {
    let result = InProcess.run(["run", "/no/such/file.graph"])
    #expect(result.status == .programError)
    #expect(result.err == "slope: error: cannot read '/no/such/file.graph': no such file\n")
}

@Test func aDirectoryIsNotAProgram() throws {
    let directory = try TemporaryDirectory()
    let result = InProcess.run(["run", directory.url.path])
    #expect(result.status == .programError)
    #expect(result.err == "slope: error: cannot read '\(directory.url.path)': it is a directory\n")
}

@Test(arguments: [
    (["run", "p.graph", "--frobnicate"], "unknown option '--frobnicate' for 'run'"),
    (["run", "p.graph", "--jsn"], "unknown option '--jsn' for 'run'; did you mean '--json'?"),
    (["run"], "no .graph file given"),
    (["run", "a.graph", "b.graph"], "unexpected argument 'b.graph'; give one file"),
    (["run", "p.graph", "--seed"], "--seed needs a value"),
    (["run", "p.graph", "--seed", "x"], "--seed needs a whole number from 0 to 18446744073709551615, found 'x'"),
    (["run", "p.graph", "--seed", "-1"], "--seed needs a whole number from 0 to 18446744073709551615, found '-1'"),
    (["run", "p.graph", "--seed=-1"], "--seed needs a whole number from 0 to 18446744073709551615, found '-1'"),
    (["run", "p.graph", "--json=1"], "--json takes no value"),
    (["run", "p.graph", "--set", "x"], "--set needs NAME=VALUE, found 'x'"),
    (["ir", "p.graph", "--no-opt", "--passes"], "--no-opt and --passes cannot be combined"),
])
func aWrongCommandLineExitsWithTwoAndUsageOnStderr(arguments: [String], message: String) {
    let result = InProcess.run(arguments)
    #expect(result.status.rawValue == 2)
    #expect(result.out.isEmpty)
    #expect(result.err.hasPrefix("slope: error: \(message)\n\n"))
    #expect(result.err.contains("usage: slope \(arguments[0]) FILE.graph"))
}

@Test func anUnknownCommandSuggestsTheClosestAndPrintsTheOverview() {
    let result = InProcess.run(["rn", "p.graph"])
    #expect(result.status == .usageError)
    #expect(result.err.hasPrefix("slope: error: unknown command 'rn'; did you mean 'run'?\n\n"))
    #expect(result.err.hasSuffix(Usage.overview))
}

@Test func noArgumentsIsAUsageError() {
    let result = InProcess.run([])
    #expect(result.status == .usageError)
    #expect(result.err == "slope: error: no command given\n\n" + Usage.overview)
}

@Test(arguments: [["--help"], ["-h"], ["help"]])
func helpPrintsTheOverviewOnStdoutAndExitsWithZero(arguments: [String]) {
    let result = InProcess.run(arguments)
    #expect(result.status == .success)
    #expect(result.out == Usage.overview)
    #expect(result.err.isEmpty)
}

@Test(arguments: Arguments.Command.allCases)
func commandHelpPrintsThatCommandsUsage(command: Arguments.Command) {
    let result = InProcess.run([command.rawValue, "--help"])
    #expect(result.status == .success)
    #expect(result.out == Usage.help(for: command))
    #expect(result.out.hasPrefix("usage: slope \(command.rawValue) FILE.graph"))
    #expect(result.err.isEmpty)
}

/// `dot`, `check` and `ir` once accepted `--set` without listing it.
@Test(arguments: Arguments.Command.allCases)
func commandHelpListsEveryOptionTheCommandAccepts(command: Arguments.Command) throws {
    let help = Usage.help(for: command)
    for option in try #require(Arguments.options[command]).keys.sorted() {
        #expect(help.contains("  \(option) ") || help.contains("[\(option)"),
                "slope \(command.rawValue) --help does not list \(option)")
    }
}

@Test(arguments: ["dot", "check"])
func dotAndCheckAcceptLoad(command: String) throws {
    // The params file `run --save` writes: m = 3 fits E = (m - 3)² exactly.
    let directory = try TemporaryDirectory()
    let path = try directory.write("fit.graph", "param m = 0\nE = (m - 3)^2\nminimize E by gd(rate: 0.25, steps: 20)\n")
    let saved = directory.path("params.json")
    #expect(InProcess.run(["run", path, "--quiet", "--save", saved]).status == .success)
    let result = InProcess.run([command, path, "--load", saved] + (command == "dot" ? ["--grad", "--values"] : ["--json"]))
    #expect(result.status == .success, "\(result)")
    if command == "dot" {
        // gd with rate 1/4 halves m - 3 each step: after 20, m = 3 - 3/2²⁰, which four digits show as 3
        // (the initial value was 0).
        let m = try #require(DOTStructure(result.out).node(named: "m")).attributes
        #expect(m.contains("data 3</font>"), "\(m)")
    } else {
        #expect(result.out.hasPrefix(#"{"of": "E", "ok": true"#), "\(result.out)")
    }
    // A file that is not a params file of the program is an error, as for run.
    let wrong = try directory.write("wrong.json", "{\"q\": 1}")
    let refused = InProcess.run([command, path, "--load", wrong])
    #expect(refused.status == .programError)
    #expect(refused.err.contains("error: '\(wrong)' names 'q', which is not a param of the program; its params are m"), "\(refused.err)")
    #expect(refused.out.isEmpty)
}

@Test func versionPrintsTheVersion() {
    let result = InProcess.run(["--version"])
    #expect(result.status == .success)
    #expect(result.out == "slope 0.1.0\n")
}

@Test func optionsMayComeBeforeTheFileAndTakeInlineValues() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "param a = 1\nprint a\n")
    let result = InProcess.run(["run", "--set=a=5", "--seed=3", path])
    #expect(result.status == .success)
    #expect(result.out == "a = 5\n")
}

@Test func irPrintsTheGraph() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("p.graph", "param a = 1\nb = a + 2\nprint b\n")
    let result = InProcess.run(["ir", path, "--no-opt"])
    #expect(result.status == .success)
    #expect(result.out.contains("b: [] = add(a, t1)"))
}
