import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `slope export`: the command line (usage errors exit 2 with the export usage), the output
/// file (written atomically, nothing left behind on a diagnostic), and programs with errors.
@Suite struct ExportCommandTests {
    static let paraboloid = PackagePaths.graphs.appendingPathComponent("paraboloid.graph").path

    @Test(arguments: [
        (["export", paraboloid], "export needs --to jax or --to onnx"),
        (["export", paraboloid, "--to", "tensorflow", "-o", "m.onnx"], "unknown export target 'tensorflow'; choose jax or onnx"),
        (["export", paraboloid, "--to", "onx", "-o", "m.onnx"], "did you mean 'onnx'?"),
        (["export", paraboloid, "--to", "onnx"], "--to onnx needs -o FILE.onnx"),
        (["export", paraboloid, "--to", "onnx", "-o", "m.onnx", "--dtype", "float16"], "--dtype must be float32 or float64, found 'float16'"),
        (["export", paraboloid, "--to", "jax", "--dtype", "float32"], "--dtype is for --to onnx"),
        (["export", paraboloid, "--to", "onnx", "-o"], "-o needs a value"),
        (["export", "--to", "onnx", "-o", "m.onnx"], "no .graph file given"),
    ])
    func usageErrorsExitTwoWithTheExportUsage(_ arguments: [String], _ message: String) {
        let result = InProcess.run(arguments)
        #expect(result.status == .usageError && result.out.isEmpty, "\(result)")
        #expect(result.err.contains(message) && result.err.contains("usage: slope export"), "\(result)")
    }

    @Test func theJaxModulesBackwardPassHasSlopeGradsNames() {
        // The perceptron's gradient reads as `slope grad` prints it: the residual is `error`.
        let path = PackagePaths.graphs.appendingPathComponent("perceptron_classification.graph").path
        let result = InProcess.run(["export", path, "--to", "jax"])
        #expect(result.status == .success, "\(result.err)")
        let statements = result.out.split(separator: "\n").map { $0.split(separator: "#")[0].trimmingCharacters(in: .whitespaces) }
        for statement in ["error = p - y", "d_b = jnp.mean(error)", "Xw = X @ w"] {
            #expect(statements.contains(statement), "\(statement)")
        }
        #expect(!statements.contains { $0.hasPrefix("t1 = ") })
    }

    @Test func helpListsTheOptions() {
        let result = InProcess.run(["export", "--help"])
        #expect(result.status == .success && result.out.contains("--to jax|onnx") && result.out.contains("--dtype"))
        #expect(InProcess.run(["--help"]).out.contains("slope export"))
    }

    @Test func anOnnxModelIsWrittenToTheFileAndNothingToStandardOutput() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("paraboloid.onnx").path
        let result = InProcess.run(["export", Self.paraboloid, "--to", "onnx", "-o", path])
        #expect(result.status == .success && result.out.isEmpty && result.err.isEmpty, "\(result)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // ModelProto starts with ir_version = 8: key 08, value 08.
        #expect(bytes.prefix(2) == [0x08, 0x08])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["paraboloid.onnx"])
    }

    @Test func aMissingFolderIsADiagnosticAndWritesNothing() {
        let result = InProcess.run(["export", Self.paraboloid, "--to", "onnx", "-o", "/nonexistent-slope-folder/m.onnx"])
        #expect(result.status == .programError, "\(result)")
        #expect(result.err.contains("cannot write '/nonexistent-slope-folder/m.onnx': the folder '/nonexistent-slope-folder' does not exist"))
    }

    @Test func aRefusedExportLeavesAnExistingFileAsItWas() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("cos.graph").path, model = folder.appendingPathComponent("m.onnx").path
        try "input x = 1\nprint cos(x)\n".write(toFile: program, atomically: true, encoding: .utf8)
        try "old".write(toFile: model, atomically: true, encoding: .utf8)
        let result = InProcess.run(["export", program, "--to", "onnx", "-o", model, "--dtype", "float64"])
        #expect(result.status == .programError, "\(result)")
        #expect(result.err.contains("cos.graph:2:7: error: cannot export 'cos' as float64: ONNX Runtime's CPU provider has no float64 kernel for Cos"))
        #expect(try String(contentsOfFile: model, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["cos.graph", "m.onnx"])
    }

    @Test func aProgramWithErrorsPrintsItsDiagnostics() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("bad.graph").path
        try "input x = [1, 2]\ny = x @ [1, 2, 3]\nprint y\n".write(toFile: program, atomically: true, encoding: .utf8)
        let result = InProcess.run(["export", program, "--to", "onnx", "-o", folder.appendingPathComponent("m.onnx").path])
        #expect(result.status == .programError && result.err.contains("bad.graph:2:"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bad.graph"])
    }
}

/// The export tests that need Python are skipped without it on a developer's machine, never in CI.
@Suite struct PythonEnvironmentTests {
    @Test func ciHasThePythonEnvironment() {
        guard PythonEnvironment.isRequired else { return }
        #expect(PythonEnvironment.isAvailable, "CI must create .build/pyenv (bash .ci/run does): \(PythonEnvironment.skipMessage)")
    }
}

extension ExportCommandTests {
    /// An integral inside an integrand has no fixed rule (its subdivision changes from point
    /// to point): a diagnostic at the inner call, and nothing is written.
    @Test func aNestedIntegralIsADiagnosticAtItsLineInONNX() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("area.graph").path
        try "param k = 2\nfn g(s) = k*s^2\nfn f(t) = integral(g, 0, t)\nprint integral(f, 0, 1)\n"
            .write(toFile: program, atomically: true, encoding: .utf8)
        let result = InProcess.run(["export", program, "--to", "onnx", "-o", folder.appendingPathComponent("out").path])
        #expect(result.status == .programError && result.out.isEmpty, "\(result)")
        #expect(result.err.contains("area.graph:3:11: error: cannot export an integral inside an integrand to ONNX"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["area.graph"])
    }

    /// The JAX module writes the integrand as a function of its own and calls the quadrature
    /// it carries, with the integrand's captures by name (k, from the param).
    @Test func anIntegralIsWrittenAsItsIntegrandAndACallInJAX() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("area.graph").path
        try "param k = 2\nfn g(t) = k*t^2\nI = integral(g, 0, 1)\nprint I\n".write(toFile: program, atomically: true, encoding: .utf8)
        let result = InProcess.run(["export", program, "--to", "jax"])
        #expect(result.status == .success, "\(result)")
        #expect(result.out.contains("def _integrand_g_1(inputs):"), "\(result.out)")
        #expect(result.out.contains("def gauss_kronrod("), "\(result.out)")
        #expect(result.out.contains("I = integral(_integrand_g_1, \"t\", 0.0, 1.0, {\"k\": k}, ())"), "\(result.out)")
    }
}
