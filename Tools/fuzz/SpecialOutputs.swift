import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output path that is a FIFO or a symbolic link must still be one after the command
/// (issue 12: special files are written in place, a link updates its target), never replaced
/// by a regular file.
enum SpecialOutputs {
    static func problems(_ command: FuzzCommand, _ fuzzCase: FuzzCase, in folder: URL) -> [Finding] {
        var findings: [Finding] = []
        for option in SafePaths.outputOptions {
            guard let path = command.value(of: option) else { continue }
            let expected: mode_t
            if fuzzCase.fifos.contains(path) { expected = S_IFIFO } else if fuzzCase.links[path] != nil { expected = S_IFLNK } else { continue }
            var status = stat()
            guard lstat(folder.appendingPathComponent(path).path, &status) == 0 else { continue }
            let found = status.st_mode & S_IFMT
            if found != expected {
                let what = expected == S_IFIFO ? "a FIFO" : "a symbolic link"
                findings.append(Finding(kind: .specialFileReplaced, detail: "\(option) over \(what)",
                                        explanation: "\(option) \(path): \(what) was replaced by \(found == S_IFREG ? "a regular file" : "another kind of file")"))
            }
        }
        return findings
    }
}
