/// Writing the files a user asks for (`--log`, `--plot`, `--save`) through `OutputFile`, which
/// replaces a regular file atomically and writes devices and FIFOs in place.
public enum FileOutput {
    /// Returns an error message, or nil on success.
    public static func writeAtomically(_ text: String, to path: String) -> String? {
        OutputFile.write(text, to: path).map { DriverMessages.outputFile($0).message }
    }
}
