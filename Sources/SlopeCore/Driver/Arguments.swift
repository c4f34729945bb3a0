/// The parsed command line: a command, a file, and the options the contract lists.
public struct Arguments: Sendable {
    public enum Command: String, CaseIterable, Sendable { case run, grad, ir, dot, check, tangent, critical, export, report }

    public var command: Command
    public var file: String
    public var sets: [(name: String, value: String)] = []
    public var seed: UInt64?
    public var json = false
    public var quiet = false
    public var time = false
    public var of: String?
    public var wrt: [String]?
    public var noOpt = false
    public var passes = false
    public var grad = false
    public var values = false
    public var opt = false
    public var expand = false
    public var sweep = false
    public var log: String?
    public var plot: String?
    public var save: String?
    public var load: String?
    /// `tangent --at`: the point, and `--order`; `critical --in`: the box (Arguments+Calculus.swift).
    public var at: [(name: String, value: Double)] = []
    public var order = 1
    public var box: [(name: String, lower: Double, upper: Double)] = []
    /// `export --to`, `-o` and `--dtype` (Arguments+Export.swift); `report -o`.
    public var exportTarget: ExportTarget?
    public var output: String?
    public var precision: ExportPrecision?

    /// A usage error: the message, and the command whose usage to print (nil for the overview).
    public struct UsageError: Error, Sendable {
        public let message: String
        public let command: Command?
    }

    /// What `--help` or `--version` asked for instead of a command.
    public enum Request: Sendable {
        case help(Command?)
        case version
        case command(Arguments)
        /// `slope lsp` (`LspCommand`), which takes no file.
        case languageServer(help: Bool)
    }

    /// Options each command accepts, with whether they take a value.
    static let options: [Command: [String: Bool]] = [
        .run: ["--set": true, "--seed": true, "--json": false, "--quiet": false, "--time": false,
               "--log": true, "--plot": true, "--save": true, "--load": true],
        .grad: ["--of": true, "--wrt": true, "--json": false, "--expand": false, "--no-opt": false,
                "--set": true, "--seed": true],
        .ir: ["--no-opt": false, "--passes": false, "--set": true, "--seed": true],
        .dot: ["--grad": false, "--values": false, "--opt": false, "--expand": false, "--of": true, "--wrt": true,
               "--set": true, "--seed": true, "--load": true],
        .check: ["--of": true, "--wrt": true, "--sweep": false, "--json": false, "--set": true, "--seed": true,
                 "--load": true],
        .tangent: ["--of": true, "--at": true, "--order": true, "--json": false, "--set": true, "--seed": true],
        .critical: ["--of": true, "--in": true, "--json": false, "--set": true, "--seed": true],
        .export: ["--to": true, "-o": true, "--dtype": true, "--load": true, "--set": true, "--seed": true],
        .report: ["-o": true, "--of": true, "--wrt": true, "--set": true, "--seed": true, "--load": true],
    ]

    public static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        guard let first = arguments.first else { throw UsageError(message: "no command given", command: nil) }
        if first == "--help" || first == "-h" || first == "help" {
            if arguments.count > 1, let command = Command(rawValue: arguments[1]) { return .help(command) }
            return .help(nil)
        }
        if first == "--version" || first == "-V" { return .version }
        if first == LspCommand.name { return try LspCommand.parse(arguments.dropFirst()) }
        guard let command = Command(rawValue: first) else {
            let suggestion = Suggestions.closest(to: first, among: Command.allCases.map(\.rawValue) + [LspCommand.name])
            throw UsageError(message: "unknown command '\(first)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), command: nil)
        }
        var result = Arguments(command: command, file: "")
        var file: String?
        var index = 1
        let accepted = options[command]!
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return .help(command) }
            if argument == "--" {
                if index < arguments.count, file == nil { file = arguments[index]; index += 1 }
                continue
            }
            guard argument.hasPrefix("-") && argument.count > 1 else {
                if file != nil { throw UsageError(message: "unexpected argument '\(argument)'; give one file", command: command) }
                file = argument
                continue
            }
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            guard let takesValue = accepted[argument] else {
                let suggestion = Suggestions.closest(to: argument, among: accepted.keys)
                throw UsageError(message: "unknown option '\(argument)' for '\(command.rawValue)'"
                                    + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), command: command)
            }
            var value = ""
            if takesValue {
                if let inlineValue { value = inlineValue }
                else {
                    guard index < arguments.count else { throw UsageError(message: "\(argument) needs a value", command: command) }
                    value = arguments[index]
                    index += 1
                }
            } else if inlineValue != nil {
                throw UsageError(message: "\(argument) takes no value", command: command)
            }
            try result.apply(argument, value)
        }
        guard let file else { throw UsageError(message: "no .graph file given", command: command) }
        result.file = file
        if result.noOpt && result.passes { throw UsageError(message: "--no-opt and --passes cannot be combined", command: command) }
        if command == .export { try result.checkExport() }
        return .command(result)
    }

    mutating func apply(_ option: String, _ value: String) throws(UsageError) {
        switch option {
        case "--set":
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw UsageError(message: "--set needs NAME=VALUE, found '\(value)'", command: command)
            }
            sets.append((String(value[..<equals]), String(value[value.index(after: equals)...])))
        case "--seed":
            // A seed is a 64-bit word; a negative one would be silently wrapped around.
            guard let number = UInt64(value) else {
                throw UsageError(message: "--seed needs a whole number from 0 to \(UInt64.max), found '\(value)'", command: command)
            }
            seed = number
        case "--json": json = true
        case "--quiet": quiet = true
        case "--time": time = true
        case "--of":
            guard !value.isEmpty else { throw UsageError(message: "--of needs a name", command: command) }
            of = value
        case "--wrt":
            let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw UsageError(message: "--wrt needs names, as in --wrt m,b", command: command) }
            // Each name is one gradient, printed as d_NAME: a name given twice would define d_NAME twice.
            if let repeated = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) })?.element {
                throw UsageError(message: "--wrt names '\(repeated)' twice; give each name once", command: command)
            }
            wrt = names
        case "--no-opt": noOpt = true
        case "--passes": passes = true
        case "--grad": grad = true
        case "--values": values = true
        case "--opt": opt = true
        case "--expand": expand = true
        case "--sweep": sweep = true
        case "--log": log = value
        case "--plot": plot = value
        case "--save": save = value
        case "--load": load = value
        case "--at": at += try Self.point(value, command: command, known: at.map(\.name))
        case "--order": order = try Self.order(value, command: command)
        case "--in": box += try Self.box(value, command: command, known: box.map(\.name))
        case "--to": exportTarget = try Self.exportTarget(value)
        case "-o": output = try Self.outputPath(value, command: command)
        case "--dtype": precision = try Self.precision(value)
        default: break
        }
    }
}

import Foundation
