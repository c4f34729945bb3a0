import Foundation
import Testing
import SlopeTestSupport

/// `slope dot` through the built binary: exit status, stdout and stderr together, on a program
/// whose path holds every character DOT treats specially.
struct DotCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `$SLOPE_BINARY`, else the newer of the release and debug builds (.ci/run builds release).
    static let binary: String? = {
        if let path = ProcessInfo.processInfo.environment["SLOPE_BINARY"] { return path }
        let candidates = ["release", "debug"].map { root.appendingPathComponent(".build/\($0)/slope").path }
        let dated = candidates.compactMap { path -> (String, Date)? in
            guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
            return (path, date)
        }
        return dated.max { $0.1 < $1.1 }?.0
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(binary))
        process.arguments = arguments
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slope-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        try Data().write(to: out)
        try Data().write(to: err)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self),
                String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "no built slope binary (swift build --product slope)"))
    func dotOfAProgramUnderAHostilePathIsValidDOT() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            .appendingPathComponent("a \"quoted\" \\ {braced} <dir>\nline")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let program = folder.appendingPathComponent("p\"}.graph")
        try Data("fn sq(v) = v * v\nparam a = 3\nloss = sq(a - 1)\nminimize loss by gd(rate: 0.1, steps: 5)\n".utf8)
            .write(to: program)
        let run = try Self.run(["dot", program.path, "--grad", "--values"])
        #expect(run.status == 0)
        #expect(run.err.isEmpty)
        #expect(DOTStructure.isWellFormed(run.out))
        // loss = (a - 1)^2 = 4 at a = 3, d loss/da = 2(a - 1) = 4.
        let a = try #require(DOTStructure(run.out).node(named: "a"))
        #expect(a.attributes.contains("grad 4</font>"))
        if Graphviz.isInstalled {
            let rendering = try Graphviz.render(run.out)
            #expect(rendering.isClean, "\(rendering.errors)")
        }
    }

    @Test(.enabled(if: binary != nil, "no built slope binary (swift build --product slope)"))
    func unknownOfExitsWithUsageStatus() throws {
        let program = Self.root.appendingPathComponent("Graphs/paraboloid.graph").path
        let run = try Self.run(["dot", program, "--grad", "--of", "nope"])
        #expect(run.status == 2)
        #expect(run.out.isEmpty)
        #expect(run.err.contains("--of names 'nope'"))
    }
}
