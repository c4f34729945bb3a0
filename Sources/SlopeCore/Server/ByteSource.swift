import Foundation

/// Where the language server reads its bytes from: standard input, or a buffer in tests.
public protocol ByteSource {
    /// The next bytes available (at least one), or nil at the end of the input.
    mutating func read() -> [UInt8]?
}

/// A file descriptor read with `read(2)`, as bytes arrive (`slope lsp` reads descriptor 0).
public struct FileDescriptorSource: ByteSource {
    let descriptor: Int32

    public init(descriptor: Int32) { self.descriptor = descriptor }

    public mutating func read() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Array(chunk[..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}

/// Bytes held in memory, handed out `chunkSize` at a time, so tests can split messages at
/// every possible place.
public struct BufferSource: ByteSource {
    let bytes: [UInt8]
    let chunkSize: Int
    var offset = 0

    public init(_ bytes: [UInt8], chunkSize: Int = 65_536) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    public mutating func read() -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + chunkSize)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
