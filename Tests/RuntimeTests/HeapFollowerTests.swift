import Glibc
import SlopeAVX2
import Testing

/// The heap follower's step, `slope_populate_pages`: pages become present without being
/// written. (The follower itself runs in the executable only; `BinaryTests` compiles a long
/// program with it.)
@Suite struct HeapFollowerTests {
    @Test func populatedPagesArePresentAndKeepTheirBytes() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = 64 * page
        let mapped = try #require(mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, bytes) }
        func presentPages() -> Int {
            var vector = [UInt8](repeating: 0, count: bytes / page)
            guard mincore(mapped, bytes, &vector) == 0 else { return -1 }
            return vector.count { $0 & 1 != 0 }
        }
        // The first page written by hand, the rest untouched.
        mapped.storeBytes(of: 0x5A, as: UInt8.self)
        #expect(presentPages() == 1)
        guard slope_populate_pages(mapped, bytes) == 0 else {
            // A kernel before 5.14 has no MADV_POPULATE_WRITE: the follower stops, nothing else.
            #expect(errno == EINVAL)
            return
        }
        #expect(presentPages() == bytes / page)
        #expect(mapped.load(as: UInt8.self) == 0x5A)
        #expect(mapped.load(fromByteOffset: bytes - 1, as: UInt8.self) == 0)
    }
}
