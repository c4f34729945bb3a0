import Testing
import SlopeCore
import SlopeTestSupport

@Test func lspHelpPrintsItsUsage() {
    let result = InProcess.run(["lsp", "--help"])
    #expect(result.status == .success)
    #expect(result.out == Usage.languageServer)
    #expect(result.out.hasPrefix("usage: slope lsp [--stdio]\n"))
}

@Test func lspRejectsAFileOrAnUnknownOption() {
    for arguments in [["lsp", "net.graph"], ["lsp", "--tcp"]] {
        let result = InProcess.run(arguments)
        #expect(result.status == .usageError)
        #expect(result.err.hasPrefix("slope: error: unexpected argument '\(arguments[1])' for 'lsp'"), "\(result.err)")
        #expect(result.out.isEmpty)
    }
}

@Test func theOverviewListsLspAndAMistypedNameSuggestsIt() {
    #expect(Usage.overview.contains("slope lsp"))
    #expect(InProcess.run(["lps"]).err.hasPrefix("slope: error: unknown command 'lps'; did you mean 'lsp'?"))
}

@Test func lspServesTheConsoleItIsGiven() {
    let console = Console.capture()
    let input = BufferSource(LspSession.framed([LspSession.initialize, LspSession.shutdown(id: 2), LspSession.exit]))
    #expect(LspCommand.execute(help: false, console: console, input: input) == .success)
    #expect(LspSession.bodies(of: console.capturedOut).count == 2)
    #expect(console.capturedErr.isEmpty)
}
