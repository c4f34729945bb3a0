import Foundation

/// The JSON the contract promises on stdout: `run --json`, `grad --json` and `check --json`
/// print one object with these members, numbers as numbers and NaN and the infinities as the
/// strings "nan", "inf" and "-inf", tensors as nested rectangular arrays.
enum ContractJSON {
    /// Nil when `stdout` is what the contract promises for `command`; else what is wrong.
    static func problem(_ command: FuzzCommand, _ stdout: [UInt8], status: Int32) -> String? {
        guard !stdout.isEmpty else { return "nothing on stdout" }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(stdout)) } catch {
            return "stdout is not JSON"
        }
        guard let object = parsed as? [String: Any] else { return "stdout is JSON but not an object" }
        switch command.command {
        case "run": return run(object, time: command.has("--time"))
        case "grad": return grad(object, wrt: command.value(of: "--wrt"))
        default: return check(object, status: status)
        }
    }

    static func run(_ object: [String: Any], time: Bool) -> String? {
        guard let prints = object["prints"] as? [Any] else { return "no \"prints\" array" }
        for item in prints {
            guard let entry = item as? [String: Any], entry["expr"] is String else { return "a print without \"expr\"" }
            guard let value = entry["value"], isValue(value) else { return "a print whose \"value\" is not a number or tensor" }
        }
        guard let params = object["params"] as? [String: Any] else { return "no \"params\" object" }
        if params.values.contains(where: { !isValue($0) }) { return "a param that is not a number or tensor" }
        guard let train = object["train"] as? [Any] else { return "no \"train\" array" }
        for item in train {
            guard let entry = item as? [String: Any], entry["target"] is String,
                  let method = entry["method"] as? String, ["gd", "sgd", "momentum", "adam", "newton"].contains(method) else {
                return "a training entry without \"target\" and a known \"method\""
            }
            guard let steps = entry["steps"] as? NSNumber, steps.doubleValue >= 0, steps.doubleValue.rounded() == steps.doubleValue else {
                return "a training entry whose \"steps\" is not a whole number"
            }
            guard let initial = entry["initial"], isScalar(initial), let final = entry["final"], isScalar(final) else {
                return "a training entry whose \"initial\" or \"final\" is not a number"
            }
        }
        if time {
            guard let phases = object["time"] as? [String: Any] else { return "--time without a \"time\" object" }
            for phase in ["parse", "compile", "load", "run"] {
                guard let seconds = phases[phase] as? NSNumber, seconds.doubleValue >= 0 else { return "\"time\" without \"\(phase)\"" }
            }
        } else if object["time"] != nil {
            return "\"time\" without --time"
        }
        return nil
    }

    static func grad(_ object: [String: Any], wrt: String?) -> String? {
        guard object["of"] is String else { return "no \"of\" string" }
        guard let value = object["value"], isValue(value) else { return "no \"value\"" }
        guard let gradient = object["gradient"] as? [String: Any] else { return "no \"gradient\" object" }
        if gradient.values.contains(where: { !isValue($0) }) { return "a gradient that is not a number or tensor" }
        if let wrt {
            let names = Set(wrt.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            if Set(gradient.keys) != names { return "\"gradient\" names \(gradient.keys.sorted()), --wrt names \(names.sorted())" }
        }
        return nil
    }

    static func check(_ object: [String: Any], status: Int32) -> String? {
        guard object["of"] is String else { return "no \"of\" string" }
        guard let ok = object["ok"] as? Bool else { return "no \"ok\" boolean" }
        guard object["results"] is [String: Any] else { return "no \"results\" object" }
        if ok != (status == 0) { return "\"ok\": \(ok) with exit status \(status)" }
        return nil
    }

    static func isScalar(_ value: Any) -> Bool {
        if let text = value as? String { return ["nan", "inf", "-inf"].contains(text) }
        return value is NSNumber
    }

    /// A number, one of the three strings, or a rectangular nest of arrays of them.
    static func isValue(_ value: Any) -> Bool { shape(value) != nil }

    static func shape(_ value: Any, depth: Int = 0) -> [Int]? {
        if isScalar(value) { return [] }
        guard depth < 1000, let items = value as? [Any] else { return nil }
        guard let first = items.first else { return [0] }
        guard let inner = shape(first, depth: depth + 1) else { return nil }
        for item in items.dropFirst() where shape(item, depth: depth + 1) != inner { return nil }
        return [items.count] + inner
    }
}
