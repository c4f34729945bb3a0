import Foundation

/// Bad data: CSV files a program reads with `csv(...)` and params files given to `--load`,
/// each made by damaging a well-formed file the program would accept.
enum DataFiles {
    // MARK: CSV

    /// A program that reads `t.csv` in one of several ways, and a damaged `t.csv`.
    static func csvCase(_ random: inout FuzzRandom) -> FuzzCase {
        let rows = 1 + random.int(5)
        var table = "a,b,c\n"
        for _ in 0..<rows { table += [random.decimal(-2, 2), random.decimal(-2, 2), random.pick(["0", "1"])].joined(separator: ",") + "\n" }
        var bytes = Array(table.utf8)
        var mutations: [String] = []
        for _ in 0..<(1 + random.int(3)) {
            let (damaged, name) = damageCSV(bytes, &random)
            bytes = damaged
            mutations.append(name)
        }
        let path = random.pick(["t.csv", "t.csv", "t.csv", "missing.csv", "data", "prog.graph", "/dev/stdin", "", "t.csv/", "./t.csv"])
        let programs = [
            """
            input X = csv("\(path)", "a", "b")
            input y = csv("\(path)", "c")
            param w: [2] = 0
            param b = 0
            p = sigmoid(X @ w + b)
            L = bce(p, y)
            print L
            minimize L by gd(rate: 0.1, steps: 5)
            print L, w
            """,
            """
            input T = csv("\(path)")
            print T, sum(T)
            """,
            """
            param W = csv("\(path)", "c", "a")
            input x = csv("\(path)", "b")
            E = sum((x - W @ [1, 2])^2)
            print E, grad(E, W)
            """,
            """
            input y: [\(rows)] = csv("\(path)", "c")
            input z: [2, \(rows)] = csv("\(path)", "a", "b")
            print mean(y), z
            """,
        ]
        var fuzzCase = FuzzCase(origin: "csv: " + mutations.joined(separator: ", ") + " (path '\(path)')")
        fuzzCase.program = Array((random.pick(programs) + "\n").utf8)
        fuzzCase.files["t.csv"] = bytes
        fuzzCase.folders = ["data", "out"]
        let json = random.chance(0.5) ? ["--json"] : []
        var commands = [
            FuzzCommand(["run", FuzzCase.programName] + json),
            FuzzCommand(["grad", FuzzCase.programName] + (random.chance(0.3) ? ["--json"] : [])),
            FuzzCommand(["dot", FuzzCase.programName, "--values"]),
            FuzzCommand(["check", FuzzCase.programName]),
            FuzzCommand(["ir", FuzzCase.programName]),
        ]
        commands[1].roundTrip = !commands[1].has("--json")
        if path == "/dev/stdin" { for index in commands.indices { commands[index].stdin = bytes } }
        fuzzCase.commands = Array(commands.prefix(1 + random.int(commands.count)))
        return fuzzCase
    }

    static func damageCSV(_ bytes: [UInt8], _ random: inout FuzzRandom) -> ([UInt8], String) {
        var lines = Tokens.lines(bytes)
        let cell = random.pick(["\"1\"", "\"1\"\"2\"", "\"\"", "\"1", "1e999", "-1e999", "1e-400", String(repeating: "7", count: 400),
                                "0x1p3", "nan", "inf", "-inf", "NaN", "\"1,5\"", " 1 ", "+1", "1.", ".5", "1e", "--1", "１", "abc",
                                "", "\t2\t", "1 2", "\u{FEFF}1", "1\u{0}", "é", "\"a\nb\""])
        switch random.int(16) {
        case 0:
            guard lines.count > 1 else { return ([], "empty") }
            let index = 1 + random.int(lines.count - 1)
            lines[index] = Array(String(decoding: lines[index], as: UTF8.self).replacingFirstComma().utf8)
            return (lines.flatMap { $0 }, "ragged row (fewer fields)")
        case 1:
            guard !lines.isEmpty else { return (Array("9\n".utf8), "one cell") }
            let index = random.int(lines.count)
            lines[index].insert(contentsOf: Array(",9".utf8), at: max(0, lines[index].count - 1))
            return (lines.flatMap { $0 }, "ragged row (more fields)")
        case 2, 3, 4:
            guard lines.count > 1 else { return (bytes, "unchanged") }
            let index = 1 + random.int(lines.count - 1)
            var fields = String(decoding: lines[index].dropLast(), as: UTF8.self).components(separatedBy: ",")
            fields[random.int(fields.count)] = cell
            lines[index] = Array((fields.joined(separator: ",") + "\n").utf8)
            return (lines.flatMap { $0 }, "cell '\(cell)'")
        case 5: return ([], "empty file")
        case 6: return (lines.first ?? [], "header only")
        case 7: return ([0xEF, 0xBB, 0xBF] + bytes, "byte-order mark")
        case 8: return ([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + bytes, "two byte-order marks")
        case 9: return (bytes.flatMap { $0 == 10 ? [13, 10] : [$0] }, "CRLF")
        case 10: return (bytes.map { $0 == 10 ? 13 : $0 }, "CR line ends")
        case 11: return (Array(bytes.dropLast()), "no final line feed")
        case 12:
            lines.insert(Array(random.pick(["\n", "  \n", ",,\n", "#c\n", "\r\n"]).utf8), at: random.int(lines.count + 1))
            return (lines.flatMap { $0 }, "odd line")
        case 13:
            let header = random.pick(["a,a,c\n", ",b,c\n", "\"a\",\"b\",\"c\"\n", "a,b,c,\n", "é,b,c\n", "a b,b,c\n", "\"a,b\",c\n", "\"a\n"])
            if lines.isEmpty { lines = [[]] }
            lines[0] = Array(header.utf8)
            return (lines.flatMap { $0 }, "header '\(header.dropLast())'")
        case 14:
            var text = "a,b,c\n"
            let many = random.pick([10_000, 100_000])
            for row in 0..<many { text += "\(row),\(row % 7),\(row % 2)\n" }
            if random.chance(0.5) { text += "1,x,0\n" }
            return (Array(text.utf8), "\(many) rows")
        default:
            let index = random.int(lines.count + 1)
            lines.insert(random.pick([[0], [0xFF, 0xFE], [0xC0, 0x80, 10]]), at: index)
            return (lines.flatMap { $0 }, "invalid bytes")
        }
    }

    // MARK: Params files

    /// A program with params, run with `--load` of a damaged params file.
    static func paramsCase(_ random: inout FuzzRandom) -> FuzzCase {
        var fuzzCase = FuzzCase(origin: "params file")
        fuzzCase.program = Array("""
            param w: [2] = 0
            param b = 0
            param M: [2, 2] = 1
            input x = [1, 2]
            E = sum((M @ x + w * b - x)^2)
            print E
            minimize E by gd(rate: 0.01, steps: 3)

            """.utf8)
        var members = [("w", "[0.5, -1]"), ("b", "2"), ("M", "[[1, 0], [0, 1]]")]
        members = Array(members.prefix(random.int(members.count + 1)))
        let value = random.pick(["[1, 2, 3]", "[[1, 2]]", "[]", "[[]]", "null", "true", "\"abc\"", "{}", "[[1], [2, 3]]",
                                 "\"nan\"", "\"inf\"", "\"-inf\"", "1e999", "-0", "1e-400", String(repeating: "9", count: 400),
                                 "\"1\"", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                                 "[1, \"nan\"]", "0x10", "01", "-", "1e", ".5", "+1", "NaN", "Infinity"])
        var mutations: [String] = []
        switch random.int(5) {
        case 0:
            members.append((random.pick(["w", "b", "M", "x", "E", "zz", "", "w\\u0000", "\\ud800"]), value))
            mutations.append("member \(members.last!.0): \(value.prefix(40))")
        case 1 where !members.isEmpty:
            members[random.int(members.count)].1 = value
            mutations.append("value \(value.prefix(40))")
        default: break
        }
        var text = "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        if random.chance(0.6) {
            let (damaged, name) = damageJSON(text, &random)
            text = damaged
            mutations.append(name)
        }
        var bytes = Array(text.utf8)
        if random.chance(0.1) {
            bytes.insert(random.pick([0, 0xFF, 0xC0]), at: random.int(bytes.count + 1))
            mutations.append("invalid byte")
        }
        fuzzCase.origin += ": " + (mutations.isEmpty ? "well formed" : mutations.joined(separator: ", "))
        fuzzCase.files["params.json"] = bytes
        fuzzCase.folders = ["out", "adir"]
        let path = random.pick(["params.json", "params.json", "params.json", "missing.json", "adir", "prog.graph", "/dev/stdin", ""])
        var command = FuzzCommand(["run", FuzzCase.programName, "--load", path] + (random.chance(0.5) ? ["--json"] : [])
                                  + (random.chance(0.3) ? ["--save", "out/saved.json"] : []) + (random.chance(0.5) ? ["--quiet"] : []))
        if path == "/dev/stdin" { command.stdin = bytes }
        fuzzCase.commands = [command]
        return fuzzCase
    }

    static func damageJSON(_ text: String, _ random: inout FuzzRandom) -> (String, String) {
        switch random.int(12) {
        case 0: return (String(text.dropLast()) + ",}", "trailing comma")
        case 1: return ("// params\n" + text, "comment")
        case 2: return (text.replacingOccurrences(of: "\"", with: "'"), "single quotes")
        case 3: return (text.replacingOccurrences(of: "\"", with: ""), "unquoted keys")
        case 4: return ("\u{FEFF}" + text, "byte-order mark")
        case 5: return ("", "empty")
        case 6: return ("  \n\t ", "only white space")
        case 7: return (String(text.prefix(max(0, text.count / 2))), "truncated")
        case 8: return (text + text, "two objects")
        case 9: return ("[" + text + "]", "an array")
        case 10: return ("\"\\ud800\"", "a lone surrogate")
        default: return (text.replacingOccurrences(of: "\"b\"", with: "\"b\": 3, \"b\""), "duplicate keys")
        }
    }
}

extension String {
    /// The text with its first comma removed: a row with one field fewer.
    func replacingFirstComma() -> String {
        guard let comma = firstIndex(of: ",") else { return self }
        var copy = self
        copy.remove(at: comma)
        return copy
    }
}
