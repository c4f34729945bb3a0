import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// Exported JAX modules run in the pinned environment: `python M.py --json` against `slope run
/// --json` (`Tools/export/jax_compare.py`, 1e-9 of each tensor's largest magnitude), `--devices 4`
/// (four CPU devices forced by XLA_FLAGS) against the same, and the module imported. Skipped
/// with a message when the environment is absent (never in CI).
@Suite(.enabled(if: PythonEnvironment.isAvailable || PythonEnvironment.isRequired, Comment(rawValue: PythonEnvironment.skipMessage)))
struct JAXEndToEndTests {
    static let programs = PackagePaths.graphPrograms().map(\.path)
    static let compare = PythonEnvironment.tools.appendingPathComponent("jax_compare.py").path

    /// Exports `path` into `folder` as `NAME.py`; the module's path, or nil with the diagnostic text.
    static func export(_ path: String, into folder: URL) -> (module: String?, result: CommandResult) {
        let module = folder.appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".py").path
        let result = InProcess.run(["export", path, "--to", "jax", "-o", module])
        return (result.status == .success ? module : nil, result)
    }

    /// Runs the module with `arguments` and compares its JSON with `slope run --json`.
    static func expectSameRun(_ path: String, module: String, arguments: [String] = [], environment: [String: String] = [:],
                              in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let slope = InProcess.run(["run", path, "--json", "--quiet"])
        let expected = folder.appendingPathComponent("expected.json"), actual = folder.appendingPathComponent("actual.json")
        try slope.out.write(to: expected, atomically: true, encoding: .utf8)
        let run = try PythonEnvironment.run([module, "--json"] + arguments, environment: environment)
        #expect(run.status == 0, "\(path) \(arguments):\n\(run)", sourceLocation: sourceLocation)
        try run.out.write(to: actual, atomically: true, encoding: .utf8)
        let comparison = try PythonEnvironment.run([compare, expected.path, actual.path])
        #expect(comparison.status == 0, "\(path) \(arguments):\n\(comparison)\nslope: \(slope.out)jax: \(run.out)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: programs)
    func everyExampleRunsInJaxAsSlopeRunsIt(_ path: String) throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (exported, result) = Self.export(path, into: folder)
        let module = try #require(exported, "\(result)")
        let text = try String(contentsOfFile: module, encoding: .utf8)
        // Slope's own backward pass, never JAX's autodiff; jitted, looping in XLA.
        for forbidden in ["jax.grad", "value_and_grad", "vjp", "jax.jvp", "linearize", "jacfwd", "jacrev", "jax.hessian"] {
            #expect(!text.contains(forbidden), "\(path) uses \(forbidden)")
        }
        #expect(text.contains("@jax.jit") && text.contains("jax_enable_x64"))
        try Self.expectSameRun(path, module: module, in: folder)
    }

    /// Data parallel: the CSV programs with their rows split over four devices.
    @Test(arguments: ["linear_regression", "perceptron_regression", "perceptron_classification", "two_layer_network"])
    func fourDevicesGiveTheSameRun(_ name: String) throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = PackagePaths.graphs.appendingPathComponent(name + ".graph").path
        let module = try #require(Self.export(path, into: folder).module)
        try Self.expectSameRun(path, module: module, arguments: ["--devices", "4"],
                               environment: ["XLA_FLAGS": "--xla_force_host_platform_device_count=4"], in: folder)
    }

    @Test func tooFewDevicesIsAClearError() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let module = try #require(Self.export(PackagePaths.graphs.appendingPathComponent("linear_regression.graph").path,
                                              into: folder).module)
        let run = try PythonEnvironment.run([module, "--json", "--devices", "3"], environment: ["XLA_FLAGS": ""])
        #expect(run.status != 0 && run.err.contains("--devices 3, but JAX sees 1 device(s)"), "\(run)")
    }

    /// Imported: params(), inputs(), forward, gradient (against `slope grad --json`) and train.
    @Test func theModuleImportsWithItsFunctions() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = PackagePaths.graphs.appendingPathComponent("perceptron_regression.graph").path
        _ = try #require(Self.export(path, into: folder).module)
        let grad = InProcess.run(["grad", path, "--json"])
        let script = """
            import json, sys
            import numpy as np
            import perceptron_regression as model
            expected = json.loads(sys.argv[1])
            params, inputs = model.params(), model.inputs()
            assert sorted(params) == ["b", "w"] and sorted(inputs) == ["X", "y"], (params, inputs)
            values = model.forward(params, inputs)
            assert {"y_hat", "L"} <= set(values), sorted(values)
            assert np.isclose(float(values["L"]), expected["value"], rtol=1e-12), (values["L"], expected["value"])
            gradient = model.gradient(params, inputs)
            for name, value in expected["gradient"].items():
                assert np.allclose(np.asarray(gradient[name]), np.asarray(value), rtol=1e-12, atol=0), (name, gradient[name], value)
            trained = model.train(params, inputs)
            assert float(model.forward(trained, inputs)["L"]) < float(values["L"]) / 10
            print("ok")
            """
        let run = try PythonEnvironment.run(["-c", script, grad.out], in: folder)
        #expect(run.status == 0 && run.out == "ok\n", "\(run)")
    }
}

extension JAXEndToEndTests {
    /// Every optimizer the module writes out, with the settings that change its loop: sgd's
    /// shuffled and in-order batches (one batch crossing epochs), maximize, a tolerance that
    /// stops early, and initial values drawn by normal() and uniform().
    @Test func everyTrainingMethodRunsAsSlopeRunsIt() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows = "x,y\n"
        for i in 0..<23 { rows += "\(Double(i) / 4),\(3 * Double(i) / 4 + 2 + (i % 3 == 0 ? 0.25 : -0.125))\n" }
        try rows.write(to: folder.appendingPathComponent("line.csv"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("methods.graph").path
        try """
            seed 7
            input x = csv("line.csv", "x")
            input y = csv("line.csv", "y")
            param m = uniform(-1, 1)
            param b: [1] = normal(0, 0.5)
            cost = mean((m*x + b - y)^2)
            minimize cost by sgd(rate: 0.01, steps: 300, batch: 6)
            print cost
            minimize cost by momentum(rate: 0.005, steps: 100, beta: 0.9)
            maximize -cost by sgd(rate: 0.01, steps: 50, batch: 7, shuffle: false)
            minimize cost by adam(rate: 0.05, steps: 200, beta1: 0.8, beta2: 0.99, eps: 1e-7)
            minimize cost by gd(rate: 0.02, steps: 100000, tolerance: 1e-3)
            print m, b
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (module, result) = Self.export(path, into: folder)
        let exported = try #require(module, "\(result)")
        try Self.expectSameRun(path, module: exported, in: folder)
        // The tolerance stopped gd early, in both.
        let run = InProcess.run(["run", path, "--json", "--quiet"])
        #expect(!run.out.contains("\"steps\": 100000"), "\(run)")
    }
}

extension JAXEndToEndTests {
    /// Newton's method on a full 3 × 3 Hessian (a vector param and a scalar, coupled through
    /// sum(w)²), maximize included, stopped before it reaches the critical point.
    @Test func newtonOnAFullHessianRunsAsSlopeRunsIt() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("newton.graph").path
        try """
            param w: [2] = [0.5, 1]
            param c = 0.25
            f = sum(exp(w)) - sum(w * [2, 3]) + 0.1*sum(w)^2 + c^4 - c*w @ [1, -1]
            minimize f by newton(steps: 4)
            print f
            maximize -f by newton(steps: 2)
            print w, c
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let module = try #require(Self.export(path, into: folder).module)
        try Self.expectSameRun(path, module: module, in: folder)
    }
}

extension JAXEndToEndTests {
    /// Integrals in the module: Slope's Gauss–Kronrod on the host, trained through (a param
    /// inside the integrand and in a bound, so the gradient holds Leibniz's boundary term and a
    /// derivative integral), a tensor integrand, and an integral inside an integrand.
    @Test func integralsRunAsSlopeRunsThem() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("areas.graph").path
        try """
            param k = 0.5
            param w: [2] = [1, -2]
            fn g(t) = exp(-k*t) * sin(3*t)
            fn h(t) = w * t^2
            fn inner(s) = s * k
            fn outer(t) = integral(inner, 0, t)
            area = integral(g, 0, 1 + k)
            loss = (area - 0.2)^2 + sum((integral(h, 0, 1) - [1, 1])^2) + integral(outer, 0, 1)
            minimize loss by gd(rate: 0.1, steps: 30)
            print area, loss, integral(h, -1, 2)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (exported, result) = Self.export(path, into: folder)
        let module = try #require(exported, "\(result)")
        try Self.expectSameRun(path, module: module, in: folder)
    }
}

extension JAXEndToEndTests {
    /// Without --json the module prints what `slope run --quiet` prints, character for
    /// character, on a program whose arithmetic is exact in binary (so no last bit can differ):
    /// training summaries in program order (one step, a tolerance that stops early, maximize),
    /// whole numbers, -0, shortest decimals and exponents, and a tensor long enough to summarize.
    @Test func theModulesTextIsSlopeRunsText() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("text.graph").path
        try """
            param x = 3
            param z: [2, 600] = 0.5
            f = (x - 1)^2
            minimize f by gd(rate: 0.25, steps: 3)
            print f, x, [x, -0*x, 2*x], z
            maximize -f by gd(rate: 0.25, steps: 100, tolerance: 0.1)
            g = sum(z^2)/1024 + (x - 1)^2
            minimize g by gd(rate: 0.5, steps: 1)
            print 1e-5*x, 1e17*x, 0.1*x
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let module = try #require(Self.export(path, into: folder).module)
        let slope = InProcess.run(["run", path, "--quiet"])
        #expect(slope.status == .success && slope.out.contains("z = [[0.5, 0.5, 0.5, ..., 0.5"), "\(slope)")
        let run = try PythonEnvironment.run([module])
        #expect(run.status == 0 && run.out == slope.out, "slope:\n\(slope.out)\njax:\n\(run.out)")
    }
}

extension JAXEndToEndTests {
    /// Newton's method on independent points (a block-diagonal Hessian solved element by
    /// element, `Newton.separableStep`): one param, two (Cramer's rule) and three (a dense
    /// solve per element), each as `slope run` takes it.
    @Test func newtonOnIndependentPointsRunsAsSlopeRunsIt() throws {
        let folder = try PythonEnvironment.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("points.graph").path
        try """
            param x: [5] = [0.5, 1, 1.5, 2, 3]
            param y: [5] = [1, 1, 1, 1, 1]
            f = sum((x*x - 2)^2 + (x - y)^2 + exp(y) - 3*y)
            minimize f by newton(steps: 6)
            param u: [3] = [1, 2, 3]
            c = sum(u^4 - 4*u^2 + u)
            minimize c by newton(steps: 5)
            param a: [4] = [0.5, 1, 2, -1]
            param b: [4] = 0.25
            param d: [4] = [1, 2, 3, 4]
            e = sum(exp(a - b) + exp(b - a) + (b*d - 1)^2 + d^4/4 - d + a^2)
            minimize e by newton(steps: 8)
            print f, c, e, x, y, u, a, b, d
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (exported, result) = Self.export(path, into: folder)
        let module = try #require(exported, "\(result)")
        #expect(try String(contentsOfFile: module, encoding: .utf8).components(separatedBy: "newton_separable(_newton_step_").count == 4)
        try Self.expectSameRun(path, module: module, in: folder)
    }
}
