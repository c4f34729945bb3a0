import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// `--save FILE.json` and `--load FILE.json`.
@Suite struct ParamFileTests {
    /// A small network with a matrix, a vector and a scalar param drawn from the seed, so the
    /// trained values use every bit of their float64s.
    static func network(steps: Int) -> String {
        """
        seed 3
        input X = [[1, 2], [3, -4], [-5, 6], [0.5, 0.25]]
        input y = [1, 0, 1, 0]
        param W: [2, 3] = normal(0, 1)
        param v: [3] = uniform(-1, 1)
        param c = 0.1
        p = sigmoid(sigmoid(X @ W) @ v + c)
        loss = bce(p, y)
        minimize loss by adam(rate: 0.1, steps: \(steps))
        """
    }

    @Test func savedParamsLoadBackBitForBit() throws {
        let directory = try TemporaryDirectory()
        let save = directory.path("params.json")
        let trained = try Slope.runJSON(source: Self.network(steps: 50), ["--save", save], in: directory)
        // A fresh run of the same program without training starts from its own initial values,
        // unless the saved params are loaded.
        let fresh = try Slope.runJSON(source: Self.network(steps: 0), in: directory)
        #expect(fresh.params["W"] != trained.params["W"])
        let loaded = try Slope.runJSON(source: Self.network(steps: 0), ["--load", save], in: directory)

        #expect(Set(loaded.params.keys) == ["W", "v", "c"])
        for (name, values) in trained.params {
            let back = try #require(loaded.params[name])
            #expect(back.map(\.bitPattern) == values.map(\.bitPattern), "\(name): \(back) != \(values)")
            #expect(values.count == ["W": 6, "v": 3, "c": 1][name])
        }
        // The loss at the loaded params is the trained final loss, to the bit.
        let final = try #require(trained.train.first).final
        #expect(loaded.train.first.map { $0.steps == 0 && $0.initial == final && $0.final == final } == true)

        // The file holds the params in the form of run --json's "params": W as nested rows.
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: save))) as? [String: Any])
        #expect((file["W"] as? [[Double]])?.map(\.count) == [3, 3])
    }

    @Test func loadingThenTrainingContinuesWhereTheSavedRunStopped() throws {
        // Adam restarts its moments, so compare with gd, whose steps depend on the params alone:
        // 30 steps, saved, then 20 more, equal 50 at once.
        let directory = try TemporaryDirectory()
        func program(_ steps: Int) -> String {
            "param m = 0\nparam b = 0\nE = sum((m*[1, 2, 3] + b - [2, 5, 3])^2)\nminimize E by gd(rate: 0.05, steps: \(steps))\n"
        }
        let save = directory.path("params.json")
        _ = try Slope.runJSON(source: program(30), ["--save", save], in: directory)
        let resumed = try Slope.runJSON(source: program(20), ["--load", save], in: directory)
        let straight = try Slope.runJSON(source: program(50), in: directory)
        #expect(resumed.params == straight.params)
    }

    @Test func anUnknownNameIsAnErrorThatListsTheParams() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.network(steps: 0))
        let load = try directory.write("params.json", #"{"W": [[1, 2, 3], [4, 5, 6]], "vv": [1, 2, 3]}"#)
        let result = InProcess.run(["run", path, "--load", load])
        // The file's contents are the program's input (SPEC §7: the input phase), so exit 1.
        #expect(result.status == .programError)
        #expect(result.out.isEmpty)
        #expect(result.err.contains("error: '\(load)' names 'vv', which is not a param of the program; its params are W, v, c"),
                "\(result.err)")
        #expect(result.err.contains("note: did you mean 'v'?"))
    }

    @Test func aShapeMismatchIsAnErrorAtTheDeclaration() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.network(steps: 0))
        let load = try directory.write("params.json", #"{"W": [[1, 2], [3, 4], [5, 6]]}"#)
        let result = InProcess.run(["run", path, "--load", load])
        #expect(result.status == .programError)
        #expect(result.err.contains("test.graph:4:1: error: '\(load)': 'W' has shape [3, 2], but the program declares [2, 3]"),
                "\(result.err)")
    }

    @Test func aMissingParamsFileIsACommandLineError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.network(steps: 0))
        let result = InProcess.run(["run", path, "--load", directory.path("absent.json")])
        #expect(result.status == .usageError)
        #expect(result.err.contains("cannot read params file"))
    }

    @Test func malformedJSONIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.network(steps: 0))
        let load = try directory.write("params.json", #"{"c": 1"#)
        let result = InProcess.run(["run", path, "--load", load])
        #expect(result.status == .programError)
        #expect(result.err.contains("is not valid JSON"))
    }

    @Test func aParamsFileWithAByteOrderMarkLoads() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param m = 1\nprint m\n")
        let load = try directory.write("params.json", Data([0xEF, 0xBB, 0xBF] + Array(#"{"m": 2.5}"#.utf8)))
        let result = InProcess.run(["run", path, "--load", load])
        #expect(result.status == .success, "\(result)")
        #expect(result.out == "m = 2.5\n")
    }

    @Test func aParamGivenTwiceIsAnErrorAtItsSecondKey() throws {
        // JSON readers differ on which of two equal keys wins, so neither does.
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param m = 1\nprint m\n")
        let load = try directory.write("params.json", "{\"m\": 2,\n \"m\": 3}\n")
        let result = InProcess.run(["run", path, "--load", load])
        #expect(result.status == .programError)
        #expect(result.err == "\(load):2:2: error: '\(load)' gives 'm' twice; each param appears once\n \"m\": 3}\n ^\n")
    }

    @Test func errorsInAParamsFileAreLocatedInIt() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", "param m = 1\nprint m\n")
        let broken = try directory.write("broken.json", "{\"m\": 2,\n \"q\" 3}")
        let result = InProcess.run(["run", path, "--load", broken])
        #expect(result.err.hasPrefix("\(broken):2:6: error: '\(broken)' is not valid JSON: expected ':'\n"), "\(result)")
        let unknown = try directory.write("unknown.json", "{\"q\": 3}")
        let other = InProcess.run(["run", path, "--load", unknown])
        #expect(other.err.hasPrefix("\(unknown):1:1: error: '\(unknown)' names 'q', which is not a param of the program"), "\(other)")
    }

    @Test func saveWritesAtomicallyAndReplacesAnOldFile() throws {
        let directory = try TemporaryDirectory()
        let save = try directory.write("params.json", "an old file that is not JSON")
        let run = try Slope.runJSON(source: Self.network(steps: 5), ["--save", save], in: directory)
        // The target is complete JSON holding every param; no temporary file is left beside it.
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: save))) as? [String: Any])
        #expect(Set(file.keys) == Set(run.params.keys))
        #expect(try String(contentsOfFile: save, encoding: .utf8).hasSuffix("}\n"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
        #expect(names == ["params.json", "test.graph"])
    }

    @Test func saveIntoAMissingFolderFailsWithoutLeavingAnything() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("test.graph", Self.network(steps: 5))
        let result = InProcess.run(["run", path, "--quiet", "--save", directory.path("absent/params.json")])
        #expect(result.status == .programError)
        #expect(result.err.contains("slope: error: cannot write '\(directory.path("absent/params.json"))'"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["test.graph"])
    }
}
