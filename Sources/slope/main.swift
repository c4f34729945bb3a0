import Foundation
import SlopeCore

// The executable: every behaviour lives in SlopeCore's Driver.
signal(SIGPIPE, SIG_IGN)
Driver.prepareProcess()
let status = Driver.main(Array(CommandLine.arguments.dropFirst()), console: .standard())
exit(status.rawValue)
