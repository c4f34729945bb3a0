/// `slope lsp`: the language server on standard input and output (`Server/LanguageServer.swift`).
/// Standard output carries only the protocol's framed messages; problems with the messages
/// themselves are logged on standard error.
public enum LspCommand {
    /// The command's name on the command line.
    public static let name = "lsp"

    /// `slope lsp [--stdio]`: `--stdio`, which clients such as VS Code's pass, names the only
    /// transport there is. Anything else is a usage error.
    static func parse(_ arguments: ArraySlice<String>) throws(Arguments.UsageError) -> Arguments.Request {
        for argument in arguments {
            switch argument {
            case "--help", "-h": return .languageServer(help: true)
            case "--stdio": continue
            default:
                throw Arguments.UsageError(message: "unexpected argument '\(argument)' for 'lsp'; it takes only --stdio", command: nil)
            }
        }
        return .languageServer(help: false)
    }

    public static func execute(help: Bool, console: Console,
                               input: some ByteSource = FileDescriptorSource(descriptor: 0)) -> ExitStatus {
        if help {
            console.out(Usage.languageServer)
            return .success
        }
        var server = LanguageServer(version: String(Usage.version.dropFirst("slope ".count)), send: console.out,
                                    log: { console.err($0 + "\n") })
        return server.serve(input) ? .success : .programError
    }
}

extension Usage {
    public static let languageServer = """
    usage: slope lsp [--stdio]

    Runs the language server for .graph files on standard input and output (JSON-RPC with
    Content-Length framing, as editors speak it): diagnostics as you type, hover (a name's kind,
    shape and value), go to definition, completion. An editor starts it; editors/README.md
    shows how for VS Code, Neovim, Helix and Emacs.

      --stdio            accepted for clients that pass it; standard input and output are the transport

    """
}
