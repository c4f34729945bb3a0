import Foundation
import SlopeCore

/// The round trip every gradient program must survive: `slope grad FILE` prints a program,
/// that program is run with `slope run` from a file in the same folder as FILE (so its
/// `csv(...)` paths still resolve), and the gradients it prints must equal what
/// `slope grad FILE --json` reports.
public enum GradientRoundTrip {
    /// Every way the round trip fails for `path` (empty when it holds). `arguments` are passed
    /// to both `grad` commands (`--set`, `--wrt`, `--of`).
    public static func problems(_ path: String, arguments: [String] = [], relative: Double = 1e-10) -> [String] {
        let printed = InProcess.run(["grad", path] + arguments)
        guard printed.status == .success else { return ["slope grad failed: \(printed)"] }
        let reported = InProcess.run(["grad", path, "--json"] + arguments)
        guard reported.status == .success, let object = JSONNumbers.object(reported.out),
              let gradient = object["gradient"] as? [String: Any] else {
            return ["slope grad --json failed: \(reported)"]
        }
        let order = JSONNumbers.keys(reported.out, of: "gradient")

        // Not `.graph`, so nothing that lists the folder's programs picks it up meanwhile.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let copy = folder.appendingPathComponent(".roundtrip-\(UUID().uuidString).tmp")
        defer { try? FileManager.default.removeItem(at: copy) }
        do { try Data(printed.out.utf8).write(to: copy) } catch { return ["cannot write \(copy.path): \(error)"] }
        let run = InProcess.run(["run", copy.path, "--json"])
        guard run.status == .success, let runObject = JSONNumbers.object(run.out),
              let prints = runObject["prints"] as? [[String: Any]] else {
            return ["the printed gradient program does not run: \(run)\n--- program\n\(printed.out)"]
        }
        var problems: [String] = []
        // d_NAME, or d_NAME_2, d_NAME_3, … when a param or input of the program is called d_NAME.
        let names = prints.map { $0["expr"] as? String ?? "" }
        if names.count != order.count || !zip(names, order).allSatisfy({ printed, name in
            printed == "d_" + name || (printed.hasPrefix("d_\(name)_") && Int(printed.dropFirst("d_\(name)_".count)) != nil)
        }) {
            problems.append("the program prints \(prints.map { $0["expr"] ?? "?" }), expected d_ of \(order)")
        }
        for (item, name) in zip(prints, order) {
            guard let expected = gradient[name].flatMap(JSONNumbers.flatten),
                  let actual = item["value"].flatMap(JSONNumbers.flatten) else {
                problems.append("\(name): cannot read the values"); continue
            }
            guard expected.count == actual.count else {
                problems.append("\(name): \(actual.count) values printed, \(expected.count) reported"); continue
            }
            let scale = expected.map(Swift.abs).filter(\.isFinite).max() ?? 0
            for (index, (a, e)) in zip(actual, expected).enumerated()
            where !Closeness.agree(a, e, relative: relative, scale: scale) {
                problems.append("d_\(name)[\(index)]: run prints \(a), grad --json reports \(e)")
            }
        }
        if !problems.isEmpty { problems.append("--- the gradient program\n\(printed.out)") }
        return problems
    }
}

/// Reading the numbers in Slope's JSON output.
public enum JSONNumbers {
    public static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A number, `"nan"`/`"inf"`/`"-inf"`, or nested arrays of them, flattened in row-major order.
    public static func flatten(_ value: Any) -> [Double]? {
        if let number = value as? NSNumber { return [number.doubleValue] }
        if let text = value as? String {
            switch text {
            case "nan": return [.nan]
            case "inf": return [.infinity]
            case "-inf": return [-.infinity]
            default: return nil
            }
        }
        guard let items = value as? [Any] else { return nil }
        var result: [Double] = []
        for item in items {
            guard let inner = flatten(item) else { return nil }
            result += inner
        }
        return result
    }

    /// The keys of the object under `key`, in the order written (JSONSerialization loses it).
    /// Slope writes `"gradient": {"m": …, "b": …}` in --wrt order with plain names as keys.
    public static func keys(_ text: String, of key: String) -> [String] {
        guard let object = object(text)?[key] as? [String: Any],
              let start = text.range(of: "\"\(key)\": {") else { return [] }
        let rest = text[start.upperBound...]
        return object.keys.sorted { a, b in
            (rest.range(of: "\"\(a)\":")?.lowerBound ?? rest.endIndex) < (rest.range(of: "\"\(b)\":")?.lowerBound ?? rest.endIndex)
        }
    }
}

/// How tests compare floating-point results.
public enum Closeness {
    /// |a − b| ≤ relative · max(|a|, |b|), with an absolute floor of relative · 1e-4 · scale for
    /// values that cancel to about zero within a tensor whose largest entry is `scale`.
    /// Infinities must match exactly; NaN matches only NaN.
    public static func agree(_ a: Double, _ b: Double, relative: Double, scale: Double = 0) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        if !a.isFinite || !b.isFinite { return false }
        return Swift.abs(a - b) <= relative * Swift.max(Swift.abs(a), Swift.abs(b)) + relative * 1e-4 * scale
    }
}
