import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// The VS Code extension's files (`editors/vscode/`), read with Slope's own JSON reader, and
/// its TextMate grammar run over lines of Slope by a small TextMate engine (below): every
/// keyword of the lexer, every built-in and prelude function and every training method must get
/// its scope, so a new keyword or built-in without a grammar entry fails here.
private let folder = PackagePaths.root.appendingPathComponent("editors/vscode")

private func json(_ name: String) throws -> JSONValue {
    try JSONReader.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
}

/// The scopes a TextMate grammar gives a line, by character: only what a `.graph` grammar
/// needs of the format. At each position the pattern matching nearest wins (the earlier one in
/// the list on a tie), as in TextMate; `include`s are resolved from the repository, a `name`
/// covers the whole match and `captures` their groups; a `begin`/`end` rule covers everything
/// to its end. Regular expressions run with ICU (NSRegularExpression) instead of Oniguruma,
/// which agree on the constructs the grammar uses (classes, `\b`, look-ahead and look-behind).
struct TextMateGrammar {
    struct Rule {
        let match: NSRegularExpression
        let end: NSRegularExpression?
        let name: String?
        let captures: [Int: String]
    }

    let rules: [Rule]

    init(_ grammar: JSONValue) throws {
        let repository = grammar["repository"]
        var rules: [Rule] = []
        var pending = grammar["patterns"]?.array ?? []
        var expanded = 0
        while !pending.isEmpty {
            let pattern = pending.removeFirst()
            expanded += 1
            try #require(expanded < 1000, "the grammar's includes do not end")
            if let include = pattern["include"]?.string {
                let key = String(include.dropFirst())
                let target = try #require(repository?[key], "'\(include)' is not in the repository")
                pending.insert(target, at: 0)
                continue
            }
            // A group of patterns, as opposed to a rule with patterns inside its begin and end.
            if let nested = pattern["patterns"]?.array, pattern["match"] == nil, pattern["begin"] == nil {
                pending.insert(contentsOf: nested, at: 0)
                continue
            }
            let source = try #require(pattern["match"]?.string ?? pattern["begin"]?.string, "a pattern without match or begin")
            var captures: [Int: String] = [:]
            if case .object(let groups)? = pattern["captures"] ?? pattern["beginCaptures"] {
                for (group, scope) in groups { captures[Int(group) ?? 0] = scope["name"]?.string }
            }
            rules.append(Rule(match: try NSRegularExpression(pattern: source, options: [.anchorsMatchLines]),
                              end: try pattern["end"]?.string.map { try NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) },
                              name: pattern["name"]?.string, captures: captures))
        }
        self.rules = rules
    }

    /// The scope of each UTF-16 unit of `line` ("" where none applies).
    func scopes(_ line: String) -> [String] {
        let text = line as NSString
        var scopes = [String](repeating: "", count: text.length)
        var position = 0
        let options: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]
        while position < text.length {
            var best: (rule: Rule, match: NSTextCheckingResult)?
            for rule in rules {
                guard let found = rule.match.firstMatch(in: line, options: options,
                                                        range: NSRange(location: position, length: text.length - position)),
                      found.range.length > 0 || rule.end != nil else { continue }
                if best == nil || found.range.location < best!.match.range.location { best = (rule, found) }
            }
            guard let (rule, match) = best else { break }
            var end = match.range.location + match.range.length
            if let close = rule.end {
                let found = close.firstMatch(in: line, options: options, range: NSRange(location: end, length: text.length - end))
                end = found.map { $0.range.location + $0.range.length } ?? text.length
            }
            for index in match.range.location..<end { scopes[index] = rule.name ?? "" }
            for (group, scope) in rule.captures where group < match.numberOfRanges {
                let range = match.range(at: group)
                guard range.location != NSNotFound else { continue }
                for index in range.location..<(range.location + range.length) { scopes[index] = scope }
            }
            position = max(end, position + 1)
        }
        return scopes
    }

    /// The scope of the first occurrence of `word` in `line`, when the whole word has one.
    func scope(of word: String, in line: String) -> String? {
        let range = (line as NSString).range(of: word)
        guard range.location != NSNotFound else { return nil }
        let scopes = Array(self.scopes(line)[range.location..<(range.location + range.length)])
        return Set(scopes).count == 1 ? scopes[0] : nil
    }
}

private func grammar() throws -> TextMateGrammar { try TextMateGrammar(json("syntaxes/graph.tmLanguage.json")) }

@Test func theGrammarIsJSONWithTheScopeNamePackageJsonDeclares() throws {
    let grammar = try json("syntaxes/graph.tmLanguage.json")
    let package = try json("package.json")
    let declared = try #require(package["contributes"]?["grammars"]?.array?.first)
    #expect(declared["scopeName"]?.string == grammar["scopeName"]?.string)
    #expect(declared["language"]?.string == "graph")
    let language = try #require(package["contributes"]?["languages"]?.array?.first)
    #expect(language["id"]?.string == "graph")
    #expect(language["extensions"]?.array?.compactMap(\.string) == [".graph"])
    // Every file package.json names is there.
    for path in [declared["path"]?.string, language["configuration"]?.string, package["main"]?.string] {
        let file = try #require(path)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file) is missing")
    }
}

@Test(arguments: Keyword.allCases)
func everyKeywordOfTheLexerHasAKeywordScope(keyword: Keyword) throws {
    // As a statement starts: `param x`, `print x`, …; `by` after a target.
    let line = keyword == .by ? "minimize E by gd(rate: 0.1)" : "\(keyword.rawValue) x"
    let scope = try #require(try grammar().scope(of: keyword.rawValue, in: line), "'\(keyword.rawValue)' has no scope")
    #expect(scope.hasPrefix("keyword.") || scope.hasPrefix("storage."), "'\(keyword.rawValue)' is scoped \(scope)")
}

@Test(arguments: BuiltinFunctions.all.map(\.name))
func everyBuiltInFunctionIsScopedAsABuiltIn(name: String) throws {
    #expect(try grammar().scope(of: name, in: "y = \(name)(x, 1)") == "support.function.builtin.graph")
}

@Test(arguments: Prelude.functionNames.sorted())
func everyPreludeFunctionIsScopedAsThePreludes(name: String) throws {
    #expect(try grammar().scope(of: name, in: "y = \(name)(a, b)") == "support.function.prelude.graph")
}

@Test(arguments: TrainingMethod.Kind.allCases.map(\.rawValue))
func everyTrainingMethodIsScopedAfterBy(method: String) throws {
    #expect(try grammar().scope(of: method, in: "minimize loss by \(method)(steps: 10)") == "support.function.method.graph")
}

@Test func theRestOfALineGetsItsScopes() throws {
    let grammar = try grammar()
    let line = "param W: [2, 3] = normal(0, 0.1)  # weights"
    #expect(grammar.scope(of: "W", in: line) == "variable.other.declaration.graph")
    #expect(grammar.scope(of: "weights", in: line) == "comment.line.number-sign.graph")
    #expect(grammar.scope(of: "0.1", in: line) == "constant.numeric.graph")
    #expect(grammar.scope(of: "1.5e-3", in: "x = 1.5e-3") == "constant.numeric.graph")
    #expect(grammar.scope(of: "x2", in: "y = x2 + 1") == "variable.other.graph")
    #expect(grammar.scope(of: "square", in: "fn square(x) = x^2") == "entity.name.function.graph")
    #expect(grammar.scope(of: "rate", in: "minimize E by gd(rate: 0.1)") == "variable.parameter.label.graph")
    #expect(grammar.scope(of: "data.csv", in: "input X = csv(\"data.csv\", \"x\")") == "string.quoted.double.graph")
    #expect(grammar.scope(of: "print", in: "# print x") == "comment.line.number-sign.graph")
}

@Test func theLanguageConfigurationsCommentIsTheLexers() throws {
    let configuration = try json("language-configuration.json")
    let comment = try #require(configuration["comments"]?["lineComment"]?.string)
    // What follows the comment marker is no token at all.
    let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "t.graph", text: comment + " param = ( ]"))
    #expect(tokens.map(\.kind) == [.endOfFile])
    #expect(diagnostics.isEmpty)
}

@Test func theLanguageConfigurationsBracketsAreTheLexers() throws {
    let configuration = try json("language-configuration.json")
    let pairs = try #require(configuration["brackets"]?.array).map { $0.array?.compactMap(\.string) ?? [] }
    let kinds = try pairs.map { pair in
        try #require(pair.count == 2 ? pair : nil, "a bracket pair of \(pair.count)")
            .map { Lexer.tokenize(SourceFile(path: "t.graph", text: $0)).tokens[0].kind }
    }
    // `{ }` belong to the IR's text form only.
    #expect(kinds == [[.leftParen, .rightParen], [.leftBracket, .rightBracket]])
}
