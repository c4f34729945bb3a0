/// Command lines for a program: every command with a random choice of its options (names for
/// `--of`, `--wrt` and `--set` taken from the program), and command lines made wrong on purpose.
struct CommandLines {
    let names: ProgramNames
    let program = FuzzCase.programName

    // MARK: Well-formed command lines

    /// A command line of a random command.
    func any(_ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> FuzzCommand {
        var command: FuzzCommand
        switch random.weighted([4, 3, 2, 2, 2, 1, 1, 1, 1]) {
        case 0: command = run(&random, &fuzzCase)
        case 1: command = grad(&random)
        case 2: command = ir(&random)
        case 3: command = dot(&random)
        case 4: command = check(&random)
        case 5: command = export(&random, &fuzzCase)
        case 6: command = tangent(&random)
        case 7: command = critical(&random)
        default: command = report(&random, &fuzzCase)
        }
        if random.chance(0.05) { usePipe(&command, fuzzCase) }
        if random.chance(0.04) { command.environment["SLOPE_THREADS"] = random.pick(["1", "2", "0", "abc", "99999999999999999999", ""]) }
        if random.chance(0.02) { command.environment["SLOPE_SHOW_PLAN"] = "1" }
        return command
    }

    /// The program read from standard input through `/dev/stdin`, a pipe: it must be read.
    func usePipe(_ command: inout FuzzCommand, _ fuzzCase: FuzzCase) {
        guard let index = command.arguments.firstIndex(of: Array(program.utf8)) else { return }
        command.arguments[index] = Array("/dev/stdin".utf8)
        command.stdin = fuzzCase.program
        command.forbidden.append("cannot read '/dev/stdin'")
        command.roundTrip = false
    }

    func run(_ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> FuzzCommand {
        var words = ["run", program]
        if random.chance(0.5) { words.append("--json") }
        if random.chance(0.4) { words.append("--quiet") }
        if random.chance(0.2) { words.append("--time") }
        if random.chance(0.2) { words += ["--seed", random.pick(["0", "1", "42", "18446744073709551615", "-1"])] }
        if random.chance(0.3) { words += sets(&random) }
        if !fuzzCase.folders.contains("out") { fuzzCase.folders.append("out") }
        if random.chance(0.15) { words += ["--log", outputPath("out/log.csv", &random, &fuzzCase)] }
        if random.chance(0.15) { words += ["--plot", outputPath("out/plot.svg", &random, &fuzzCase)] }
        if random.chance(0.15) { words += ["--save", outputPath("out/params.json", &random, &fuzzCase)] }
        var command = FuzzCommand(shuffledOptions(words, &random))
        command.quietTwin = random.chance(0.3)
        return command
    }

    func grad(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["grad", program]
        if random.chance(0.4) { words.append("--json") }
        if random.chance(0.3) { words += ["--of", of(&random)] }
        if random.chance(0.3) { words += ["--wrt", wrt(&random)] }
        if random.chance(0.15) { words.append("--expand") }
        if random.chance(0.15) { words.append("--no-opt") }
        if random.chance(0.15) { words += sets(&random) }
        if random.chance(0.1) { words += ["--seed", "7"] }
        var command = FuzzCommand(shuffledOptions(words, &random))
        command.roundTrip = !command.has("--json")
        return command
    }

    func ir(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["ir", program]
        switch random.int(3) {
        case 0: words.append("--no-opt")
        case 1: words.append("--passes")
        default: break
        }
        if random.chance(0.1) { words += sets(&random) }
        return FuzzCommand(words)
    }

    func dot(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["dot", program]
        if random.chance(0.5) { words.append("--grad") }
        if random.chance(0.5) { words.append("--values") }
        if random.chance(0.3) { words.append("--opt") }
        if random.chance(0.3) { words.append("--expand") }
        if random.chance(0.2) { words += ["--of", of(&random)] }
        if random.chance(0.2) { words += ["--wrt", wrt(&random)] }
        return FuzzCommand(shuffledOptions(words, &random))
    }

    func check(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["check", program]
        if random.chance(0.2) { words += ["--of", of(&random)] }
        if random.chance(0.2) { words += ["--wrt", wrt(&random)] }
        if random.chance(0.2) { words.append("--sweep") }
        if random.chance(0.4) { words.append("--json") }
        return FuzzCommand(shuffledOptions(words, &random))
    }

    /// `slope export` to either engine, to standard output or a file (the same hostile paths as
    /// run's outputs), in either precision, sometimes with a bad target or precision.
    func export(_ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> FuzzCommand {
        var words = ["export", program, "--to", random.pick(["jax", "onnx", "onnx", "jax", "tflite", ""])]
        if random.chance(0.4) { words += ["--dtype", random.pick(["float32", "float64", "float64", "half"])] }
        if random.chance(0.6) {
            if !fuzzCase.folders.contains("out") { fuzzCase.folders.append("out") }
            words += ["-o", outputPath("out/model.out", &random, &fuzzCase)]
        }
        if random.chance(0.1) { words += sets(&random) }
        return FuzzCommand(words)
    }

    /// `slope report` to standard output or a file (run's hostile paths), for a chosen target.
    func report(_ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> FuzzCommand {
        var words = ["report", program]
        if random.chance(0.2) { words += ["--of", of(&random)] }
        if random.chance(0.2) { words += ["--wrt", wrt(&random)] }
        if random.chance(0.5) {
            if !fuzzCase.folders.contains("out") { fuzzCase.folders.append("out") }
            words += ["-o", outputPath("out/page.html", &random, &fuzzCase)]
        }
        if random.chance(0.1) { words += sets(&random) }
        return FuzzCommand(words)
    }

    /// `slope tangent` at the current point or a chosen one, of order 1 or 2 (or a bad order).
    func tangent(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["tangent", program]
        if random.chance(0.3) { words += ["--of", of(&random)] }
        if random.chance(0.4) { words += ["--at", point(&random)] }
        if random.chance(0.4) { words += ["--order", random.pick(["1", "2", "2", "3", "0", "x"])] }
        if random.chance(0.4) { words.append("--json") }
        return FuzzCommand(words)
    }

    /// `slope critical` in the default box or a chosen one (sometimes empty or inverted).
    func critical(_ random: inout FuzzRandom) -> FuzzCommand {
        var words = ["critical", program]
        if random.chance(0.3) { words += ["--of", of(&random)] }
        if random.chance(0.5) {
            let leaves = (names.params + names.inputs).filter { (names.shapes[$0] ?? []).isEmpty }
            let box = leaves.prefix(2).map { "\($0)=\(random.pick(["-2:2", "0:1", "-10:10", "1:1", "3:-3", "a:b", "-1e300:1e300"]))" }
            words += ["--in", box.isEmpty ? random.pick(["zz=0:1", "", "x"]) : box.joined(separator: ",")]
        }
        if random.chance(0.4) { words.append("--json") }
        return FuzzCommand(words)
    }

    /// `--at` values for the scalar params and inputs: `x=1.5,y=-2`, sometimes not a number.
    func point(_ random: inout FuzzRandom) -> String {
        let leaves = (names.params + names.inputs).filter { (names.shapes[$0] ?? []).isEmpty }
        guard !leaves.isEmpty, !random.chance(0.1) else { return random.pick(["zz=1", "x", "=", ""]) }
        return leaves.prefix(2).map { "\($0)=\(random.pick(["0", "1.5", "-2", "1e-9", "nan", "1e308", "q"]))" }.joined(separator: ",")
    }

    /// Keeps the command first and puts the file anywhere among the options (keeping each
    /// option's value after it).
    func shuffledOptions(_ words: [String], _ random: inout FuzzRandom) -> [String] {
        guard random.chance(0.3) else { return words }
        var groups: [[String]] = []
        var index = 2
        while index < words.count {
            let takesValue = ["--of", "--wrt", "--set", "--seed", "--log", "--plot", "--save", "--load"].contains(words[index])
            groups.append(Array(words[index..<min(words.count, index + (takesValue ? 2 : 1))]))
            index += takesValue ? 2 : 1
        }
        groups.insert([words[1]], at: random.int(groups.count + 1))
        return [words[0]] + groups.flatMap { $0 }
    }

    func of(_ random: inout FuzzRandom) -> String {
        let candidates = names.all
        if candidates.isEmpty || random.chance(0.15) { return random.pick(["zz", "f ", "F", "grad", "print", "t99"]) }
        return random.pick(candidates)
    }

    func wrt(_ random: inout FuzzRandom) -> String {
        let leaves = names.params + names.inputs
        if leaves.isEmpty || random.chance(0.15) { return random.pick(["zz", "p0,zz", "p0,p0", " p0 , ", "f", "t1"]) }
        var chosen: [String] = []
        for _ in 0..<(1 + random.int(2)) { chosen.append(random.pick(leaves)) }
        return chosen.joined(separator: ",")
    }

    /// One or two `--set NAME=VALUE`, mostly of the declared shape.
    func sets(_ random: inout FuzzRandom) -> [String] {
        let leaves = names.params + names.inputs
        var words: [String] = []
        for _ in 0..<(1 + random.int(2)) {
            let name = leaves.isEmpty || random.chance(0.1) ? random.pick(["zz", "f", "t1"]) : random.pick(leaves)
            var value: String
            if let shape = names.shapes[name], random.chance(0.6) {
                value = random.chance(0.3) ? random.pick(["0", "2", "-1.5"]) : literal(shape, &random)
            } else {
                value = random.pick(["1", "-3", "1e3", "[1, 2]", "[[1, 2, 3], [4, 5, 6]]", "exp(1)", "1/3", "1e999", "nan",
                                     "[]", "[1, [2]]", "y", "-", "(1", "2x", "0x10", "[1e308, -1e308]"])
            }
            words += ["--set", "\(name)=\(value)"]
        }
        return words
    }

    func literal(_ shape: [Int], _ random: inout FuzzRandom) -> String {
        guard let first = shape.first else { return random.decimal(-2, 2) }
        return "[" + (0..<first).map { _ in literal(Array(shape.dropFirst()), &random) }.joined(separator: ", ") + "]"
    }

    /// Usually `normal`; sometimes a FIFO, a folder, a missing folder, the program itself, an
    /// empty string, a symbolic link or a name too long for the file system.
    func outputPath(_ normal: String, _ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> String {
        guard random.chance(0.3) else { return normal }
        switch random.int(9) {
        case 0:
            if !fuzzCase.fifos.contains("out/fifo") { fuzzCase.fifos.append("out/fifo") }
            return "out/fifo"
        case 1: return "out"
        case 2: return "missing/dir/file"
        case 3: return program
        case 4: return ""
        case 5:
            fuzzCase.files["out/target.txt"] = Array("keep\n".utf8)
            fuzzCase.links["out/link"] = "target.txt"
            return "out/link"
        case 6:
            fuzzCase.links["out/dangling"] = "nowhere/file"
            return "out/dangling"
        case 7: return "out/" + String(repeating: "n", count: 300)
        default: return "out/"
        }
    }

    // MARK: Wrong command lines

    /// A well-formed command line made wrong in one way, with the status the contract asks for
    /// when that is certain.
    func bad(_ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> FuzzCommand {
        var command = any(&random, &fuzzCase)
        command.roundTrip = false
        if command.stdin != nil {
            command.arguments = command.arguments.map { $0 == Array("/dev/stdin".utf8) ? Array(program.utf8) : $0 }
            command.stdin = nil
            command.forbidden = []
        }
        var words = command.words
        let name = words[0]
        var expected: Set<Int32>?
        var note: String
        switch random.int(16) {
        case 0:
            let option = random.pick(["--jsn", "--JSON", "-j", "---json", "--tim", "--grad", "--values", "--sweep", "--expand",
                                      "--passes", "--no-opt", "--quiet", "--load", "--to", "-o", "--order", "--at"])
            words.append(option)
            note = "an option '\(option)' at the end"
            let accepted = Self.accepted[name] ?? [:]
            if accepted[option] == nil || accepted[option] == true { expected = [2] }
        case 1:
            let option = random.pick(["--of", "--wrt", "--set", "--seed", "--log", "--plot", "--save", "--load"])
            words.append(option)
            note = "'\(option)' without its value"
            expected = [2]
        case 2:
            let value = random.pick(["x", "=1", "==1", "p0==1", "p0=", "p0=[", "p0=1e999", "p0=nan", "p0=[[1], [2, 3]]", "p0=exp(",
                                     "p0=p1", "zz=1", "p0=" + String(repeating: "[", count: 10_000), "p0=1 2", "p0=\u{0}"])
            words.insert(contentsOf: ["--set", value], at: 2)
            note = "--set \(value.prefix(40))"
            if !value.contains("=") || value.hasPrefix("=") { expected = [2] }
        case 3:
            let value = random.pick(["-1", "18446744073709551616", "1.5", "", "abc", " 1", "+1", "0x10", "1e3", "-9223372036854775809"])
            words.insert(contentsOf: ["--seed", value], at: 2)
            note = "--seed '\(value)'"
            if ["18446744073709551616", "1.5", "", "abc", "0x10", "1e3", "-9223372036854775809"].contains(value) { expected = [2] }
        case 4:
            words.insert("", at: 1 + random.int(words.count))
            note = "an empty argument"
        case 5:
            words.append(program)
            note = "two files"
            expected = [2]
        case 6:
            // The file is the first word that is neither an option nor an option's value.
            var index = 1
            while index < words.count {
                if Self.accepted[name]?[words[index]] == true { index += 2; continue }
                if !words[index].hasPrefix("-") { words.remove(at: index); break }
                index += 1
            }
            note = "no file"
            expected = [2]
        case 7:
            words[0] = random.pick(["RUN", "", "runn", "gradd", "export", "tangent", "critical", "-run", "help", "--help", "--version", "-V"])
            note = "command '\(words[0])'"
            if ["RUN", "", "runn", "gradd", "-run"].contains(words[0]) { expected = [2] }
            if ["--help", "--version", "-V", "help"].contains(words[0]) { expected = [0] }
        case 8:
            words.insert(random.pick(["--help", "-h"]), at: 1 + random.int(words.count))
            note = "--help among the options"
        case 9:
            let path = random.pick(["missing.graph", "out", "", ".", "prog.graph/", "./prog.graph", "dir é/p r o g.graph"])
            if path.hasPrefix("dir ") { fuzzCase.files[path] = fuzzCase.program }
            if path == "out", !fuzzCase.folders.contains("out") { fuzzCase.folders.append("out") }
            words = words.map { $0 == program ? path : $0 }
            note = "program path '\(path)'"
        case 10:
            command.arguments = command.arguments.map { $0 == Array(program.utf8) ? [0x70, 0xFF, 0xFE, 0x2E, 0x67] : $0 }
            command.arguments.append(random.pick([[0xFF], [0xC0, 0x80], Array("--of".utf8), Array("--wrt=\u{FFFD}".utf8)]))
            command.note = "non-UTF-8 arguments"
            return command
        case 11:
            words += [random.pick(["--of", "--wrt", "--set"]), String(repeating: random.pick(["a", "é", ","]), count: 60_000)]
            note = "a 60,000-character value"
        case 12:
            let value = random.pick([",", ",,", " ", "p0,,p1", "p0,p0", "p0, zz"])
            words += random.chance(0.5) ? ["--wrt", value] : ["--wrt=" + value]
            note = "odd --wrt"
        case 13:
            let option = random.pick(["--json=1", "--quiet=", "--of=", "--set=", "--seed=", "--save=", "--wrt=", "--grad=no"])
            words.append(option)
            note = "'\(option)'"
            let accepted = Self.accepted[name] ?? [:]
            let bare = String(option.prefix { $0 != "=" })
            if accepted[bare] != true { expected = [2] }
            if ["--of=", "--set=", "--seed=", "--wrt="].contains(option) && accepted[bare] == true { expected = [2] }
        case 14:
            words += ["--", random.pick([program, "--json", "-x"])]
            note = "after --"
        default:
            words = [name, program] + words.dropFirst(2) + (name == "ir" ? ["--no-opt", "--passes"] : ["--json", "--json"])
            note = "repeated or conflicting options"
            if name == "ir" { expected = [2] }
        }
        let stdin = command.stdin, environment = command.environment
        command = FuzzCommand(words, note: note)
        command.stdin = stdin
        command.environment = environment
        command.expected = expected
        return command
    }

    /// The options of each command and whether they take a value (`Driver/Arguments.swift`).
    static let accepted: [String: [String: Bool]] = [
        "run": ["--set": true, "--seed": true, "--json": false, "--quiet": false, "--time": false,
                "--log": true, "--plot": true, "--save": true, "--load": true],
        "grad": ["--of": true, "--wrt": true, "--json": false, "--expand": false, "--no-opt": false, "--set": true, "--seed": true],
        "ir": ["--no-opt": false, "--passes": false, "--set": true, "--seed": true],
        "dot": ["--grad": false, "--values": false, "--opt": false, "--expand": false, "--of": true, "--wrt": true,
                "--set": true, "--seed": true, "--load": true],
        "tangent": ["--of": true, "--at": true, "--order": true, "--json": false, "--set": true, "--seed": true],
        "critical": ["--of": true, "--in": true, "--json": false, "--set": true, "--seed": true],
        "export": ["--to": true, "-o": true, "--dtype": true, "--load": true, "--set": true, "--seed": true],
        "report": ["-o": true, "--of": true, "--wrt": true, "--set": true, "--seed": true, "--load": true],
        "check": ["--of": true, "--wrt": true, "--sweep": false, "--json": false, "--set": true, "--seed": true, "--load": true],
    ]
}

/// The names a program defines, read from its text line by line (mutated programs included).
struct ProgramNames {
    var params: [String] = []
    var inputs: [String] = []
    var named: [String] = []
    var shapes: [String: [Int]] = [:]

    var all: [String] { params + inputs + named }

    init(params: [String], inputs: [String], named: [String], shapes: [String: [Int]]) {
        (self.params, self.inputs, self.named, self.shapes) = (params, inputs, named, shapes)
    }

    init(scanning bytes: [UInt8]) {
        for line in Tokens.lines(bytes) {
            let tokens = Tokens.split(line).filter { $0.first != 32 && $0.first != 9 }
            guard tokens.count >= 2 else { continue }
            let first = String(decoding: tokens[0], as: UTF8.self), second = String(decoding: tokens[1], as: UTF8.self)
            if first == "param" || first == "input", Tokens.isName(tokens[1]) {
                if first == "param" { params.append(second) } else { inputs.append(second) }
            } else if Tokens.isName(tokens[0]), second == "=", !["print", "seed", "fn"].contains(first) {
                named.append(first)
            }
        }
    }
}

/// The one rule that keeps the fuzzer's writes inside a case's folder: no argument may name a
/// path outside it (an absolute path or `..`), except `/dev/stdin` where a file is read; and
/// no argument holds a NUL, which execve cannot pass.
enum SafePaths {
    static let outputOptions = ["--save", "--log", "--plot", "-o"]

    static func sanitize(_ command: inout FuzzCommand) {
        var previous: [UInt8] = []
        for index in command.arguments.indices {
            // execve ends an argument at a NUL: the oracles and the report see what the child sees.
            if let nul = command.arguments[index].firstIndex(of: 0) { command.arguments[index].removeSubrange(nul...) }
            var argument = command.arguments[index]
            var prefix: [UInt8] = []
            if let equals = argument.firstIndex(of: UInt8(ascii: "=")), argument.starts(with: Array("--".utf8)) {
                prefix = Array(argument[...equals])
                argument = Array(argument[(equals + 1)...])
            }
            let option = prefix.isEmpty ? String(decoding: previous, as: UTF8.self) : String(decoding: prefix.dropLast(), as: UTF8.self)
            let isOutput = outputOptions.contains(option)
            let text = String(decoding: argument, as: UTF8.self)
            let escapes = argument.first == UInt8(ascii: "/") || text.split(separator: "/").contains("..") || text.hasPrefix("~")
            if escapes && (isOutput || text != "/dev/stdin") {
                command.arguments[index] = prefix + Array("out/redirected".utf8)
            }
            previous = command.arguments[index]
        }
    }
}
