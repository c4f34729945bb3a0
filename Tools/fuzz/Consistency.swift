import Foundation

/// Oracles that compare two runs: what one command says must agree with another.
///
/// - `slope grad` prints a program; run, its last print must give the gradients that
///   `slope grad --json` gives for the same command line.
/// - Display options never change results (CONTRACT.md): `run` with and without `--quiet`
///   prints the same stdout and exits with the same status.
enum Consistency {
    /// `grad --json` with the options of `gradient`: the command whose gradient the printed
    /// program must reproduce.
    static func jsonTwin(of gradient: FuzzCommand) -> FuzzCommand? {
        guard !gradient.has("--expand") else { return nil }  // expansion may cancel (a known issue)
        var twin = gradient
        twin.arguments.append(Array("--json".utf8))
        twin.roundTrip = false
        return twin
    }

    /// Compares the gradients of `grad --json` with the `d_NAME` prints of the printed program
    /// run with `--json`; a description of the first difference, or nil.
    static func gradientDifference(json: [UInt8], printed: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any],
              let gradient = object["gradient"] as? [String: Any],
              let run = (try? JSONSerialization.jsonObject(with: Data(printed))) as? [String: Any],
              let prints = run["prints"] as? [[String: Any]] else { return nil }
        for (name, value) in gradient.sorted(by: { $0.key < $1.key }) {
            guard let entry = prints.last(where: { $0["expr"] as? String == "d_" + name }),
                  let expected = numbers(value), let found = entry["value"].flatMap(numbers) else { continue }
            guard expected.count == found.count else { return "d_\(name) has \(found.count) elements, grad --json \(expected.count)" }
            for (a, b) in zip(expected, found) where a.isFinite && b.isFinite {
                if abs(a - b) > 1e-9 + 1e-7 * max(abs(a), abs(b)) {
                    return "d_\(name): the printed program gives \(b), grad --json \(a)"
                }
            }
        }
        return nil
    }

    /// The numbers of a JSON value as `--json` writes tensors, row-major.
    static func numbers(_ value: Any) -> [Double]? {
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
            guard let inner = numbers(item) else { return nil }
            result += inner
        }
        return result
    }

    /// `run` with `--quiet` toggled, when the command trains and writes no files (the twin
    /// must not race it for them).
    static func quietTwin(of command: FuzzCommand, program: [UInt8]) -> FuzzCommand? {
        guard command.command == "run", command.stdin == nil,
              !["--log", "--plot", "--save", "--load"].contains(where: command.has) else { return nil }
        let text = String(decoding: program.prefix(100_000), as: UTF8.self)
        guard text.contains("minimize") || text.contains("maximize") else { return nil }
        var twin = command
        let quiet = Array("--quiet".utf8)
        if twin.arguments.contains(quiet) { twin.arguments.removeAll { $0 == quiet } } else { twin.arguments.append(quiet) }
        twin.roundTrip = false
        twin.quietTwin = false
        return twin
    }
}
