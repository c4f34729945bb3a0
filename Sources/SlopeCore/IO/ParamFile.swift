import Foundation

/// `--save` and `--load`: params as a JSON object `{"m": 0.5, "W": [[…], …]}`, the same form as
/// the "params" member of `slope run --json`.
public enum ParamFile {
    /// The file's text, which `RunFiles` writes through `OutputFile`: a pretty-printed JSON
    /// object, one param per member, in the order given.
    public static func text(_ params: [(String, Tensor)]) -> String {
        JSONValue.object(params.map { ($0.0, JSONValue.tensor($0.1)) }).rendered(pretty: true) + "\n"
    }

    /// Reads a params file into values by name, checked against the program's params. Every
    /// problem with the file's contents is located in it: a JSON error at its byte, the rest
    /// (an unknown name, a value that is not a tensor) at the file's first line.
    public static func load(_ path: String, params: [Leaf]) -> Result<[String: Tensor], Diagnostic> {
        guard case .success(let bytes) = FileInput.read(path) else {
            return .failure(Diagnostic(id: "usage.unreadable-params", "cannot read params file '\(path)'", at: nil))
        }
        let file = SourceFile(path: path, bytes: bytes)
        let start = SourceRange(file: file, start: 0, end: 0)
        let json: JSONValue
        do { json = try JSONReader.parse(bytes) } catch {
            let at = SourceRange(file: file, start: error.offset, end: error.offset + 1)
            if let key = error.repeatedKey {
                return .failure(Diagnostic(id: "input.repeated-param", "'\(path)' gives '\(key)' twice; each param appears once", at: at))
            }
            return .failure(Diagnostic(id: "input.bad-params-file", "'\(path)' is not valid JSON: \(error.message)", at: at))
        }
        guard case .object(let members) = json else {
            return .failure(Diagnostic(id: "input.bad-params-file", "'\(path)' must hold a JSON object of params", at: start))
        }
        var values: [String: Tensor] = [:]
        let available = params.map(\.name)
        for (name, value) in members {
            guard let leaf = params.first(where: { $0.name == name }), leaf.kind == .param else {
                let suggestion = Suggestions.closest(to: name, among: available)
                return .failure(Diagnostic(id: "input.unknown-param", "'\(path)' names '\(name)', which is not a param of the program"
                                            + (available.isEmpty ? "" : "; its params are \(available.joined(separator: ", "))"),
                                           at: start, notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? []))
            }
            guard let tensor = value.tensorValue else {
                return .failure(Diagnostic(id: "input.bad-params-file", "'\(path)': '\(name)' is not a number or a rectangular array", at: start))
            }
            guard tensor.shape == leaf.value.shape else {
                return .failure(Diagnostic(id: "input.param-shape-mismatch",
                                           "'\(path)': '\(name)' has shape \(tensor.shape), but the program declares \(leaf.value.shape)",
                                           at: leaf.range))
            }
            values[name] = tensor
        }
        return .success(values)
    }
}
