import Foundation

/// Reads a whole input file — the program, a CSV file, a params file — by reading until the
/// end rather than asking for its size, so a pipe or FIFO works as well as a regular file:
/// `slope run /dev/stdin < net.graph`, `slope run <(generate)`, `csv("/dev/stdin")`.
/// (Foundation's `FileManager.contents(atPath:)` returns nil for a pipe.)
public enum FileInput {
    public enum Failure: Error, Sendable, Equatable {
        case missing
        case directory
        case permissionDenied
        /// Any other failure of open(2) or read(2), as strerror words it.
        case other(String)

        /// The reason as a diagnostic words it: `cannot read 'x': no such file`.
        public var reason: String {
            switch self {
            case .missing: return "no such file"
            case .directory: return "it is a directory"
            case .permissionDenied: return "permission denied"
            case .other(let text): return text.lowercased()
            }
        }
    }

    public static func read(_ path: String) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(failure(errno)) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return .failure(.directory) }
        var bytes: [UInt8] = []
        if status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]); continue }
            if count == 0 { return .success(bytes) }
            if errno == EINTR { continue }
            return .failure(failure(errno))
        }
    }

    static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT, ENOTDIR: return .missing
        case EISDIR: return .directory
        case EACCES, EPERM: return .permissionDenied
        default: return .other(String(cString: strerror(code)))
        }
    }
}
