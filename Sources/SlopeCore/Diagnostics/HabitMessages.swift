/// Hints for habits brought from other languages and from notes: `x**2`, `m += 0.1`, the
/// characters a word processor or a textbook pastes (`−`, `×`, `²`, Greek letters), trailing
/// semicolons, and the names other libraries give training settings (`lr`, `epochs`,
/// `batch_size`). Each says what Slope writes instead. Alphabetised.
enum HabitMessages {
    /// `m += 0.1`: there is no updating a value in place.
    static func compoundAssignment(_ name: String, _ op: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.compound-assignment",
                   "'\(op)=' cannot change '\(name)': a program is a graph, so each name is defined once", at: range,
                   notes: [.init("training is what changes params: declare 'param \(name) = …' and train it with 'minimize … by gd(…)'"),
                           .init("for a new value, give it a new name, as in '\(name)2 = \(name) \(op) …'")])
    }

    /// `x**2`.
    static func doubleStar(at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "syntax.double-star", "'**' is not an operator; Slope writes powers with '^', as in 'x^2'", at: range)
    }

    /// A note for a character pasted from a document, or nil when it is none of those.
    static func pastedCharacter(_ text: String) -> Diagnostic.Note? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return nil }
        if text == ";" { return .init("a statement ends at the end of its line, so Slope needs no ';'") }
        if let ascii = lookalikes[first] {
            return .init("'\(Character(first))' is \(ascii.what); write '\(ascii.ascii)'")
        }
        if let digit = superscripts[first] {
            return .init("write powers with '^': 'x^\(digit)' for 'x\(Character(first))'")
        }
        let spelled = scalars.map { greek[$0] }
        if !spelled.contains(nil) {
            let name = spelled.compactMap { $0 }.joined(separator: "_")
            return .init("names are ASCII letters, digits and '_'; spell the letter out, as in '\(name)'")
        }
        if first.properties.isAlphabetic {
            return .init("names are ASCII letters, digits and '_'")
        }
        return nil
    }

    /// A training setting under the name another library gives it (`lr:` for `rate:`).
    static func settingAlias(_ label: String, method: String, accepted: [String]) -> Diagnostic.Note? {
        guard let setting = settingAliases[label.lowercased()], accepted.contains(setting) else { return nil }
        return .init("'\(label)' is called '\(setting)' in Slope: write '\(method)(\(setting): …)'")
    }

    /// `gd(0.1, 100)`: accepted, but the labels say which number is which.
    static func positionalSettings(_ method: String, _ settings: [(name: String, value: String)], at range: SourceRange) -> Diagnostic {
        let written = settings.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        return Diagnostic(.warning, id: "semantic.positional-settings",
                          "'\(method)' takes settings by name: \(method)(\(written))", at: range)
    }

    // MARK: Tables

    /// Characters that look like an ASCII operator: what they are, and the operator.
    static let lookalikes: [Unicode.Scalar: (what: String, ascii: String)] = [
        "\u{2212}": ("the Unicode minus sign", "-"),
        "\u{2013}": ("an en dash", "-"),
        "\u{2014}": ("an em dash", "-"),
        "\u{00D7}": ("the multiplication sign", "*"),
        "\u{00B7}": ("a middle dot", "*"),
        "\u{22C5}": ("the dot operator", "*"),
        "\u{2217}": ("the asterisk operator", "*"),
        "\u{00F7}": ("the division sign", "/"),
        "\u{2215}": ("the division slash", "/"),
        "\u{201C}": ("a curly quote", "\""),
        "\u{201D}": ("a curly quote", "\""),
        "\u{FF0C}": ("a full-width comma", ","),
        "\u{FF08}": ("a full-width parenthesis", "("),
        "\u{FF09}": ("a full-width parenthesis", ")"),
    ]

    static let superscripts: [Unicode.Scalar: Int] = [
        "\u{2070}": 0, "\u{00B9}": 1, "\u{00B2}": 2, "\u{00B3}": 3, "\u{2074}": 4,
        "\u{2075}": 5, "\u{2076}": 6, "\u{2077}": 7, "\u{2078}": 8, "\u{2079}": 9,
    ]

    /// Greek letters, lowercase and capital, as their names are spelled in ASCII.
    static let greek: [Unicode.Scalar: String] = {
        let names = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
                     "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon",
                     "phi", "chi", "psi", "omega"]
        // U+03B1 α … U+03C9 ω, with final sigma ς at U+03C2; capitals 0x20 below, with none at U+03A2.
        var table: [Unicode.Scalar: String] = ["\u{03C2}": "sigma", "\u{00B5}": "mu", "\u{03D5}": "phi", "\u{03F5}": "epsilon"]
        var code: UInt32 = 0x03B1
        for name in names {
            if code == 0x03C2 { code += 1 }
            table[Unicode.Scalar(code)!] = name
            table[Unicode.Scalar(code - 0x20)!] = name.prefix(1).uppercased() + name.dropFirst()
            code += 1
        }
        return table
    }()

    /// Other libraries' names for Slope's training settings.
    static let settingAliases: [String: String] = [
        "lr": "rate", "learning_rate": "rate", "learningrate": "rate", "step_size": "rate", "eta": "rate",
        "iterations": "steps", "iters": "steps", "iter": "steps", "epochs": "steps", "num_epochs": "steps",
        "n_epochs": "steps", "max_iter": "steps", "n_iter": "steps", "num_steps": "steps", "n_steps": "steps",
        "batch_size": "batch", "batchsize": "batch", "minibatch": "batch", "mini_batch": "batch",
        "tol": "tolerance", "epsilon": "eps", "momentum": "beta", "b1": "beta1", "b2": "beta2",
    ]
}
