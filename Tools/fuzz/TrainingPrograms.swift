/// Programs that train: data inputs with rows (literals or a CSV file), a model, a loss that may
/// hold terms of the data alone or of one param alone, one or two training statements of any
/// method and batch size, and prints before and after — the shapes of the course's examples,
/// where training, `--quiet`, `sgd`'s batches and the saved params meet.
enum TrainingPrograms {
    static func make(_ random: inout FuzzRandom) -> ProgramSynthesizer.Program {
        let rows = random.pick([1, 2, 3, 5, 8]), features = random.pick([1, 2, 3])
        var lines: [String] = []
        var files: [String: [UInt8]] = [:]
        if random.chance(0.4) { lines.append("seed \(random.int(100))") }
        func matrix(_ rows: Int, _ columns: Int, _ random: inout FuzzRandom) -> String {
            "[" + (0..<rows).map { _ in "[" + (0..<columns).map { _ in random.decimal(-2, 2) }.joined(separator: ", ") + "]" }
                .joined(separator: ", ") + "]"
        }
        if random.chance(0.3) {
            var table = (0..<features).map { "x\($0)" }.joined(separator: ",") + ",y\n"
            for _ in 0..<rows {
                table += (0..<features).map { _ in random.decimal(-2, 2) }.joined(separator: ",") + "," + random.pick(["0", "1"]) + "\n"
            }
            files["train.csv"] = Array(table.utf8)
            let columns = (0..<features).map { "\"x\($0)\"" }.joined(separator: ", ")
            lines.append("input X = csv(\"train.csv\", \(columns))")
            lines.append("input y = csv(\"train.csv\", \"y\")")
            if features == 1 { lines[lines.count - 2] = "input X: [\(rows), 1] = csv(\"train.csv\", \"x0\")" }
        } else {
            lines.append("input X: [\(rows), \(features)] = \(matrix(rows, features, &random))")
            lines.append("input y: [\(rows)] = [" + (0..<rows).map { _ in random.pick(["0", "1", random.decimal(-1, 1)]) }.joined(separator: ", ") + "]")
        }
        let initial = random.pick(["0", "normal(0, 0.1)", "uniform(-1, 1)", "0.5"])
        lines.append("param w: [\(features)] = \(initial)")
        lines.append("param b = \(random.pick(["0", "1", "-3", "0.05"]))")
        let side = random.chance(0.4)
        if side { lines.append("param c = \(random.pick(["1", "3", "0.05", "-2"]))") }
        lines.append("z = X @ w + b")
        lines.append("p = " + random.pick(["z", "sigmoid(z)", "tanh(z)", "relu(z)", "softplus(z)", "exp(z)"]))
        var loss = random.pick(["mse(p, y)", "bce(sigmoid(z), y)", "mean((p - y)^2)", "sum(abs(p - y))", "mean(y*y) + b*b",
                                "-mean(y*log(p) + (1 - y)*log(1 - p))", "max(abs(p - y))", "mean(p)"])
        if side { loss += " + " + random.pick(["c*c", "log(c)", "c^4 - c", "exp(c)"]) }
        if random.chance(0.3) { loss += " + 0.01 * sum(w*w)" }
        if random.chance(0.2) { loss += " + mean(y)" }
        lines.append("L = \(loss)")
        if random.chance(0.5) { lines.append("print L, grad(L, b)") }
        for _ in 0..<(random.chance(0.2) ? 2 : 1) {
            lines.append("\(random.chance(0.9) ? "minimize L" : "maximize -L") by \(method(rows: rows, &random))")
        }
        if random.chance(0.7) { lines.append("print L, w, b" + (side ? ", c" : "")) }
        let params = ["w", "b"] + (side ? ["c"] : [])
        return ProgramSynthesizer.Program(source: lines.joined(separator: "\n") + "\n", files: files, params: params,
                                          inputs: ["X", "y"], named: ["z", "p", "L"],
                                          shapes: ["X": [rows, features], "y": [rows], "w": [features], "b": [], "c": []],
                                          smooth: false)
    }

    static func method(rows: Int, _ random: inout FuzzRandom) -> String {
        let steps = random.pick([1, 3, 10, 50, 200])
        let rate = random.pick(["0.01", "0.1", "0.5", "1", "1e-4", "10"])
        var text: String
        switch random.int(7) {
        case 0: text = "gd(rate: \(rate), steps: \(steps))"
        case 1, 2: text = "sgd(rate: \(rate), steps: \(steps), batch: \(random.pick([1, 2, max(1, rows - 1), rows, rows + 1, 32])))"
        case 3: text = "momentum(rate: \(rate), steps: \(steps), beta: \(random.pick(["0.9", "0", "0.99"])))"
        case 4: text = "adam(rate: \(rate), steps: \(steps))"
        case 5: text = "adam(\(rate), \(steps), 0.9, 0.999, 1e-8)"
        default: text = "newton(steps: \(min(steps, 10)))"
        }
        if random.chance(0.2) { text = String(text.dropLast()) + ", tolerance: \(random.pick(["1e-6", "1e-3", "0"])))" }
        return text
    }

    /// Command lines for a training program: mostly `run`, often twinned with `--quiet`.
    static func commands(_ program: ProgramSynthesizer.Program, _ random: inout FuzzRandom, _ fuzzCase: inout FuzzCase) -> [FuzzCommand] {
        let lines = CommandLines(names: ProgramNames(params: program.params, inputs: program.inputs,
                                                     named: program.named, shapes: program.shapes))
        var commands: [FuzzCommand] = []
        var first = lines.run(&random, &fuzzCase)
        first.quietTwin = true
        commands.append(first)
        for _ in 0..<random.int(3) { commands.append(random.chance(0.6) ? lines.run(&random, &fuzzCase) : lines.any(&random, &fuzzCase)) }
        return commands
    }
}
