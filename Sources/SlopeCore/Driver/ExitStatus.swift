/// The exit statuses of the contract.
public enum ExitStatus: Int32, Sendable, Error {
    /// Success.
    case success = 0
    /// The program is wrong: a diagnostic was printed to stderr (also: `slope check` disagrees).
    case programError = 1
    /// The command line is wrong: usage was printed to stderr.
    case usageError = 2
}
