import Foundation

/// Where a command writes: standard output, standard error, and whether standard error is a
/// terminal (live progress lines) or not (periodic plain lines). Tests capture both streams.
public final class Console: @unchecked Sendable {
    public private(set) var capturedOut = ""
    public private(set) var capturedErr = ""
    let capturing: Bool
    public let errorIsTerminal: Bool

    /// Writes to the process's standard output and error.
    public static func standard() -> Console {
        Console(capturing: false, errorIsTerminal: isatty(2) == 1)
    }

    /// Collects everything written, for tests.
    public static func capture() -> Console { Console(capturing: true, errorIsTerminal: false) }

    init(capturing: Bool, errorIsTerminal: Bool) {
        self.capturing = capturing
        self.errorIsTerminal = errorIsTerminal
    }

    public func out(_ text: String) {
        if capturing { capturedOut += text } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    public func err(_ text: String) {
        if capturing { capturedErr += text } else { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
