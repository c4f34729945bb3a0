import Foundation
#if canImport(Glibc)
import Glibc
#endif

// slope-fuzz: the project's own fuzzer of the `slope` binary. See FuzzOptions.usage.
signal(SIGPIPE, SIG_IGN)
// SIGINT and SIGTERM end the campaign after the current input, with its summary written.
signal(SIGINT) { _ in Campaign.stopRequested = 1 }
signal(SIGTERM) { _ in Campaign.stopRequested = 1 }
let options: FuzzOptions
do { options = try FuzzOptions.parse(Array(CommandLine.arguments.dropFirst())) } catch {
    let message = "\(error)"
    FileHandle.standardError.write(Data(((message.isEmpty ? "" : "slope-fuzz: error: \(message)\n\n") + FuzzOptions.usage + "\n").utf8))
    exit(message.isEmpty ? 0 : 2)
}
if let index = options.show {
    print(Campaign.show(Inputs.make(index, seed: options.seed, corpus: Corpus(root: URL(fileURLWithPath: options.corpus)))), terminator: "")
    exit(0)
}
if options.jobs > 1 {
    exit(Workers.run(options, arguments: Array(CommandLine.arguments.dropFirst())))
}
// Limits every run inherits: no core files, a bounded address space and bounded files.
ResourceLimits.apply(memoryMegabytes: options.memoryMegabytes)
do {
    let campaign = try Campaign(options: options)
    let status = campaign.run()
    campaign.cleanUp()
    exit(status)
} catch {
    FileHandle.standardError.write(Data("slope-fuzz: error: \(error)\n".utf8))
    exit(2)
}
