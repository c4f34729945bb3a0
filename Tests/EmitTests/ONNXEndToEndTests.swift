import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Exported models run by the reference tools (`Tools/export/onnx_check.py` in the pinned
/// environment): `onnx.checker` with shape inference, byte-for-byte re-serialization, and ONNX
/// Runtime's CPU provider reproducing Slope's values at the exported params, 1e-5 in float32
/// and 1e-12 in float64. Skipped with a message when the environment is absent (never in CI).
@Suite(.enabled(if: PythonEnvironment.isAvailable || PythonEnvironment.isRequired, Comment(rawValue: PythonEnvironment.skipMessage)))
struct ONNXEndToEndTests {
    static let programs = PackagePaths.graphPrograms().map(\.path)

    /// Exports `path` and checks the model with ONNX Runtime; returns the diagnostic when the
    /// exporter refuses the program.
    static func check(_ path: String, precision: ExportPrecision, load: String? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic? {
        var arguments = Arguments(command: .export, file: path)
        arguments.load = load
        var compilation = try Compilation.compile(arguments)
        try compilation.loadParams(from: load)
        let program = Optimizer.optimize(compilation.program).program
        let result: ONNXExporter.Result
        do {
            result = try ONNXExporter.export(program, precision: precision, path: path,
                                             integrals: try ONNXExporter.integralReports(of: program))
        } catch { return error }
        // Slope's values of the outputs at the exported params and the inputs fed to the model.
        let graph = program.graph
        let executor = Executor(graph: graph, outputs: result.outputs.map(\.node), leafValues: graph.leafValues)
        executor.run()
        let inputs = graph.leaves.filter { $0.kind == .input }.map { ($0.name, JSONValue.tensor($0.value)) }
        let expected = result.outputs.map { ($0.name, JSONValue.tensor(executor.value($0.node))) }
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.onnx"), caseFile = folder.appendingPathComponent("case.json")
        try Data(result.model.encoded()).write(to: model)
        try JSONValue.object([("precision", .string(precision.rawValue)), ("inputs", .object(inputs)),
                              ("expected", .object(expected))]).rendered().write(to: caseFile, atomically: true, encoding: .utf8)
        let run = try PythonEnvironment.run([PythonEnvironment.tools.appendingPathComponent("onnx_check.py").path,
                                             model.path, caseFile.path])
        #expect(run.status == 0, "\(path) as \(precision.rawValue):\n\(run)", sourceLocation: sourceLocation)
        return nil
    }

    @Test(arguments: programs)
    func everyExampleRunsInOnnxRuntimeAsFloat32(_ path: String) throws {
        let diagnostic = try Self.check(path, precision: .float32)
        #expect(diagnostic == nil, "\(diagnostic?.message ?? "")")
    }

    @Test(arguments: programs)
    func everyExampleRunsInOnnxRuntimeAsFloat64OrNamesTheOpItCannot(_ path: String) throws {
        guard let diagnostic = try Self.check(path, precision: .float64) else { return }
        // Only an op without a float64 kernel may stop it, named in the message.
        #expect(diagnostic.id == "export.no-double-kernel", "\(diagnostic.message)")
        #expect(ONNXExporter.float32Only.contains { diagnostic.message.contains("kernel for \($0)") }, "\(diagnostic.message)")
    }
}

extension ONNXEndToEndTests {
    /// One program printing every op of `ONNXExporterTests.mappings`, NaN and infinity included
    /// (log(-2), 0/0), run by ONNX Runtime: float32 all of them, float64 all but the two ops it
    /// has no float64 kernel for.
    @Test(arguments: ExportPrecision.allCases)
    func everyOpMappingReproducesSlopesValues(_ precision: ExportPrecision) throws {
        let expressions = ONNXExporterTests.mappings.map(\.0)
            .filter { precision == .float32 || !["cos(x)", "softplus(x)"].contains($0) }
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ops.graph").path
        try (ONNXExporterTests.prelude + "print " + expressions.joined(separator: ", ") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Self.check(path, precision: precision) == nil)
    }

    /// `--load`: a trained program exports its trained params.
    @Test func aTrainedModelExportsItsSavedParams() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("params.json").path
        let program = PackagePaths.graphs.appendingPathComponent("perceptron_regression.graph").path
        let run = InProcess.run(["run", program, "--quiet", "--save", saved])
        #expect(run.status == .success, "\(run)")
        #expect(try Self.check(program, precision: .float32, load: saved) == nil)
        #expect(try Self.check(program, precision: .float64, load: saved) == nil)
    }
}

extension ONNXEndToEndTests {
    /// Integrals as the fixed rule of their subdivision: a bound that is an input, a tensor
    /// integrand, a subdivision of many intervals (a sharp peak), a reversed interval, and the
    /// derivative integrals of a printed gradient, in both precisions.
    @Test(arguments: ExportPrecision.allCases)
    func integralsReproduceSlopesValues(_ precision: ExportPrecision) throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("areas.graph").path
        try """
            input top = 2.5
            param k = 0.5
            param w: [2] = [1, -2]
            fn g(t) = exp(-k*t) * sin(3*t)
            fn h(t) = w * t^2
            fn peak(t) = 1 / (1e-4 + (t - 0.3)^2)
            area = integral(g, 0, top)
            print area, integral(h, 1, -1), integral(peak, 0, 1), grad(area + sum(integral(h, 0, top)), k)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Self.check(path, precision: precision) == nil)
    }
}
