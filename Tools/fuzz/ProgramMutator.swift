/// Mutations of program text, byte by byte, token by token and line by line, plus the inputs
/// that stress limits: deep nesting, huge literals and shapes, long lines, Unicode, CRLF, NUL
/// and invalid UTF-8. Each mutation returns its name, so a finding says how its input was made.
enum ProgramMutator {
    /// Applies one to four mutations; `donors` are other programs lines may be spliced from.
    static func mutate(_ program: [UInt8], donors: [[UInt8]], _ random: inout FuzzRandom) -> ([UInt8], [String]) {
        var bytes = program
        var names: [String] = []
        for _ in 0..<(1 + random.int(4)) {
            let kind = Kind.allCases[random.weighted(Kind.allCases.map(\.weight))]
            bytes = kind.apply(to: bytes, donors: donors, &random)
            names.append(kind.rawValue)
            if bytes.count > 4_000_000 { bytes = Array(bytes.prefix(4_000_000)) }
        }
        return (bytes, names)
    }

    enum Kind: String, CaseIterable {
        case flipBit = "flip-bit", setByte = "set-byte", insertOdd = "insert-odd-bytes", deleteBytes = "delete-bytes"
        case deleteToken = "delete-token", duplicateToken = "duplicate-token", swapTokens = "swap-tokens"
        case replaceToken = "replace-token", deleteLine = "delete-line", duplicateLine = "duplicate-line"
        case swapLines = "swap-lines", truncate, crlf, byteOrderMark = "bom", deepNesting = "deep-nesting"
        case hugeLiteral = "huge-literal", longLine = "long-line", splice, unicodeName = "unicode-name", tabs

        var weight: Int {
            switch self {
            case .replaceToken, .deleteToken, .duplicateToken, .swapTokens: return 8
            case .flipBit, .setByte, .deleteLine, .duplicateLine, .swapLines, .splice: return 5
            case .insertOdd, .deleteBytes, .truncate, .hugeLiteral, .deepNesting, .unicodeName: return 3
            case .crlf, .byteOrderMark, .tabs: return 2
            case .longLine: return 1
            }
        }

        func apply(to bytes: [UInt8], donors: [[UInt8]], _ random: inout FuzzRandom) -> [UInt8] {
            var bytes = bytes
            switch self {
            case .flipBit:
                guard !bytes.isEmpty else { return [UInt8(random.int(256))] }
                bytes[random.int(bytes.count)] ^= 1 << UInt8(random.int(8))
            case .setByte:
                guard !bytes.isEmpty else { return bytes }
                bytes[random.int(bytes.count)] = random.pick(Array("\0\u{FF}\n\r()[],=#\" \t a0.e-^@:".utf8) + [0x80, 0xFF, 0xC3])
            case .insertOdd:
                bytes.insert(contentsOf: random.pick(Words.oddBytes), at: random.int(bytes.count + 1))
            case .deleteBytes:
                guard !bytes.isEmpty else { return bytes }
                let start = random.int(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.int(16)))
            case .deleteToken, .duplicateToken, .swapTokens, .replaceToken:
                var tokens = Tokens.split(bytes)
                guard !tokens.isEmpty else { return Array(random.pick(Words.tokens).utf8) }
                let index = random.int(tokens.count)
                switch self {
                case .deleteToken: tokens.remove(at: index)
                case .duplicateToken: tokens.insert(tokens[index], at: index)
                case .swapTokens: tokens.swapAt(index, random.int(tokens.count))
                default:
                    let names = tokens.filter { Tokens.isName($0) }
                    tokens[index] = random.chance(0.3) && !names.isEmpty ? random.pick(names) : Array(random.pick(Words.tokens).utf8)
                }
                bytes = tokens.flatMap { $0 }
            case .deleteLine, .duplicateLine, .swapLines:
                var lines = Tokens.lines(bytes)
                guard !lines.isEmpty else { return bytes }
                let index = random.int(lines.count)
                switch self {
                case .deleteLine: lines.remove(at: index)
                case .duplicateLine: lines.insert(lines[index], at: random.int(lines.count + 1))
                default: lines.swapAt(index, random.int(lines.count))
                }
                bytes = lines.flatMap { $0 }
            case .truncate:
                bytes = Array(bytes.prefix(random.int(bytes.count + 1)))
            case .crlf:
                let ending: [UInt8] = random.chance(0.8) ? [13, 10] : [13]
                bytes = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                    .joined(separator: ending).map { $0 }
            case .byteOrderMark:
                bytes = [0xEF, 0xBB, 0xBF] + bytes
            case .deepNesting:
                bytes = insertStatement(Array(Words.nesting(&random).utf8), into: bytes, &random)
            case .hugeLiteral:
                bytes = insertStatement(Array(Words.huge(&random).utf8), into: bytes, &random)
            case .longLine:
                let terms = random.pick([10_000, 40_000])
                var line = "s = 1"
                for _ in 1..<terms { line += random.chance(0.9) ? " + 1" : " * 1" }
                bytes = insertStatement(Array((line + "\nprint s").utf8), into: bytes, &random)
            case .splice:
                guard let donor = donors.isEmpty ? nil : random.pick(donors) else { return bytes }
                let lines = Tokens.lines(donor)
                guard !lines.isEmpty else { return bytes }
                let start = random.int(lines.count)
                let chunk = lines[start..<min(lines.count, start + 1 + random.int(4))].flatMap { $0 }
                var target = Tokens.lines(bytes)
                target.insert(chunk, at: random.int(target.count + 1))
                bytes = target.flatMap { $0 }
            case .unicodeName:
                var tokens = Tokens.split(bytes)
                let names = tokens.indices.filter { Tokens.isName(tokens[$0]) }
                guard !names.isEmpty else { return bytes }
                let index = random.pick(names)
                tokens[index] = random.chance(0.5) ? tokens[index] + Array(random.pick(Words.unicode).utf8)
                                                   : Array(random.pick(Words.unicode).utf8)
                bytes = tokens.flatMap { $0 }
            case .tabs:
                bytes = bytes.map { $0 == 32 && random.chance(0.5) ? 9 : $0 }
            }
            return bytes
        }

        /// `statement` as a line of its own at a line boundary (or appended).
        func insertStatement(_ statement: [UInt8], into bytes: [UInt8], _ random: inout FuzzRandom) -> [UInt8] {
            var lines = Tokens.lines(bytes)
            if let last = lines.last, last.last != 10 { lines[lines.count - 1].append(10) }
            lines.insert(statement + [10], at: random.int(lines.count + 1))
            return lines.flatMap { $0 }
        }
    }

    /// Words and byte strings mutations draw from.
    enum Words {
        static let tokens: [String] = [
            "param", "input", "seed", "fn", "print", "minimize", "maximize", "by",
            "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "sign", "step",
            "sum", "mean", "max", "min", "transpose", "grad", "reshape", "broadcast", "sum_to", "index", "mask",
            "equal", "normal", "uniform", "csv", "mse", "bce", "linear", "dense", "accuracy",
            "gd", "sgd", "momentum", "adam", "newton", "rate", "steps", "batch", "beta", "beta1", "eps", "tolerance",
            "axis", "logsumexp", "softmax", "linspace", "cumsum", "jvp", "integral",
            "+", "-", "*", "/", "@", "^", "=", ",", ":", "(", ")", "[", "]", "#", "\"", "\n", " ", "",
            "0", "-0", "1", "2", "-1", "0.5", ".5", "5.", "1e308", "1e309", "-1e309", "1e-320", "1e-400", "nan", "inf",
            "0x10", "1_000", "1e", "1e+", "2x", "9999999999999999999999", "-9223372036854775808", "4294967297",
            "[]", "[[]]", "[1, 2]", "[[1, 2], [3]]", "[2, 3]", "[0]", "[-1]", "[1e10]", "axis: 5", "axis: -9",
            "\"data.csv\"", "\"\"", "\"\\\"\"", "\"/etc/passwd\"", "\"data/line.csv\"", "\"missing.csv\"", "\"data\"",
            "rate: 1e308", "steps: 1e9", "steps: -1", "steps: 0.5", "batch: 0", "beta: 2",
        ]

        static let unicode: [String] = [
            "é", "∑", "λ", "😀", "e\u{301}", "\u{200B}", "\u{FEFF}", "\u{2028}", "ｘ", "١", "\u{202E}", "𝑥", "ß", "Ω",
        ]

        static let oddBytes: [[UInt8]] = [
            [0], [0xFF], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [13], [13, 10], [9],
            [0x7F], [0x1B, 0x5B, 0x33, 0x31, 0x6D], Array("é".utf8), Array("😀".utf8), Array("\u{FEFF}".utf8),
            Array("\u{2028}".utf8), [0xEF, 0xBB, 0xBF],
        ]

        /// A statement nesting some construct deeply, around the 200-level limit or far past it.
        static func nesting(_ random: inout FuzzRandom) -> String {
            let depth = random.pick([64, 65, 199, 200, 201, 1000, 10_000, 100_000])
            switch random.int(9) {
            case 0: return "z = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + "\nprint z"
            case 1: return "z = " + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + "\nprint z"
            case 2: return "z = " + String(repeating: "-", count: depth) + "1\nprint z"
            case 3: return "z = " + String(repeating: "1^", count: depth) + "1\nprint z"
            case 4: return "z = " + String(repeating: "(", count: depth) + "1"
            case 5: return "z = " + String(repeating: "exp(", count: depth) + "0" + String(repeating: ")", count: depth) + "\nprint z"
            case 6:
                let depth = random.pick([2, 4, 8, 12, 16])
                return "param q = 0.5\nz = " + String(repeating: "grad(", count: depth) + "sin(q)*exp(q)"
                    + String(repeating: ", q)", count: depth) + "\nprint z"
            case 7:
                // Each function calls the one before twice: 2^depth calls once inlined.
                let depth = random.pick([8, 12, 16, 20])
                var text = "fn k0(x) = x*x\n"
                for level in 1..<depth { text += "fn k\(level)(x) = k\(level - 1)(k\(level - 1)(x))\n" }
                return text + "print k\(depth - 1)(1)"
            default:
                let depth = random.pick([10, 20, 63, 64, 65, 100])
                var text = "fn k0(x) = x*x\n"
                for level in 1..<depth { text += "fn k\(level)(x) = k\(level - 1)(x) + 1\n" }
                return text + "print k\(depth - 1)(2)"
            }
        }

        /// A statement with an enormous number, tensor literal or shape.
        static func huge(_ random: inout FuzzRandom) -> String {
            switch random.int(9) {
            case 0: return "h = " + String(repeating: "9", count: random.pick([400, 5000])) + "\nprint h"
            case 1: return "h = 0." + String(repeating: "0", count: 5000) + "1\nprint h"
            case 2: return "h = [" + Array(repeating: "1", count: random.pick([1000, 100_000])).joined(separator: ", ") + "]\nprint sum(h)"
            case 3: return "param hw: [\(random.pick(["100000, 100000", "1000000000000", "4294967296, 4294967296", "0", "0, 3", "-1"]))] = 0\nprint sum(hw)"
            case 4: return "param hw: [" + Array(repeating: "1", count: random.pick([64, 65, 200])).joined(separator: ", ") + "] = 1\nprint hw"
            case 5: return "input ha: [40000, 1] = 1\ninput hb: [1, 40000] = 2\nprint sum(ha + hb)"
            case 6: return "h = reshape([1, 2], [\(random.pick(["2, 1", "3", "99999999999999999999", "-2", "0"]))])\nprint h"
            case 7: return "h = sum([1, 2], axis: \(random.pick(["2", "-3", "99999999999999999999", "0.5", "1e3"])))\nprint h"
            default: return "h = index([1, 2], \(random.pick(["2", "-1", "99999999999999999999", "0.5"])))\nprint h"
            }
        }
    }
}

/// Splitting program text into tokens and lines, for mutation and minimization.
enum Tokens {
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
    }

    static func isName(_ token: [UInt8]) -> Bool {
        guard let first = token.first else { return false }
        return (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) || first == UInt8(ascii: "_")
    }

    /// Runs of word bytes, runs of spaces and tabs, and every other byte alone: concatenated,
    /// the tokens give back the text.
    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let start = index
            if isWordByte(bytes[index]) {
                while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
            } else if bytes[index] == 32 || bytes[index] == 9 {
                while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
            } else {
                index += 1
            }
            tokens.append(Array(bytes[start..<index]))
        }
        return tokens
    }

    /// Lines with their line feeds: concatenated, they give back the text.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            current.append(byte)
            if byte == 10 { lines.append(current); current = [] }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
